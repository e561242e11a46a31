"""GET /api/feedback/figures/?start=&end=: read-only, scoped like the pages, a specific
400 for each bad parameter, and a real schema."""

import datetime

import pytest
from django.urls import reverse

from feedback import periods
from feedback.models import Respondent

from .conftest import give, make_audit

pytestmark = pytest.mark.django_db
URL = "/api/feedback/figures/"
Q1 = {"start": "2026-04-01", "end": "2026-06-30"}


@pytest.fixture
def data(org, auditor):
    inside = make_audit(org.team_a, auditor)
    give(inside, respondent=Respondent.MOTHER, given_on=datetime.date(2026, 4, 1))
    outside = make_audit(org.team_b, auditor)
    give(outside, respondent=Respondent.CHILD, given_on=datetime.date(2026, 6, 30))
    give(outside, respondent=Respondent.CHILD, given_on=datetime.date(2026, 7, 1))


def test_the_route_has_its_exact_name():
    assert reverse("feedback-figures-list") == URL


def test_the_qa_lead_gets_every_figure_for_the_whole_organisation(client, org, data):
    client.force_login(org.users["qa_lead"])
    response = client.get(URL, Q1)
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"label": "1 April 2026 to 30 June 2026", **Q1}
    assert body["scope"] == {"service_area": None, "team": None}
    assert body["records"] == 2
    assert body["reach"]["parents_carers"]["audits"] == 2
    assert set(body) == {
        "period",
        "scope",
        "reach",
        "records",
        "given",
        "not_obtained",
        "by_respondent",
        "by_channel",
        "questions",
        "scores",
        "reasons",
        "agreement",
        "quotes",
        "ambassadors",
    }


def test_the_json_suffix_gives_the_same_figures(client, org, data):
    client.force_login(org.users["qa_lead"])
    response = client.get("/api/feedback/figures.json", Q1)
    assert response.status_code == 200
    assert response.json() == client.get(URL, Q1).json()


def test_a_head_of_service_sees_their_own_service_area_only(client, org, data):
    client.force_login(org.users["head_of_service"])
    body = client.get(URL, Q1).json()
    assert body["scope"] == {"service_area": org.area_a.pk, "team": None}
    assert body["records"] == 1
    response = client.get(URL, {**Q1, "service_area": org.area_b.pk})
    assert response.status_code == 400
    assert response.json() == {"service_area": [periods.AREA_UNKNOWN]}
    response = client.get(URL, {**Q1, "team": org.team_b.pk})
    assert response.json() == {"team": [periods.TEAM_UNKNOWN]}


def test_a_team_in_scope_narrows_the_figures(client, org, data):
    client.force_login(org.users["leader"])
    assert client.get(URL, {**Q1, "team": org.team_b.pk}).json()["records"] == 1
    response = client.get(URL, {**Q1, "team": org.team_b.pk, "service_area": org.area_a.pk})
    assert response.json() == {"team": [periods.TEAM_OUTSIDE_AREA]}


@pytest.mark.parametrize(
    "params, errors",
    [
        ({}, {"start": [periods.START_MISSING], "end": [periods.END_MISSING]}),
        ({"start": "2026-04-01"}, {"end": [periods.END_MISSING]}),
        ({"start": "2026-02-30", "end": "2026-06-30"}, {"start": [periods.START_INVALID]}),
        ({"start": "01/04/2026", "end": "2026-06-30"}, {"start": [periods.START_INVALID]}),
        ({"start": "2026-04-01", "end": "99999999999999999999"}, {"end": [periods.END_INVALID]}),
        ({"start": "2026-04-01", "end": "9999-12-31"}, {"end": [periods.END_INVALID]}),
        ({"start": "2026-04-02", "end": "2026-04-01"}, {"end": [periods.END_BEFORE_START]}),
        ({"start": "2020-01-01", "end": "2026-01-01"}, {"end": [periods.PERIOD_TOO_LONG]}),
        ({**Q1, "team": "-1"}, {"team": [periods.TEAM_UNKNOWN]}),
        ({**Q1, "team": "1e308"}, {"team": [periods.TEAM_UNKNOWN]}),
        (
            {**Q1, "service_area": "99999999999999999999999"},
            {"service_area": [periods.AREA_UNKNOWN]},
        ),
    ],
)
def test_bad_parameters_get_a_specific_400(client, org, params, errors):
    client.force_login(org.users["qa_lead"])
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json() == errors


def test_a_single_day_is_a_period(client, org, data):
    client.force_login(org.users["qa_lead"])
    body = client.get(URL, {"start": "2026-04-01", "end": "2026-04-01"}).json()
    assert body["records"] == 1


@pytest.mark.parametrize(
    "person", ["auditor", "moderator", "team_manager", "ambassador", "administrator", "no_role"]
)
def test_people_without_figures_are_refused(client, org, person):
    client.force_login(org.users[person])
    assert client.get(URL, Q1).status_code == (404 if person == "ambassador" else 403)


def test_signed_out_and_writes_are_refused(client, org):
    assert client.get(URL, Q1).status_code == 403
    client.force_login(org.users["qa_lead"])
    assert client.post(URL, Q1).status_code == 405


def test_the_schema_documents_the_response(client, org):
    client.force_login(org.users["qa_lead"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/feedback/figures/"]["get"]
    names = {p["name"]: p for p in operation["parameters"]}
    assert names["start"]["required"] and names["end"]["required"]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert response == {"$ref": "#/components/schemas/FeedbackFigures"}
    figures = schema["components"]["schemas"]["FeedbackFigures"]
    assert "reach" in figures["properties"] and "agreement" in figures["properties"]
    assert "400" in operation["responses"]


def test_the_figures_hold_the_ambassadors_results_by_month_in_scope(client, org, auditor):
    from feedback.models import AmbassadorReview, AmbassadorSample

    may = datetime.date(2026, 5, 1)
    sample = AmbassadorSample.objects.create(month=may, how_chosen="number", amount=2)
    for team, answer in ((org.team_a, "yes"), (org.team_b, "no")):
        audit = make_audit(team, auditor, month_override=may)
        AmbassadorReview.objects.create(
            sample=sample,
            audit=audit,
            child=audit.child,
            month=may,
            ambassador=org.users["ambassador"],
            status="submitted",
            submitted_at=datetime.datetime(2026, 5, 20, tzinfo=datetime.UTC),
            relationship=answer,
            summary=answer,
            views=answer,
            likes=answer,
            language=answer,
        )
    client.force_login(org.users["qa_lead"])
    body = client.get(URL, Q1).json()
    first = body["ambassadors"][0]
    assert first["name"] == "relationship"
    assert [m["month"] for m in first["months"]] == ["2026-04-01", "2026-05-01", "2026-06-01"]
    assert (first["months"][1]["yes"], first["months"][1]["no"]) == (1, 1)
    client.force_login(org.users["head_of_service"])  # service area A only
    may_in_area = client.get(URL, Q1).json()["ambassadors"][0]["months"][1]
    assert (may_in_area["yes"], may_in_area["no"], may_in_area["yes_pct"]) == (1, 0, 100)
