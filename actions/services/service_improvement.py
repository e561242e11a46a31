"""Service improvement actions: raised from a report's findings by the QA Lead or the
Administrator, followed up by their leads until done.

Each function is one transaction that locks the action's row first, so two people
recording at once are applied one after the other. The status is never written: it
follows from the progress updates and the day the action was done
(``actions.selectors.service_improvement``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import ServiceArea, User

from ..models import ServiceImprovementAction, ServiceImprovementUpdate

TITLE_MAX_LENGTH = 300
FINDING_MAX_LENGTH = 2000
LEAD_DESCRIPTION_MAX_LENGTH = 200
RAISED_IN_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 2000
MAX_LEADS = 3

# Messages, as constants the tests assert on.
ENTER_TITLE = "Enter what will happen"
TITLE_TOO_LONG = f"What will happen must be {TITLE_MAX_LENGTH} characters or fewer"
FINDING_TOO_LONG = f"The finding must be {FINDING_MAX_LENGTH:,} characters or fewer"
CHOOSE_LEAD = "Choose at least one lead"
TOO_MANY_LEADS = f"Choose at most {MAX_LEADS} leads; name a group in the lead's description"
LEAD_INACTIVE = "Choose leads who can still sign in"
LEAD_DESCRIPTION_TOO_LONG = (
    f"The lead's description must be {LEAD_DESCRIPTION_MAX_LENGTH} characters or fewer"
)
CHOOSE_SERVICE_AREA = "Choose a service area from the list, or the whole organisation"
ENTER_TIMESCALE = "Enter the timescale"
TIMESCALE_BEFORE_RAISED = "The timescale must be on or after {date}, when the action was raised"
ENTER_RAISED_IN = "Enter where the action was raised, like Quarterly report Q1 2026-27"
RAISED_IN_TOO_LONG = f"Where it was raised must be {RAISED_IN_MAX_LENGTH} characters or fewer"
ENTER_NOTE = "Enter the progress made"
NOTE_TOO_LONG = f"The progress must be {NOTE_MAX_LENGTH:,} characters or fewer"
ENTER_DONE_DATE = "Enter the date the action was done"
DONE_IN_FUTURE = "The date the action was done must be today or in the past"
DONE_BEFORE_RAISED = (
    "The date the action was done must be on or after {date}, when the action was raised"
)
ALREADY_DONE = "This action was done on {date}. Nothing has changed."


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _lock(improvement: ServiceImprovementAction) -> ServiceImprovementAction:
    return (
        # The service area may be empty (an outer join): lock only the action's row.
        ServiceImprovementAction.objects.select_for_update(of=("self",))
        .select_related("service_area")
        .get(pk=improvement.pk)
    )


def _text(value, *, required: str | None, max_length: int, too_long: str, field: str, errors):
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        errors[field] = required or too_long
        return ""
    if required and not value:
        errors[field] = required
    elif len(value) > max_length:
        errors[field] = too_long
    return value


def _clean(
    *,
    title,
    finding,
    leads,
    lead_description,
    service_area,
    timescale,
    raised_in,
    raised_on: datetime.date,
    current_leads: set[int],
) -> dict:
    """Every field checked at once: a dict of clean values, or one ValidationError
    naming each field that is wrong."""
    errors: dict[str, str] = {}
    clean = {
        "title": _text(
            title,
            required=ENTER_TITLE,
            max_length=TITLE_MAX_LENGTH,
            too_long=TITLE_TOO_LONG,
            field="title",
            errors=errors,
        ),
        "finding": _text(
            finding,
            required=None,
            max_length=FINDING_MAX_LENGTH,
            too_long=FINDING_TOO_LONG,
            field="finding",
            errors=errors,
        ),
        "lead_description": _text(
            lead_description,
            required=None,
            max_length=LEAD_DESCRIPTION_MAX_LENGTH,
            too_long=LEAD_DESCRIPTION_TOO_LONG,
            field="lead_description",
            errors=errors,
        ),
        "raised_in": _text(
            raised_in,
            required=ENTER_RAISED_IN,
            max_length=RAISED_IN_MAX_LENGTH,
            too_long=RAISED_IN_TOO_LONG,
            field="raised_in",
            errors=errors,
        ),
    }
    people = list({person.pk: person for person in leads or () if person is not None}.values())
    if not people:
        errors["leads"] = CHOOSE_LEAD
    elif len(people) > MAX_LEADS:
        errors["leads"] = TOO_MANY_LEADS
    elif any(not p.is_active and p.pk not in current_leads for p in people):
        errors["leads"] = LEAD_INACTIVE
    if service_area is not None and not isinstance(service_area, ServiceArea):
        errors["service_area"] = CHOOSE_SERVICE_AREA
    # A datetime is a date too, but not a day: refuse it like any other wrong value.
    if not isinstance(timescale, datetime.date) or isinstance(timescale, datetime.datetime):
        errors["timescale"] = ENTER_TIMESCALE
    elif timescale < raised_on:
        errors["timescale"] = TIMESCALE_BEFORE_RAISED.format(date=_day(raised_on))
    if errors:
        raise ValidationError(errors)
    return clean | {"leads": people, "service_area": service_area, "timescale": timescale}


@transaction.atomic
def service_improvement_create(
    *,
    user: User,
    title: str,
    leads: list[User],
    timescale: datetime.date,
    raised_in: str,
    finding: str = "",
    lead_description: str = "",
    service_area: ServiceArea | None = None,
    today: datetime.date | None = None,
) -> ServiceImprovementAction:
    """Raise a service improvement action (the QA Lead or the Administrator): what will
    happen, one to three leads who can sign in, a timescale on or after today, and where
    it was raised; optionally the finding it answers, a lead's description for a group
    and a service area (none: the whole organisation)."""
    if not user.has_perm("actions.manage_improvements"):
        raise PermissionDenied
    today = today or timezone.localdate()
    data = _clean(
        title=title,
        finding=finding,
        leads=leads,
        lead_description=lead_description,
        service_area=service_area,
        timescale=timescale,
        raised_in=raised_in,
        raised_on=today,
        current_leads=set(),
    )
    people = data.pop("leads")
    improvement = ServiceImprovementAction(**data, raised_on=today, created_by=user)
    improvement._history_user = user
    improvement.save()
    improvement.leads.set(people)
    return improvement


@transaction.atomic
def service_improvement_edit(
    *,
    improvement: ServiceImprovementAction,
    user: User,
    title: str,
    leads: list[User],
    timescale: datetime.date,
    raised_in: str,
    finding: str = "",
    lead_description: str = "",
    service_area: ServiceArea | None = None,
) -> ServiceImprovementAction:
    """Change an action that is not done (the QA Lead or the Administrator), by the same
    rules as raising it; the timescale may not be before the day it was raised. A lead
    who can no longer sign in may stay, but not be added. Every change is kept in the
    action's history."""
    locked = _lock(improvement)
    if not user.has_perm("actions.manage_improvements", locked):
        raise PermissionDenied
    if locked.completed_on is not None:
        raise ValidationError(ALREADY_DONE.format(date=_day(locked.completed_on)))
    data = _clean(
        title=title,
        finding=finding,
        leads=leads,
        lead_description=lead_description,
        service_area=service_area,
        timescale=timescale,
        raised_in=raised_in,
        raised_on=locked.raised_on,
        current_leads=set(locked.leads.values_list("pk", flat=True)),
    )
    people = data.pop("leads")
    for name, value in data.items():
        setattr(locked, name, value)
    locked._history_user = user
    locked._change_reason = "Changed"
    locked.save(update_fields=list(data))
    locked.leads.set(people)
    return locked


