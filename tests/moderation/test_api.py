"""The moderation API: reviews and figures, per role, at the addresses the project's
router (qa_audit/api.py) gives them."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.models import Grade
from moderation.forms import CHOOSE_AREA, CHOOSE_QUARTER
from moderation.services import panel_add_audit

from .conftest import accepted_audit, moderate

pytestmark = pytest.mark.django_db

G, RI = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT
TODAY = datetime.datetime(2027, 1, 15, 10, 0, tzinfo=datetime.UTC)
REVIEWS = "/api/moderation/reviews/"
STATISTICS = "/api/moderation/statistics/"


@pytest.fixture
def reviews(org, template, panel, moderator):
    """The auditor's audit downgraded (final); another in progress for the moderator;
    one in team B by another auditor, moderated by the QA Lead."""
    final = moderate(
        accepted_audit(org, template, G),
        panel,
        moderator,
        RI,
        domain_grades={"Visits": RI},
        reasons=["statutory_timescales"],
    )
    open_review = panel_add_audit(
        panel=panel, audit=accepted_audit(org, template, G), user=moderator, moderator=moderator
    )
    other = moderate(
        accepted_audit(org, template, RI, auditor=org.users["moderator"], team=org.team_b),
        panel,
        org.users["qa_lead"],
        G,
    )
    return {"final": final, "open": open_review, "other": other}


def ids(response):
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_qa_lead_sees_every_review(client, org, reviews):
    client.force_login(org.users["qa_lead"])
    assert ids(client.get(REVIEWS)) == {r.pk for r in reviews.values()}


def test_a_moderator_sees_the_reviews_assigned_to_them(client, org, reviews):
    client.force_login(org.users["moderator"])
    # Their own audit (moderated by the QA Lead, final) is theirs as its auditor too.
    assert ids(client.get(REVIEWS)) == {
        reviews["final"].pk,
        reviews["open"].pk,
        reviews["other"].pk,
    }


def test_an_auditor_sees_only_final_reviews_of_their_audits(client, org, reviews):
    client.force_login(org.users["auditor"])
    assert ids(client.get(REVIEWS)) == {reviews["final"].pk}
    assert client.get(f"{REVIEWS}{reviews['open'].pk}/").status_code == 404


@pytest.mark.parametrize("who", ["leader", "head_of_service", "no_role", "team_manager"])
def test_others_see_no_reviews(client, org, reviews, who):
    client.force_login(org.users[who])
    assert ids(client.get(REVIEWS)) == set()
    assert client.get(f"{REVIEWS}{reviews['final'].pk}/").status_code == 404


def test_review_detail_carries_grades_outcome_reasons_and_feedback(client, org, reviews):
    client.force_login(org.users["auditor"])
    review = reviews["final"]
    data = client.get(f"{REVIEWS}{review.pk}/").json()
    assert data["case_reference"] == review.audit.child.case_reference
    assert (data["original_grade"], data["moderated_grade"], data["outcome"]) == (
        "good",
        "requires_improvement",
        "downgraded",
    )
    assert data["rationale"] == "The evidence does not support the grade"
    assert data["feedback"] == "Thank you: clear evidence."
    assert data["reasons"] == ["statutory_timescales"]
    assert data["moderator"] == org.users["moderator"].get_full_name()
    assert data["panel_month"] == "2026-10-01"
    assert [
        (d["domain"], d["original_grade"], d["moderated_grade"]) for d in data["domain_grades"]
    ] == [
        ("Assessments", "good", "good"),
        ("Visits", "good", "requires_improvement"),
    ]


def test_the_review_api_is_read_only(client, org, reviews):
    client.force_login(org.users["qa_lead"])
    assert client.post(REVIEWS, {}).status_code == 405
    assert client.delete(f"{REVIEWS}{reviews['open'].pk}/").status_code == 405


def test_the_api_needs_a_sign_in(client, reviews):
    assert client.get(REVIEWS).status_code == 403
    assert client.get(STATISTICS).status_code == 403


def test_review_list_queries_do_not_grow(client, org, template, panel, moderator, reviews):
    client.force_login(org.users["qa_lead"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            results = client.get(REVIEWS).json()["results"]
        return len(queries), len(results)

    with_three, listed = count()
    assert listed == 3
    for _ in range(10):
        moderate(accepted_audit(org, template, G), panel, moderator, G)
    assert count() == (with_three, 13)
    assert with_three <= 11  # one of them records the views


# Figures ---------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_qa_lead_gets_the_figures(client, org, reviews):
    client.force_login(org.users["qa_lead"])
    response = client.get(STATISTICS, {"period": "quarter", "year": "2026", "number": "3"})
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"label": "Q3 2026/27", "start": "2026-10-01", "end": "2026-12-31"}
    assert (data["completed"], data["moderated"]) == (3, 2)
    assert data["moderated_share"] == 66.7
    assert (data["agreed"], data["upgraded"], data["downgraded"]) == (0, 1, 1)
    assert (data["agreed_pct"], data["upgraded_pct"], data["downgraded_pct"]) == (0.0, 50.0, 50.0)
    assert data["transitions"] == [
        {"auditor_grade": "good", "moderated_grade": "requires_improvement", "count": 1},
        {"auditor_grade": "requires_improvement", "moderated_grade": "good", "count": 1},
    ]
    assert data["downgrade_reasons"] == [{"reason": "Statutory timescales not met", "count": 1}]
    assert data["kappa_pairs"] == 2
    assert set(data) >= {
        "final_inadequate",
        "inadequate_found_by_moderation",
        "inadequate_found_by_moderation_pct",
        "domain_agreement",
        "kappa",
    }


@time_machine.travel(TODAY, tick=False)
def test_the_default_is_the_last_complete_quarter(client, org, reviews):
    client.force_login(org.users["leader"])
    assert client.get(STATISTICS).json()["period"]["label"] == "Q3 2026/27"


@time_machine.travel(TODAY, tick=False)
def test_filters_narrow_the_figures(client, org, reviews):
    client.force_login(org.users["qa_lead"])
    data = client.get(STATISTICS, {"team": org.team_b.pk}).json()
    assert (data["moderated"], data["upgraded"]) == (1, 1)
    assert data["scope"]["team"] == org.team_b.pk
    data = client.get(STATISTICS, {"moderator": org.users["moderator"].pk}).json()
    assert (data["moderated"], data["downgraded"]) == (1, 1)


@time_machine.travel(TODAY, tick=False)
def test_a_head_of_service_gets_their_area_only(client, org, reviews):
    client.force_login(org.users["head_of_service"])
    data = client.get(STATISTICS).json()
    assert data["scope"]["service_area"] == org.area_a.pk
    assert (data["completed"], data["moderated"], data["upgraded"]) == (2, 1, 0)
    response = client.get(STATISTICS, {"service_area": org.area_b.pk})
    assert response.status_code == 400
    assert response.json() == {"service_area": [CHOOSE_AREA]}


def test_a_head_of_service_without_an_area_gets_no_figures(client, org, reviews):
    org.area_a.head_of_service = None
    org.area_a.save()
    client.force_login(org.users["head_of_service"])
    assert client.get(STATISTICS).status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_a_bad_period_is_refused(client, org, reviews):
    client.force_login(org.users["qa_lead"])
    response = client.get(STATISTICS, {"period": "quarter", "number": "9"})
    assert response.status_code == 400
    assert response.json() == {"number": [CHOOSE_QUARTER]}


@pytest.mark.parametrize("who", ["auditor", "moderator", "team_manager"])
def test_others_cannot_get_the_figures(client, org, who):
    client.force_login(org.users[who])
    assert client.get(STATISTICS).status_code == 403


def test_the_schema_documents_both_endpoints_without_warnings(tmp_path):
    schema = tmp_path / "schema.yml"
    call_command(
        "spectacular",
        "--urlconf",
        "qa_audit.urls",
        "--fail-on-warn",
        "--file",
        str(schema),
    )
    text = schema.read_text()
    assert "/api/moderation/reviews/{id}/" in text
    assert "/api/moderation/statistics/" in text
    assert "inadequate_found_by_moderation_pct" in text
