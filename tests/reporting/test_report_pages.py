"""The QA reports' pages: the list and "Generate a report", a run's progress, a report's
page with its versions and what changed, the QA Lead's text and publishing. Alice heads
service area A and reads its published reports only; the leader reads every published
report; the QA Lead and the Administrator manage them all; nobody else sees any."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from common.dates import quarter
from outbox.models import OutboxEmail
from reporting import forms as report_forms
from reporting import narrative, services
from reporting.models import Report, ReportKind, ReportRun, ReportStatus, ReportVersion, RunStatus
from tests.factories import TeamFactory, UserFactory

from .conftest import INAD, RI, G, audit

pytestmark = pytest.mark.django_db

Q1 = quarter(2026, 1)
OUTSIDERS = ["auditor", "team_manager", "moderator", "ambassador", "no_role"]


# Reading tables back out of the page ------------------------------------------------


class _Tables(HTMLParser):
    """Every <table> with a data-testid, as rows of cell texts (header cells included)."""

    def __init__(self):
        super().__init__()
        self.tables, self._current, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("data-testid"):
            self._current = self.tables.setdefault(attrs["data-testid"], [])
        elif tag == "tr" and self._current is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._current = None
        elif tag == "tr" and self._row is not None:
            self._current.append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(response) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def row(table: list[list[str]], header: str) -> list[str]:
    return next(r for r in table if r and r[0] == header)


# Fixtures -----------------------------------------------------------------------------


def _published(report, by):
    version, _ = services.generate(report)
    return services.publish(version, by)


@pytest.fixture
def reports(org, audits):
    """The whole organisation's Q1 report, published, with a newer draft (version 2, after
    a late return); area A's, published; area B's, published; and area A's annual report,
    a draft only. A run of the QA Lead's that generated the first."""
    qa = org.users["qa_lead"]
    whole = services.report_for(ReportKind.QUARTERLY, Q1)
    run = services.start_run(whole, qa)
    services.run(run.pk)
    services.publish(whole.versions.get(), qa)
    late = audit(org, audits["A"].template, G, completed=datetime.date(2026, 6, 20))
    late.submitted_at = timezone.now() + datetime.timedelta(seconds=1)
    late.save(update_fields=["submitted_at"])
    services.generate(whole)
    area_a = services.report_for(ReportKind.QUARTERLY, Q1, org.area_a)
    area_b = services.report_for(ReportKind.QUARTERLY, Q1, org.area_b)
    _published(area_a, qa)
    _published(area_b, qa)
    draft_only = services.report_for(
        ReportKind.ANNUAL, services.parse_period("annual", "2026-27"), org.area_a
    )
    services.generate(draft_only)
    return {
        "whole": whole,
        "area_a": area_a,
        "area_b": area_b,
        "draft_only": draft_only,
        "run": run,
        "late": late,
    }


def _urls(reports) -> dict[str, str]:
    whole, run = reports["whole"], reports["run"]
    return {
        "list": reverse("reporting:reports"),
        "run": reverse("reporting:run", args=[run.pk]),
        "run_status": reverse("reporting:run_status", args=[run.pk]),
        "whole": reverse("reporting:report", args=[whole.pk]),
        "whole_draft": reverse("reporting:report", args=[whole.pk]) + "?version=2",
        "area_a": reverse("reporting:report", args=[reports["area_a"].pk]),
        "area_b": reverse("reporting:report", args=[reports["area_b"].pk]),
        "draft_only": reverse("reporting:report", args=[reports["draft_only"].pk]),
        "edit": reverse("reporting:report_edit", args=[whole.pk, 2]),
        "publish": reverse("reporting:report_publish", args=[whole.pk, 2]),
        "edit_published": reverse("reporting:report_edit", args=[reports["area_a"].pk, 1]),
    }


# Who may open what ----------------------------------------------------------------------

