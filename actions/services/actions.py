"""Raising actions from accepted audits, and recording what happens to them.

Each function is one transaction. Updates are appended rows; an action's status is never
written, it follows from them (``actions.status``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from audits.models import Audit, Child

from ..models import Action, ActionKind, ActionSettings, ActionUpdate, ActionUpdateKind
from ..status import state_of

# Messages, as constants the tests assert on.
ALREADY_COMPLETED = "This action was already completed on {date}. Nothing has changed."
ALREADY_TRANSFERRED = (
    "This action was already transferred to the child's plan on {date}. Nothing has changed."
)
NOT_CARE_PLANNING = "Only a care-planning action is transferred to the child's plan."
ENTER_DONE_DATE = "Enter the date the action was done"
DONE_IN_FUTURE = "The date the action was done must be today or in the past"
DONE_BEFORE_RAISED = (
    "The date the action was done must be on or after {date}, when the action was raised"
)
ENTER_TRANSFER_DATE = "Enter the date the action was transferred to the child's plan"
TRANSFER_IN_FUTURE = "The date the action was transferred to the plan must be today or in the past"
TRANSFER_BEFORE_RAISED = (
    "The date the action was transferred to the plan must be on or after {date}, when the "
    "action was raised"
)
ENTER_NOTE = "Enter a note about the action"
NOTE_TOO_LONG = "The note must be 2,000 characters or fewer"
CLOSED_NOT_EDITABLE = "A completed action cannot be changed."
ENTER_REASON = "Enter why you are changing this action"
ENTER_TEXT = "Enter what must happen"
DUE_BEFORE_RAISED = "The due date must be on or after {date}, when the action was raised"
OWNER_INACTIVE = "Choose someone who can still sign in as the owner"
NOTHING_CHANGED = "Change what must happen, its kind, its owner or its due date"

NOTE_MAX_LENGTH = 2000


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _lock(action: Action) -> Action:
    return (
        Action.objects.select_for_update()
        .select_related("child__team__service_area")
        .get(pk=action.pk)
    )


def _state(action: Action, today: datetime.date):
    settings = ActionSettings.load()
    return state_of(action, today, settings.no_update_days)


def _check_date(
    action: Action, happened_on, today, *, field: str, missing: str, future: str, before: str
) -> None:
    if happened_on is None:
        raise ValidationError({field: missing})
    if happened_on > today:
        raise ValidationError({field: future})
    if happened_on < action.raised_on:
        raise ValidationError({field: before.format(date=_day(action.raised_on))})


def _append(action: Action, **fields) -> ActionUpdate:
    """Append an update; a completion or transfer racing another for the same action
    meets the database's one-each constraint and is refused."""
    try:
        with transaction.atomic():
            return ActionUpdate.objects.create(action=action, **fields)
    except IntegrityError:
        existing = ActionUpdate.objects.filter(action=action, kind=fields["kind"]).first()
        day = _day(existing.happened_on) if existing else ""
        message = (
            ALREADY_COMPLETED
            if fields["kind"] == ActionUpdateKind.COMPLETED
            else (ALREADY_TRANSFERRED)
        )
        raise ValidationError(message.format(date=day)) from None


# Raising ----------------------------------------------------------------------------


@transaction.atomic
def actions_raise_from_audit(
    *, audit: Audit, user: User | None = None, today: datetime.date | None = None
) -> list[Action]:
    """Raise one action for each of an accepted audit's proposed actions, never twice.

    The owner is the auditor's suggestion if that person can still sign in, otherwise
    the manager of the child's team now; the due date is the auditor's suggestion if it
    is not before today, otherwise today plus the days for its kind (ActionSettings).
    Returns the actions raised by this call (none if they all exist already).
    """
    if today is None:
        today = timezone.localdate(audit.accepted_at) if audit.accepted_at else timezone.localdate()
    settings = ActionSettings.load()
    child = Child.objects.select_related("team__manager").get(pk=audit.child_id)
    proposals = (
        audit.proposed_actions.filter(action__isnull=True)
        .exclude(text="")
        .select_related("suggested_owner")
        .order_by("order", "pk")
    )
    raised = []
    for proposal in proposals:
        kind = ActionKind.CARE_PLANNING if proposal.for_child_plan else ActionKind.OTHER
        due = proposal.suggested_due
        if due is None or due < today:
            due = today + datetime.timedelta(days=settings.days_for(kind))
        owner = proposal.suggested_owner
        if owner is None or not owner.is_active:
            owner = child.team.manager
        action, created = Action.objects.get_or_create(
            proposed_action=proposal,
            defaults={
                "audit": audit,
                "child": child,
                "team": child.team,
                "text": proposal.text.strip(),
                "kind": kind,
                "owner": owner,
                "raised_on": today,
                "due_date": due,
                "created_by": user,
            },
        )
        if created:
            raised.append(action)
    return raised


# Updates ----------------------------------------------------------------------------


