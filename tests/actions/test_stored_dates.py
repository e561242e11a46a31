"""Each action's stored dates (what all its updates say) follow every write of an
update, and are read only on a day after which nothing was recorded."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps

from actions.models import STORED_DATES, Action, ActionKind
from actions.services import action_add_note, action_complete, action_edit, action_transfer
from actions.status import store_update_dates, stored_dates_hold, with_status

from .helpers import COMPLETED, NOTE, add_update

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 4, 8)


def stored(action) -> tuple:
    return tuple(Action.objects.filter(pk=action.pk).values_list(*STORED_DATES).get())


def test_the_services_writes_store_the_dates(org, make_action):
    manager = org.users["team_manager"]
    done, moved = make_action(), make_action(kind=ActionKind.CARE_PLANNING)
    assert stored(done) == (None, None, None)
    action_add_note(action=done, user=manager, note="Visited.", today=TODAY)
    assert stored(done) == (None, None, TODAY)
    action_complete(action=done, user=manager, completed_on=datetime.date(2026, 3, 10), today=TODAY)
    assert stored(done) == (datetime.date(2026, 3, 10), None, TODAY)
    action_transfer(
        action=moved,
        user=manager,
        transferred_on=datetime.date(2026, 3, 20),
        child_family_involved=True,
        iro_involved=False,
        today=TODAY,
    )
    assert stored(moved) == (None, datetime.date(2026, 3, 20), TODAY)


def test_an_update_saved_or_deleted_anywhere_moves_the_dates(make_action):
    action = make_action()
    first = add_update(action, NOTE, datetime.date(2026, 3, 5))
    later = add_update(action, NOTE, datetime.date(2026, 3, 9))
    done = add_update(action, COMPLETED, datetime.date(2026, 3, 7), datetime.date(2026, 3, 11))
    assert stored(action) == (datetime.date(2026, 3, 7), None, datetime.date(2026, 3, 11))
    done.delete()
    assert stored(action) == (None, None, datetime.date(2026, 3, 9))
    later.recorded_on = datetime.date(2026, 3, 6)
    later.save()
    assert stored(action) == (None, None, datetime.date(2026, 3, 6))
    first.delete()
    later.delete()
    assert stored(action) == (None, None, None)


def test_the_action_in_memory_keeps_its_dates_when_saved_again(org, make_action):
    action = make_action()
    action_complete(
        action=action,
        user=org.users["team_manager"],
        completed_on=datetime.date(2026, 3, 10),
        today=TODAY,
    )
    assert action.updates_completed_on is None  # read before the update was written
    action.text = "Reworded"
    action.save()
    assert stored(action)[0] == datetime.date(2026, 3, 10)
    assert Action.objects.get(pk=action.pk).text == "Reworded"


def test_an_edit_keeps_the_dates(org, make_action):
    action = make_action()
    add_update(action, NOTE, datetime.date(2026, 3, 12))
    action_edit(
        action=action,
        user=org.users["qa_lead"],
        text="Reworded",
        kind=action.kind,
        owner=action.owner,
        due_date=action.due_date,
        reason="Clearer",
        today=TODAY,
    )
    assert stored(action) == (None, None, datetime.date(2026, 3, 12))


def test_stored_dates_are_read_unless_an_update_was_recorded_after_the_day(make_action):
    action = make_action()
    assert stored_dates_hold(TODAY)  # nothing recorded at all
    add_update(action, NOTE, TODAY)
    assert stored_dates_hold(TODAY)  # recorded that very day
    assert not stored_dates_hold(TODAY - datetime.timedelta(days=1))


def test_todays_status_is_the_stored_dates(make_action):
    """Read from the row, not the updates: a stored date is what today's status shows."""
    action = make_action()
    add_update(action, COMPLETED, datetime.date(2026, 3, 10))
    Action.objects.filter(pk=action.pk).update(updates_completed_on=None)
    (row,) = with_status(Action.objects.filter(pk=action.pk), today=TODAY, no_update_days=14)
    assert row.completed_on is None and row.status == "overdue"
    store_update_dates([action.pk])
    (row,) = with_status(Action.objects.filter(pk=action.pk), today=TODAY, no_update_days=14)
    assert row.completed_on == datetime.date(2026, 3, 10) and row.status == "completed_on_time"


def test_migrating_stores_the_dates_of_existing_actions(make_action):
    action = make_action()
    add_update(action, COMPLETED, datetime.date(2026, 3, 10))
    Action.objects.filter(pk=action.pk).update(updates_completed_on=None)
    migration = importlib.import_module("actions.migrations.0005_action_dates_from_updates")
    migration.store_dates(django_apps, None)
    assert stored(action)[0] == datetime.date(2026, 3, 10)