EXPECTED = {
    # the QA team: everything
    "qa_lead": dict.fromkeys(
        [
            "list",
            "run",
            "run_status",
            "whole",
            "whole_draft",
            "area_a",
            "area_b",
            "draft_only",
            "edit",
            "publish",
        ],
        200,
    )
    | {"edit_published": 302},
    # published versions of every report; nothing to manage
    "leader": {
        "list": 200,
        "run": 404,
        "run_status": 404,
        "whole": 200,
        "whole_draft": 404,
        "area_a": 200,
        "area_b": 200,
        "draft_only": 404,
        "edit": 404,
        "publish": 404,
        "edit_published": 403,
    },
    # her own area's published reports only
    "head_of_service": {
        "list": 200,
        "run": 404,
        "run_status": 404,
        "whole": 404,
        "whole_draft": 404,
        "area_a": 200,
        "area_b": 404,
        "draft_only": 404,
        "edit": 404,
        "publish": 404,
        "edit_published": 403,
    },
}
EXPECTED["administrator"] = EXPECTED["qa_lead"]
for _who in OUTSIDERS:
    EXPECTED[_who] = dict.fromkeys(EXPECTED["leader"], 404) | {"list": 403}
# an Ambassador opens only their reviews: every other page is not found
EXPECTED["ambassador"]["list"] = 404


def test_who_may_open_each_page(client, org, reports):
    """Every role against every page, with the report's one set of data (generating it
    is the slow part)."""
    urls = _urls(reports)
    answers = {}
    for who in EXPECTED:
        client.force_login(org.users[who])
        answers[who] = {name: client.get(url).status_code for name, url in urls.items()}
    assert answers == EXPECTED


def test_only_the_qa_team_may_generate_regenerate_edit_or_publish(client, org, reports):
    whole, area_a = reports["whole"], reports["area_a"]
    answers = {}
    for who in ["leader", "head_of_service", *OUTSIDERS]:
        client.force_login(org.users[who])
        answers[who] = [
            client.post(reverse("reporting:report_regenerate", args=[area_a.pk])).status_code,
            client.post(reverse("reporting:reports"), {"kind": "quarterly"}).status_code,
            client.post(
                reverse("reporting:report_edit", args=[whole.pk, 2]),
                {"strengths": "x", "lock_version": 0},
            ).status_code,
            client.post(reverse("reporting:report_publish", args=[whole.pk, 2])).status_code,
        ]
    # regenerate, generate, edit the draft, publish the draft
    assert answers == {
        "leader": [403, 403, 404, 404],
        "head_of_service": [403, 403, 404, 404],
        "auditor": [404, 403, 404, 404],
        "team_manager": [404, 403, 404, 404],
        "moderator": [404, 403, 404, 404],
        "ambassador": [404, 404, 404, 404],
        "no_role": [404, 403, 404, 404],
    }
    assert ReportRun.objects.count() == 1
    assert ReportVersion.objects.filter(status=ReportStatus.PUBLISHED).count() == 3
    assert not ReportVersion.objects.filter(strengths="x").exists()


def test_signed_out_people_are_sent_to_sign_in(client, reports):
    urls = _urls(reports)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name
    response = client.post(reverse("reporting:report_regenerate", args=[reports["whole"].pk]))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_wrong_method_is_refused(client, org, reports):
    client.force_login(org.users["qa_lead"])
    whole = reports["whole"]
    assert client.get(reverse("reporting:report_regenerate", args=[whole.pk])).status_code == 405
    assert client.post(_urls(reports)["run_status"]).status_code == 405
    assert client.post(_urls(reports)["whole"]).status_code == 405


def test_a_report_or_run_that_does_not_exist_is_not_found(client, org, reports):
    client.force_login(org.users["qa_lead"])
    for url in (
        reverse("reporting:report", args=[999]),
        reverse("reporting:report", args=[reports["whole"].pk]) + "?version=9",
        reverse("reporting:report", args=[reports["whole"].pk]) + "?version=x",
        reverse("reporting:run", args=[999]),
        reverse("reporting:report_edit", args=[reports["whole"].pk, 9]),
    ):
        assert client.get(url).status_code == 404, url


# The list ---------------------------------------------------------------------------


def test_the_list_shows_each_readable_report_with_its_latest_version(client, org, reports):
    client.force_login(org.users["qa_lead"])
    listed = tables(client.get(reverse("reporting:reports")))["report-list"]
    whole = row(listed, "Quarterly report Q1 2026/27")
    assert whole[1:3] == ["Whole organisation", "Version 2 Draft"]
    assert len(listed) == 1 + 4
    client.force_login(org.users["leader"])
    listed = tables(client.get(reverse("reporting:reports")))["report-list"]
    assert row(listed, "Quarterly report Q1 2026/27")[2] == "Version 1 Published"
    assert len(listed) == 1 + 3  # the annual draft is not listed
    client.force_login(org.users["head_of_service"])
    listed = tables(client.get(reverse("reporting:reports")))["report-list"]
    assert [r[1] for r in listed[1:]] == ["Safeguarding"]