@transaction.atomic
def action_complete(
    *,
    action: Action,
    user: User,
    completed_on: datetime.date | None,
    note: str = "",
    today: datetime.date | None = None,
) -> ActionUpdate:
    """Record that the action was done on ``completed_on`` (not in the future, not before
    it was raised). An action already closed is refused with a message, unchanged."""
    today = today or timezone.localdate()
    locked = _lock(action)
    if not user.has_perm("actions.update_action", locked):
        raise PermissionDenied
    state = _state(locked, today)
    if not state.is_open:
        raise ValidationError(ALREADY_COMPLETED.format(date=_day(state.closed_on)))
    _check_date(
        locked,
        completed_on,
        today,
        field="completed_on",
        missing=ENTER_DONE_DATE,
        future=DONE_IN_FUTURE,
        before=DONE_BEFORE_RAISED,
    )
    note = _clean_note(note, required=False)
    return _append(
        locked,
        kind=ActionUpdateKind.COMPLETED,
        happened_on=completed_on,
        recorded_on=today,
        note=note,
        created_by=user,
    )


@transaction.atomic
def action_transfer(
    *,
    action: Action,
    user: User,
    transferred_on: datetime.date | None,
    child_family_involved: bool,
    iro_involved: bool,
    note: str = "",
    today: datetime.date | None = None,
) -> ActionUpdate:
    """Record that a care-planning action was put into the child's plan on
    ``transferred_on``, and whether the child and family and the IRO or CP chair were
    involved. Once only; it closes the action if it was still open."""
    today = today or timezone.localdate()
    locked = _lock(action)
    if not user.has_perm("actions.update_action", locked):
        raise PermissionDenied
    if locked.kind != ActionKind.CARE_PLANNING:
        raise ValidationError(NOT_CARE_PLANNING)
    state = _state(locked, today)
    if state.transferred_on is not None:
        raise ValidationError(ALREADY_TRANSFERRED.format(date=_day(state.transferred_on)))
    _check_date(
        locked,
        transferred_on,
        today,
        field="transferred_on",
        missing=ENTER_TRANSFER_DATE,
        future=TRANSFER_IN_FUTURE,
        before=TRANSFER_BEFORE_RAISED,
    )
    note = _clean_note(note, required=False)
    return _append(
        locked,
        kind=ActionUpdateKind.TRANSFERRED,
        happened_on=transferred_on,
        recorded_on=today,
        note=note,
        child_family_involved=bool(child_family_involved),
        iro_involved=bool(iro_involved),
        created_by=user,
    )


@transaction.atomic
def action_add_note(
    *, action: Action, user: User, note: str, today: datetime.date | None = None
) -> ActionUpdate:
    """Add a note: progress, a reason for delay, anything the tracker should know."""
    today = today or timezone.localdate()
    locked = _lock(action)
    if not user.has_perm("actions.update_action", locked):
        raise PermissionDenied
    note = _clean_note(note, required=True)
    return _append(
        locked,
        kind=ActionUpdateKind.NOTE,
        happened_on=today,
        recorded_on=today,
        note=note,
        created_by=user,
    )


def _clean_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError({"note": ENTER_NOTE})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": NOTE_TOO_LONG})
    return note


@transaction.atomic
def action_edit(
    *,
    action: Action,
    user: User,
    text: str,
    kind: str,
    owner: User | None,
    due_date: datetime.date,
    reason: str,
    today: datetime.date | None = None,
) -> ActionUpdate:
    """Reword, reclassify, reassign or (Head of Service and QA Lead only) move the due
    date of an open action, saying why. The change is kept as an update."""
    today = today or timezone.localdate()
    locked = _lock(action)
    if not user.has_perm("actions.edit_action", locked):
        raise PermissionDenied
    if not _state(locked, today).is_open:
        raise ValidationError(CLOSED_NOT_EDITABLE)
    text = (text or "").strip()
    reason = (reason or "").strip()
    errors = {}
    if not text:
        errors["text"] = ENTER_TEXT
    if due_date != locked.due_date:
        if not user.has_perm("actions.change_due_date", locked):
            raise PermissionDenied
        if due_date < locked.raised_on:
            errors["due_date"] = DUE_BEFORE_RAISED.format(date=_day(locked.raised_on))
    if owner is not None and not owner.is_active and owner.pk != locked.owner_id:
        errors["owner"] = OWNER_INACTIVE
    if not reason:
        errors["reason"] = ENTER_REASON
    if errors:
        raise ValidationError(errors)

    changes = []
    if text != locked.text:
        changes.append("What must happen was reworded.")
    if kind != locked.kind:
        changes.append(f"Kind: {ActionKind(locked.kind).label} to {ActionKind(kind).label}.")
    if (owner.pk if owner else None) != locked.owner_id:
        before = str(locked.owner) if locked.owner else "nobody"
        changes.append(f"Owner: {before} to {owner or 'nobody'}.")
    if due_date != locked.due_date:
        changes.append(f"Due date: {_day(locked.due_date)} to {_day(due_date)}.")
    if not changes:
        raise ValidationError(NOTHING_CHANGED)
    locked.text, locked.kind, locked.owner, locked.due_date = text, kind, owner, due_date
    locked.save(update_fields=["text", "kind", "owner", "due_date"])
    return ActionUpdate.objects.create(
        action=locked,
        kind=ActionUpdateKind.CHANGED,
        happened_on=today,
        recorded_on=today,
        note=" ".join(changes) + f" Why: {reason}",
        created_by=user,
    )
