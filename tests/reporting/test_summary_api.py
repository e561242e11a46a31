"""GET /api/v1/reports/summary/: the figures, names as filters, bad input, scope, and a
constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.models import MultiAgencyAudit, SampleAudit, SampleKind
from moderation.models import ModerationReview, ReviewStatus
from reporting.filters import (
    AREA_NOT_YOURS,
    AREA_UNKNOWN,
    AUDIT_TYPE_UNKNOWN,
    LEGAL_STATUS_UNKNOWN,
    TEAM_AMBIGUOUS,
    TEAM_OUTSIDE_AREA,
    TEAM_UNKNOWN,
)
from tests.factories import TeamFactory

from .conftest import INAD, RI, G, audit

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/summary/"
Q1 = {"start": "2026-04-01", "end": "2026-06-30"}


def grades(out, good, ri, inad):
    return {"Outstanding": out, "Good": good, "Requires Improvement": ri, "Inadequate": inad}


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_the_summary_for_a_quarter(client, org, audits):
    response = get(client, org.users["leader"], **Q1)
    assert response.status_code == 200
    data = response.json()
    assert data["audits"] == {
        "completed": 7,
        "allocated": 7,
        "completed_of_allocated": 6,
        "accepted": 6,
        "completion_rate": 0.8571,
    }
    assert data["overall"] == grades(1, 1, 3, 2)
    assert data["overall_original"] == grades(1, 3, 2, 1)
    assert data["overall_shares"] == {
        "Outstanding": 0.1429,
        "Good": 0.1429,
        "Requires Improvement": 0.4286,
        "Inadequate": 0.2857,
    }
    assert data["by_month"] == {
        "2026-04": grades(1, 0, 1, 0),
        "2026-05": grades(0, 0, 2, 0),
        "2026-06": grades(0, 1, 0, 2),
    }
    assert data["by_service_area"] == {
        "Children in Care": {"completed": 1} | grades(1, 0, 0, 0),
        "Safeguarding": {"completed": 6} | grades(0, 1, 3, 2),
    }
    assert data["domains"]["Assessments"] == grades(1, 2, 1, 1) | {"Not graded": 2}
    moderation = data["moderation"]
    assert [moderation[k] for k in ("moderated", "agreed", "upgraded", "downgraded")] == [
        3,
        1,
        0,
        2,
    ]
    assert moderation["inadequate_identified_by_moderation"] == 1
    assert {"from": "Good", "to": "Inadequate", "count": 1} in moderation["transitions"]
    assert data["participation"] == {
        "social_worker": 0.8571,
        "team_manager": 1.0,
        "iro_cp_chair": 0.8333,
        "child": 0.8,
        "family": 0.8571,
    }
    assert data["actions"]["within_timescale"]["all"]["raised"] == 0
    # Feedback follows the area and team only: J, a re-audit, is among its audits.
    assert data["feedback"]["reach"]["completed_audits"] == 8
    assert "quotes" not in data["feedback"]
    assert data["other_audits"]["multi_agency"] == {"audits": 0, "families_considered": 0}


@pytest.mark.parametrize(
    ("params", "completed"),
    [
        ({"service_area": "children in care"}, 1),
        ({"team": "Family Support North"}, 6),
        ({"service_area": "Safeguarding", "team": "family support north"}, 6),
        ({"legal_status": "Child Protection"}, 1),
        ({"legal_status": "child_protection"}, 1),
        ({"audit_type": "Re-audit"}, 1),
        ({"audit_type": "Child Journey Audit"}, 7),
        ({"audit_type": "all"}, 8),
    ],
)
def test_filters_take_the_names_shown_in_the_product(client, org, audits, params, completed):
    response = get(client, org.users["qa_lead"], **Q1, **params)
    assert response.status_code == 200, response.json()
    assert response.json()["audits"]["completed"] == completed


def test_filters_take_ids_for_areas_and_teams(client, org, audits):
    by_id = get(client, org.users["qa_lead"], **Q1, service_area=org.area_b.pk, team=org.team_b.pk)
    assert by_id.json()["audits"]["completed"] == 1


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": ""}, "start", "Give the first day of the period as start=YYYY-MM-DD"),
        ({"end": "30/06/2026"}, "end", "end must be a real date written YYYY-MM-DD"),
        ({"end": "2026-03-31"}, "end", "end must be the same day as start or later"),
        ({"service_area": "Safeguardin"}, "service_area", AREA_UNKNOWN),
        ({"service_area": "0"}, "service_area", AREA_UNKNOWN),
        ({"team": "Nowhere"}, "team", TEAM_UNKNOWN),
        (
            {"service_area": "Children in Care", "team": "Family Support North"},
            "team",
            TEAM_UNKNOWN,
        ),
        ({"legal_status": "Looked after"}, "legal_status", LEGAL_STATUS_UNKNOWN),
        ({"audit_type": "Dip sample"}, "audit_type", AUDIT_TYPE_UNKNOWN),
    ],
)
def test_bad_parameters_get_a_specific_message(client, org, params, field, message):
    response = get(client, org.users["leader"], **(Q1 | params))
    assert response.status_code == 400
    assert response.json()[field][0].startswith(message)


def test_a_team_id_outside_the_chosen_area_is_refused(client, org):
    response = get(
        client, org.users["leader"], **Q1, service_area="Safeguarding", team=org.team_b.pk
    )
    assert response.json() == {"team": [TEAM_OUTSIDE_AREA]}


def test_a_team_name_in_two_areas_needs_its_area(client, org):
    TeamFactory(name="Family Support North", service_area=org.area_b)
    response = get(client, org.users["leader"], **Q1, team="Family Support North")
    assert response.json() == {"team": [TEAM_AMBIGUOUS]}
    narrowed = get(
        client, org.users["leader"], **Q1, team="Family Support North", service_area="Safeguarding"
    )
    assert narrowed.status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("leader", 200),
        ("qa_lead", 200),
        ("administrator", 200),
        ("head_of_service", 200),
        ("auditor", 403),
        ("moderator", 403),
        ("team_manager", 403),
        ("ambassador", 404),  # an Ambassador finds no page or API but their reviews
        ("no_role", 403),
    ],
)
def test_who_may_read_the_summary(client, org, role, status):
    assert get(client, org.users[role], **Q1).status_code == status


def test_signed_out_is_refused(client):
    assert client.get(URL, Q1).status_code in (401, 403)


def test_a_head_of_service_gets_their_own_area(client, org, audits):
    alice = org.users["head_of_service"]  # heads Safeguarding
    data = get(client, alice, **Q1).json()
    assert data["audits"]["completed"] == 6
    assert list(data["by_service_area"]) == ["Safeguarding"]
    assert data["filters"]["service_area"] == org.area_a.pk
    inside = get(client, alice, **Q1, service_area="Safeguarding", team="Family Support North")
    assert inside.json()["audits"]["completed"] == 6


@pytest.mark.parametrize(
    "params",
    [{"service_area": "Children in Care"}, {"team": "Children in Care 1"}],
)
def test_a_head_of_service_may_not_ask_for_another_area(client, org, audits, params):
    response = get(client, org.users["head_of_service"], **Q1, **params)
    assert response.status_code == 403
    assert response.json()["detail"] == AREA_NOT_YOURS


def test_the_json_suffix_answers(client, org):
    client.force_login(org.users["leader"])
    assert client.get("/api/v1/reports/summary.json", Q1).status_code == 200


def _audits(org, template, n):
    for i in range(n):
        made = audit(
            org,
            template,
            [G, RI, INAD][i % 3],
            completed=datetime.date(2026, 4 + i % 3, 1 + i % 28),
            team=[org.team_a, org.team_b][i % 2],
        )
        if i % 5 == 0:
            ModerationReview.objects.create(
                audit=made,
                original_grade=made.overall_grade,
                moderated_grade=INAD,
                status=ReviewStatus.FINAL,
                outcome="downgraded",
            )


def _queries(client, org):
    client.force_login(org.users["leader"])
    client.get(URL, Q1)  # settings rows are made on first use
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, Q1)
    assert response.status_code == 200
    return len(queries), response.json()["audits"]["completed"]


@pytest.mark.slow
def test_the_number_of_queries_does_not_grow_with_the_audits(client, org, template):
    _audits(org, template, 10)
    at_10, completed = _queries(client, org)
    assert completed == 10
    _audits(org, template, 490)
    at_500, completed = _queries(client, org)
    assert completed == 500
    assert at_10 == at_500


def test_the_openapi_schema_describes_the_summary(client, org):
    client.force_login(org.users["leader"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/reports/summary/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"start", "end", "service_area", "team", "legal_status", "audit_type"} <= names
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["properties"]["overall"]["required"] == [
        "Outstanding",
        "Good",
        "Requires Improvement",
        "Inadequate",
    ]


def test_other_audits_are_counted_apart_from_child_journey_audits(client, org, audits):
    lead = org.users["leader"]
    SampleAudit.objects.create(
        kind=SampleKind.THEMATIC,
        topic="Life story work",
        month=datetime.date(2026, 5, 1),
        records_sampled=22,
        lead=lead,
        service_area=org.area_a,
        findings="Few children had life story work started.",
    )
    MultiAgencyAudit.objects.create(
        topic="Neglect",
        month=datetime.date(2026, 6, 1),
        agencies="Police\nHealth",
        families_considered=8,
        lead=lead,
        findings="Information shared well.",
    )
    data = get(client, lead, **Q1).json()
    # "22 children's records audited for life story work", "8 families considered in
    # multi-agency audits": beside the 7 Child Journey Audits, not among them.
    assert data["other_audits"]["thematic"] == {"exercises": 1, "records_sampled": 22}
    assert data["other_audits"]["multi_agency"] == {"audits": 1, "families_considered": 8}
    assert data["audits"]["completed"] == 7
    in_area_b = get(client, lead, **Q1, service_area="Children in Care").json()
    assert in_area_b["other_audits"]["thematic"]["records_sampled"] == 0