def test_the_list_filters_by_kind(client, org, reports):
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("reporting:reports"), {"kind": "annual"})
    listed = tables(response)["report-list"]
    assert [r[0] for r in listed[1:]] == ["Annual report 2026/27"]
    assert client.get(reverse("reporting:reports"), {"kind": "nonsense"}).status_code == 200
    client.force_login(org.users["leader"])
    response = client.get(reverse("reporting:reports"), {"kind": "annual"})
    assert "There are no reports of this kind" in response.content.decode()


def test_only_the_qa_team_sees_the_generate_form(client, org, reports):
    client.force_login(org.users["leader"])
    assert "Generate a report" not in client.get(reverse("reporting:reports")).content.decode()
    client.force_login(org.users["qa_lead"])
    assert "Generate a report" in client.get(reverse("reporting:reports")).content.decode()


def test_without_reports_readers_hear_of_the_email_and_the_qa_team_of_generating(client, org):
    readers = "The QA team publishes a report each quarter. You will get an email"
    for who in ("leader", "head_of_service"):
        client.force_login(org.users[who])
        html = client.get(reverse("reporting:reports")).content.decode()
        assert "There are no QA reports for you to read yet." in html
        assert readers in html
        assert 'href="#generate"' not in html
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("reporting:reports")).content.decode()
    assert 'href="#generate">Generate one below</a>' in html
    assert readers not in html


# Generating -------------------------------------------------------------------------


def test_the_quarters_offered_are_those_started_latest_first(org, audits):
    quarters, years = report_forms.period_choices(datetime.date(2026, 12, 5))
    assert quarters[:3] == [
        ("2026-27-Q3", "Q3 2026/27"),
        ("2026-27-Q2", "Q2 2026/27"),
        ("2026-27-Q1", "Q1 2026/27"),
    ]
    assert ("2027-28-Q1", "Q1 2027/28") not in quarters
    assert ("2025-26-Q4", "Q4 2025/26") in quarters  # audit H was allocated in March 2026
    assert years == [("2026-27", "2026/27"), ("2025-26", "2025/26")]
    form = report_forms.GenerateReportForm(today=datetime.date(2026, 12, 5))
    assert form.fields["quarter"].initial == "2026-27-Q2"  # the latest quarter that ended


def test_generating_makes_a_run_that_finishes_and_leads_to_the_version(
    client, org, audits, django_capture_on_commit_callbacks
):
    client.force_login(org.users["qa_lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:reports"),
            {"kind": "quarterly", "quarter": "2026-27-Q1", "scope": str(org.area_a.pk)},
        )
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reporting:run", args=[run.pk]
    )
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.created_version
    assert run.report.service_area == org.area_a and run.report.label == "Q1 2026/27"
    page = client.get(response["Location"]).content.decode()
    assert "Version 1 is ready" in page
    assert "report-run.js" not in page  # finished: nothing to poll
    status = client.get(reverse("reporting:run_status", args=[run.pk])).json()
    assert status["finished"] and status["progress"] == 100
    assert status["url"] == reverse("reporting:report", args=[run.report_id]) + "?version=1"

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            reverse("reporting:reports"),
            {"kind": "quarterly", "quarter": "2026-27-Q1", "scope": str(org.area_a.pk)},
        )
    page = client.get(again["Location"]).content.decode()
    assert "Nothing changed since version 1: the figures are the same" in page
    second = ReportRun.objects.exclude(pk=run.pk).get()
    assert client.get(reverse("reporting:run_status", args=[second.pk])).json()["url"] == (
        reverse("reporting:run", args=[second.pk])
    )
    assert ReportVersion.objects.count() == 1


