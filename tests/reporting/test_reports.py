"""QA reports: stored, versioned snapshots of the figures, generated once per change of
data, published with one email per leader and Head of Service."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from audits.models import AuditStatus
from common.dates import financial_year, quarter
from outbox.models import OutboxEmail
from reporting import services
from reporting.models import Report, ReportKind, ReportStatus, ReportVersion
from reporting.selectors import Slice, summary
from reporting.selectors.reports import reports_visible_to

from .conftest import INAD, G, audit

Q1 = quarter(2026, 1)


@pytest.fixture
def q1_report(org):
    return services.report_for(ReportKind.QUARTERLY, Q1)


def _json(value):
    return json.loads(json.dumps(value, default=str))


def test_report_figures_equal_the_summary_selector_for_the_same_period(audits, q1_report):
    version, created = services.generate(q1_report)
    assert created and version.number == 1 and version.status == ReportStatus.DRAFT
    expected = _json(summary(Slice.of(Q1)))
    for key, value in expected.items():
        assert version.figures[key] == value, key
    assert version.figures["overall"] == {
        "Outstanding": 1,  # D
        "Good": 1,  # A
        "Requires Improvement": 3,  # C, H (moderated from Good), I
        "Inadequate": 2,  # K, L (moderated from Good)
    }


def test_report_sections_by_month_and_quarter_boundaries(audits, q1_report):
    version, _ = services.generate(q1_report)
    months = version.figures["programme"]["by_month"]
    assert list(months) == ["2026-04", "2026-05", "2026-06"]
    # A on 30 June is in June; B on 1 July is in no month of Q1
    assert sum(m["completed"] for m in months.values()) == version.figures["audits"]["completed"]
    assert set(version.figures["domains_by_month"]) == set(months)
    assert version.figures["previous"]["label"] == "Q4 2025/26"
    assert version.figures["report"] == {
        "kind": "quarterly",
        "label": "Q1 2026/27",
        "start": "2026-04-01",
        "end": "2026-06-30",
        "service_area": None,
    }
    assert [row["measure"] for row in version.figures["performance"]]


def test_generating_twice_with_the_same_data_makes_one_version(audits, q1_report):
    first, created = services.generate(q1_report)
    again, created_again = services.generate(q1_report)
    assert created and not created_again
    assert again.pk == first.pk
    assert ReportVersion.objects.count() == 1


def test_a_published_version_never_changes_and_the_next_says_what_moved_and_why(
    org, template, audits, q1_report
):
    first, _ = services.generate(q1_report)
    services.publish(first, org.users["qa_lead"])
    stored = dict(first.figures)
    late = [
        audit(org, template, G, completed=datetime.date(2026, 6, 12)),
        audit(org, template, G, completed=datetime.date(2026, 6, 30)),
    ]
    for made in late:
        made.submitted_at = timezone.now() + datetime.timedelta(seconds=1)
        made.save(update_fields=["submitted_at"])
    first.refresh_from_db()
    assert first.figures == stored and first.status == ReportStatus.PUBLISHED

    second, created = services.generate(q1_report)
    assert created and second.number == 2 and second.status == ReportStatus.DRAFT
    moved = {change["key"]: change for change in second.changes["figures"]}
    assert moved["overall.Good"]["before"] == 1
    assert moved["overall.Good"]["after"] == 3
    assert moved["overall.Good"]["label"] == "Good in Q1 2026/27"
    assert moved["audits.completed"]["after"] == moved["audits.completed"]["before"] + 2
    assert "overall.Inadequate" not in moved
    assert sorted(second.changes["audits"]["late"]) == sorted(a.display_reference for a in late)
    assert second.changes["reasons"] == "two late returns"
    assert second.changes["from_version"] == 1


def test_an_audit_leaving_the_period_is_named_as_no_longer_counted(audits, q1_report):
    first, _ = services.generate(q1_report)
    returned = audits["A"]
    returned.status = AuditStatus.IN_PROGRESS
    returned.save(update_fields=["status"])
    second, created = services.generate(q1_report)
    assert created
    assert second.changes["audits"]["removed"] == [returned.display_reference]
    assert second.changes["reasons"] == "one audit no longer counted"


def test_the_draft_text_is_prefilled_and_kept_into_the_next_version(
    org, template, audits, q1_report
):
    first, _ = services.generate(q1_report)
    assert "Good or better" in first.strengths
    services.edit_narrative(
        first,
        org.users["qa_lead"],
        lock_version=first.lock_version,
        strengths="- Visits were timely",
    )
    audit(org, template, INAD, completed=datetime.date(2026, 5, 2))
    second, _ = services.generate(q1_report)
    assert second.strengths == "- Visits were timely"


def test_editing_is_refused_when_published_stale_or_not_the_qa_lead(org, audits, q1_report):
    version, _ = services.generate(q1_report)
    with pytest.raises(PermissionDenied):
        services.edit_narrative(version, org.users["leader"], lock_version=0, strengths="x")
    services.edit_narrative(version, org.users["qa_lead"], lock_version=0, strengths="first")
    with pytest.raises(ValidationError, match="Someone else saved"):
        services.edit_narrative(version, org.users["qa_lead"], lock_version=0, strengths="second")
    version.refresh_from_db()
    assert version.strengths == "first"
    services.publish(version, org.users["qa_lead"])
    with pytest.raises(ValidationError, match="published and cannot change"):
        services.edit_narrative(
            version, org.users["qa_lead"], lock_version=version.lock_version, strengths="third"
        )
    with pytest.raises(PermissionDenied):
        services.publish(version, org.users["head_of_service"])


def test_publishing_emails_leaders_and_heads_of_service_once_each_without_figures(
    org, audits, q1_report, django_capture_on_commit_callbacks
):
    version, _ = services.generate(q1_report)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(version, org.users["qa_lead"])
        services.publish(version, org.users["qa_lead"])
    emails = OutboxEmail.objects.filter(template="report-published")
    assert sorted(e.to for e in emails) == sorted(
        ["leader@council.example", "alice@council.example", "bea@council.example"]
    )
    body = emails[0].body_text
    assert f"/reports/{q1_report.pk}/?version=1" in body
    assert "Q1 2026/27" in body
    for reference in (a.display_reference for a in audits.values()):
        assert reference not in body
    assert not any(ch.isdigit() for ch in body.split("QA report for")[0].split("Version 1")[-1])


def test_a_service_area_report_emails_leaders_and_that_area_s_head_only(org, audits):
    report = services.report_for(ReportKind.QUARTERLY, Q1, org.area_a)
    version, _ = services.generate(report)
    services.publish(version, org.users["qa_lead"])
    emails = OutboxEmail.objects.filter(template="report-published")
    assert sorted(e.to for e in emails) == ["alice@council.example", "leader@council.example"]
    assert version.figures["report"]["service_area"] == org.area_a.name
    assert set(version.figures["by_service_area"]) == {org.area_a.name}


def test_who_reads_which_reports(org, audits):
    whole = services.report_for(ReportKind.QUARTERLY, Q1)
    area_a = services.report_for(ReportKind.QUARTERLY, Q1, org.area_a)
    area_b = services.report_for(ReportKind.QUARTERLY, Q1, org.area_b)
    for report in (whole, area_a, area_b):
        services.generate(report)
    services.publish(area_a.versions.get(), org.users["qa_lead"])
    services.publish(whole.versions.get(), org.users["qa_lead"])

    def ids(role):
        return set(reports_visible_to(org.users[role]).values_list("pk", flat=True))

    assert ids("qa_lead") == {whole.pk, area_a.pk, area_b.pk}  # drafts too
    assert ids("administrator") == {whole.pk, area_a.pk, area_b.pk}
    assert ids("leader") == {whole.pk, area_a.pk}  # published only
    assert ids("head_of_service") == {area_a.pk}
    assert ids("outside_head") == set()  # area B's is still a draft
    for role in ("auditor", "moderator", "team_manager", "ambassador", "no_role"):
        assert ids(role) == set(), role
    hos = org.users["head_of_service"]
    assert hos.has_perm("reporting.view_report", area_a)
    assert not hos.has_perm("reporting.view_report", area_b)
    assert not hos.has_perm("reporting.view_report", whole)


@pytest.mark.parametrize(
    ("kind", "text", "start", "end"),
    [
        ("quarterly", "2024-25-Q1", datetime.date(2024, 4, 1), datetime.date(2024, 6, 30)),
        ("quarterly", "2024-25-Q4", datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)),
        ("annual", "2024-25", datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)),
        ("annual", "1999-00", datetime.date(1999, 4, 1), datetime.date(2000, 3, 31)),
    ],
)
def test_period_names(kind, text, start, end):
    period = services.parse_period(kind, text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("quarterly", "2024-25", "write it like 2026-27-Q1"),
        ("quarterly", "2024-25-Q5", "write it like 2026-27-Q1"),
        ("quarterly", "2024-26-Q1", "the second year follows the first, like 2024-25"),
        ("annual", "2024-25-Q1", "write it like 2026-27"),
        ("annual", "2024/25", "write it like 2026-27"),
        ("annual", "", "write it like 2026-27"),
        ("monthly", "2024-25", "quarterly or annual"),
    ],
)
def test_wrong_period_names_say_what_is_wrong(kind, text, message):
    with pytest.raises(services.ReportError, match=message):
        services.parse_period(kind, text)


def test_a_period_not_yet_started_makes_no_report(org):
    future = financial_year(timezone.localdate().year + 1)
    with pytest.raises(services.ReportError, match="has not started yet"):
        services.report_for(ReportKind.ANNUAL, future)
    assert not Report.objects.exists()


def test_annual_report_sets_the_four_quarters_side_by_side(audits):
    report = services.report_for(ReportKind.ANNUAL, financial_year(2026))
    version, _ = services.generate(report)
    quarters = version.figures["quarters"]
    assert list(quarters) == ["Q1 2026/27", "Q2 2026/27", "Q3 2026/27", "Q4 2026/27"]
    q1 = _json(summary(Slice.of(Q1)))
    assert quarters["Q1 2026/27"]["overall"] == q1["overall"]
    assert quarters["Q1 2026/27"]["completed"] == q1["audits"]["completed"]
    assert sum(q["completed"] for q in quarters.values()) == version.figures["audits"]["completed"]


# The command: a public contract ---------------------------------------------------


def _command(*args):
    from io import StringIO

    out = StringIO()
    call_command("generate_report", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_command_prints_the_version_id_last_and_finds_it_again(audits):
    lines = _command("--kind", "quarterly", "--period", "2026-27-Q1")
    version = ReportVersion.objects.get()
    assert lines[-1] == str(version.pk)
    assert "Generated version 1" in lines[0]
    again = _command("--kind", "quarterly", "--period", "2026-27-Q1")
    assert again[-1] == str(version.pk) and "Unchanged since version 1" in again[0]
    assert ReportVersion.objects.count() == 1


def test_command_publishes_for_a_service_area(org, audits):
    lines = _command(
        "--kind", "annual", "--period", "2026-27", "--service-area", "safeguarding", "--publish"
    )
    version = ReportVersion.objects.get(pk=int(lines[-1]))
    assert version.status == ReportStatus.PUBLISHED
    assert version.report.service_area == org.area_a
    assert version.report.kind == ReportKind.ANNUAL


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "quarterly", "--period", "2026-27"], "--period: '2026-27' is not a quarterly"),
        (
            ["--kind", "annual", "--period", "2026-27", "--service-area", "Nowhere"],
            "no service area called 'Nowhere'. The service areas are: Children in Care, Safeg",
        ),
        (["--kind", "annual", "--period", "2099-01"], "second year follows the first"),
        (["--kind", "annual", "--period", "2098-99"], "has not started yet"),
    ],
)
def test_command_refuses_bad_arguments_and_makes_nothing(org, args, message):
    with pytest.raises(CommandError, match=message):
        _command(*args)
    assert not ReportVersion.objects.exists()
    assert not Report.objects.exists()


# The schedule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "days", "owed"),
    [
        # Q1 ends 30 June: ten days after is 10 July, not 9 July
        (datetime.date(2026, 7, 10), 10, ["Q1 2026/27", "2025/26"]),
        (datetime.date(2026, 7, 9), 10, ["Q4 2025/26", "2025/26"]),
        (datetime.date(2026, 7, 1), 0, ["Q1 2026/27", "2025/26"]),
        (datetime.date(2026, 6, 30), 0, ["Q4 2025/26", "2025/26"]),  # not on its last day
        # the year ends 31 March: its report is owed from 10 April
        (datetime.date(2026, 4, 10), 10, ["Q4 2025/26", "2025/26"]),
        (datetime.date(2026, 4, 9), 10, ["Q3 2025/26", "2024/25"]),
    ],
)
def test_the_reports_the_schedule_owes(today, days, owed):
    assert [period.label for _, period in services.due_periods(today, days)] == owed
    assert [kind for kind, _ in services.due_periods(today, days)] == ["quarterly", "annual"]


def test_the_scheduled_task_generates_each_owed_report_once(org, audits, settings):
    from reporting.tasks import generate_due_reports

    settings.REPORT_DAYS_AFTER_PERIOD = 10
    made = generate_due_reports.apply().get()
    # the whole organisation and its two service areas, quarterly and annual
    assert len(made) == 6
    assert Report.objects.count() == 6
    assert generate_due_reports.apply().get() == []
    assert ReportVersion.objects.count() == 6
    assert not ReportVersion.objects.exclude(generated_by=None).exists()
    assert not OutboxEmail.objects.filter(
        template="report-published"
    ).exists()  # drafts: nobody is told until published


def test_a_report_the_schedule_cannot_generate_is_shown_to_the_qa_lead_until_generated(
    org, audits, settings, monkeypatch, client
):
    """One owed report failing leaves the others generated; the failure is a failed run
    "asked for by the schedule" with its reason on the QA Lead's home, and only there,
    until a version of that report is generated after it."""
    from django.db import OperationalError
    from django.urls import reverse

    from reporting.models import ReportRun, RunStatus
    from reporting.tasks import generate_due_reports

    settings.REPORT_DAYS_AFTER_PERIOD = 10
    real_figures = services.report_figures

    def figures_failing_for_area_a(kind, period, *, service_area=None, **kwargs):
        if service_area == org.area_a and kind == ReportKind.QUARTERLY:
            raise OperationalError("canceling statement due to lock timeout\nCONTEXT: row")
        return real_figures(kind, period, service_area=service_area, **kwargs)

    monkeypatch.setattr(services, "report_figures", figures_failing_for_area_a)
    made = generate_due_reports.apply().get()
    assert len(made) == 5
    failed = Report.objects.get(kind=ReportKind.QUARTERLY, service_area=org.area_a)
    assert not failed.versions.exists()
    run = ReportRun.objects.get()
    assert (run.report, run.status, run.requested_by) == (failed, RunStatus.FAILED, None)
    reason = "The database could not be used: canceling statement due to lock timeout"
    assert run.error == reason

    def home_of(person):
        client.force_login(org.users[person])
        return client.get(reverse("home")).content.decode()

    home = home_of("qa_lead")
    assert "QA reports that could not be generated" in home
    assert f"{failed.label}, Safeguarding could not be generated on " in home
    assert reason in home and reverse("reporting:run", args=[run.pk]) in home
    for outsider in ("leader", "head_of_service", "auditor"):
        assert "could not be generated" not in home_of(outsider), outsider
    page = home_of("qa_lead") and client.get(reverse("reporting:run", args=[run.pk]))
    assert "Asked for by the schedule" in page.content.decode()
    assert reason in page.content.decode()

    # Failing again the next day: still one line for the report, the latest.
    generate_due_reports.apply().get()
    assert ReportRun.objects.filter(report=failed).count() == 2
    assert home_of("qa_lead").count(f"{failed.label}, Safeguarding could not be generated") == 1

    # The next day's schedule generates it: the failure is no longer outstanding.
    monkeypatch.setattr(services, "report_figures", real_figures)
    assert len(generate_due_reports.apply().get()) == 1
    assert "could not be generated" not in home_of("qa_lead")


def test_a_failure_is_cleared_by_a_later_run_that_finds_the_same_figures(org, audits, q1_report):
    from reporting.models import ReportRun, RunStatus
    from reporting.selectors.reports import failures_outstanding
    from reporting.tasks import run_report

    services.generate(q1_report)
    failed = services.record_scheduled_failure(q1_report, RuntimeError("No"))
    assert failures_outstanding(10) == [failed]
    again = services.start_run(q1_report, org.users["qa_lead"])
    run_report.apply(args=[again.pk]).get()
    again.refresh_from_db()
    assert again.status == RunStatus.DONE and not again.created_version
    assert failures_outstanding(10) == []
    assert ReportRun.objects.filter(status=RunStatus.FAILED).count() == 1


def test_why_a_generation_failed_is_one_line():
    from django.db import OperationalError

    assert services.describe_failure(OperationalError("deadlock detected\nDETAIL: x")) == (
        "The database could not be used: deadlock detected"
    )
    assert services.describe_failure(MemoryError()) == "MemoryError"
    assert services.describe_failure(ValueError("bad\nmore")) == "ValueError: bad"
    assert len(services.describe_failure(ValueError("x" * 5000))) == 2000


def test_generate_now_runs_with_progress_and_records_the_version(org, audits, q1_report):
    from reporting.models import RunStatus
    from reporting.tasks import run_report

    run = services.start_run(q1_report, org.users["qa_lead"])
    assert run.status == RunStatus.WAITING and run.progress == 0
    version_id = run_report.apply(args=[run.pk]).get()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100 and run.created_version
    assert run.version_id == version_id
    assert run.version.generated_by == org.users["qa_lead"]
    again = services.start_run(q1_report, org.users["qa_lead"])
    run_report.apply(args=[again.pk]).get()
    again.refresh_from_db()
    assert again.version_id == version_id and not again.created_version
    with pytest.raises(PermissionDenied):
        services.start_run(q1_report, org.users["leader"])


def test_generating_does_the_same_number_of_queries_at_two_sizes(org, template, audits):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(report):
        with CaptureQueriesContext(connection) as captured:
            services.generate(report)
        return len(captured)

    report = services.report_for(ReportKind.QUARTERLY, Q1)
    services.generate(report)
    audit(org, template, G, completed=datetime.date(2026, 5, 1))
    small = queries(report)  # 8 audits in the quarter
    for day in range(1, 29):
        audit(org, template, G, completed=datetime.date(2026, 5, day))
        audit(org, template, INAD, completed=datetime.date(2026, 6, day), team=org.team_b)
    large = queries(report)  # 64
    assert report.versions.count() == 3
    assert large == small
