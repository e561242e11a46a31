"""Exemptions: who may ask, who may decide, reasons, and which ones count."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import JobTitle, Role, UserRole
from audits.models import Exemption, ExemptionKind, ExemptionStatus, StandingReason
from audits.selectors_programme import (
    auditor_is_exempt,
    exempt_auditor_ids,
    exemption_work,
    exemptions_to_decide,
    exemptions_visible_to,
)
from audits.services import exemptions
from audits.services.exemptions import (
    exemption_decide,
    exemption_record_standing,
    exemption_request,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 15)
DEC = datetime.date(2026, 12, 1)


@pytest.fixture
def people(org):
    users = dict(org.users)
    users["director"] = UserFactory(
        email="director@council.example",
        job_title=JobTitle.DIRECTOR,
        roles=[Role.LEADER, Role.AUDITOR],
    )
    users["outside_auditor"] = UserFactory(
        email="outside.auditor@council.example", team=org.team_b, roles=[Role.AUDITOR]
    )
    UserRole.objects.create(user=users["head_of_service"], role=Role.AUDITOR)
    users["head_of_service"].__dict__.pop("role_codes", None)
    return users


def request_for(people, requester="team_manager", auditor="auditor", **kwargs):
    return exemption_request(
        auditor=people[auditor],
        month=kwargs.pop("month", DEC),
        reason=kwargs.pop("reason", "Covering the court team"),
        user=people[requester],
        today=TODAY,
    )


def test_team_manager_asks_and_the_head_of_service_is_emailed(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        exemption = request_for(people)
    assert (exemption.status, exemption.kind, exemption.month) == (
        ExemptionStatus.PENDING,
        ExemptionKind.SINGLE_MONTH,
        DEC,
    )
    assert exemption.requested_by == people["team_manager"]
    assert [m.to for m in mail.outbox] == [["alice@council.example"]]
    assert f"/programme/exemptions/{exemption.pk}/decide/" in mail.outbox[0].body
    assert "December 2026" in mail.outbox[0].subject
    # pending does not count
    assert not auditor_is_exempt(people["auditor"], DEC)


def test_without_a_head_of_service_the_directors_are_emailed(
    people, org, django_capture_on_commit_callbacks
):
    org.area_a.head_of_service = None
    org.area_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        request_for(people)
    assert [m.to for m in mail.outbox] == [["director@council.example"]]


def test_requesters_only_ask_for_auditors_in_their_scope(people):
    with pytest.raises(PermissionDenied):
        request_for(people, requester="team_manager", auditor="outside_auditor")
    with pytest.raises(PermissionDenied):
        request_for(people, requester="head_of_service", auditor="outside_auditor")
    with pytest.raises(PermissionDenied):
        request_for(people, requester="auditor", auditor="auditor")
    assert request_for(people, requester="qa_lead", auditor="outside_auditor").pk
    assert request_for(people, requester="outside_head", auditor="moderator").pk


def test_a_request_needs_a_reason_and_a_month_not_past(people):
    with pytest.raises(ValidationError) as error:
        request_for(people, reason="  ", month=datetime.date(2026, 10, 1))
    assert error.value.message_dict == {
        "reason": [exemptions.REASON_REQUIRED],
        "month": ["October 2026 has passed: choose this month or a later one"],
    }
    assert not Exemption.objects.exists()


def test_the_same_month_cannot_be_asked_twice(people):
    request_for(people)
    with pytest.raises(ValidationError) as error:
        request_for(people, requester="qa_lead")
    assert error.value.message_dict == {
        "month": [
            f"{people['auditor']} already has an exemption for December 2026 (waiting for approval)"
        ]
    }


def test_head_of_service_approves_with_a_reason_and_both_are_emailed(
    people, django_capture_on_commit_callbacks
):
    exemption = request_for(people)
    with django_capture_on_commit_callbacks(execute=True):
        decided = exemption_decide(
            exemption=exemption,
            user=people["head_of_service"],
            approve=True,
            reason="Court work takes priority",
        )
    assert decided.status == ExemptionStatus.APPROVED
    assert decided.decided_by == people["head_of_service"]
    assert decided.decision_reason == "Court work takes priority"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "auditor@council.example",
        "tom@council.example",
    ]
    assert all("approved" in m.subject for m in mail.outbox)
    assert auditor_is_exempt(people["auditor"], DEC)
    assert not auditor_is_exempt(people["auditor"], datetime.date(2027, 1, 1))


def test_decisions_need_their_reason(people):
    exemption = request_for(people)
    with pytest.raises(ValidationError) as error:
        exemption_decide(
            exemption=exemption, user=people["head_of_service"], approve=True, reason=""
        )
    assert error.value.message_dict == {"reason": [exemptions.APPROVAL_NEEDS_REASON]}
    with pytest.raises(ValidationError) as error:
        exemption_decide(
            exemption=exemption, user=people["head_of_service"], approve=False, reason=" "
        )
    assert error.value.message_dict == {"reason": [exemptions.REJECTION_NEEDS_REASON]}
    with pytest.raises(ValidationError) as error:
        exemption_decide(
            exemption=exemption, user=people["head_of_service"], approve=None, reason="x"
        )
    assert error.value.message_dict == {"decision": [exemptions.CHOOSE_DECISION]}
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.PENDING


def test_nobody_decides_their_own(people):
    own = request_for(people, requester="qa_lead", auditor="director")
    with pytest.raises(ValidationError) as error:
        exemption_decide(exemption=own, user=people["director"], approve=True, reason="Fine")
    assert error.value.messages == [exemptions.OWN_EXEMPTION]

    asked = request_for(people, requester="head_of_service")
    with pytest.raises(ValidationError) as error:
        exemption_decide(exemption=asked, user=people["head_of_service"], approve=True, reason="Ok")
    assert error.value.messages == [exemptions.OWN_REQUEST]
    own.refresh_from_db()
    asked.refresh_from_db()
    assert own.status == asked.status == ExemptionStatus.PENDING


@pytest.mark.parametrize(
    "decider,allowed",
    [
        ("head_of_service", True),
        ("director", True),
        ("outside_head", False),
        ("leader", False),  # a Leader who is not a Director
        ("qa_lead", False),
        ("team_manager", False),
        ("moderator", False),
    ],
)
def test_who_may_decide(people, decider, allowed):
    requester = "team_manager" if decider == "qa_lead" else "qa_lead"
    exemption = request_for(people, requester=requester)
    if allowed:
        decided = exemption_decide(
            exemption=exemption, user=people[decider], approve=False, reason="Needed this month"
        )
        assert decided.status == ExemptionStatus.REJECTED
    else:
        with pytest.raises(PermissionDenied):
            exemption_decide(exemption=exemption, user=people[decider], approve=True, reason="Fine")
        exemption.refresh_from_db()
        assert exemption.status == ExemptionStatus.PENDING


def test_a_decision_is_made_once(people, django_capture_on_commit_callbacks):
    exemption = request_for(people, requester="qa_lead")
    exemption_decide(exemption=exemption, user=people["director"], approve=True, reason="Yes")
    with pytest.raises(ValidationError) as error:
        exemption_decide(
            exemption=exemption, user=people["head_of_service"], approve=False, reason="No"
        )
    assert error.value.messages == ["This exemption has already been decided (approved)"]
    exemption.refresh_from_db()
    assert exemption.decided_by == people["director"]


def test_standing_exemptions_are_approved_at_once(people):
    exemption = exemption_record_standing(
        auditor=people["moderator"],
        standing_reason=StandingReason.MODERATOR,
        starts_on=datetime.date(2026, 9, 1),
        user=people["qa_lead"],
    )
    assert exemption.status == ExemptionStatus.APPROVED
    assert exemption.reason == "Moderator"
    assert auditor_is_exempt(people["moderator"], DEC)
    assert not auditor_is_exempt(people["moderator"], datetime.date(2026, 8, 1))
    with pytest.raises(PermissionDenied):
        exemption_record_standing(
            auditor=people["auditor"],
            standing_reason=StandingReason.MODERATOR,
            starts_on=datetime.date(2026, 9, 1),
            user=people["head_of_service"],
        )


def test_standing_exemption_checks_its_dates(people):
    with pytest.raises(ValidationError) as error:
        exemption_record_standing(
            auditor=people["auditor"],
            standing_reason="holiday",
            starts_on=None,
            user=people["qa_lead"],
        )
    assert error.value.message_dict == {
        "standing_reason": [exemptions.CHOOSE_STANDING_REASON],
        "starts_on": [exemptions.ENTER_START],
    }
    with pytest.raises(ValidationError) as error:
        exemption_record_standing(
            auditor=people["auditor"],
            standing_reason=StandingReason.LONG_ABSENCE,
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2026, 8, 1),
            user=people["qa_lead"],
        )
    assert error.value.message_dict == {"ends_on": [exemptions.END_BEFORE_START]}


def test_part_time_applies_in_alternate_months_from_the_start(people):
    exemption_record_standing(
        auditor=people["auditor"],
        standing_reason=StandingReason.PART_TIME,
        starts_on=datetime.date(2026, 11, 10),
        ends_on=datetime.date(2027, 2, 15),
        user=people["qa_lead"],
    )
    months = [datetime.date(2026, m, 1) for m in (10, 11, 12)] + [
        datetime.date(2027, m, 1) for m in (1, 2, 3)
    ]
    assert [auditor_is_exempt(people["auditor"], m) for m in months] == [
        False,  # before the start
        False,  # month 0
        True,  # month 1
        False,
        True,  # month 3, the end date falls in it
        False,  # after the end
    ]
    assert exempt_auditor_ids(DEC) == {people["auditor"].pk}


def test_long_absence_covers_every_month_it_touches(people):
    exemption_record_standing(
        auditor=people["auditor"],
        standing_reason=StandingReason.LONG_ABSENCE,
        starts_on=datetime.date(2026, 11, 20),
        ends_on=datetime.date(2027, 1, 5),
        user=people["qa_lead"],
    )
    assert auditor_is_exempt(people["auditor"], datetime.date(2026, 11, 1))
    assert auditor_is_exempt(people["auditor"], datetime.date(2027, 1, 1))
    assert not auditor_is_exempt(people["auditor"], datetime.date(2027, 2, 1))
    assert not auditor_is_exempt(people["auditor"], datetime.date(2026, 10, 1))


def test_rejected_exemptions_do_not_count(people):
    exemption = request_for(people)
    exemption_decide(
        exemption=exemption, user=people["head_of_service"], approve=False, reason="Needed"
    )
    assert not auditor_is_exempt(people["auditor"], DEC)


def test_visibility_and_to_decide_lists(people):
    mine = request_for(people)  # Tom asks for Alex (team A)
    theirs = request_for(people, requester="qa_lead", auditor="outside_auditor")
    own = request_for(people, requester="qa_lead", auditor="head_of_service")

    def visible(name):
        return set(exemptions_visible_to(people[name]))

    assert visible("qa_lead") == visible("director") == {mine, theirs, own}
    assert visible("head_of_service") == {mine, own}
    assert visible("team_manager") == {mine}
    assert visible("outside_manager") == {theirs}
    assert visible("auditor") == {mine}
    assert visible("ambassador") == set()

    assert set(exemptions_to_decide(people["head_of_service"])) == {mine}
    assert set(exemptions_to_decide(people["outside_head"])) == {theirs}
    assert set(exemptions_to_decide(people["director"])) == {mine, theirs, own}
    assert set(exemptions_to_decide(people["team_manager"])) == set()

    work = exemption_work(people["head_of_service"])
    assert work == [
        {
            "title": "Exemptions to decide",
            "items": [
                {
                    "text": f"Decide the exemption for {people['auditor']} in December 2026",
                    "url": f"/programme/exemptions/{mine.pk}/decide/",
                }
            ],
        }
    ]
    assert exemption_work(people["team_manager"]) == []
    assert exemption_work(people["leader"]) == []


def test_qa_lead_ends_a_standing_exemption(people):
    exemption = exemption_record_standing(
        auditor=people["moderator"],
        standing_reason=StandingReason.MODERATOR,
        starts_on=datetime.date(2026, 1, 1),
        user=people["qa_lead"],
    )
    ended = exemptions.exemption_end(exemption=exemption, user=people["qa_lead"], today=TODAY)
    assert ended.ends_on == TODAY
    assert auditor_is_exempt(people["moderator"], datetime.date(2026, 11, 1))
    assert not auditor_is_exempt(people["moderator"], DEC)
    with pytest.raises(ValidationError) as error:
        exemptions.exemption_end(
            exemption=exemption, user=people["qa_lead"], today=datetime.date(2026, 11, 16)
        )
    assert error.value.messages == ["This exemption ended on 15 November 2026"]


def test_ending_an_exemption_not_started_means_it_never_applies(people):
    exemption = exemption_record_standing(
        auditor=people["auditor"],
        standing_reason=StandingReason.LONG_ABSENCE,
        starts_on=datetime.date(2027, 2, 1),
        user=people["qa_lead"],
    )
    exemptions.exemption_end(exemption=exemption, user=people["qa_lead"], today=TODAY)
    assert not any(
        auditor_is_exempt(people["auditor"], datetime.date(2027, m, 1)) for m in (1, 2, 3)
    )


def test_only_the_qa_lead_ends_standing_exemptions_and_only_those(people):
    standing = exemption_record_standing(
        auditor=people["auditor"],
        standing_reason=StandingReason.MODERATOR,
        starts_on=datetime.date(2026, 1, 1),
        user=people["qa_lead"],
    )
    with pytest.raises(PermissionDenied):
        exemptions.exemption_end(exemption=standing, user=people["head_of_service"], today=TODAY)
    single = request_for(people)
    with pytest.raises(ValidationError) as error:
        exemptions.exemption_end(exemption=single, user=people["qa_lead"], today=TODAY)
    assert error.value.messages == [exemptions.NOT_STANDING]