def test_a_run_in_progress_shows_its_progress_and_polls(client, org, audits):
    report = services.report_for(ReportKind.QUARTERLY, Q1)
    run = services.start_run(report, org.users["qa_lead"])
    ReportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, progress=35, step="Counting each month"
    )
    client.force_login(org.users["qa_lead"])
    page = client.get(reverse("reporting:run", args=[run.pk])).content.decode()
    assert '<progress id="run-progress-bar"' in page and 'value="35"' in page
    assert 'aria-live="polite"' in page and "Counting each month" in page
    assert "report-run.js" in page and ">Refresh</a>" in page
    status = client.get(reverse("reporting:run_status", args=[run.pk]))
    assert "no-store" in status["Cache-Control"]
    assert status.json() | {"url": None} == {
        "status": "running",
        "status_label": "Running",
        "progress": 35,
        "step": "Counting each month",
        "finished": False,
        "created_version": False,
        "version": None,
        "url": None,
    }


def test_a_failed_run_says_why(client, org, audits, monkeypatch):
    report = services.report_for(ReportKind.QUARTERLY, Q1)
    run = services.start_run(report, org.users["qa_lead"])

    def broken(*args, **kwargs):
        raise RuntimeError("The database went away")

    monkeypatch.setattr(services, "report_figures", broken)
    with pytest.raises(RuntimeError):
        services.run(run.pk)
    client.force_login(org.users["qa_lead"])
    page = client.get(reverse("reporting:run", args=[run.pk])).content.decode()
    assert "The report was not generated" in page and "The database went away" in page
    assert client.get(reverse("reporting:run_status", args=[run.pk])).json()["url"] == reverse(
        "reporting:run", args=[run.pk]
    )


