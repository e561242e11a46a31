"""The feedback pages: each for the people it is for, the happy path, the wrong method
and the outsider, with views of an audit's feedback logged."""

import datetime

import pytest
from django.urls import reverse

from audits.models import AuditEvent, AuditEventKind
from feedback.models import Feedback, Respondent, Source
from feedback.services import records

from .conftest import give, make_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(org, auditor):
    return make_audit(org.team_a, auditor, status="submitted")


def test_the_overview_shows_the_figures_for_the_qa_lead(client, org, submitted):
    give(submitted, comments="Helpful", given_on=datetime.date(2026, 5, 1))
    client.force_login(org.users["qa_lead"])
    response = client.get(
        reverse("feedback:overview"), {"start": "2026-04-01", "end": "2026-06-30"}
    )
    assert response.status_code == 200
    assert response.context["figures"]["records"] == 1
    page = response.content.decode()
    assert "Families asked and answered" in page
    assert "views beside the grade" in page
    assert "Helpful" not in page  # comments are not figures


def test_the_overview_defaults_to_this_quarter_and_explains_bad_dates(client, org):
    client.force_login(org.users["leader"])
    response = client.get(reverse("feedback:overview"))
    assert response.status_code == 200
    response = client.get(reverse("feedback:overview"), {"start": "2026-13-01", "end": "x"})
    assert response.status_code == 400
    assert "start must be a real date" in response.content.decode()
    response = client.get(reverse("feedback:overview"), {"period": "q-2026-9"})
    assert response.status_code == 400


def test_a_head_of_service_sees_their_area_and_cannot_widen_it(client, org, auditor):
    outside = make_audit(org.team_b, auditor)
    give(outside, given_on=datetime.date(2026, 5, 1))
    client.force_login(org.users["head_of_service"])
    response = client.get(
        reverse("feedback:overview"),
        {"start": "2026-04-01", "end": "2026-06-30", "service_area": org.area_b.pk},
    )
    assert response.status_code == 400
    assert response.context["scope"].service_area == org.area_a.pk
    assert response.context["figures"]["records"] == 0


@pytest.mark.parametrize("person", ["auditor", "team_manager", "ambassador", "no_role"])
def test_the_overview_is_refused_to_others(client, org, person):
    client.force_login(org.users[person])
    refused = 404 if person == "ambassador" else 403
    assert client.get(reverse("feedback:overview")).status_code == refused


def test_the_overview_refuses_post(client, org):
    client.force_login(org.users["qa_lead"])
    assert client.post(reverse("feedback:overview")).status_code == 405


# One audit's feedback ---------------------------------------------------------------


@pytest.mark.parametrize("person", ["qa_lead", "auditor", "head_of_service"])
def test_an_audits_feedback_is_read_and_the_view_logged(client, org, submitted, person):
    give(submitted, comments="Kind words")
    client.force_login(org.users[person])
    response = client.get(reverse("feedback:audit_feedback", args=[submitted.pk]))
    assert response.status_code == 200
    assert "Kind words" in response.content.decode()
    assert AuditEvent.objects.filter(
        audit=submitted, user=org.users[person], kind=AuditEventKind.VIEWED, note="Family feedback"
    ).exists()


@pytest.mark.parametrize(
    "person",
    ["team_manager", "outside_head", "outside_manager", "leader", "ambassador", "moderator"],
)
def test_an_audits_feedback_is_not_found_for_others(client, org, submitted, person):
    client.force_login(org.users[person])
    assert client.get(reverse("feedback:audit_feedback", args=[submitted.pk])).status_code == 404
    assert not AuditEvent.objects.filter(audit=submitted, user=org.users[person]).exists()


def test_the_auditor_records_feedback_on_its_own(client, org, submitted):
    client.force_login(org.users["auditor"])
    url = reverse("feedback:record", args=[submitted.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "fb-0-respondent": "school",
            "fb-0-channel": "phone",
            "fb-0-date-day": "2",
            "fb-0-date-month": "5",
            "fb-0-date-year": "2026",
            "fb-0-outcome": "given",
            "fb-0-kept_in_touch": "yes",
        },
    )
    assert response.status_code == 302
    saved = Feedback.objects.get()
    assert (saved.source, saved.respondent, saved.kept_in_touch) == (
        Source.RECORDED,
        Respondent.SCHOOL,
        "yes",
    )


