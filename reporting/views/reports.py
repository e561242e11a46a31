"""The QA reports: the list and "Generate a report", a run's progress, a report's page
with its versions and what changed, and the QA Lead's draft text and publishing.

A report or run the viewer may not see answers 404 (whether it exists or not); one they
may read but not manage answers 403 to what only the QA team may do.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, ServiceArea, UserRole
from common.forms import parse_id

from .. import narrative, services
from ..forms import NARRATIVE_FIELDS, GenerateReportForm, ReportTextForm
from ..models import Report, ReportKind, ReportRun, ReportVersion, RunStatus
from ..report_page import changes_view, page_sections
from ..selectors.reports import report_list as reports_listed
from ..selectors.reports import versions_visible_to

MANAGE = "reporting.manage_reports"
PAGE_SIZE = 50
#: the downloads of a version, once reporting:report_download is installed
DOWNLOAD_FORMATS = [("docx", "Word"), ("pdf", "PDF"), ("xlsx", "Excel")]
SAVED = "The text is saved."
SUGGESTED = (
    "The suggested text is in the boxes below, in place of what was there. "
    "Save it to keep it, or change it first."
)


def visible_report(user, pk: int) -> Report:
    """The report, if the user may read it; 404 otherwise (whether it exists or not)."""
    report = get_object_or_404(Report.objects.select_related("service_area"), pk=pk)
    if not user.has_perm("reporting.view_report", report):
        raise Http404
    return report


def chosen_version(request, report: Report):
    """The version asked for (?version=N) or the latest the user may read; 404 if none."""
    versions = versions_visible_to(request.user, report)
    number = parse_id(request.GET.get("version", "")) if request.GET.get("version") else None
    if request.GET.get("version") and number is None:
        raise Http404
    version = versions.filter(number=number).first() if number else versions.first()
    if version is None:
        raise Http404
    return version, versions


def version_url(version: ReportVersion) -> str:
    return reverse("reporting:report", args=[version.report_id]) + f"?version={version.number}"


def _require_manager(user) -> None:
    if not user.has_perm(MANAGE):
        raise PermissionDenied


def queue_run(run: ReportRun) -> None:
    """Give the run to the worker once it is saved. In the embedded default the task
    runs at once, in this request; a failure is recorded on the run, which its page shows."""
    from ..tasks import run_report

    transaction.on_commit(lambda: run_report.delay(run.pk), robust=True)


def _start(report: Report, user) -> ReportRun:
    with transaction.atomic():
        run = services.start_run(report, user)
        queue_run(run)
    return run


def download_urls(version: ReportVersion) -> list[dict]:
    """The version's Word, PDF and Excel files (readable by whoever reads the version),
    where the downloads are installed."""
    urls = []
    for fmt, label in DOWNLOAD_FORMATS:
        try:
            url = reverse(
                "reporting:report_download", args=[version.report_id, version.number, fmt]
            )
        except NoReverseMatch:
            return []
        urls.append({"format": fmt, "label": label, "url": url})
    return urls


# The list, and "Generate a report" ---------------------------------------------------


KIND_FILTERS = [("", "All reports"), *ReportKind.choices]


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    user = request.user
    if not user.has_perm("reporting.view_reports"):
        raise PermissionDenied
    can_generate = user.has_perm(MANAGE)
    if request.method == "POST" and not can_generate:
        raise PermissionDenied
    form = None
    if can_generate:
        data = request.POST if request.method == "POST" else None
        form = GenerateReportForm(data, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                report = services.report_for(
                    form.cleaned_data["kind"], form.period, form.service_area
                )
                run = services.start_run(report, user)
                queue_run(run)
        except services.ReportError as error:
            form.add_error(form.period_field, str(error))
        else:
            return redirect("reporting:run", pk=run.pk)
    kind = request.GET.get("kind", "")
    if kind not in ReportKind.values:
        kind = ""
    page = Paginator(reports_listed(user, kind or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reporting/report_list.html",
        {
            "page": page,
            "reports": page.object_list,
            "kind": kind,
            "kinds": [
                {"value": value, "label": label, "current": value == kind}
                for value, label in KIND_FILTERS
            ],
            "query": f"kind={kind}" if kind else "",
            "form": form,
            "can_generate": can_generate,
        },
    )


# A run: "Generate now" in the worker, with its progress --------------------------------


def _visible_run(user, pk: int) -> ReportRun:
    """The run, for the person who asked for it and those who manage reports; 404 for
    anyone else."""
    run = get_object_or_404(
        ReportRun.objects.select_related("report__service_area", "version", "requested_by"),
        pk=pk,
    )
    if not (user.has_perm(MANAGE) or (run.requested_by_id and run.requested_by_id == user.pk)):
        raise Http404
    return run


def _run_destination(run: ReportRun) -> str | None:
    """Where the run's page goes when the run has finished: the new version, or back to
    the run's own page to say that nothing changed, or why it failed."""
    if not run.finished:
        return None
    if run.status == RunStatus.DONE and run.version_id and run.created_version:
        return version_url(run.version)
    return reverse("reporting:run", args=[run.pk])