def test_a_failure_in_the_worker_still_leads_to_the_run_page(
    client, org, audits, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        services, "report_figures", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("No"))
    )
    client.force_login(org.users["qa_lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:reports"), {"kind": "annual", "year": "2026-27", "scope": ""}
        )
    run = ReportRun.objects.get()
    assert response["Location"] == reverse("reporting:run", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error == "RuntimeError: No"


def _generate(client, data):
    return client.post(reverse("reporting:reports"), data)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "kind", report_forms.CHOOSE_KIND),
        ({"kind": "monthly"}, "kind", report_forms.CHOOSE_KIND),
        ({"kind": "quarterly", "quarter": ""}, "quarter", report_forms.CHOOSE_QUARTER),
        (
            {"kind": "quarterly", "quarter": "2099-00-Q1"},
            "quarter",
            report_forms.CHOOSE_QUARTER_LISTED,
        ),
        ({"kind": "annual", "year": "2030-31"}, "year", report_forms.CHOOSE_YEAR_LISTED),
        ({"kind": "range"}, "start", "Enter the start date"),
        (
            {"kind": "range", "start_0": "1", "start_1": "6", "start_2": "2026"},
            "end",
            "Enter the end date",
        ),
        (
            {
                "kind": "range",
                "start_0": "1",
                "start_1": "6",
                "start_2": "2026",
                "end_0": "31",
                "end_1": "5",
                "end_2": "2026",
            },
            "end",
            "The end date must be on or after the start date.",
        ),
        (
            {
                "kind": "range",
                "start_0": "1",
                "start_1": "4",
                "start_2": "2020",
                "end_0": "30",
                "end_1": "9",
                "end_2": "2026",
            },
            "end",
            "A report covers at most three years.",
        ),
        (
            {
                "kind": "range",
                "start_0": "1",
                "start_1": "1",
                "start_2": "2099",
                "end_0": "31",
                "end_1": "3",
                "end_2": "2099",
            },
            "end",
            "1 January 2099 to 31 March 2099 has not started yet: there is nothing to report.",
        ),
        (
            {"kind": "range", "start_0": "31", "start_1": "2", "start_2": "2026"},
            "start",
            "The start date must be a real date",
        ),
        (
            {"kind": "quarterly", "quarter": "2026-27-Q1", "scope": "999"},
            "scope",
            report_forms.CHOOSE_SCOPE,
        ),
    ],
)
def test_bad_input_says_what_is_wrong_and_changes_nothing(client, org, data, field, message):
    client.force_login(org.users["qa_lead"])
    response = _generate(client, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert message in response.content.decode().replace("&#x27;", "'")
    assert "Error: QA reports" in response.content.decode()
    assert not Report.objects.exists() and not ReportRun.objects.exists()


def test_fields_of_another_kind_are_ignored(client, org, audits):
    client.force_login(org.users["qa_lead"])
    response = _generate(
        client,
        {"kind": "annual", "year": "2026-27", "start_0": "99", "quarter": "nonsense"},
    )
    assert response.status_code == 302
    assert Report.objects.get().kind == ReportKind.ANNUAL


def test_a_date_range_report(client, org, audits):
    client.force_login(org.users["qa_lead"])
    response = _generate(
        client,
        {
            "kind": "range",
            "start_0": "1",
            "start_1": "5",
            "start_2": "2026",
            "end_0": "31",
            "end_1": "5",
            "end_2": "2026",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.start, report.end) == (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))
    assert report.label == "1 May 2026 to 31 May 2026"


# The report's page --------------------------------------------------------------------


def _overall(response) -> list[str]:
    return row(tables(response)["table-overall-by-month"], "Total")


def test_the_page_shows_the_stored_figures_and_keeps_them_after_audits_change(
    client, org, template, audits
):
    report = services.report_for(ReportKind.QUARTERLY, Q1)
    version = _published(report, org.users["qa_lead"])
    client.force_login(org.users["leader"])
    url = reverse("reporting:report", args=[report.pk])
    response = client.get(url)
    overall = version.figures["overall"]
    # Month, Outstanding, Good, RI, Inadequate, Audits, Good or better, Inadequate, interval
    assert _overall(response)[:6] == [
        "Total",
        str(overall["Outstanding"]),
        str(overall["Good"]),
        str(overall["Requires Improvement"]),
        str(overall["Inadequate"]),
        "7",
    ]
    months = tables(response)["table-overall-by-month"]
    assert [r[0] for r in months[1:]] == ["April 2026", "May 2026", "June 2026", "Total"]
    assert row(months, "June 2026")[1:6] == ["0", "1", "0", "2", "3"]  # A; K, L

    for grade in (G, G, INAD, RI):
        audit(org, template, grade, completed=datetime.date(2026, 6, 3))
    audits["A"].overall_grade = INAD
    audits["A"].save(update_fields=["overall_grade"])
    again = client.get(url)
    assert _overall(again) == _overall(response)
    assert row(tables(again)["table-overall-by-month"], "June 2026")[1:6] == [
        "0",
        "1",
        "0",
        "2",
        "3",
    ]


def test_every_section_table_and_chart_is_on_the_page(client, org, audits):
    report = services.report_for(ReportKind.QUARTERLY, Q1)
    _published(report, org.users["qa_lead"])
    client.force_login(org.users["leader"])
    response = client.get(reverse("reporting:report", args=[report.pk]))
    html = response.content.decode()
    for section in response.context["sections"]:
        assert f'id="section-{section["key"]}"' in html
        for block in section["blocks"]:
            if block["table"]:
                assert (
                    f'data-testid="table-{block["table"]["key"].lower().replace(" ", "-")}"' in html
                )
            if block["chart"]:
                chart = block["chart"]
                assert f'data-chart="{chart["id"]}"' in html
                assert f'<script id="{chart["id"]}" type="application/json">' in html
                assert chart["summary"] in html
    assert "vendor/plotly/plotly.min.js" in html and "js/dashboard-charts.js" in html
    assert 'class="govuk-table__header govuk-table__header--numeric">Good</th>' in html
    total = html.split('data-testid="table-overall-by-month"')[1].split("</table>")[0]
    assert "govuk-!-font-weight-bold" in total.split("Total")[1]
    assert "<script>" not in html  # the content security policy allows no inline script


def test_the_strengths_are_shown_as_bullets(client, org, audits):
    report = services.report_for(ReportKind.QUARTERLY, Q1)
    version, _ = services.generate(report)
    services.edit_narrative(
        version,
        org.users["qa_lead"],
        lock_version=version.lock_version,
        strengths="- Visits were timely\n- Plans were SMART",
    )
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("reporting:report", args=[report.pk])).content.decode()
    section = html.split('data-testid="section-strengths"')[1].split("</section>")[0]
    assert "<li>Visits were timely</li>" in section and "<li>Plans were SMART</li>" in section


def test_a_draft_says_only_the_qa_team_can_see_it_and_offers_the_controls(client, org, reports):
    client.force_login(org.users["qa_lead"])
    whole = reports["whole"]
    html = client.get(reverse("reporting:report", args=[whole.pk])).content.decode()
    assert "Draft: only the QA team can see it" in html
    assert reverse("reporting:report_edit", args=[whole.pk, 2]) in html
    assert reverse("reporting:report_publish", args=[whole.pk, 2]) in html
    assert reverse("reporting:report_regenerate", args=[whole.pk]) in html
    versions = tables(client.get(reverse("reporting:report", args=[whole.pk])))["versions"]
    assert [r[0] for r in versions[1:]] == ["Version 2 (shown)", "Version 1"]
    assert versions[2][1] == "Published Latest published"