def test_incomplete_feedback_on_its_own_is_explained_and_not_saved(client, org, submitted):
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("feedback:record", args=[submitted.pk]),
        {"fb-0-respondent": "carer", "fb-0-outcome": "not_obtained"},
    )
    assert response.status_code == 400
    messages = [e["text"] for e in response.context["errors"]]
    assert messages == [
        records.NEEDS_CHANNEL.format(n=1),
        records.NEEDS_DATE.format(n=1),
        records.NEEDS_REASON.format(n=1),
    ]
    assert not Feedback.objects.exists()


def test_a_future_date_is_refused(client, org, submitted):
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("feedback:record", args=[submitted.pk]),
        {
            "fb-0-respondent": "carer",
            "fb-0-channel": "visit",
            "fb-0-date-day": "1",
            "fb-0-date-month": "1",
            "fb-0-date-year": "2999",
            "fb-0-outcome": "given",
            "fb-0-listened": "yes",
        },
    )
    assert response.status_code == 400
    assert records.DATE_IN_FUTURE.format(n=1) in [e["text"] for e in response.context["errors"]]


@pytest.mark.parametrize("person", ["head_of_service", "team_manager", "outside_head", "leader"])
def test_others_cannot_record_feedback(client, org, submitted, person):
    client.force_login(org.users[person])
    url = reverse("feedback:record", args=[submitted.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"fb-0-respondent": "carer"}).status_code == 404
    assert not Feedback.objects.exists()


def test_a_cancelled_audit_takes_no_feedback(client, org, auditor):
    cancelled = make_audit(org.team_a, auditor, status="cancelled")
    client.force_login(org.users["qa_lead"])
    assert client.get(reverse("feedback:record", args=[cancelled.pk])).status_code == 404
    assert client.get(reverse("feedback:link_create", args=[cancelled.pk])).status_code == 404


def test_the_feedback_pages_refuse_wrong_methods(client, org, submitted):
    client.force_login(org.users["qa_lead"])
    assert client.post(reverse("feedback:audit_feedback", args=[submitted.pk])).status_code == 405
    assert client.put(reverse("feedback:record", args=[submitted.pk])).status_code == 405
    assert client.delete(reverse("feedback:link_create", args=[submitted.pk])).status_code == 405


def test_signed_out_people_are_sent_to_sign_in(client, submitted):
    for name in ("feedback:audit_feedback", "feedback:record", "feedback:link_create"):
        response = client.get(reverse(name, args=[submitted.pk]))
        assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert client.get(reverse("feedback:overview")).status_code == 302
    assert client.get(reverse("feedback:quotes")).status_code == 302


# My work ----------------------------------------------------------------------------


def test_the_auditor_hears_of_a_familys_answer_on_my_work(client, org, submitted):
    give(submitted, source=Source.FAMILY_LINK, channel="family_link")
    client.force_login(org.users["auditor"])
    page = client.get(reverse("home")).content.decode()
    assert f"A family answered for the audit of {submitted.child.case_reference}" in page
    client.force_login(org.users["moderator"])
    assert "A family answered" not in client.get(reverse("home")).content.decode()


def test_the_qa_lead_sees_comments_waiting_to_be_quoted(client, org, auditor):
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 5, 20, 12, tzinfo=datetime.UTC)):
        audit = make_audit(org.team_a, auditor)
        give(audit, comments="Lovely", consent_to_quote=True, given_on=datetime.date(2026, 5, 1))
        give(audit, comments="No consent", given_on=datetime.date(2026, 5, 1))
        client.force_login(org.users["qa_lead"])
        page = client.get(reverse("home")).content.decode()
    assert "1 comment from families in Q1 2026/27 may be quoted" in page


@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "-1", "0"])
def test_the_overview_answers_odd_ids_without_an_error(client, org, value):
    client.force_login(org.users["qa_lead"])
    assert client.get(reverse("feedback:overview"), {"domain": value}).status_code == 200
    response = client.get(reverse("feedback:overview"), {"service_area": value})
    assert response.status_code == 400
    response = client.get(reverse("feedback:overview"), {"team": value})
    assert response.status_code == 400
