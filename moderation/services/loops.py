"""Looped (double) audits: the same child audited by two auditors, blind."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from audits.models import (
    Audit,
    AuditEventKind,
    AuditStatus,
    AuditTemplate,
    Child,
)
from audits.services.audit import audit_log_event
from common.dates import month_end, month_start

from ..models import (
    LoopedAudit,
    LoopStatus,
    Panel,
)
from .common import COMPLETED, LOOP_NOT_READY, LOOP_SAME_AUDITOR, OUTCOME_NEEDED

# Looped audits -------------------------------------------------------------------------


@transaction.atomic
def loop_create(
    *,
    child: Child,
    auditors: tuple[User, User],
    template: AuditTemplate,
    month: datetime.date,
    due_date: datetime.date | None,
    user: User,
) -> LoopedAudit:
    """Allocate the same child to two auditors, independently."""
    first_auditor, second_auditor = auditors
    if first_auditor.pk == second_auditor.pk:
        raise ValidationError({"second_auditor": LOOP_SAME_AUDITOR})
    month = month_start(month)
    due = due_date or month_end(month)
    audits = [
        Audit.objects.create(
            child=child,
            template=template,
            auditor=auditor,
            team=child.team,
            month=month,
            due_date=due,
            status=AuditStatus.ALLOCATED,
            allocated_by=user,
            allocation_note="Looped audit",
        )
        for auditor in (first_auditor, second_auditor)
    ]
    for audit in audits:
        audit_log_event(audit=audit, user=user, kind=AuditEventKind.ALLOCATED, note="Looped audit")
    return LoopedAudit.objects.create(first=audits[0], second=audits[1], created_by=user)


def loop_for_audit(audit: Audit) -> LoopedAudit | None:
    return (
        LoopedAudit.objects.filter(Q(first=audit) | Q(second=audit))
        .select_related("first", "second")
        .first()
    )


def loop_both_submitted(loop: LoopedAudit) -> bool:
    return loop.first.status in COMPLETED and loop.second.status in COMPLETED


def loop_differences(loop: LoopedAudit) -> list[dict]:
    """Each grade of the two audits side by side; only once both are submitted."""
    if not loop_both_submitted(loop):
        raise PermissionDenied(LOOP_NOT_READY)
    first = {g.domain_id: g for g in loop.first.gradings.select_related("domain")}
    second = {g.domain_id: g for g in loop.second.gradings.select_related("domain")}
    rows = [
        {
            "what": "Overall",
            "first": loop.first.overall_grade,
            "second": loop.second.overall_grade,
            "differs": loop.first.overall_grade != loop.second.overall_grade,
        }
    ]
    for domain_id in sorted(
        set(first) | set(second), key=lambda d: (first.get(d) or second.get(d)).domain.name
    ):
        a, b = first.get(domain_id), second.get(domain_id)
        grade_a, grade_b = (a.grade if a else ""), (b.grade if b else "")
        rows.append(
            {
                "what": (a or b).domain.name,
                "first": grade_a,
                "second": grade_b,
                "differs": grade_a != grade_b,
            }
        )
    return rows


@transaction.atomic
def loop_check(*, audit: Audit) -> LoopedAudit | None:
    """When the second of a looped pair is submitted, compare: any difference in the
    overall or a domain grade puts the pair on the next panel for discussion."""
    loop = loop_for_audit(audit)
    if loop is None or loop.status != LoopStatus.AWAITING:
        return loop
    loop = LoopedAudit.objects.select_for_update().select_related("first", "second").get(pk=loop.pk)
    if not loop_both_submitted(loop):
        return loop
    differs = any(row["differs"] for row in loop_differences(loop))
    loop.status = LoopStatus.DIFFERS if differs else LoopStatus.MATCHED
    if differs:
        loop.panel = (
            Panel.objects.filter(month__gte=month_start(loop.first.month), status="planned")
            .order_by("month")
            .first()
        )
    loop.save(update_fields=["status", "panel"])
    return loop


@transaction.atomic
def loop_record_outcome(*, loop: LoopedAudit, user: User, outcome: str) -> LoopedAudit:
    if not (outcome or "").strip():
        raise ValidationError({"outcome": OUTCOME_NEEDED})
    loop = LoopedAudit.objects.select_for_update().get(pk=loop.pk)
    if loop.status not in (LoopStatus.DIFFERS, LoopStatus.DISCUSSED):
        raise ValidationError(LOOP_NOT_READY)
    loop.outcome = outcome.strip()
    loop.outcome_by = user
    loop.outcome_at = timezone.now()
    loop.status = LoopStatus.DISCUSSED
    loop.save()
    return loop