@login_required
@require_GET
def run(request, pk: int):
    report_run = _visible_run(request.user, pk)
    return render(
        request,
        "reporting/run.html",
        {
            "run": report_run,
            "report": report_run.report,
            "version_url": version_url(report_run.version) if report_run.version_id else None,
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@never_cache
@login_required
@require_GET
def run_status(request, pk: int):
    report_run = _visible_run(request.user, pk)
    return JsonResponse(
        {
            "status": report_run.status,
            "status_label": report_run.get_status_display(),
            "progress": report_run.progress,
            "step": report_run.step,
            "finished": report_run.finished,
            "created_version": report_run.created_version,
            "version": report_run.version.number if report_run.version_id else None,
            "url": _run_destination(report_run),
        }
    )


# A report's page --------------------------------------------------------------------


@login_required
@require_GET
def report(request, pk: int):
    user = request.user
    report = visible_report(user, pk)
    version, versions = chosen_version(request, report)
    versions = list(versions)
    latest = versions[0]
    published = next((v for v in versions if v.is_published), None)
    can_manage = user.has_perm(MANAGE)
    return render(
        request,
        "reporting/report.html",
        {
            "report": report,
            "version": version,
            "versions": versions,
            "latest": latest,
            "latest_published": published,
            "newer_published": published
            if published and published.number > version.number
            else None,
            "newer_draft": latest
            if latest.number > version.number and not latest.is_published
            else None,
            "figures": version.figures,
            "sections": page_sections(version),
            "changes": changes_view(version, user),
            "can_manage": can_manage,
            "can_edit": can_manage and not version.is_published and version.pk == latest.pk,
            "download_urls": download_urls(version),
        },
    )


def _latest_draft(request, pk: int, number: int) -> tuple[Report, ReportVersion | None]:
    """The report and its version ``number`` for the QA team to change: 404 where the
    viewer cannot see it, 403 where they may read but not manage it. The version is None
    (with a message saying why) when it is published or a newer version exists."""
    user = request.user
    report = visible_report(user, pk)
    version = get_object_or_404(versions_visible_to(user, report), number=number)
    _require_manager(user)
    if version.is_published:
        messages.info(
            request,
            f"Version {version.number} is published and cannot change: generate a new version "
            "to write a different text.",
        )
        return report, None
    latest = report.versions.order_by("-number").values_list("number", flat=True).first()
    if latest != version.number:
        messages.info(
            request,
            f"Version {version.number} is not the latest: version {latest} is, and only the "
            "latest version is edited and published.",
        )
        return report, None
    return report, version


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int, number: int):
    report, version = _latest_draft(request, pk, number)
    if version is None:
        return redirect(reverse("reporting:report", args=[pk]) + f"?version={number}")
    if request.method == "POST" and "suggest" in request.POST:
        lock = parse_id(request.POST.get("lock_version", ""))
        suggested = narrative.suggested(version.figures)
        form = ReportTextForm(
            initial=suggested | {"lock_version": version.lock_version if lock is None else lock}
        )
        messages.info(request, SUGGESTED)
    elif request.method == "POST":
        form = ReportTextForm(request.POST)
        if form.is_valid():
            try:
                services.edit_narrative(
                    version,
                    request.user,
                    lock_version=form.cleaned_data["lock_version"],
                    **form.words,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, SAVED)
                return redirect(version_url(version))
    else:
        form = ReportTextForm(
            initial={name: getattr(version, name) for name in NARRATIVE_FIELDS}
            | {"lock_version": version.lock_version}
        )
    return render(
        request,
        "reporting/report_edit.html",
        {"report": report, "version": version, "form": form, "version_url": version_url(version)},
    )


def _recipient_rows(report: Report) -> list[dict]:
    """Who will be emailed, each with why: Leader, or Head of Service of their areas.
    Three queries."""
    people = services.recipients(report)
    roles = {}
    for user_id, role in UserRole.objects.filter(
        user__in=people, role__in=[Role.LEADER, Role.HEAD_OF_SERVICE]
    ).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    areas = {}
    for user_id, name in (
        ServiceArea.objects.filter(head_of_service__in=people)
        .order_by("name")
        .values_list("head_of_service_id", "name")
    ):
        areas.setdefault(user_id, []).append(name)
    rows = []
    for person in people:
        why = []
        if Role.LEADER in roles.get(person.pk, ()):
            why.append(Role.LEADER.label)
        if Role.HEAD_OF_SERVICE in roles.get(person.pk, ()):
            heads = areas.get(person.pk)
            why.append(
                f"{Role.HEAD_OF_SERVICE.label}, {', '.join(heads)}"
                if heads
                else Role.HEAD_OF_SERVICE.label
            )
        rows.append({"name": person.get_full_name() or person.email, "roles": "; ".join(why)})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def report_publish(request, pk: int, number: int):
    report, version = _latest_draft(request, pk, number)
    if version is None:
        return redirect(reverse("reporting:report", args=[pk]) + f"?version={number}")
    people = _recipient_rows(report)
    if request.method == "POST":
        services.publish(version, request.user)
        count = len(people)
        messages.success(
            request,
            f"Version {version.number} is published. "
            f"{count} {'person is' if count == 1 else 'people are'} being emailed a link to it.",
        )
        return redirect(version_url(version))
    return render(
        request,
        "reporting/report_publish.html",
        {
            "report": report,
            "version": version,
            "people": people,
            "version_url": version_url(version),
        },
    )


@login_required
@require_POST
def report_regenerate(request, pk: int):
    report = visible_report(request.user, pk)
    _require_manager(request.user)
    run = _start(report, request.user)
    return redirect("reporting:run", pk=run.pk)
