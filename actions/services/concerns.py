"""Cases of Concern: opened by a final Inadequate grade, updated monthly by the Head of
Service, resolved only by the Head of Service."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audits.models import Audit, Child, Grade
from common.dates import month_start
from common.history import record_rows
from outbox.services import email_plan

from ..models import CaseAudit, CaseOfConcern, CaseUpdate

# Messages, as constants the tests assert on.
ANSWER_CHILD_SAFE = "Select yes if the child is safe"
ANSWER_PLAN = "Select yes if an appropriate plan is in place and progressing with grip"
ENTER_NOTES = "Enter notes on what you found and what is happening next"
NOTES_TOO_LONG = "The notes must be 5,000 characters or fewer"
CASE_RESOLVED = "This Case of Concern has been resolved and can no longer be updated."
RESOLVE_NEEDS_CONFIRM = "Confirm that this Case of Concern can be resolved"
RESOLVE_NEEDS_UPDATE = (
    "Record an update first: a case can be resolved only when its latest update says "
    "the child is safe and an appropriate plan is in place and progressing with grip"
)
RESOLVE_NEEDS_BOTH_YES = (
    "This case cannot be resolved yet: its latest update must say yes to both, the child "
    "is safe and an appropriate plan is in place and progressing with grip"
)

NOTES_MAX_LENGTH = 5000


def _accepted_day(audit: Audit) -> datetime.date:
    return timezone.localdate(audit.accepted_at) if audit.accepted_at else timezone.localdate()


@transaction.atomic
def concern_record_final_grade(
    *, audit: Audit, grade: str, today: datetime.date | None = None, notify: bool = True
) -> CaseOfConcern | None:
    """Keep Cases of Concern in step with an audit's final overall grade.

    A final Inadequate grade opens a case for the child, held by the Head of Service of
    the child's service area now (who is emailed, unless the audit was accepted on an
    earlier day, as when importing, or ``notify`` is off); if the child already has an
    open case the audit is added to it. An audit already in a case (even a resolved one)
    opens no other. Any other grade only updates the grade shown on the cases the audit
    is in: a case is never closed automatically, only resolved by its Head of Service.
    Returns the case the audit was added to, if any.
    """
    today = today or _accepted_day(audit)
    changed = list(
        CaseAudit.objects.filter(audit=audit)
        .exclude(final_grade=grade)
        .values_list("pk", flat=True)
    )
    if changed:
        CaseAudit.objects.filter(pk__in=changed).update(final_grade=grade, grade_changed_on=today)
        record_rows(CaseAudit.objects.filter(pk__in=changed), change="~")
    if grade != Grade.INADEQUATE:
        return None
    existing = CaseAudit.objects.filter(audit=audit).select_related("case").first()
    if existing is not None:
        return existing.case  # an audit opens or joins one case, once
    case = _open_case_for(audit.child_id, today, notify=notify)
    CaseAudit.objects.get_or_create(
        case=case, audit=audit, defaults={"final_grade": grade, "linked_on": today}
    )
    return case


def _open_case_for(child_id: int, today: datetime.date, *, notify: bool) -> CaseOfConcern:
    case = CaseOfConcern.objects.filter(child_id=child_id, resolved_on__isnull=True).first()
    if case is not None:
        return case
    child = Child.objects.select_related("team__service_area__head_of_service").get(pk=child_id)
    area = child.team.service_area
    try:
        with transaction.atomic():
            case = CaseOfConcern.objects.create(
                child=child,
                service_area=area,
                team=child.team,
                head_of_service=area.head_of_service,
                opened_on=today,
            )
    except IntegrityError:
        # Another transaction opened the child's case first: use that one.
        return CaseOfConcern.objects.get(child_id=child_id, resolved_on__isnull=True)
    holder = area.head_of_service
    # A case opened for an audit accepted on an earlier day (an import) tells nobody.
    if (
        notify
        and today == timezone.localdate()
        and holder is not None
        and holder.is_active
        and holder.email
    ):
        path = reverse("actions:case_detail", args=[case.pk])
        email_plan("coc-opened", [holder.email], {"case": case, "recipient": holder, "path": path})
    return case


@transaction.atomic
def case_update_record(
    *,
    case: CaseOfConcern,
    user: User,
    child_safe: bool | None,
    plan_progressing: bool | None,
    notes: str,
    today: datetime.date | None = None,
) -> CaseUpdate:
    """The Head of Service's update for this month: is the child safe, is an appropriate
    plan in place and progressing with grip, and notes. A month may have several."""
    today = today or timezone.localdate()
    locked = (
        CaseOfConcern.objects.select_for_update().select_related("service_area").get(pk=case.pk)
    )
    if locked.resolved_on is not None:
        raise ValidationError(CASE_RESOLVED)
    if not user.has_perm("actions.update_case", locked):
        raise PermissionDenied
    errors = {}
    if child_safe is None:
        errors["child_safe"] = ANSWER_CHILD_SAFE
    if plan_progressing is None:
        errors["plan_progressing"] = ANSWER_PLAN
    notes = (notes or "").strip()
    if not notes:
        errors["notes"] = ENTER_NOTES
    elif len(notes) > NOTES_MAX_LENGTH:
        errors["notes"] = NOTES_TOO_LONG
    if errors:
        raise ValidationError(errors)
    return CaseUpdate.objects.create(
        case=locked,
        month=month_start(today),
        child_safe=child_safe,
        plan_progressing=plan_progressing,
        notes=notes,
        recorded_on=today,
        created_by=user,
    )


@transaction.atomic
def case_resolve(
    *, case: CaseOfConcern, user: User, confirmed: bool, today: datetime.date | None = None
) -> CaseOfConcern:
    """Resolve a case: only its Head of Service, only when the latest update says yes to
    both questions, and only when they confirm. Otherwise nothing changes."""
    today = today or timezone.localdate()
    locked = (
        CaseOfConcern.objects.select_for_update().select_related("service_area").get(pk=case.pk)
    )
    if locked.resolved_on is not None:
        raise ValidationError(CASE_RESOLVED)
    if not user.has_perm("actions.resolve_case", locked):
        raise PermissionDenied
    latest = locked.updates.order_by("-created_at", "-pk").first()
    if latest is None:
        raise ValidationError(RESOLVE_NEEDS_UPDATE)
    if not latest.allows_resolution:
        raise ValidationError(RESOLVE_NEEDS_BOTH_YES)
    if not confirmed:
        raise ValidationError({"confirm": RESOLVE_NEEDS_CONFIRM})
    locked.resolved_on = today
    locked.resolved_by = user
    locked.save(update_fields=["resolved_on", "resolved_by"])
    return locked