def test_published_versions_show_no_edit_controls(client, org, reports):
    client.force_login(org.users["qa_lead"])
    whole = reports["whole"]
    html = client.get(reverse("reporting:report", args=[whole.pk]), {"version": 1}).content.decode()
    assert "Edit the text" not in html and "/publish/" not in html
    assert "Version 2</a>, a draft, is newer" in html
    response = client.get(reverse("reporting:report_edit", args=[whole.pk, 1]))
    assert response.status_code == 302
    followed = client.get(response["Location"]).content.decode()
    assert "Version 1 is published and cannot change" in followed
    client.force_login(org.users["leader"])
    html = client.get(reverse("reporting:report", args=[whole.pk])).content.decode()
    assert "Edit the text" not in html and "Regenerate" not in html
    assert "Draft" not in html.split("<main")[1].split('id="versions"')[0]


def test_the_page_links_the_versions_downloads(client, org, reports):
    whole = reports["whole"]
    client.force_login(org.users["leader"])
    html = client.get(reverse("reporting:report", args=[whole.pk])).content.decode()
    downloads = html.split('data-testid="downloads"')[1].split("</ul>")[0]
    for fmt in ("docx", "pdf", "xlsx"):
        assert reverse("reporting:report_download", args=[whole.pk, 1, fmt]) in downloads
    assert ">Word<" in downloads and ">PDF<" in downloads and ">Excel<" in downloads


def test_a_reader_of_an_earlier_version_is_told_of_the_newer_one(client, org, reports):
    whole = reports["whole"]
    services.publish(whole.versions.get(number=2), org.users["qa_lead"])
    client.force_login(org.users["leader"])
    html = client.get(reverse("reporting:report", args=[whole.pk]), {"version": 1}).content.decode()
    assert "This is an earlier version." in html
    assert 'href="?version=2">Version 2</a>, published' in html


def test_the_changes_since_the_version_before_name_figures_and_audits(client, org, reports):
    whole, late = reports["whole"], reports["late"]
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("reporting:report", args=[whole.pk]), {"version": 2})
    html = response.content.decode()
    assert "What changed since version 1" in html
    assert "Why: One late return." in html
    changed = tables(response)["changed-figures"]
    assert row(changed, "Good in Q1 2026/27")[1:] == ["1", "2"]
    assert row(changed, "Audits completed in Q1 2026/27")[1:] == ["7", "8"]
    link = f'<a class="govuk-link" href="{reverse("audits:audit_detail", args=[late.pk])}">'
    assert link + late.display_reference + "</a>" in html  # the QA Lead may open it
    services.publish(whole.versions.get(number=2), org.users["qa_lead"])
    client.force_login(org.users["leader"])
    html = client.get(reverse("reporting:report", args=[whole.pk])).content.decode()
    assert late.display_reference in html
    assert link not in html  # the leader may not open audits: plain text


def test_many_changes_show_fifteen_and_fold_the_rest(client, org, template, audits):
    report = services.report_for(ReportKind.QUARTERLY, Q1)
    services.generate(report)
    for month in (4, 5, 6):
        for grade in (G, INAD, RI):
            audit(org, template, grade, completed=datetime.date(2026, month, 3))
    version, created = services.generate(report)
    assert created and len(version.changes["figures"]) > 15
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("reporting:report", args=[report.pk]))
    shown = tables(response)["changed-figures"]
    assert len(shown) == 1 + 15
    html = response.content.decode()
    rest = len(version.changes["figures"]) - 15
    assert f"The other {rest} figures that moved" in html
    assert '<details class="govuk-details" data-testid="more-changes">' in html


