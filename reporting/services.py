"""Generating, editing and publishing QA reports: the only writes ``reporting`` makes
besides its targets."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import re
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, ServiceArea, User
from common.dates import Period, financial_year, financial_year_start, quarter, quarter_of
from outbox.services import email_plan

from . import changes, narrative
from .models import Report, ReportKind, ReportRun, ReportStatus, ReportVersion, RunStatus
from .selectors.report import report_figures

PERIOD_FORMATS = {
    ReportKind.QUARTERLY: "2026-27-Q1",
    ReportKind.ANNUAL: "2026-27",
}
_QUARTER = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
#: the longest date range a report may cover
MAX_RANGE_DAYS = 3 * 366

logger = logging.getLogger(__name__)


class ReportError(ValueError):
    """A report that cannot be made, with what is wrong in words a person can act on."""


def parse_period(kind: str, text: str) -> Period:
    """ "2024-25-Q1" (quarterly) or "2024-25" (annual): the financial year April to
    March starting in the first year, and its quarter (Q1 is April to June)."""
    text = (text or "").strip()
    pattern = _QUARTER if kind == ReportKind.QUARTERLY else _YEAR
    match = pattern.match(text) if kind in PERIOD_FORMATS else None
    if kind not in PERIOD_FORMATS:
        raise ReportError(f"A report's kind is quarterly or annual, not {kind!r}.")
    if not match:
        raise ReportError(f"{text!r} is not a {kind} period: write it like {PERIOD_FORMATS[kind]}.")
    first, second = int(match.group(1)), int(match.group(2))
    if (first + 1) % 100 != second:
        raise ReportError(
            f"{text!r} is not a financial year: the second year follows the first, "
            f"like {first}-{str(first + 1)[-2:]}."
        )
    if kind == ReportKind.QUARTERLY:
        return quarter(first, int(match.group(3)))
    return financial_year(first)


def range_period(start: datetime.date, end: datetime.date) -> Period:
    if end < start:
        raise ReportError("The end date must be on or after the start date.")
    if (end - start).days > MAX_RANGE_DAYS:
        raise ReportError("A report covers at most three years.")
    return Period(start, end, f"{start:%-d %B %Y} to {end:%-d %B %Y}")


def report_for(kind: str, period: Period, service_area: ServiceArea | None = None) -> Report:
    """The report of this kind, period and scope, made the first time it is asked for."""
    if period.start > timezone.localdate():
        raise ReportError(f"{period.label} has not started yet: there is nothing to report.")
    report, _ = Report.objects.get_or_create(
        kind=kind,
        start=period.start,
        end=period.end,
        service_area=service_area,
        defaults={"label": period.label},
    )
    return report


def period_of(report: Report) -> Period:
    return Period(report.start, report.end, report.label)


def fingerprint(figures: dict) -> str:
    return hashlib.sha256(json.dumps(figures, sort_keys=True).encode()).hexdigest()


def _no_progress(percent: int, step: str) -> None:
    return None


def generate(
    report: Report,
    *,
    by: User | None = None,
    progress: Callable[[int, str], None] = _no_progress,
) -> tuple[ReportVersion, bool]:
    """Compute the report's figures now and store them as a new draft version, or, when
    they equal the latest version's, return that version (created False). Two runs at
    once are made one after the other by a lock on the report. ``by`` None: the
    schedule."""
    figures, basis = report_figures(
        report.kind, period_of(report), service_area=report.service_area, progress=progress
    )
    digest = fingerprint(figures)
    progress(95, "Storing the version")
    with transaction.atomic():
        Report.objects.select_for_update(no_key=True).get(pk=report.pk)
        latest = report.versions.order_by("-number").first()
        if latest is not None and latest.fingerprint == digest:
            return latest, False
        now = timezone.now()
        if latest is None:
            words = narrative.suggested(figures)
            moved = {}
        else:
            words = {
                "strengths": latest.strengths,
                "areas_for_learning": latest.areas_for_learning,
                "our_response": latest.our_response,
            }
            audits = changes.basis_changes(latest.basis, basis, latest.generated_at)
            moved = {
                "from_version": latest.number,
                "figures": changes.figure_changes(latest.figures, figures, report.label),
                "audits": audits,
                "reasons": changes.reasons(audits),
            }
        version = ReportVersion.objects.create(
            report=report,
            number=(latest.number + 1) if latest else 1,
            generated_at=now,
            generated_by=by,
            fingerprint=digest,
            figures=figures,
            basis=basis,
            changes=moved,
            **words,
        )
    progress(100, "Done")
    return version, True


def _check_manager(user: User | None) -> None:
    if user is not None and not user.has_perm("reporting.manage_reports"):
        raise PermissionDenied("Only the QA Lead or an Administrator manages reports.")


def edit_narrative(
    version: ReportVersion, by: User, *, lock_version: int, **words
) -> ReportVersion:
    """Change a draft's strengths, areas for learning and our response. A published
    version never changes; an edit made on an older copy of the page is refused."""
    _check_manager(by)
    fields = {"strengths", "areas_for_learning", "our_response"}
    if set(words) - fields:
        raise ValueError(f"Unknown fields: {sorted(set(words) - fields)}")
    with transaction.atomic():
        locked = ReportVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != ReportStatus.DRAFT:
            raise ValidationError(
                "This version is published and cannot change: generate a new version to "
                "write a different text."
            )
        if locked.lock_version != lock_version:
            raise ValidationError(
                "Someone else saved this report's text since you opened it: reload the page "
                "to see their changes, then make yours again."
            )
        for name, value in words.items():
            setattr(locked, name, value.strip())
        locked.lock_version += 1
        locked._change_reason = "Text edited"
        locked.save(update_fields=[*words, "lock_version"])
    return locked


def recipients(report: Report) -> list[User]:
    """Leaders and the Heads of Service of the report's scope (every Head of Service for
    a whole-organisation report), active, with an email address."""
    people = User.objects.filter(is_active=True).exclude(email="")
    leaders = people.filter(role_assignments__role=Role.LEADER)
    heads = people.filter(role_assignments__role=Role.HEAD_OF_SERVICE)
    if report.service_area_id:
        heads = heads.filter(pk=report.service_area.head_of_service_id)
    return list((leaders | heads).distinct().order_by("pk"))


def publish(version: ReportVersion, by: User | None) -> ReportVersion:
    """Publish a draft: from now on it reads the same forever. Leaders and Heads of
    Service get one email each with a link, and no figures. Publishing twice sends
    nothing more."""
    _check_manager(by)
    with transaction.atomic():
        locked = ReportVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status == ReportStatus.PUBLISHED:
            return locked
        locked.status = ReportStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = by
        locked.lock_version += 1
        locked._change_reason = "Published"
        locked.save(update_fields=["status", "published_at", "published_by", "lock_version"])
        report = locked.report
        path = reverse("reporting:report", args=[report.pk]) + f"?version={locked.number}"
        for person in recipients(report):
            email_plan(
                "report-published",
                [person.email],
                {"report": report, "version": locked, "recipient": person, "path": path},
                key=f"report-published:{locked.pk}:{person.pk}",
                recipient=person,
            )
    return locked


def generate_and_publish(report: Report, *, by: User | None = None, publish_it: bool = False):
    version, created = generate(report, by=by)
    if publish_it:
        version = publish(version, by)
    return version, created


# "Generate now": a run in the worker, with progress for the page ---------------------


def describe_failure(error: BaseException) -> str:
    """Why a generation failed, in a line the QA Lead can pass to an administrator."""
    first_line = (str(error).strip().splitlines() or [""])[0]
    if isinstance(error, DatabaseError):
        return f"The database could not be used: {first_line or type(error).__name__}"[:2000]
    text = f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__
    return text[:2000]


def start_run(report: Report, by: User) -> ReportRun:
    _check_manager(by)
    return ReportRun.objects.create(report=report, requested_by=by)


def run(run_id: int) -> ReportRun:
    """Generate the run's report, writing its progress as it goes (the page reads it)."""
    report_run = ReportRun.objects.select_related("report", "requested_by").get(pk=run_id)
    if report_run.finished:
        return report_run

    def progress(percent: int, step: str) -> None:
        ReportRun.objects.filter(pk=run_id).update(
            status=RunStatus.RUNNING, progress=percent, step=step
        )

    try:
        version, created = generate(
            report_run.report, by=report_run.requested_by, progress=progress
        )
    except Exception as error:
        ReportRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=describe_failure(error), finished_at=timezone.now()
        )
        raise
    ReportRun.objects.filter(pk=run_id).update(
        status=RunStatus.DONE,
        progress=100,
        step="Done",
        version=version,
        created_version=created,
        finished_at=timezone.now(),
    )
    report_run.refresh_from_db()
    return report_run


