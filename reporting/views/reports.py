"""The QA reports: the list, a report's page with its versions, and its downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..models import Report
from ..selectors.reports import reports_visible_to, versions_visible_to


def visible_report(user, pk: int) -> Report:
    """The report, if the user may read it; 404 otherwise (whether it exists or not)."""
    report = get_object_or_404(Report.objects.select_related("service_area"), pk=pk)
    if not user.has_perm("reporting.view_report", report):
        raise Http404
    return report


def chosen_version(request, report: Report):
    """The version asked for (?version=N) or the latest the user may read; 404 if none."""
    versions = versions_visible_to(request.user, report)
    number = request.GET.get("version", "")
    version = versions.filter(number=int(number)).first() if number.isdigit() else versions.first()
    if version is None:
        raise Http404
    return version, versions


@login_required
def report_list(request):
    return render(
        request, "reporting/report_list.html", {"reports": reports_visible_to(request.user)}
    )


@login_required
def report(request, pk: int):
    report = visible_report(request.user, pk)
    version, versions = chosen_version(request, report)
    return render(
        request,
        "reporting/report.html",
        {"report": report, "version": version, "versions": versions, "figures": version.figures},
    )