def test_the_report_pages_queries_do_not_grow_with_the_report(client, org, template, audits):
    report = services.report_for(ReportKind.QUARTERLY, Q1)
    services.generate(report)
    qa = org.users["qa_lead"]
    client.force_login(qa)
    url = reverse("reporting:report", args=[report.pk])

    def add_late(n):
        teams = [org.team_a, org.team_b, TeamFactory(service_area=org.area_a)]
        made = []
        for i in range(n):
            made.append(
                audit(
                    org,
                    template,
                    [G, RI, INAD][i % 3],
                    team=teams[i % 3],
                    completed=datetime.date(2026, 4 + i % 3, 1 + i % 28),
                )
            )
        for each in made:
            each.submitted_at = timezone.now() + datetime.timedelta(seconds=1)
            each.save(update_fields=["submitted_at"])
        services.generate(report)

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    add_late(2)
    small = count()
    add_late(60)
    UserFactory(roles=[Role.LEADER])
    large = count()
    assert len(ReportVersion.objects.get(report=report, number=3).changes["audits"]["late"]) == 60
    assert small == large
    assert small > 3  # it counted the page's own queries


# The QA Lead's text ------------------------------------------------------------------


def test_the_text_page_is_prefilled_and_saves(client, org, reports):
    whole = reports["whole"]
    version = whole.versions.get(number=2)
    client.force_login(org.users["qa_lead"])
    url = reverse("reporting:report_edit", args=[whole.pk, 2])
    form = client.get(url).context["form"]
    assert form.initial["strengths"] == version.strengths
    assert form.initial["lock_version"] == version.lock_version
    response = client.post(
        url,
        {
            "strengths": "- Visits were timely",
            "areas_for_learning": "- Chronologies",
            "our_response": "",
            "lock_version": version.lock_version,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report", args=[whole.pk]) + "?version=2"
    version.refresh_from_db()
    assert version.strengths == "- Visits were timely"
    assert version.areas_for_learning == "- Chronologies" and version.our_response == ""
    assert "The text is saved." in client.get(response["Location"]).content.decode()


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, org, reports):
    whole = reports["whole"]
    version = whole.versions.get(number=2)
    opened = version.lock_version
    services.edit_narrative(
        version, org.users["qa_lead"], lock_version=opened, strengths="- Someone else's"
    )
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("reporting:report_edit", args=[whole.pk, 2]),
        {
            "strengths": "- Mine",
            "areas_for_learning": "",
            "our_response": "",
            "lock_version": opened,
        },
    )
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert "Someone else saved this report's text since you opened it" in html
    assert "- Mine</textarea>" in html
    version.refresh_from_db()
    assert version.strengths == "- Someone else's"


def test_the_suggested_text_refills_the_boxes_without_saving(client, org, reports):
    whole = reports["whole"]
    version = whole.versions.get(number=2)
    services.edit_narrative(
        version, org.users["qa_lead"], lock_version=version.lock_version, strengths="- Mine"
    )
    version.refresh_from_db()
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("reporting:report_edit", args=[whole.pk, 2]),
        {
            "strengths": "- Typed",
            "areas_for_learning": "",
            "our_response": "",
            "lock_version": version.lock_version,
            "suggest": "1",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    suggested = narrative.suggested(version.figures)
    assert form.initial["strengths"] == suggested["strengths"] != ""
    assert form.initial["lock_version"] == version.lock_version
    version.refresh_from_db()
    assert version.strengths == "- Mine"


def test_text_longer_than_the_limit_is_refused(client, org, reports):
    whole = reports["whole"]
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("reporting:report_edit", args=[whole.pk, 2]),
        {"strengths": "x" * 20_001, "lock_version": 0},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["strengths"] == [
        "The strengths must be 20,000 characters or fewer"
    ]


# Publishing --------------------------------------------------------------------------


def test_publishing_says_who_will_be_emailed_and_emails_each_once(
    client, org, reports, django_capture_on_commit_callbacks
):
    whole = reports["whole"]
    client.force_login(org.users["qa_lead"])
    url = reverse("reporting:report_publish", args=[whole.pk, 2])
    response = client.get(url)
    people = tables(response)["recipients"]
    leader, alice, bea = (org.users[w] for w in ("leader", "head_of_service", "outside_head"))
    assert sorted(people[1:]) == sorted(
        [
            [leader.get_full_name(), "Leader"],
            [alice.get_full_name(), "Head of Service, Safeguarding"],
            [bea.get_full_name(), "Head of Service, Children in Care"],
        ]
    )
    assert "3 people will get one email each" in response.content.decode()
    mail.outbox.clear()
    before = OutboxEmail.objects.filter(template="report-published").count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
        client.post(url)  # twice: the second changes nothing
    assert response["Location"] == reverse("reporting:report", args=[whole.pk]) + "?version=2"
    emails = OutboxEmail.objects.filter(template="report-published")
    assert emails.count() - before == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted([leader.email, alice.email, bea.email])
    assert ReportVersion.objects.get(report=whole, number=2).status == ReportStatus.PUBLISHED
    html = client.get(response["Location"]).content.decode()
    assert "Version 2 is published. 3 people are being emailed a link to it." in html
    assert "Edit the text" not in html


def test_an_area_report_is_emailed_to_leaders_and_its_head(client, org, audits):
    report = services.report_for(ReportKind.QUARTERLY, Q1, org.area_b)
    services.generate(report)
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("reporting:report_publish", args=[report.pk, 1]))
    names = [r[0] for r in tables(response)["recipients"][1:]]
    assert sorted(names) == sorted(
        [org.users["leader"].get_full_name(), org.users["outside_head"].get_full_name()]
    )


