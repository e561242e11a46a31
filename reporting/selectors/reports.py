"""Which QA reports and versions a person may read."""

from __future__ import annotations

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from accounts.permissions import sees_whole_organisation

from ..models import Report, ReportRun, ReportStatus, ReportVersion, RunStatus


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
        # the whole organisation's report before its service areas', on every database
        .order_by("-end", "kind", F("service_area__name").asc(nulls_first=True))
    )


def versions_visible_to(user, report: Report) -> QuerySet[ReportVersion]:
    """The report's versions the user may read, newest first (drafts for managers only).
    The caller has checked ``reporting.view_report`` on the report."""
    versions = report.versions.select_related("generated_by", "published_by")
    if not user.has_perm("reporting.manage_reports"):
        versions = versions.filter(status=ReportStatus.PUBLISHED)
    return versions.order_by("-number")


def readable_versions(user) -> QuerySet[ReportVersion]:
    """Every version the user may read of the reports they may open: drafts for those
    who manage reports only. Scope (a Head of Service's own area) is the caller's, by
    filtering on the reports of ``reports_visible_to``."""
    versions = ReportVersion.objects.all()
    if not user.has_perm("reporting.manage_reports"):
        versions = versions.filter(status=ReportStatus.PUBLISHED)
    return versions


def report_list(user, kind: str | None = None) -> QuerySet[Report]:
    """``reports_visible_to`` with the latest readable version's status, generation and
    publication dates (``latest_status``, ``latest_generated_at``,
    ``latest_published_at``), optionally of one kind. One query."""
    reports = reports_visible_to(user)
    if kind:
        reports = reports.filter(kind=kind)
    latest = readable_versions(user).filter(report=OuterRef("pk")).order_by("-number")
    return reports.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_generated_at=Subquery(latest.values("generated_at")[:1]),
        latest_published_at=Subquery(latest.values("published_at")[:1]),
    )


def drafts_waiting(limit: int) -> list[ReportVersion]:
    """The latest version of each report where it is a draft: what waits to be
    published, oldest first, at most ``limit``. One query."""
    newest = ReportVersion.objects.filter(report=OuterRef("report")).order_by("-number")
    return list(
        ReportVersion.objects.filter(status=ReportStatus.DRAFT)
        .filter(number=Subquery(newest.values("number")[:1]))
        .select_related("report__service_area")
        .order_by("generated_at", "pk")[:limit]
    )


def latest_published(user, limit: int) -> list[Report]:
    """The reports the user may read whose latest version is published, the latest
    published first: for the leader's and Head of Service's home. One query."""
    reports = report_list(user).exclude(latest_published_at=None)
    return list(reports.order_by("-latest_published_at", "-end")[:limit])


def failures_outstanding(limit: int) -> list[ReportRun]:
    """For each report, its latest failed generation (scheduled or asked for), unless the
    report was generated since: by a new version, or by a run that finished well (with
    the same figures). What the QA Lead must see to, newest first, at most ``limit``.
    One query."""
    superseded_by_version = ReportVersion.objects.filter(
        report=OuterRef("report"), generated_at__gte=OuterRef("finished_at")
    )
    superseded_by_run = ReportRun.objects.filter(
        report=OuterRef("report"),
        status=RunStatus.DONE,
        finished_at__gte=OuterRef("finished_at"),
    )
    latest_failure = (
        ReportRun.objects.filter(report=OuterRef("report"), status=RunStatus.FAILED)
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    return list(
        ReportRun.objects.filter(status=RunStatus.FAILED, pk=Subquery(latest_failure))
        .exclude(Exists(superseded_by_version))
        .exclude(Exists(superseded_by_run))
        .select_related("report__service_area")
        .order_by("-finished_at", "-pk")[:limit]
    )