# The schedule ---------------------------------------------------------------------


def due_periods(today: datetime.date, days_after: int) -> list[tuple[str, Period]]:
    """The reports the schedule owes on ``today``: the latest quarter (and financial
    year) that ended at least ``days_after`` days ago (at least one: a period is not
    reported on its own last day)."""
    owed = []
    last_quarter_end = today - datetime.timedelta(days=max(days_after, 1))
    q = _quarter_ending_by(last_quarter_end)
    owed.append((ReportKind.QUARTERLY, q))
    year = financial_year(financial_year_start(q.start))
    if year.end <= last_quarter_end:
        owed.append((ReportKind.ANNUAL, year))
    else:
        owed.append((ReportKind.ANNUAL, financial_year(year.start.year - 1)))
    return owed


def _quarter_ending_by(day: datetime.date) -> Period:
    current = quarter_of(day)
    if current.end <= day:
        return current
    return quarter_of(current.start - datetime.timedelta(days=1))


def generate_due(today: datetime.date, days_after: int) -> list[tuple[ReportVersion, bool]]:
    """The schedule's work: for each report owed and not yet generated, for the whole
    organisation and each service area, generate its first version. A report already
    generated is left alone (regenerating after late returns is the QA Lead's call)."""
    made = []
    scopes = [None, *ServiceArea.objects.order_by("name")]
    for kind, period in due_periods(today, days_after):
        for area in scopes:
            report = report_for(kind, period, area)
            if report.versions.exists():
                continue
            try:
                made.append(generate(report))
            except Exception as error:  # one report failing does not stop the others
                record_scheduled_failure(report, error)
    return made


def record_scheduled_failure(report: Report, error: BaseException) -> ReportRun:
    """A scheduled generation that failed, as a failed run "asked for by the schedule":
    the QA Lead's home lists it, with the reason, until a version of the report is
    generated after it; the next day's schedule tries again."""
    logger.error("the schedule could not generate %s", report, exc_info=error)
    now = timezone.now()
    return ReportRun.objects.create(
        report=report,
        requested_by=None,
        status=RunStatus.FAILED,
        error=describe_failure(error),
        finished_at=now,
    )