def test_only_the_latest_draft_is_edited_or_published(client, org, template, audits):
    report = services.report_for(ReportKind.QUARTERLY, Q1)
    services.generate(report)
    audit(org, template, G, completed=datetime.date(2026, 5, 4))
    services.generate(report)
    client.force_login(org.users["qa_lead"])
    response = client.post(reverse("reporting:report_publish", args=[report.pk, 1]))
    assert response.status_code == 302
    assert "version 2 is" in client.get(response["Location"]).content.decode()
    assert not ReportVersion.objects.filter(status=ReportStatus.PUBLISHED).exists()


# Regenerating -------------------------------------------------------------------------


def test_regenerating_starts_a_run_for_the_same_report(
    client, org, template, reports, django_capture_on_commit_callbacks
):
    area_a = reports["area_a"]
    client.force_login(org.users["qa_lead"])
    regenerate = reverse("reporting:report_regenerate", args=[area_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(regenerate)
    run = ReportRun.objects.latest("pk")
    assert run.report == area_a and response["Location"] == reverse("reporting:run", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and not run.created_version  # the same audits
    audit(org, template, INAD, completed=datetime.date(2026, 4, 20))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(regenerate)
    run = ReportRun.objects.latest("pk")
    assert run.created_version and run.version.number == 2 and run.report == area_a


# Navigation and home --------------------------------------------------------------------


def test_reports_is_the_current_item_on_the_reports_pages_only(client, org, reports):
    client.force_login(org.users["qa_lead"])
    for url, current in [
        (reverse("reporting:reports"), "Reports"),
        (reverse("reporting:report", args=[reports["whole"].pk]), "Reports"),
        (reverse("reporting:run", args=[reports["run"].pk]), "Reports"),
        (reverse("reporting:dashboard"), "Dashboard"),
        (reverse("reporting:performance"), "Dashboard"),
        (reverse("reporting:targets"), "Dashboard"),
    ]:
        items = client.get(url).context["nav_items"]
        assert [i["label"] for i in items if i["current"]] == [current], url


def test_the_leaders_and_heads_home_shows_the_latest_published_report(client, org, reports):
    client.force_login(org.users["leader"])
    html = client.get("/").content.decode()
    assert "QA reports" in html
    latest = Report.objects.filter(versions__status=ReportStatus.PUBLISHED).order_by(
        "-versions__published_at"
    )[0]
    assert f'href="{reverse("reporting:report", args=[latest.pk])}"' in html
    client.force_login(org.users["head_of_service"])
    html = client.get("/").content.decode()
    area_a = reports["area_a"]
    assert f'href="{reverse("reporting:report", args=[area_a.pk])}"' in html
    assert "Quarterly QA report Q1 2026/27, Safeguarding: published" in html
    client.force_login(org.users["auditor"])
    assert "QA reports" not in client.get("/").content.decode().split("<main")[1]


def test_the_qa_leads_home_lists_drafts_waiting_to_be_published(client, org, reports):
    client.force_login(org.users["qa_lead"])
    html = client.get("/").content.decode()
    assert "QA reports waiting to be published" in html
    whole, annual = reports["whole"], reports["draft_only"]
    assert f'href="{reverse("reporting:report", args=[whole.pk])}?version=2"' in html
    assert f'href="{reverse("reporting:report", args=[annual.pk])}?version=1"' in html
    area_a = reports["area_a"]
    assert f'href="{reverse("reporting:report", args=[area_a.pk])}?version=1"' not in html
