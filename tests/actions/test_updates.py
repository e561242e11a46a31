"""Recording what happens to an action: done, transferred, notes, changes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions.models import ActionKind, ActionUpdate, ActionUpdateKind
from actions.services import (
    action_add_note,
    action_complete,
    action_edit,
    action_transfer,
)
from actions.services import actions as messages
from tests.factories import UserFactory

from .helpers import TRANSFERRED, add_update

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 20)


def errors_of(excinfo):
    error = excinfo.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def test_owner_marks_an_action_done(make_action, org):
    action = make_action()
    update = action_complete(
        action=action,
        user=org.users["team_manager"],
        completed_on=datetime.date(2026, 3, 18),
        note="Chronology brought up to date.",
        today=TODAY,
    )
    assert (update.kind, update.happened_on, update.recorded_on) == (
        ActionUpdateKind.COMPLETED,
        datetime.date(2026, 3, 18),
        TODAY,
    )
    assert update.created_by == org.users["team_manager"]


def test_completing_twice_is_refused_and_changes_nothing(make_action, org):
    action = make_action()
    action_complete(action=action, user=org.users["team_manager"], completed_on=TODAY, today=TODAY)
    with pytest.raises(ValidationError) as excinfo:
        action_complete(action=action, user=org.users["qa_lead"], completed_on=TODAY, today=TODAY)
    assert excinfo.value.messages == [
        "This action was already completed on 20 March 2026. Nothing has changed."
    ]
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_a_transferred_care_planning_action_is_already_completed(make_action, org):
    action = make_action(kind=ActionKind.CARE_PLANNING)
    add_update(action, TRANSFERRED, datetime.date(2026, 3, 10))
    with pytest.raises(ValidationError) as excinfo:
        action_complete(
            action=action, user=org.users["team_manager"], completed_on=TODAY, today=TODAY
        )
    assert excinfo.value.messages == [messages.ALREADY_COMPLETED.format(date="10 March 2026")]


def test_the_database_refuses_a_second_completion_even_in_a_race(make_action, org):
    """Two requests that both saw the action open: the second insert is refused."""
    action = make_action()
    add_update(action, ActionUpdateKind.COMPLETED, TODAY)
    from actions.services.actions import _append

    with pytest.raises(ValidationError) as excinfo:
        _append(
            action,
            kind=ActionUpdateKind.COMPLETED,
            happened_on=TODAY,
            recorded_on=TODAY,
            created_by=org.users["qa_lead"],
        )
    assert excinfo.value.messages == [messages.ALREADY_COMPLETED.format(date="20 March 2026")]
    assert ActionUpdate.objects.filter(action=action).count() == 1


@pytest.mark.parametrize(
    ("completed_on", "message"),
    [
        (None, messages.ENTER_DONE_DATE),
        (datetime.date(2026, 3, 21), messages.DONE_IN_FUTURE),
        (
            datetime.date(2026, 3, 1),
            "The date the action was done must be on or after 2 March 2026, when the "
            "action was raised",
        ),
    ],
)
def test_done_date_must_be_between_raising_and_today(make_action, org, completed_on, message):
    action = make_action()
    with pytest.raises(ValidationError) as excinfo:
        action_complete(
            action=action, user=org.users["team_manager"], completed_on=completed_on, today=TODAY
        )
    assert errors_of(excinfo) == {"completed_on": [message]}
    assert not ActionUpdate.objects.exists()


def test_done_on_the_day_it_was_raised_is_accepted(make_action, org):
    action = make_action()
    update = action_complete(
        action=action,
        user=org.users["team_manager"],
        completed_on=datetime.date(2026, 3, 2),
        today=TODAY,
    )
    assert update.happened_on == datetime.date(2026, 3, 2)


def test_transfer_records_who_was_involved(make_action, org):
    action = make_action(kind=ActionKind.CARE_PLANNING)
    update = action_transfer(
        action=action,
        user=org.users["team_manager"],
        transferred_on=datetime.date(2026, 3, 19),
        child_family_involved=True,
        iro_involved=False,
        today=TODAY,
    )
    assert (update.kind, update.child_family_involved, update.iro_involved) == (
        ActionUpdateKind.TRANSFERRED,
        True,
        False,
    )


def test_only_care_planning_actions_are_transferred(make_action, org):
    action = make_action(kind=ActionKind.OTHER)
    with pytest.raises(ValidationError) as excinfo:
        action_transfer(
            action=action,
            user=org.users["team_manager"],
            transferred_on=TODAY,
            child_family_involved=False,
            iro_involved=False,
            today=TODAY,
        )
    assert excinfo.value.messages == [messages.NOT_CARE_PLANNING]


def test_transfer_after_done_is_recorded_but_twice_is_refused(make_action, org):
    action = make_action(kind=ActionKind.CARE_PLANNING)
    user = org.users["team_manager"]
    action_complete(action=action, user=user, completed_on=TODAY, today=TODAY)
    action_transfer(
        action=action,
        user=user,
        transferred_on=TODAY,
        child_family_involved=True,
        iro_involved=True,
        today=TODAY,
    )
    with pytest.raises(ValidationError) as excinfo:
        action_transfer(
            action=action,
            user=user,
            transferred_on=TODAY,
            child_family_involved=True,
            iro_involved=True,
            today=TODAY,
        )
    assert excinfo.value.messages == [messages.ALREADY_TRANSFERRED.format(date="20 March 2026")]
    assert ActionUpdate.objects.filter(action=action).count() == 2


def test_transfer_date_in_the_future_is_refused(make_action, org):
    action = make_action(kind=ActionKind.CARE_PLANNING)
    with pytest.raises(ValidationError) as excinfo:
        action_transfer(
            action=action,
            user=org.users["team_manager"],
            transferred_on=TODAY + datetime.timedelta(days=1),
            child_family_involved=False,
            iro_involved=False,
            today=TODAY,
        )
    assert errors_of(excinfo) == {"transferred_on": [messages.TRANSFER_IN_FUTURE]}


def test_a_note_needs_text(make_action, org):
    action = make_action()
    with pytest.raises(ValidationError) as excinfo:
        action_add_note(action=action, user=org.users["team_manager"], note="  ", today=TODAY)
    assert errors_of(excinfo) == {"note": [messages.ENTER_NOTE]}
    note = action_add_note(
        action=action, user=org.users["team_manager"], note="Chased the GP", today=TODAY
    )
    assert (note.kind, note.note, note.happened_on) == (
        ActionUpdateKind.NOTE,
        "Chased the GP",
        TODAY,
    )


@pytest.mark.parametrize("who", ["team_manager", "head_of_service", "qa_lead"])
def test_those_who_follow_the_action_may_update_it(make_action, org, who):
    action = make_action(owner=org.users["no_role"])
    action_add_note(action=action, user=org.users[who], note="Seen", today=TODAY)
    action_add_note(action=action, user=org.users["no_role"], note="Owner", today=TODAY)
    assert ActionUpdate.objects.filter(action=action).count() == 2


@pytest.mark.parametrize("who", ["outside_manager", "outside_head", "auditor", "leader"])
def test_outsiders_may_not_update(make_action, org, who):
    action = make_action()
    with pytest.raises(PermissionDenied):
        action_complete(action=action, user=org.users[who], completed_on=TODAY, today=TODAY)
    assert not ActionUpdate.objects.exists()


def test_team_manager_may_reassign_but_not_move_the_due_date(make_action, org):
    action = make_action()
    worker = UserFactory(team=org.team_a)
    action_edit(
        action=action,
        user=org.users["team_manager"],
        text=action.text,
        kind=action.kind,
        owner=worker,
        due_date=action.due_date,
        reason="Sam holds the case now",
        today=TODAY,
    )
    action.refresh_from_db()
    assert action.owner == worker
    change = ActionUpdate.objects.get(action=action)
    assert change.kind == ActionUpdateKind.CHANGED
    assert worker.get_full_name() in change.note and "Sam holds the case now" in change.note
    with pytest.raises(PermissionDenied):
        action_edit(
            action=action,
            user=org.users["team_manager"],
            text=action.text,
            kind=action.kind,
            owner=worker,
            due_date=datetime.date(2026, 5, 1),
            reason="More time",
            today=TODAY,
        )


def test_head_of_service_may_extend_the_due_date_with_a_reason(make_action, org):
    action = make_action()
    kwargs = {
        "action": action,
        "user": org.users["head_of_service"],
        "text": action.text,
        "kind": action.kind,
        "owner": action.owner,
        "today": TODAY,
    }
    with pytest.raises(ValidationError) as excinfo:
        action_edit(due_date=datetime.date(2026, 1, 1), reason="", **kwargs)
    assert errors_of(excinfo) == {
        "due_date": ["The due date must be on or after 2 March 2026, when the action was raised"],
        "reason": [messages.ENTER_REASON],
    }
    action_edit(due_date=datetime.date(2026, 4, 30), reason="Awaiting court date", **kwargs)
    action.refresh_from_db()
    assert action.due_date == datetime.date(2026, 4, 30)
    assert "Due date: 30 March 2026 to 30 April 2026." in ActionUpdate.objects.get().note


def test_a_completed_action_cannot_be_changed(make_action, org):
    action = make_action()
    action_complete(action=action, user=org.users["team_manager"], completed_on=TODAY, today=TODAY)
    with pytest.raises(ValidationError) as excinfo:
        action_edit(
            action=action,
            user=org.users["qa_lead"],
            text="Something else",
            kind=action.kind,
            owner=action.owner,
            due_date=action.due_date,
            reason="Reworded",
            today=TODAY,
        )
    assert excinfo.value.messages == [messages.CLOSED_NOT_EDITABLE]