def _require_update(locked: ServiceImprovementAction, user: User) -> None:
    if not user.has_perm("actions.update_improvement", locked):
        raise PermissionDenied
    if locked.completed_on is not None:
        raise ValidationError(ALREADY_DONE.format(date=_day(locked.completed_on)))


def _clean_note(note, *, required: bool) -> str:
    errors: dict[str, str] = {}
    note = _text(
        note,
        required=ENTER_NOTE if required else None,
        max_length=NOTE_MAX_LENGTH,
        too_long=NOTE_TOO_LONG,
        field="note",
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    return note


@transaction.atomic
def service_improvement_add_update(
    *, improvement: ServiceImprovementAction, user: User, note: str
) -> ServiceImprovementUpdate:
    """Record progress on an action that is not done: its leads, the Head of Service of
    its service area, or the QA Lead. The first update puts it in progress."""
    locked = _lock(improvement)
    _require_update(locked, user)
    note = _clean_note(note, required=True)
    return ServiceImprovementUpdate.objects.create(action=locked, note=note, created_by=user)


@transaction.atomic
def service_improvement_complete(
    *,
    improvement: ServiceImprovementAction,
    user: User,
    completed_on: datetime.date | None,
    note: str = "",
    today: datetime.date | None = None,
) -> ServiceImprovementAction:
    """Mark an action done on ``completed_on`` (not in the future, not before it was
    raised), with an optional last note kept as its final progress update. Who may
    record progress may mark it done; an action already done is refused, unchanged."""
    today = today or timezone.localdate()
    locked = _lock(improvement)
    _require_update(locked, user)
    if not isinstance(completed_on, datetime.date) or isinstance(completed_on, datetime.datetime):
        raise ValidationError({"completed_on": ENTER_DONE_DATE})
    if completed_on > today:
        raise ValidationError({"completed_on": DONE_IN_FUTURE})
    if completed_on < locked.raised_on:
        raise ValidationError(
            {"completed_on": DONE_BEFORE_RAISED.format(date=_day(locked.raised_on))}
        )
    note = _clean_note(note, required=False)
    if note:
        ServiceImprovementUpdate.objects.create(action=locked, note=note, created_by=user)
    locked.completed_on = completed_on
    locked.completed_by = user
    locked._history_user = user
    locked._change_reason = "Done"
    locked.save(update_fields=["completed_on", "completed_by"])
    return locked
