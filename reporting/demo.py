"""The demo council's QA reports: the last four completed quarters and the last completed
financial year for the whole organisation, each generated and published by the QA Lead
through the services a person uses, and one quarter with a late return after its
publication, regenerated into a draft version 2 that says so.

Each first version is dated as the schedule would have made it (REPORT_DAYS_AFTER_PERIOD
days after its period ended) and published a few days later, so that a late return can
arrive after it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Role, User
from common.dates import Period, financial_year, financial_year_start, quarter_of

from . import services
from .models import Report, ReportKind, ReportVersion

QUARTERS = 4
#: days from a version's generation to its publication, and from that to the late return
PUBLISHED_AFTER_DAYS = 4
LATE_AFTER_DAYS = 7

#: makes an audit completed in the period and submitted at the time given
LateReturn = Callable[[Period, datetime.datetime], object]


@dataclass
class ReportsSummary:
    published: list[ReportVersion] = field(default_factory=list)
    regenerated: ReportVersion | None = None


def completed_quarters(today: datetime.date, count: int = QUARTERS) -> list[Period]:
    """The last ``count`` quarters that ended before ``today``, newest first."""
    quarters = []
    day = quarter_of(today).start
    for _ in range(count):
        day -= datetime.timedelta(days=1)
        quarters.append(quarter_of(day))
        day = quarters[-1].start
    return quarters


def _at(day: datetime.date, today: datetime.date, hour: int) -> datetime.datetime:
    """Working hours on ``day``; now, if that is not yet past."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now()) if day >= today else moment


def _generate_and_publish(
    kind: str, period: Period, lead: User, today: datetime.date
) -> ReportVersion:
    report = services.report_for(kind, period)
    version, _ = services.generate(report, by=lead)
    version = services.publish(version, lead)
    generated_on = period.end + datetime.timedelta(days=settings.REPORT_DAYS_AFTER_PERIOD)
    generated_at = _at(generated_on, today, 9)
    published_at = max(
        _at(generated_on + datetime.timedelta(days=PUBLISHED_AFTER_DAYS), today, 14),
        generated_at,
    )
    Report.objects.filter(pk=report.pk).update(created_at=generated_at)
    ReportVersion.objects.filter(pk=version.pk).update(
        generated_at=generated_at, published_at=published_at
    )
    version.refresh_from_db()
    return version


def seed_reports(today: datetime.date, late_return: LateReturn | None = None) -> ReportsSummary:
    """Publish the reports; then, if ``late_return`` is given, add a late return to the
    newest quarter that has room for one before today, and regenerate its report."""
    lead = User.objects.filter(email=demo_email("qa.lead")).first() or (
        User.objects.filter(role_assignments__role=Role.QA_LEAD).order_by("pk").first()
    )
    summary = ReportsSummary()
    quarters = completed_quarters(today)
    for period in reversed(quarters):
        summary.published.append(_generate_and_publish(ReportKind.QUARTERLY, period, lead, today))
    year = financial_year(financial_year_start(today) - 1)
    summary.published.append(_generate_and_publish(ReportKind.ANNUAL, year, lead, today))

    if late_return is None:
        return summary
    for version in reversed(summary.published[:-1]):  # the quarters, newest first
        late_at = version.published_at + datetime.timedelta(days=LATE_AFTER_DAYS)
        if timezone.localdate(late_at) < today:
            late_return(services.period_of(version.report), late_at)
            summary.regenerated, _ = services.generate(version.report, by=lead)
            break
    return summary


def delete_reports_data() -> None:
    """Remove every report, before the demo's people and service areas go."""
    Report.objects.all().delete()
