"""An action's status: a pure function of the action, its updates and the day it is seen.

The rules, defined once and expressed twice (in Python for one action, as a database
annotation for lists and figures; ``tests/actions/test_status.py`` keeps them equal):

* Only updates recorded on or before "today" count, so a figure for a past day shows
  what was known that day.
* An action is **closed** on the day it was done (its completion date). A care-planning
  action is also closed by being transferred to the child's plan: the plan then carries
  it and the child's reviews follow it up. So a care-planning action closes on the
  earlier of its completion and transfer dates.
* **Completed on time**: closed on or before the due date. **Completed late**: closed
  after it. **Not yet due**: open and today is on or before the due date (an action due
  today is not yet overdue). **Overdue**: open and today is after the due date.
* **No update**: open, and nothing has been recorded for ``no_update_days`` days or more
  since it was raised or last followed up (a note, a completion or a transfer; changing
  its owner or due date is not following it up). It is a flag beside the status, not a
  status of its own: an overdue action can also have no update, and is shown as both.
* **Transfer** (care-planning actions only): in the child's plan on time (transferred on
  or before the due date), late (after it), or not yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from .models import (
    FOLLOW_UP_KINDS,
    Action,
    ActionKind,
    ActionStatus,
    ActionUpdate,
    ActionUpdateKind,
    TransferStatus,
)


@dataclass(frozen=True)
class ActionState:
    status: str
    no_update: bool
    transfer: str  # a TransferStatus, or "" for an action that is not care-planning
    completed_on: datetime.date | None  # the day it was done
    transferred_on: datetime.date | None
    closed_on: datetime.date | None
    last_activity_on: datetime.date

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status).label

    @property
    def transfer_label(self) -> str:
        return TransferStatus(self.transfer).label if self.transfer else ""


def action_state(
    *,
    kind: str,
    raised_on: datetime.date,
    due_date: datetime.date,
    updates: Iterable,
    today: datetime.date,
    no_update_days: int,
) -> ActionState:
    """The status of one action on ``today``; ``updates`` have kind, happened_on, recorded_on."""
    known = [u for u in updates if u.recorded_on <= today]
    completed = [u.happened_on for u in known if u.kind == ActionUpdateKind.COMPLETED]
    transferred = [u.happened_on for u in known if u.kind == ActionUpdateKind.TRANSFERRED]
    completed_on = min(completed) if completed else None
    transferred_on = min(transferred) if transferred else None
    closing = [completed_on]
    if kind == ActionKind.CARE_PLANNING:
        closing.append(transferred_on)
    closing = [day for day in closing if day is not None]
    closed_on = min(closing) if closing else None

    if closed_on is not None:
        status = (
            ActionStatus.COMPLETED_ON_TIME if closed_on <= due_date else ActionStatus.COMPLETED_LATE
        )
    else:
        status = ActionStatus.OVERDUE if today > due_date else ActionStatus.NOT_YET_DUE

    follow_ups = [u.recorded_on for u in known if u.kind in FOLLOW_UP_KINDS]
    last_activity_on = max([raised_on, *follow_ups])
    no_update = closed_on is None and (today - last_activity_on).days >= no_update_days

    if kind != ActionKind.CARE_PLANNING:
        transfer = ""
    elif transferred_on is None:
        transfer = TransferStatus.NOT_TRANSFERRED
    elif transferred_on <= due_date:
        transfer = TransferStatus.ON_TIME
    else:
        transfer = TransferStatus.LATE

    return ActionState(
        status=str(status),
        no_update=no_update,
        transfer=str(transfer),
        completed_on=completed_on,
        transferred_on=transferred_on,
        closed_on=closed_on,
        last_activity_on=last_activity_on,
    )


def state_of(action, today: datetime.date, no_update_days: int) -> ActionState:
    """The state of a saved action, from its (prefetched) updates."""
    return action_state(
        kind=action.kind,
        raised_on=action.raised_on,
        due_date=action.due_date,
        updates=action.updates.all(),
        today=today,
        no_update_days=no_update_days,
    )


def _first(updates, kinds, field: str, aggregate):
    """One action's MIN or MAX of ``field`` over its updates of ``kinds`` (None: all of
    them), as a subquery."""
    rows = updates.objects.filter(action=OuterRef("pk")).order_by()
    if kinds is not None:
        rows = rows.filter(kind__in=kinds)
    return Subquery(rows.values("action").annotate(day=aggregate(field)).values("day")[:1])


def store_update_dates(
    actions: QuerySet | Iterable[int], *, models: tuple = (Action, ActionUpdate)
) -> int:
    """Store on each of ``actions`` (a queryset of actions, or their ids) what all its
    updates say: the first completion and transfer (happened on) and the last follow-up
    (recorded on), as ``action_state`` reads them, and the last day any of its updates
    was recorded, after which they hold. One UPDATE; the actions' count.
    ``models``: the action and update models (a migration passes its own)."""
    action_model, updates = models
    ids = actions.values("pk") if isinstance(actions, QuerySet) else list(actions)
    dates = {
        "updates_completed_on": _first(updates, [ActionUpdateKind.COMPLETED], "happened_on", Min),
        "updates_transferred_on": _first(
            updates, [ActionUpdateKind.TRANSFERRED], "happened_on", Min
        ),
        "updates_follow_up_on": _first(updates, FOLLOW_UP_KINDS, "recorded_on", Max),
        "updates_recorded_until": _first(updates, None, "recorded_on", Max),
    }
    # A migration's model has the dates stored by then only.
    fields = {f.name for f in action_model._meta.concrete_fields}
    return action_model.objects.filter(pk__in=ids).update(
        **{name: value for name, value in dates.items() if name in fields}
    )


def stored_dates_hold(today: datetime.date) -> bool:
    """The stored dates are the updates as known on ``today`` unless an update was
    recorded after it (a figure for a past day). One query, on an index."""
    return not ActionUpdate.objects.filter(recorded_on__gt=today).exists()


def with_status(qs: QuerySet, *, today: datetime.date, no_update_days: int) -> QuerySet:
    """Annotate actions with the same rules as ``action_state``, in the database.

    Adds ``completed_on``, ``transferred_on``, ``last_follow_up_on``, ``closed_on``,
    ``last_activity_on``, ``status``, ``no_update`` (bool) and ``transfer_status`` (""
    if not care-planning).

    The three dates come from the action's own row (``store_update_dates``) when no
    update was recorded after ``today``, as for every page and figure of today: one
    row per action, no join. For a past day they are conditional MIN/MAX over one join
    to the updates, grouped by action, ignoring what was recorded later: filters on
    these annotations then go to HAVING, and counting over them needs ``aggregate()``
    (which Django runs over the grouped query as a subquery) rather than
    ``values().annotate()``. Figures count over ``status_parts`` instead, which groups
    only the actions with an update recorded after that day. Correlated subqueries,
    which Django copied into every expression that referred to them, made the plan cost
    grow past PostgreSQL's JIT threshold at a few hundred actions.
    """
    return _status(qs, today, no_update_days, stored=stored_dates_hold(today))


class StatusParts(NamedTuple):
    """Actions annotated as by ``with_status``, in parts whose counts add up."""

    #: the actions whose updates were all recorded by the day: their stored dates
    held: QuerySet
    #: for a past day, those with an update recorded later, their updates known that
    #: day grouped by action; for today or later, none (counted without a query)
    grouped: QuerySet


def status_parts(qs: QuerySet, *, today: datetime.date, no_update_days: int) -> StatusParts:
    """``qs`` annotated as by ``with_status``, in parts whose counts add up. For today
    (or later) every action reads its stored dates: nothing can have been recorded
    after today. For a past day, the actions whose updates were all recorded by then
    read their stored dates and only the others, with an update recorded later (found
    on an index), have their updates known that day grouped: counting a past quarter
    groups the few actions updated since, not every action raised by then. The number
    of queries depends on the day only, never on the data."""
    if today >= timezone.localdate():
        held = _status(qs, today, no_update_days, stored=True)
        return StatusParts(held=held, grouped=held.none())
    held = Q(updates_recorded_until__isnull=True) | Q(updates_recorded_until__lte=today)
    return StatusParts(
        held=_status(qs.filter(held), today, no_update_days, stored=True),
        grouped=_status(
            qs.filter(updates_recorded_until__gt=today), today, no_update_days, stored=False
        ),
    )


def _status(qs: QuerySet, today: datetime.date, no_update_days: int, *, stored: bool):
    quiet_since = today - datetime.timedelta(days=no_update_days)
    care = Q(kind=ActionKind.CARE_PLANNING)
    if stored:
        dated = qs.annotate(
            completed_on=F("updates_completed_on"),
            transferred_on=F("updates_transferred_on"),
            last_follow_up_on=F("updates_follow_up_on"),
        )
    else:
        known = Q(updates__recorded_on__lte=today)
        dated = qs.annotate(
            completed_on=Min(
                "updates__happened_on",
                filter=known & Q(updates__kind=ActionUpdateKind.COMPLETED),
            ),
            transferred_on=Min(
                "updates__happened_on",
                filter=known & Q(updates__kind=ActionUpdateKind.TRANSFERRED),
            ),
            last_follow_up_on=Max(
                "updates__recorded_on",
                filter=known & Q(updates__kind__in=FOLLOW_UP_KINDS),
            ),
        )
    return dated.annotate(
        closed_on=Case(
            When(~care, then=F("completed_on")),
            When(completed_on__isnull=True, then=F("transferred_on")),
            When(transferred_on__isnull=True, then=F("completed_on")),
            When(transferred_on__lt=F("completed_on"), then=F("transferred_on")),
            default=F("completed_on"),
            output_field=DateField(),
        ),
        last_activity_on=Case(
            When(last_follow_up_on__gt=F("raised_on"), then=F("last_follow_up_on")),
            default=F("raised_on"),
            output_field=DateField(),
        ),
    ).annotate(
        status=Case(
            When(
                closed_on__isnull=False,
                closed_on__lte=F("due_date"),
                then=Value(ActionStatus.COMPLETED_ON_TIME.value),
            ),
            When(closed_on__isnull=False, then=Value(ActionStatus.COMPLETED_LATE.value)),
            When(due_date__lt=today, then=Value(ActionStatus.OVERDUE.value)),
            default=Value(ActionStatus.NOT_YET_DUE.value),
            output_field=CharField(),
        ),
        no_update=Case(
            When(closed_on__isnull=True, last_activity_on__lte=quiet_since, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        transfer_status=Case(
            When(~care, then=Value("")),
            When(transferred_on__isnull=True, then=Value(TransferStatus.NOT_TRANSFERRED.value)),
            When(transferred_on__lte=F("due_date"), then=Value(TransferStatus.ON_TIME.value)),
            default=Value(TransferStatus.LATE.value),
            output_field=CharField(),
        ),
    )


def open_q() -> Q:
    """For a queryset annotated by ``with_status``: the actions still open."""
    return Q(closed_on__isnull=True)
