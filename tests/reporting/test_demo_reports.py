"""The demo council's QA reports: the last four completed quarters and the last completed
financial year, published by the QA Lead, and one quarter whose late return made a
draft version 2 that says so."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import User
from audits.models import Audit
from common.dates import financial_year, financial_year_start
from outbox.models import OutboxEmail
from reporting.demo import completed_quarters
from reporting.models import Report, ReportKind, ReportStatus
from reporting.selectors.reports import reports_visible_to

pytestmark = pytest.mark.django_db


def test_completed_quarters_are_the_last_four_ended_before_today():
    labels = [q.label for q in completed_quarters(datetime.date(2026, 12, 5))]
    assert labels == ["Q2 2026/27", "Q1 2026/27", "Q4 2025/26", "Q3 2025/26"]
    labels = [q.label for q in completed_quarters(datetime.date(2026, 7, 1))]
    assert labels == ["Q1 2026/27", "Q4 2025/26", "Q3 2025/26", "Q2 2025/26"]


def _check_the_demos_reports():
    today = timezone.localdate()
    lead = User.objects.get(email=demo_email("qa.lead"))
    quarters = completed_quarters(today)
    year = financial_year(financial_year_start(today) - 1)
    reports = Report.objects.order_by("kind", "-end")
    assert [(r.kind, r.label) for r in reports] == [
        (ReportKind.ANNUAL, year.label),
        *[(ReportKind.QUARTERLY, q.label) for q in quarters],
    ]
    assert not reports.exclude(service_area=None).exists()

    for report in reports:
        first = report.versions.get(number=1)
        assert first.status == ReportStatus.PUBLISHED
        assert first.generated_by == lead and first.published_by == lead
        assert first.generated_at <= first.published_at <= timezone.now()
        assert first.generated_at.date() > report.end

    regenerated = [r for r in reports if r.versions.count() == 2]
    assert len(regenerated) == 1
    report = regenerated[0]
    first, second = report.versions.get(number=1), report.versions.get(number=2)
    assert second.status == ReportStatus.DRAFT and second.generated_by == lead
    assert second.changes["reasons"] == "one late return"
    assert second.changes["from_version"] == 1
    [reference] = second.changes["audits"]["late"]
    late = next(a for a in Audit.objects.all() if a.display_reference == reference)
    assert report.start <= late.completed_on <= report.end
    assert first.published_at < late.submitted_at <= timezone.now()
    completed = second.figures["audits"]["completed"]
    assert completed == first.figures["audits"]["completed"] + 1

    # Leaders read the published versions; the QA Lead sees the draft too.
    leader = User.objects.get(email=demo_email("leader"))
    assert {r.latest_number for r in reports_visible_to(leader)} == {1}
    latest = {r.pk: r.latest_number for r in reports_visible_to(lead)}
    assert latest[report.pk] == 2
    published = OutboxEmail.objects.filter(template="report-published")
    assert published.filter(to=leader.email).count() == len(reports)


def test_the_demo_publishes_its_reports_and_a_late_return_makes_a_draft_version_2():
    call_command("seed_demo")
    _check_the_demos_reports()


def test_just_after_a_quarter_the_late_return_goes_to_an_older_quarter():
    """On 3 July the quarter just ended has no room yet for a report, let alone a late
    return after it: the quarter before takes the late return."""
    with time_machine.travel(datetime.datetime(2026, 7, 3, 12, tzinfo=datetime.UTC), tick=False):
        call_command("seed_demo", "--staff", "120", "--children", "300")
        _check_the_demos_reports()
        regenerated = Report.objects.filter(versions__number=2).get()
        assert regenerated.label == "Q4 2025/26"
