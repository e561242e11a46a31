"""Which QA reports and versions a person may read."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet

from accounts.permissions import sees_whole_organisation

from ..models import Report, ReportStatus, ReportVersion


def reports_visible_to(user) -> QuerySet[Report]:
    """Reports the user may open, each with ``latest_number`` (the latest version they may
    read) and ``version_count``: every report for those who manage reports (drafts
    included); published versions only for others; a Head of Service's own service
    area's reports only. Reports with no version the user may read are left out."""
    if not user.is_authenticated or not user.has_perm("reporting.view_reports"):
        return Report.objects.none()
    reports = Report.objects.select_related("service_area")
    if not sees_whole_organisation(user):
        reports = reports.filter(service_area__head_of_service=user)
    readable = Q()
    if not user.has_perm("reporting.manage_reports"):
        readable = Q(versions__status=ReportStatus.PUBLISHED)
    return (
        reports.annotate(
            latest_number=Max("versions__number", filter=readable),
            version_count=Count("versions", filter=readable),
        )
        .filter(latest_number__isnull=False)
        .order_by("-end", "kind", "service_area__name")
    )


def versions_visible_to(user, report: Report) -> QuerySet[ReportVersion]:
    """The report's versions the user may read, newest first (drafts for managers only).
    The caller has checked ``reporting.view_report`` on the report."""
    versions = report.versions.select_related("generated_by", "published_by")
    if not user.has_perm("reporting.manage_reports"):
        versions = versions.filter(status=ReportStatus.PUBLISHED)
    return versions.order_by("-number")
