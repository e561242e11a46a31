"""/programme/import/: the QA Lead uploads past audits and follows the import.

Only people who may import (QA Leads) see these pages; every QA Lead sees every
import, since the history is the team's.
"""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ..forms.imports import ImportUploadForm
from ..importer.columns import PARTICIPATION, REQUIRED
from ..importer.jobs import FINISHED, import_job_create, import_job_errors, import_jobs
from ..importer.lookups import TEMPLATE_FAMILY
from ..models import AuditTemplate, ImportJob, ImportStatus

IMPORT = "audits.import_audits"
HISTORY_PAGE_SIZE = 25
ERRORS_PAGE_SIZE = 100


def _require(user) -> None:
    if not user.has_perm(IMPORT):
        raise PermissionDenied


def _get_job(user, pk) -> ImportJob:
    _require(user)
    return get_object_or_404(import_jobs(), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    _require(request.user)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = import_job_create(
                user=request.user,
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
                create_missing=form.cleaned_data["create_missing"],
            )
            return redirect("imports:job", pk=job.pk)
    else:
        form = ImportUploadForm()
    return render(
        request,
        "audits/imports/upload.html",
        {"form": form, "required": REQUIRED, "participation": PARTICIPATION},
    )


@login_required
@require_GET
def job(request, pk):
    job = _get_job(request.user, pk)
    finished = job.status in FINISHED
    unchanged = max(0, job.total_rows - job.created_count - job.updated_count)
    errors = None
    if job.status == ImportStatus.FAILED:
        paginator = Paginator(import_job_errors(job), ERRORS_PAGE_SIZE, allow_empty_first_page=True)
        try:
            errors = paginator.page(request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404("There is no such page of errors") from error
    return render(
        request,
        "audits/imports/job.html",
        {
            "job": job,
            "finished": finished,
            "unchanged": unchanged,
            "errors": errors,
            "errors_not_kept": max(0, job.error_count - errors.paginator.count) if errors else 0,
        },
    )


@never_cache
@login_required
@require_GET
def job_status(request, pk):
    job = _get_job(request.user, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "processed_rows": job.processed_rows,
            "total_rows": job.total_rows,
            "percent_done": job.percent_done,
            "dry_run": job.dry_run,
            "finished": job.status in FINISHED,
        }
    )


@login_required
@require_GET
def history(request):
    _require(request.user)
    page = Paginator(import_jobs(), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audits/imports/history.html", {"page": page})


@login_required
@require_GET
def example(request):
    """A CSV with the headings of the format: the required columns, a grade and an
    evidence column per domain of the audit template, and the participation columns."""
    _require(request.user)
    templates = AuditTemplate.objects.filter(is_active=True)
    template = templates.filter(family=TEMPLATE_FAMILY).first() or templates.order_by("pk").first()
    domains = []
    if template is not None:
        domains = [
            section.domain.name
            for section in template.sections.select_related("domain").filter(domain__isnull=False)
        ]
    headings = list(REQUIRED)
    for name in domains:
        headings += [f"domain: {name}", f"evidence: {name}"]
    headings += list(PARTICIPATION)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="past-audits-template.csv"'
    response.write("\ufeff")  # so Excel opens it as UTF-8
    csv.writer(response).writerow(headings)
    return response
