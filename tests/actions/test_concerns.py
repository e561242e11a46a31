"""Cases of Concern: opened by a final Inadequate grade, updated monthly, resolved by
their Head of Service only."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from actions.models import CaseAudit, CaseOfConcern, CaseUpdate, RunKind, TrackerEmail
from actions.services import (
    case_resolve,
    case_update_record,
    concern_record_final_grade,
    concern_send_monthly_requests,
)
from actions.services import concerns as messages
from actions.tasks import send_concern_update_requests
from audits.models import Grade
from audits.signals import final_grade_set
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

ACCEPTED = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC)


@time_machine.travel(ACCEPTED, tick=False)
def test_accepting_an_inadequate_audit_opens_a_case_for_the_head_of_service(
    accept, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        audit = accept(grade=Grade.INADEQUATE)
    case = CaseOfConcern.objects.get(child=audit.child)
    assert (case.head_of_service, case.service_area, case.team) == (
        org.users["head_of_service"],
        org.area_a,
        org.team_a,
    )
    assert case.opened_on == datetime.date(2026, 3, 10)
    assert case.is_open
    link = CaseAudit.objects.get(case=case)
    assert (link.audit, link.final_grade) == (audit, Grade.INADEQUATE)
    opened = [m for m in mail.outbox if m.to == ["alice@council.example"]]
    assert len(opened) == 1
    assert opened[0].subject == f"New Case of Concern: case {audit.child.case_reference}"
    assert reverse("actions:case_detail", args=[case.pk]) in opened[0].body


@time_machine.travel(ACCEPTED, tick=False)
def test_a_good_audit_opens_no_case(accept):
    accept(grade=Grade.GOOD)
    assert not CaseOfConcern.objects.exists()


@time_machine.travel(ACCEPTED, tick=False)
def test_a_second_inadequate_audit_joins_the_open_case(accept, org):
    first = accept(grade=Grade.INADEQUATE)
    second = accept(grade=Grade.INADEQUATE, child=first.child)
    case = CaseOfConcern.objects.get()
    assert set(case.links.values_list("audit_id", flat=True)) == {first.pk, second.pk}


@time_machine.travel(ACCEPTED, tick=False)
def test_final_grade_set_by_moderation_opens_a_case(accept, org):
    audit = accept(grade=Grade.REQUIRES_IMPROVEMENT)
    assert not CaseOfConcern.objects.exists()
    final_grade_set.send(
        sender=type(audit),
        audit=audit,
        grade=Grade.INADEQUATE,
        previous_grade=Grade.REQUIRES_IMPROVEMENT,
        user=org.users["moderator"],
    )
    case = CaseOfConcern.objects.get(child=audit.child)
    assert case.links.get().final_grade == Grade.INADEQUATE


@time_machine.travel(ACCEPTED, tick=False)
def test_moderation_lifting_the_grade_keeps_the_case_open_and_shows_it(accept, org, client):
    audit = accept(grade=Grade.INADEQUATE)
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, tzinfo=datetime.UTC), tick=False):
        final_grade_set.send(
            sender=type(audit),
            audit=audit,
            grade=Grade.REQUIRES_IMPROVEMENT,
            previous_grade=Grade.INADEQUATE,
            user=org.users["moderator"],
        )
        case = CaseOfConcern.objects.get()
        assert case.is_open
        link = case.links.get()
        assert (link.final_grade, link.grade_changed_on) == (
            Grade.REQUIRES_IMPROVEMENT,
            datetime.date(2026, 3, 20),
        )
        client.force_login(org.users["head_of_service"])
        page = client.get(reverse("actions:case_detail", args=[case.pk])).content.decode()
    assert "Requires Improvement" in page
    assert "Changed from Inadequate on 20 March 2026" in page


def test_an_imported_inadequate_audit_opens_a_case_quietly(
    org, make_action, django_capture_on_commit_callbacks
):
    action = make_action()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case = concern_record_final_grade(
            audit=action.audit, grade=Grade.INADEQUATE, today=datetime.date(2025, 6, 1)
        )
    assert case.opened_on == datetime.date(2025, 6, 1)
    assert callbacks == []
    assert mail.outbox == []


def test_a_resolved_case_does_not_stop_a_new_one(org, make_action):
    action = make_action()
    case = concern_record_final_grade(
        audit=action.audit, grade=Grade.INADEQUATE, today=datetime.date(2026, 1, 5)
    )
    case.resolved_on = datetime.date(2026, 2, 1)
    case.save()
    later = make_action(child=action.child)
    new_case = concern_record_final_grade(
        audit=later.audit, grade=Grade.INADEQUATE, today=datetime.date(2026, 3, 5)
    )
    assert new_case.pk != case.pk
    assert CaseOfConcern.objects.filter(child=action.child).count() == 2


@pytest.fixture
def case(org, make_action):
    action = make_action()
    return concern_record_final_grade(
        audit=action.audit, grade=Grade.INADEQUATE, today=datetime.date(2026, 3, 1)
    )


TODAY = datetime.date(2026, 4, 15)


def test_head_of_service_records_a_monthly_update(case, org):
    update = case_update_record(
        case=case,
        user=org.users["head_of_service"],
        child_safe=True,
        plan_progressing=False,
        notes="Plan reviewed; contingency missing.",
        today=TODAY,
    )
    assert (update.month, update.child_safe, update.plan_progressing) == (
        datetime.date(2026, 4, 1),
        True,
        False,
    )


def test_an_update_needs_both_answers_and_notes(case, org):
    with pytest.raises(ValidationError) as excinfo:
        case_update_record(
            case=case,
            user=org.users["head_of_service"],
            child_safe=None,
            plan_progressing=None,
            notes=" ",
            today=TODAY,
        )
    assert excinfo.value.message_dict == {
        "child_safe": [messages.ANSWER_CHILD_SAFE],
        "plan_progressing": [messages.ANSWER_PLAN],
        "notes": [messages.ENTER_NOTES],
    }
    assert not CaseUpdate.objects.exists()


@pytest.mark.parametrize("who", ["qa_lead", "outside_head", "team_manager"])
def test_only_the_head_of_service_updates(case, org, who):
    with pytest.raises(PermissionDenied):
        case_update_record(
            case=case,
            user=org.users[who],
            child_safe=True,
            plan_progressing=True,
            notes="x",
            today=TODAY,
        )


def update(case, org, safe, progressing):
    return case_update_record(
        case=case,
        user=org.users["head_of_service"],
        child_safe=safe,
        plan_progressing=progressing,
        notes="Reviewed with the team manager.",
        today=TODAY,
    )


def test_resolving_needs_both_yes_and_the_confirmation(case, org):
    hos = org.users["head_of_service"]
    with pytest.raises(ValidationError) as excinfo:
        case_resolve(case=case, user=hos, confirmed=True, today=TODAY)
    assert excinfo.value.messages == [messages.RESOLVE_NEEDS_UPDATE]
    update(case, org, True, False)
    with pytest.raises(ValidationError) as excinfo:
        case_resolve(case=case, user=hos, confirmed=True, today=TODAY)
    assert excinfo.value.messages == [messages.RESOLVE_NEEDS_BOTH_YES]
    update(case, org, True, True)
    with pytest.raises(ValidationError) as excinfo:
        case_resolve(case=case, user=hos, confirmed=False, today=TODAY)
    assert excinfo.value.message_dict == {"confirm": [messages.RESOLVE_NEEDS_CONFIRM]}
    case.refresh_from_db()
    assert case.is_open
    case_resolve(case=case, user=hos, confirmed=True, today=TODAY)
    case.refresh_from_db()
    assert (case.resolved_on, case.resolved_by) == (TODAY, hos)


def test_a_resolved_case_takes_no_more_updates(case, org):
    update(case, org, True, True)
    case_resolve(case=case, user=org.users["head_of_service"], confirmed=True, today=TODAY)
    with pytest.raises(ValidationError) as excinfo:
        update(case, org, True, True)
    assert excinfo.value.messages == [messages.CASE_RESOLVED]


def test_qa_lead_cannot_resolve(case, org):
    update(case, org, True, True)
    with pytest.raises(PermissionDenied):
        case_resolve(case=case, user=org.users["qa_lead"], confirmed=True, today=TODAY)


# The monthly request --------------------------------------------------------------


@pytest.fixture
def two_cases(org, make_action):
    a = make_action()
    b = make_action(team=org.team_b)
    c = make_action()
    cases = [
        concern_record_final_grade(
            audit=action.audit, grade=Grade.INADEQUATE, today=datetime.date(2026, 2, 3)
        )
        for action in (a, b, c)
    ]
    # Alice already updated one of her cases this month.
    CaseUpdate.objects.create(
        case=cases[2],
        month=datetime.date(2026, 5, 1),
        child_safe=True,
        plan_progressing=False,
        notes="Early update",
        recorded_on=datetime.date(2026, 5, 1),
    )
    return cases


def requests_sent():
    """This month's requests, planned and then sent, as the commit sets off."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return concern_send_monthly_requests()


