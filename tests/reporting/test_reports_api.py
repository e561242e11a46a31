"""GET /api/v1/reports/ and /api/v1/reports/{id}/: who reads which report, the stored
figures (the summary API's, as at generation), versions, filters, bad input, the schema.

In the org fixture Alice heads Safeguarding (area A) and Bea Children in Care (area B).
Q1 2026/27 has a published report for the whole organisation and for each service area;
the annual 2026/27 report has a draft only.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.dates import financial_year, quarter
from reporting import services
from reporting.api_reports import NO_SUCH_REPORT, NOT_ALLOWED, VERSION_INVALID
from reporting.filters import AREA_UNKNOWN
from reporting.models import ReportKind, ReportVersion

from .conftest import G, audit

pytestmark = pytest.mark.django_db

LIST = "/api/v1/reports/"
Q1 = quarter(2026, 1)
Q1_DATES = {"start": "2026-04-01", "end": "2026-06-30"}


def detail(report, **params):
    return f"{LIST}{report.pk}/", params


def get(client, user, url, params=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, params or {})


def stored(report, *, by=None, published_by=None) -> ReportVersion:
    """A version stored as generate() stores one, without computing figures: who reads
    what does not depend on them."""
    latest = report.versions.order_by("-number").first()
    version = ReportVersion.objects.create(
        report=report,
        number=latest.number + 1 if latest else 1,
        generated_at=timezone.now(),
        generated_by=by,
        fingerprint=f"{report.pk}-{latest.number + 1 if latest else 1}",
        figures={"report": {"label": report.label}},
    )
    if published_by is not None:
        version = services.publish(version, published_by)
    return version


@pytest.fixture
def reports(org):
    """Q1: the whole organisation and each service area, published; the year 2026/27:
    a draft only, from the schedule."""
    made = {
        "whole": services.report_for(ReportKind.QUARTERLY, Q1),
        "area_a": services.report_for(ReportKind.QUARTERLY, Q1, org.area_a),
        "area_b": services.report_for(ReportKind.QUARTERLY, Q1, org.area_b),
    }
    for report in made.values():
        stored(report, by=org.users["qa_lead"], published_by=org.users["qa_lead"])
    made["annual"] = services.report_for(ReportKind.ANNUAL, financial_year(2026))
    stored(made["annual"])
    return made


@pytest.fixture
def generated(org, audits):
    """Q1's report for the whole organisation, generated from the audits and published."""
    report = services.report_for(ReportKind.QUARTERLY, Q1)
    version, _ = services.generate(report, by=org.users["qa_lead"])
    services.publish(version, org.users["qa_lead"])
    return report


# Who reads what ---------------------------------------------------------------------------


# (An Ambassador is kept to their own pages by qa_audit.middleware: 404 everywhere else.)
@pytest.mark.parametrize("role", ["auditor", "moderator", "team_manager", "no_role"])
def test_roles_without_reports_are_refused_with_403(client, org, reports, role):
    user = org.users[role]
    listing = get(client, user, LIST)
    assert listing.status_code == 403
    assert listing.json()["detail"] == NOT_ALLOWED
    assert get(client, user, *detail(reports["whole"])).status_code == 403


def test_anonymous_callers_are_refused(client, reports):
    assert get(client, None, LIST).status_code in (401, 403)
    assert get(client, None, *detail(reports["whole"])).status_code in (401, 403)


def test_a_head_of_service_reads_their_own_service_areas_reports_only(client, org, reports):
    alice = org.users["head_of_service"]
    listing = get(client, alice, LIST).json()
    assert [r["id"] for r in listing["results"]] == [reports["area_a"].pk]
    assert get(client, alice, *detail(reports["area_a"])).status_code == 200
    for other in ("area_b", "whole", "annual"):
        response = get(client, alice, *detail(reports[other]))
        assert response.status_code == 404, other
        assert response.json() == {"detail": NO_SUCH_REPORT}


def test_a_leader_reads_published_reports_and_not_a_draft(client, org, reports):
    leader = org.users["leader"]
    listing = get(client, leader, LIST).json()
    assert {r["id"] for r in listing["results"]} == {
        reports[k].pk for k in ("whole", "area_a", "area_b")
    }
    assert {r["status"] for r in listing["results"]} == {"published"}
    assert get(client, leader, *detail(reports["whole"])).status_code == 200
    assert get(client, leader, *detail(reports["annual"])).status_code == 404


