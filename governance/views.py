"""The records of views and changes: searched on a page, downloaded as CSV."""

import csv
import datetime
import io
from itertools import islice

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from common.spreadsheets import CSV_TYPE, neutralise

from .forms import RecordSearchForm
from .models import RecordSearch
from .selectors import Criteria, child_with_reference, present, record_entries
from .subject_access import ZIP_TYPE, subject_access_zip

PAGE_SIZE = 50
DEFAULT_DAYS = 30
FILTERS = ("person", "child", "since", "until", "show")
#: the download's columns, in order: a public contract for councils' own tools
CSV_COLUMNS = ["when", "person", "action", "record", "child_case_reference", "details"]
EXPORT_BATCH = 500


def _search(request) -> tuple[RecordSearchForm, Criteria | None, bool]:
    """The form, the criteria it gives (None when it has errors), and whether the
    person chose any; with no choice, the last ``DEFAULT_DAYS`` days."""
    if not request.user.has_perm("governance.search_records"):
        raise PermissionDenied
    filtering = any(request.GET.get(name) for name in FILTERS)
    form = RecordSearchForm(request.GET if filtering else None)
    if not filtering:
        since = timezone.localdate() - datetime.timedelta(days=DEFAULT_DAYS - 1)
        return form, Criteria(since=since), False
    if not form.is_valid():
        return form, None, True
    data = form.cleaned_data
    criteria = Criteria(
        person=data.get("person"),
        child=data.get("child"),
        since=data.get("since"),
        until=data.get("until"),
        show=data.get("show") or "",
    )
    return form, criteria, True


@login_required
@require_GET
def records(request):
    """Who viewed or changed what, and when, searched by person, child and date."""
    form, criteria, filtering = _search(request)
    page = None
    if criteria is not None:
        if request.GET.get("page", "1") == "1":  # a new search, not its next page
            RecordSearch.objects.create(user=request.user, criteria=criteria.describe())
        page = Paginator(record_entries(criteria), PAGE_SIZE).get_page(request.GET.get("page"))
        page.entries = present(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/records.html",
        {
            "form": form,
            "page": page,
            "filtering": filtering,
            "default_days": DEFAULT_DAYS,
            "query": query.urlencode(),
            "child": criteria.child if criteria else None,
            "can_export_child": request.user.has_perm("governance.export_subject_access"),
        },
    )


def _csv_lines(criteria: Criteria):
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise(value) for value in values])
        return buffer.getvalue()

    yield "\ufeff" + line(CSV_COLUMNS)
    rows = record_entries(criteria).iterator(chunk_size=EXPORT_BATCH)
    while batch := list(islice(rows, EXPORT_BATCH)):
        for entry in present(batch):
            yield line(
                [
                    timezone.localtime(entry.at).isoformat(timespec="seconds"),
                    entry.person,
                    entry.action,
                    entry.record,
                    entry.child,
                    entry.details,
                ]
            )


@login_required
@require_GET
def records_csv(request):
    """Every row of the search (no paging), as CSV; the download is itself recorded."""
    form, criteria, _ = _search(request)
    if criteria is None:
        return render(
            request,
            "governance/records.html",
            {"form": form, "page": None, "filtering": True, "default_days": DEFAULT_DAYS},
            status=400,
        )
    RecordSearch.objects.create(user=request.user, criteria=criteria.describe(), exported=True)
    response = StreamingHttpResponse(_csv_lines(criteria), content_type=CSV_TYPE)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="records-{stamp}.csv"'
    return response


@login_required
@require_GET
def subject_access(request):
    """Everything held about the child named by ``child`` (a case reference), as a zip
    of JSON and a PDF, for a subject access request; the export is recorded."""
    if not request.user.has_perm("governance.export_subject_access"):
        raise PermissionDenied
    reference = request.GET.get("child", "").strip()
    if not reference:
        return redirect("governance:records")  # choose the child there first
    child = child_with_reference(reference)
    if child is None:
        raise Http404
    data = subject_access_zip(child=child, user=request.user)
    response = HttpResponse(data, content_type=ZIP_TYPE)
    stamp = timezone.localdate().isoformat()
    name = f"subject-access-{slugify(child.case_reference)}-{stamp}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
