"""Adjusting a draft round: another auditor, another child, one fewer, one more."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Team, User

from ...models import (
    AllocationRound,
    Audit,
    AuditStatus,
    AuditType,
    Child,
    ProgrammeSettings,
    RoundStatus,
)
from ...selectors_programme import month_label, recent_audits_of
from .common import check_auditor, check_template, find_children, require_programme
from .messages import (
    ALREADY_IN_ROUND,
    AUDITED_RECENTLY,
    AUDITOR_IS_SOCIAL_WORKER,
    CASE_CLOSED,
    CHILD_OTHER_TEAM,
    CHOOSE_AUDITOR,
    ENTER_REFERENCE,
    NOT_PROPOSED,
    ROUND_NOT_DRAFT,
    SAME_CHILD,
    UNKNOWN_REFERENCE,
)


def _lock_draft(allocation_round: AllocationRound) -> AllocationRound:
    locked = AllocationRound.objects.select_for_update().get(pk=allocation_round.pk)
    if locked.status != RoundStatus.DRAFT:
        raise ValidationError(ROUND_NOT_DRAFT.format(month=month_label(locked.month)))
    return locked


def _lock_proposed_audit(audit: Audit) -> Audit:
    if audit.allocation_round_id is None:
        raise ValidationError(NOT_PROPOSED)
    locked_round = _lock_draft(audit.allocation_round)
    fresh = (
        Audit.objects.select_related("child__team", "team")
        .filter(pk=audit.pk, allocation_round=locked_round)
        .first()
    )
    if fresh is None or fresh.status != AuditStatus.PROPOSED:
        raise ValidationError(NOT_PROPOSED)
    fresh.allocation_round = locked_round
    return fresh


def _child_for_round(
    *, reference: str, team: Team, allocation_round: AllocationRound, exclude_audit=None
) -> Child:
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"case_reference": ENTER_REFERENCE})
    child = find_children([reference]).get(reference)
    if child is None:
        raise ValidationError({"case_reference": UNKNOWN_REFERENCE.format(reference=reference)})
    ref = child.case_reference
    if exclude_audit is not None and child.pk == exclude_audit.child_id:
        raise ValidationError({"case_reference": SAME_CHILD.format(reference=ref)})
    if child.team_id != team.pk:
        raise ValidationError(
            {
                "case_reference": CHILD_OTHER_TEAM.format(
                    reference=ref, child_team=child.team.name, team=team.name
                )
            }
        )
    if not child.is_open:
        raise ValidationError({"case_reference": CASE_CLOSED.format(reference=ref)})
    if allocation_round.audits.filter(child=child).exists():
        raise ValidationError({"case_reference": ALREADY_IN_ROUND.format(reference=ref)})
    settings = ProgrammeSettings.load()
    recent = recent_audits_of(
        [child.pk],
        allocation_round.month,
        settings.no_repeat_months,
        exclude_audit_ids=[exclude_audit.pk] if exclude_audit else [],
    ).get(child.pk)
    if recent:
        raise ValidationError(
            {
                "case_reference": AUDITED_RECENTLY.format(
                    reference=ref,
                    months=", ".join(month_label(m) for m in recent),
                    n=settings.no_repeat_months,
                    month=month_label(allocation_round.month),
                )
            }
        )
    return child


@transaction.atomic
def round_audit_change_auditor(*, audit: Audit, auditor: User | None, user: User) -> list[str]:
    """Give a proposed audit another auditor. Returns warnings (the auditor's own team)."""
    require_programme(user)
    if auditor is None:
        raise ValidationError({"auditor": CHOOSE_AUDITOR})
    locked = _lock_proposed_audit(audit)
    warnings = check_auditor(auditor, locked.child, locked.month)
    locked.auditor = auditor
    locked.save(update_fields=["auditor", "updated_at"])
    return warnings


@transaction.atomic
def round_audit_swap_child(*, audit: Audit, case_reference: str, user: User) -> Audit:
    """Put another open case of the same team, not audited recently, in a proposed audit."""
    require_programme(user)
    locked = _lock_proposed_audit(audit)
    child = _child_for_round(
        reference=case_reference,
        team=locked.team,
        allocation_round=locked.allocation_round,
        exclude_audit=locked,
    )
    if locked.auditor_id is not None and locked.auditor_id == child.social_worker_id:
        raise ValidationError(
            {
                "case_reference": AUDITOR_IS_SOCIAL_WORKER.format(
                    auditor=locked.auditor, reference=child.case_reference
                )
            }
        )
    locked.child = child
    locked.save(update_fields=["child", "updated_at"])
    return locked


@transaction.atomic
def round_audit_remove(*, audit: Audit, user: User) -> None:
    """Take a proposed audit out of a draft round (it has no content yet)."""
    require_programme(user)
    locked = _lock_proposed_audit(audit)
    locked.delete()


@transaction.atomic
def round_audit_add(
    *,
    allocation_round: AllocationRound,
    team: Team,
    case_reference: str,
    auditor: User | None,
    user: User,
) -> tuple[Audit, list[str]]:
    """Add a child of ``team`` to a draft round, under the same rules as the proposal."""
    require_programme(user)
    locked = _lock_draft(allocation_round)
    child = _child_for_round(reference=case_reference, team=team, allocation_round=locked)
    if auditor is None:
        raise ValidationError({"auditor": CHOOSE_AUDITOR})
    warnings = check_auditor(auditor, child, locked.month)
    used = locked.audits.order_by("pk").first()
    template = used.template if used is not None else check_template(None)
    audit = Audit.objects.create(
        audit_type=AuditType.CHILD_JOURNEY,
        child=child,
        template=template,
        auditor=auditor,
        allocation_round=locked,
        team=child.team,
        month=locked.month,
        due_date=locked.due_date,
        status=AuditStatus.PROPOSED,
        allocated_by=user,
    )
    return audit, warnings