@pytest.mark.parametrize("role", ["qa_lead", "administrator"])
def test_the_qa_lead_and_administrators_read_drafts_too(client, org, reports, role):
    user = org.users[role]
    listing = get(client, user, LIST).json()
    assert listing["count"] == 4
    annual = next(r for r in listing["results"] if r["kind"] == "annual")
    assert annual["status"] == "draft" and annual["published_at"] is None
    assert annual["generated_by"] is None  # the schedule's way: nobody
    response = get(client, user, *detail(reports["annual"]))
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


# What a report says -------------------------------------------------------------------------


def test_the_detail_of_a_report(client, org, generated):
    report = generated
    version = report.versions.get()
    data = get(client, org.users["leader"], *detail(report)).json()
    assert data["id"] == report.pk
    assert data["kind"] == "quarterly"
    assert data["label"] == "Q1 2026/27"
    assert data["service_area"] is None
    assert data["period"] == {"start": "2026-04-01", "end": "2026-06-30"}
    assert data["version"] == 1
    assert data["status"] == "published"
    assert data["generated_by"] == str(org.users["qa_lead"])
    assert data["generated_at"] and data["published_at"]
    assert data["figures"] == version.figures
    assert data["changes"] == {}
    assert data["versions"] == [
        {"version": 1, "status": "published", "generated_at": data["generated_at"]}
    ]
    assert set(data["downloads"]) == {"docx", "pdf", "xlsx"}
    assert all(url.startswith("http://testserver/") for url in data["downloads"].values())
    area = services.report_for(ReportKind.QUARTERLY, Q1, org.area_a)
    stored(area, published_by=org.users["qa_lead"])
    assert get(client, org.users["leader"], *detail(area)).json()["service_area"] == "Safeguarding"


@pytest.mark.parametrize(("who", "area"), [("leader", None), ("head_of_service", "area_a")])
def test_the_figures_are_the_summary_apis_for_the_same_period_at_generation(
    client, org, audits, who, area
):
    """Every key and value the summary API gives for the period and scope, answered just
    before the report was generated, is in the report's figures unchanged."""
    user = org.users[who]
    scope = getattr(org, area) if area else None
    params = dict(Q1_DATES, **({"service_area": scope.name} if scope else {}))
    summary = get(client, user, "/api/v1/reports/summary/", params).json()
    report = services.report_for(ReportKind.QUARTERLY, Q1, scope)
    version, _ = services.generate(report)
    services.publish(version, org.users["qa_lead"])

    figures = get(client, user, *detail(report)).json()["figures"]
    assert set(summary) <= set(figures)
    for key, value in summary.items():
        assert figures[key] == value, key
    assert {"report", "programme", "domains_by_month", "previous", "performance"} <= set(figures)


def test_an_older_version_reads_as_it_was_after_a_regeneration(client, org, template, generated):
    report = generated
    first = report.versions.get()
    late = audit(org, template, G, completed=datetime.date(2026, 6, 12))
    late.submitted_at = timezone.now() + datetime.timedelta(seconds=1)
    late.save(update_fields=["submitted_at"])
    second, created = services.generate(report, by=org.users["qa_lead"])
    assert created

    lead = org.users["qa_lead"]
    latest = get(client, lead, *detail(report)).json()
    assert latest["version"] == 2 and latest["status"] == "draft"
    assert latest["figures"]["audits"]["completed"] == first.figures["audits"]["completed"] + 1
    assert latest["changes"]["reasons"] == "one late return"
    assert latest["changes"]["audits"]["late"] == [late.display_reference]
    assert [v["version"] for v in latest["versions"]] == [2, 1]
    assert [v["status"] for v in latest["versions"]] == ["draft", "published"]

    old = get(client, lead, *detail(report, version=1)).json()
    assert old["version"] == 1 and old["status"] == "published"
    assert old["figures"] == first.figures
    assert old["changes"] == {}
    assert old["downloads"] != latest["downloads"]

    # A leader reads the published version only, until the draft is published.
    leader = org.users["leader"]
    assert get(client, leader, *detail(report)).json()["version"] == 1
    assert [v["version"] for v in get(client, leader, *detail(report)).json()["versions"]] == [1]
    assert get(client, leader, *detail(report, version=2)).status_code == 404
    listed = get(client, lead, LIST, {"kind": "quarterly"}).json()["results"]
    whole = next(r for r in listed if r["id"] == report.pk)
    assert (whole["version"], whole["status"]) == (2, "draft")


# Filters and pages --------------------------------------------------------------------------


def _ids(response):
    assert response.status_code == 200, response.content
    return {r["id"] for r in response.json()["results"]}


