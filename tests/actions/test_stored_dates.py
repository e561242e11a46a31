"""Each action's stored dates (what all its updates say) follow every write of an
update, and are read only on a day after which nothing was recorded."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps

from actions.models import STORED_DATES, Action, ActionKind, ActionStatus
from actions.selectors import action_status_counts, actions_backlog
from actions.services import action_add_note, action_complete, action_edit, action_transfer
from actions.status import status_parts, store_update_dates, stored_dates_hold, with_status
from common.dates import month_period

from .helpers import CHANGED, COMPLETED, NOTE, TRANSFERRED, add_update

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 4, 8)


def stored(action) -> tuple:
    """The stored completion, transfer and follow-up dates."""
    return stored_all(action)[:3]


def stored_all(action) -> tuple:
    """With the last day an update was recorded."""
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


def test_the_last_day_recorded_follows_every_kind_of_update(make_action):
    action = make_action()
    assert stored_all(action)[3] is None
    note = add_update(action, NOTE, datetime.date(2026, 3, 5))
    assert stored_all(action)[3] == datetime.date(2026, 3, 5)
    # a change of owner or due date is no follow-up, but it was recorded that day
    changed = add_update(action, CHANGED, datetime.date(2026, 3, 9))
    assert stored_all(action) == (None, None, datetime.date(2026, 3, 5), datetime.date(2026, 3, 9))
    add_update(action, COMPLETED, datetime.date(2026, 3, 1), datetime.date(2026, 3, 7))
    assert stored_all(action)[3] == datetime.date(2026, 3, 9)
    changed.delete()
    assert stored_all(action)[3] == datetime.date(2026, 3, 7)
    note.delete()
    assert stored_all(action)[3] == datetime.date(2026, 3, 7)


def test_migrating_stores_the_last_day_recorded(make_action):
    action = make_action()
    add_update(action, NOTE, datetime.date(2026, 3, 10))
    Action.objects.filter(pk=action.pk).update(updates_recorded_until=None)
    migration = importlib.import_module("actions.migrations.0006_action_updates_recorded_until")
    migration.store_dates(django_apps, None)
    assert stored_all(action)[3] == datetime.date(2026, 3, 10)


DAY = datetime.date(2026, 3, 15)


@pytest.fixture
def seen_on_a_past_day(org, make_action):
    """Five actions raised on 2 March, due on 9 March, seen on 15 March; their updates:

    - none: overdue then;
    - completed on 5 March, recorded that day: on time (stored dates hold);
    - completed on 5 March but recorded on 20 March: overdue then (grouped);
    - a care-planning action transferred on 12 March, recorded that day, then completed
      on 25 March: late (transferred) then;
    - noted on 3 March, then its due date changed on 18 March: overdue then, followed up.
    """
    raised, due = datetime.date(2026, 3, 2), datetime.date(2026, 3, 9)
    made = [make_action(raised_on=raised, due_date=due) for _ in range(4)]
    made.insert(3, make_action(raised_on=raised, due_date=due, kind=ActionKind.CARE_PLANNING))
    _, on_time, late_record, transferred, noted = made
    add_update(on_time, COMPLETED, datetime.date(2026, 3, 5))
    add_update(late_record, COMPLETED, datetime.date(2026, 3, 5), datetime.date(2026, 3, 20))
    add_update(transferred, TRANSFERRED, datetime.date(2026, 3, 12))
    add_update(transferred, COMPLETED, datetime.date(2026, 3, 25))
    add_update(noted, NOTE, datetime.date(2026, 3, 3))
    add_update(noted, CHANGED, datetime.date(2026, 3, 18))
    return made


def test_a_past_days_parts_hold_every_action_once_with_its_status_then(seen_on_a_past_day):
    ids = [a.pk for a in seen_on_a_past_day]
    qs = Action.objects.filter(pk__in=ids)
    held, grouped = status_parts(qs, today=DAY, no_update_days=14)
    # the stored dates are read for the actions whose updates were all recorded by then
    assert set(held.values_list("pk", flat=True)) == set(ids[:2])
    assert {a.pk for a in grouped} == set(ids[2:])
    statuses = {a.pk: a.status for part in (held, grouped) for a in part}
    assert statuses == {
        ids[0]: ActionStatus.OVERDUE,
        ids[1]: ActionStatus.COMPLETED_ON_TIME,
        ids[2]: ActionStatus.OVERDUE,
        ids[3]: ActionStatus.COMPLETED_LATE,
        ids[4]: ActionStatus.OVERDUE,
    }
    # the same as grouping every action's updates known that day
    assert statuses == dict(
        with_status(qs, today=DAY, no_update_days=14).values_list("pk", "status")
    )
    follow_ups = {a.pk: a.last_follow_up_on for part in (held, grouped) for a in part}
    assert follow_ups[ids[4]] == datetime.date(2026, 3, 3)


def test_a_past_days_figures_add_up_their_parts(seen_on_a_past_day):
    march = month_period(datetime.date(2026, 3, 1))
    counts = action_status_counts(march, today=DAY)["all"]
    assert counts["total"] == 5
    assert counts[ActionStatus.OVERDUE] == 3
    assert counts[ActionStatus.COMPLETED_ON_TIME] == 1
    assert counts[ActionStatus.COMPLETED_LATE] == 1
    april = month_period(datetime.date(2026, 4, 1))
    backlog = actions_backlog(april, today=DAY)  # raised before April, open on 15 March
    assert (backlog["open"], backlog["overdue"], backlog["never_updated"]) == (3, 3, 2)
