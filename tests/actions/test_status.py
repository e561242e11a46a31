"""An action's status at every boundary, and the database annotation agreeing with it."""

import datetime
import itertools
from types import SimpleNamespace

import pytest

from actions.models import Action, ActionKind, ActionStatus, TransferStatus
from actions.status import action_state, state_of, with_status

from .helpers import CHANGED, COMPLETED, NOTE, TRANSFERRED, add_update

RAISED = datetime.date(2026, 3, 2)
DUE = datetime.date(2026, 3, 30)
N = 14


def day(offset: int) -> datetime.date:
    """A day relative to the due date."""
    return DUE + datetime.timedelta(days=offset)


def update(kind, happened_on, recorded_on=None):
    return SimpleNamespace(
        kind=kind, happened_on=happened_on, recorded_on=recorded_on or happened_on
    )


def state(today, updates=(), kind=ActionKind.OTHER, raised_on=RAISED, due_date=DUE):
    return action_state(
        kind=kind,
        raised_on=raised_on,
        due_date=due_date,
        updates=updates,
        today=today,
        no_update_days=N,
    )


def test_due_today_is_not_yet_due():
    assert state(DUE).status == ActionStatus.NOT_YET_DUE


def test_the_day_after_the_due_date_is_overdue():
    assert state(day(1)).status == ActionStatus.OVERDUE


def test_completed_on_the_due_date_is_on_time():
    result = state(day(5), [update(COMPLETED, DUE)])
    assert result.status == ActionStatus.COMPLETED_ON_TIME
    assert result.closed_on == DUE


def test_completed_the_day_after_is_late():
    assert state(day(5), [update(COMPLETED, day(1))]).status == ActionStatus.COMPLETED_LATE


def test_completion_recorded_late_but_dated_on_time_is_on_time():
    result = state(day(10), [update(COMPLETED, day(-1), recorded_on=day(9))])
    assert result.status == ActionStatus.COMPLETED_ON_TIME


def test_completion_recorded_after_today_is_not_yet_known():
    result = state(day(3), [update(COMPLETED, day(-1), recorded_on=day(9))])
    assert result.status == ActionStatus.OVERDUE


def test_no_update_for_exactly_n_days_is_flagged_and_n_minus_one_is_not():
    assert state(RAISED + datetime.timedelta(days=N)).no_update is True
    assert state(RAISED + datetime.timedelta(days=N - 1)).no_update is False


def test_a_note_restarts_the_no_update_clock():
    noted = RAISED + datetime.timedelta(days=10)
    updates = [update(NOTE, noted)]
    assert state(noted + datetime.timedelta(days=N - 1), updates).no_update is False
    assert state(noted + datetime.timedelta(days=N), updates).no_update is True


def test_changing_owner_or_date_is_not_following_it_up():
    updates = [update(CHANGED, RAISED + datetime.timedelta(days=10))]
    assert state(RAISED + datetime.timedelta(days=N), updates).no_update is True


def test_no_update_combines_with_overdue():
    result = state(day(1), raised_on=day(-N))
    assert (result.status, result.no_update) == (ActionStatus.OVERDUE, True)


def test_completed_action_is_never_without_update():
    result = state(day(60), [update(COMPLETED, RAISED)])
    assert result.no_update is False


def test_other_actions_have_no_transfer_status():
    assert state(DUE).transfer == ""


@pytest.mark.parametrize(
    ("transferred", "expected"),
    [
        (DUE, TransferStatus.ON_TIME),
        (day(1), TransferStatus.LATE),
        (None, TransferStatus.NOT_TRANSFERRED),
    ],
)
def test_transfer_on_or_after_the_due_date(transferred, expected):
    updates = [update(TRANSFERRED, transferred)] if transferred else []
    assert state(day(5), updates, kind=ActionKind.CARE_PLANNING).transfer == expected


def test_transfer_closes_a_care_planning_action():
    result = state(day(5), [update(TRANSFERRED, day(-2))], kind=ActionKind.CARE_PLANNING)
    assert result.status == ActionStatus.COMPLETED_ON_TIME
    assert result.closed_on == day(-2)


def test_care_planning_action_closes_on_the_earlier_of_done_and_transferred():
    updates = [update(COMPLETED, day(3)), update(TRANSFERRED, day(-1))]
    result = state(day(5), updates, kind=ActionKind.CARE_PLANNING)
    assert (result.closed_on, result.status) == (day(-1), ActionStatus.COMPLETED_ON_TIME)
    assert result.completed_on == day(3)


def test_done_but_not_in_the_plan_is_shown():
    result = state(day(5), [update(COMPLETED, DUE)], kind=ActionKind.CARE_PLANNING)
    assert result.status == ActionStatus.COMPLETED_ON_TIME
    assert result.transfer == TransferStatus.NOT_TRANSFERRED


# The database annotation gives the same answer as the Python function on a grid. ------

KINDS = [ActionKind.OTHER, ActionKind.CARE_PLANNING]
HISTORIES = {
    "nothing": [],
    "done early": [(COMPLETED, -3, -3)],
    "done on the due date": [(COMPLETED, 0, 0)],
    "done a day late": [(COMPLETED, 1, 1)],
    "done on time, recorded late": [(COMPLETED, -1, 6)],
    "transferred on the due date": [(TRANSFERRED, 0, 0)],
    "transferred a day late": [(TRANSFERRED, 1, 2)],
    "transferred then done": [(TRANSFERRED, 2, 2), (COMPLETED, -1, 3)],
    "note recently": [(NOTE, -5, -5)],
    "note long ago": [(NOTE, -25, -25)],
    "changed only": [(CHANGED, -20, -20)],
}
TODAYS = [-N - 1, -14, -13, -1, 0, 1, 2, 6, 20]


@pytest.mark.django_db
def test_database_annotation_agrees_with_the_python_status_on_a_grid(make_action):
    cases = []
    for kind, (name, history) in itertools.product(KINDS, HISTORIES.items()):
        if kind == ActionKind.OTHER and any(k == TRANSFERRED for k, *_ in history):
            continue  # only care-planning actions are transferred
        action = make_action(kind=kind, raised_on=day(-28), due_date=DUE, text=name)
        for kind_, happened, recorded in history:
            add_update(action, kind_, day(happened), day(recorded))
        cases.append(action)
    assert len(cases) == 19
    checked = 0
    for offset in TODAYS:
        today = day(offset)
        annotated = {
            a.pk: a
            for a in with_status(
                Action.objects.filter(pk__in=[c.pk for c in cases]), today=today, no_update_days=N
            )
        }
        for action in Action.objects.filter(pk__in=annotated).prefetch_related("updates"):
            expected = state_of(action, today, N)
            row = annotated[action.pk]
            assert (
                row.status,
                row.no_update,
                row.transfer_status,
                row.closed_on,
                row.completed_on,
                row.transferred_on,
                row.last_activity_on,
            ) == (
                expected.status,
                expected.no_update,
                expected.transfer,
                expected.closed_on,
                expected.completed_on,
                expected.transferred_on,
                expected.last_activity_on,
            ), (action.text, action.kind, offset)
            checked += 1
    assert checked == 19 * len(TODAYS)