def test_the_list_is_filtered_by_kind_service_area_and_status(client, org, reports):
    lead = org.users["qa_lead"]
    assert _ids(get(client, lead, LIST, {"kind": "annual"})) == {reports["annual"].pk}
    assert _ids(get(client, lead, LIST, {"service_area": "safeguarding"})) == {reports["area_a"].pk}
    assert _ids(get(client, lead, LIST, {"service_area": org.area_b.pk})) == {reports["area_b"].pk}
    assert _ids(get(client, lead, LIST, {"status": "draft"})) == {reports["annual"].pk}
    assert len(_ids(get(client, lead, LIST, {"status": "published"}))) == 3
    # another service area than a Head of Service's own: nothing, not an error
    assert (
        _ids(get(client, org.users["head_of_service"], LIST, {"service_area": "Children in Care"}))
        == set()
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"service_area": "Nowhere"}, "service_area"),
        ({"kind": "monthly"}, "kind"),
        ({"status": "final"}, "status"),
    ],
)
def test_a_wrong_filter_is_a_400_with_a_message(client, org, reports, params, field):
    response = get(client, org.users["qa_lead"], LIST, params)
    assert response.status_code == 400
    assert response.json()[field]
    if field == "service_area":
        assert response.json()[field] == [AREA_UNKNOWN]


def test_the_list_is_paginated_newest_first(client, org, reports):
    lead = org.users["qa_lead"]
    first = get(client, lead, LIST, {"page_size": 2}).json()
    assert first["count"] == 4 and len(first["results"]) == 2 and first["next"]
    second = get(client, lead, LIST, {"page_size": 2, "page": 2}).json()
    labels = [r["label"] for r in first["results"] + second["results"]]
    # the year ends last, so it comes first; then Q1, the whole organisation first
    assert labels == ["2026/27", "Q1 2026/27", "Q1 2026/27", "Q1 2026/27"]
    assert first["results"][1]["service_area"] is None
    item = first["results"][0]
    assert set(item) == {
        "id",
        "kind",
        "label",
        "service_area",
        "period",
        "version",
        "status",
        "generated_at",
        "generated_by",
        "published_at",
        "url",
    }
    assert item["url"] == f"http://testserver{LIST}{item['id']}/"


def test_the_list_reads_the_same_number_of_queries_for_more_reports(client, org, reports):
    lead = org.users["qa_lead"]
    client.force_login(lead)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    few = queries()
    for number in (2, 3, 4):
        stored(services.report_for(ReportKind.QUARTERLY, quarter(2025, number)))
    assert queries() == few


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "99999999999999999999", "²"])
def test_a_wrong_version_is_a_400_with_a_message(client, org, reports, value):
    response = get(client, org.users["qa_lead"], *detail(reports["whole"], version=value))
    assert response.status_code == 400
    assert response.json() == {"version": [VERSION_INVALID]}


def test_a_version_that_does_not_exist_is_a_404(client, org, reports):
    response = get(client, org.users["qa_lead"], *detail(reports["whole"], version=7))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("pk", ["999999", "abc", "99999999999999999999999", "0"])
def test_an_unknown_report_is_a_404_in_json(client, org, reports, pk):
    response = get(client, org.users["qa_lead"], f"{LIST}{pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": NO_SUCH_REPORT}


def test_the_summary_keeps_its_address(client, org, audits, reports):
    response = get(client, org.users["leader"], "/api/v1/reports/summary/", Q1_DATES)
    assert response.status_code == 200
    assert response.json()["audits"]["completed"] == 7


# The schema ---------------------------------------------------------------------------------


def test_the_openapi_schema_describes_the_reports(client, org):
    client.force_login(org.users["leader"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    listing = schema["paths"]["/api/v1/reports/"]["get"]
    assert {"kind", "service_area", "status", "page", "page_size"} <= {
        p["name"] for p in listing["parameters"]
    }
    assert {"200", "400", "403"} <= set(listing["responses"])
    one = schema["paths"]["/api/v1/reports/{id}/"]["get"]
    assert "version" in {p["name"] for p in one["parameters"]}
    assert {"200", "400", "403", "404"} <= set(one["responses"])
    body = schema["components"]["schemas"]["ReportDetail"]["properties"]
    assert {
        "id",
        "kind",
        "label",
        "service_area",
        "period",
        "version",
        "status",
        "generated_at",
        "generated_by",
        "published_at",
        "figures",
        "changes",
        "versions",
        "downloads",
    } <= set(body)
    summary = schema["paths"]["/api/v1/reports/summary/"]["get"]["responses"]["200"]
    summary_keys = set(summary["content"]["application/json"]["schema"]["properties"])
    assert summary_keys <= set(body["figures"]["properties"])


def test_the_openapi_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/reports/{id}/" in schema