FIRST_OF_MONTH = datetime.datetime(2026, 5, 1, 8, 0, tzinfo=datetime.UTC)


@time_machine.travel(FIRST_OF_MONTH, tick=False)
def test_each_head_of_service_is_asked_once_a_month(two_cases, org):
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_concern_update_requests.delay()
        send_concern_update_requests.delay()
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@council.example", "bea@council.example"]
    alice = next(m for m in mail.outbox if m.to == ["alice@council.example"])
    assert alice.subject == "Cases of Concern: 1 update needed for May 2026"
    assert two_cases[0].child.case_reference in alice.body
    assert two_cases[2].child.case_reference not in alice.body
    assert reverse("actions:case_update", args=[two_cases[0].pk]) in alice.body
    assert TrackerEmail.objects.filter(run__kind=RunKind.CONCERN_MONTHLY).count() == 2


def test_next_month_asks_again(two_cases):
    with time_machine.travel(FIRST_OF_MONTH, tick=False):
        requests_sent()
    with time_machine.travel(datetime.datetime(2026, 6, 1, 8, tzinfo=datetime.UTC), tick=False):
        requests_sent()
    alice = [m for m in mail.outbox if m.to == ["alice@council.example"]]
    assert [m.subject for m in alice] == [
        "Cases of Concern: 1 update needed for May 2026",
        "Cases of Concern: 2 updates needed for June 2026",
    ]


@time_machine.travel(FIRST_OF_MONTH, tick=False)
def test_nobody_is_asked_when_every_case_is_up_to_date(org, make_action):
    case = concern_record_final_grade(
        audit=make_action().audit, grade=Grade.INADEQUATE, today=datetime.date(2026, 2, 3)
    )
    case.resolved_on = datetime.date(2026, 4, 1)
    case.save()
    assert requests_sent() == 0
    assert mail.outbox == []


def test_case_for_a_child_who_moved_stays_with_the_head_who_held_it(org, make_action):
    child = ChildFactory(team=org.team_a)
    action = make_action(child=child)
    case = concern_record_final_grade(
        audit=action.audit, grade=Grade.INADEQUATE, today=datetime.date(2026, 2, 3)
    )
    child.team = org.team_b
    child.save()
    case.refresh_from_db()
    assert case.head_of_service == org.users["head_of_service"]
    with time_machine.travel(FIRST_OF_MONTH, tick=False):
        requests_sent()
    assert [m.to[0] for m in mail.outbox] == ["alice@council.example"]
