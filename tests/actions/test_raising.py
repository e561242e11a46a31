"""Actions are raised from an accepted audit's proposed actions, once each."""

import datetime

import pytest
import time_machine

from actions.models import Action, ActionKind, ActionSettings
from actions.services import actions_raise_from_audit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACCEPT_DAY = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


@time_machine.travel(ACCEPT_DAY, tick=False)
def test_accepting_raises_one_action_per_proposal_with_defaults(accept, org):
    audit = accept(
        proposals=[
            {"text": "Update the child's plan with SMART outcomes", "for_child_plan": True},
            {"text": "Hold reflective supervision"},
        ]
    )
    actions = list(Action.objects.filter(audit=audit).order_by("pk"))
    assert [(a.text, a.kind) for a in actions] == [
        ("Update the child's plan with SMART outcomes", ActionKind.CARE_PLANNING),
        ("Hold reflective supervision", ActionKind.OTHER),
    ]
    assert all(a.owner == org.users["team_manager"] for a in actions)
    assert all(a.team == org.team_a and a.child == audit.child for a in actions)
    assert [a.raised_on for a in actions] == [datetime.date(2026, 3, 2)] * 2
    assert [a.due_date for a in actions] == [datetime.date(2026, 3, 30), datetime.date(2026, 4, 13)]
    assert all(a.proposed_action.audit_id == audit.pk for a in actions)


@time_machine.travel(ACCEPT_DAY, tick=False)
def test_suggested_owner_and_date_are_used(accept, org):
    worker = UserFactory(team=org.team_a)
    audit = accept(
        proposals=[
            {
                "text": "Complete the genogram",
                "suggested_owner": worker,
                "suggested_due": datetime.date(2026, 3, 16),
            }
        ]
    )
    action = Action.objects.get(audit=audit)
    assert (action.owner, action.due_date) == (worker, datetime.date(2026, 3, 16))


@time_machine.travel(ACCEPT_DAY, tick=False)
def test_a_suggestion_that_no_longer_works_falls_back_to_the_defaults(accept, org):
    gone = UserFactory(team=org.team_a, is_active=False)
    audit = accept(
        proposals=[
            {
                "text": "Complete the genogram",
                "suggested_owner": gone,
                "suggested_due": datetime.date(2026, 2, 1),
            }
        ]
    )
    action = Action.objects.get(audit=audit)
    assert (action.owner, action.due_date) == (
        org.users["team_manager"],
        datetime.date(2026, 4, 13),
    )


@time_machine.travel(ACCEPT_DAY, tick=False)
def test_the_settings_decide_the_default_timescales(accept):
    ActionSettings.objects.update_or_create(pk=1, defaults={"care_planning_days": 10})
    audit = accept(proposals=[{"text": "Put it in the plan", "for_child_plan": True}])
    assert Action.objects.get(audit=audit).due_date == datetime.date(2026, 3, 12)


@time_machine.travel(ACCEPT_DAY, tick=False)
def test_raising_again_never_duplicates(accept, org):
    audit = accept(proposals=[{"text": "One"}, {"text": "Two"}])
    assert actions_raise_from_audit(audit=audit, user=org.users["qa_lead"]) == []
    assert Action.objects.filter(audit=audit).count() == 2


@time_machine.travel(ACCEPT_DAY, tick=False)
def test_an_audit_without_proposals_raises_nothing(accept):
    audit = accept()
    assert not Action.objects.filter(audit=audit).exists()
