"""Publishing a round, and telling each auditor once what is theirs."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from common.history import record_rows
from outbox.services import email_plan

from ...models import AllocationRound, Audit, AuditEventKind, AuditStatus, RoundStatus
from ...selectors_programme import VOID_STATUSES, month_label
from ..audit import audit_log_event
from .common import require_programme
from .messages import (
    ALREADY_PUBLISHED,
    PUBLISH_EMPTY,
    PUBLISH_NEEDS_AUDITORS,
    PUBLISH_SOCIAL_WORKER,
)


@transaction.atomic
def round_publish(*, allocation_round: AllocationRound, user: User) -> int:
    """Allocate every proposed audit of a draft round and email each auditor once.

    The round is claimed with a conditional update on its status, so publishing twice
    (two clicks, two QA Leads) allocates and emails once; the second is refused.
    Every audit needs an auditor who is not the child's social worker.
    Returns the number of audits allocated.
    """
    require_programme(user)
    claimed = AllocationRound.objects.filter(
        pk=allocation_round.pk, status=RoundStatus.DRAFT
    ).update(status=RoundStatus.PUBLISHED, published_by=user, published_at=timezone.now())
    published = AllocationRound.objects.get(pk=allocation_round.pk)
    if not claimed:
        raise ValidationError(ALREADY_PUBLISHED.format(month=month_label(published.month)))
    audits = list(
        published.audits.filter(status=AuditStatus.PROPOSED)
        .select_related("child", "auditor")
        .order_by("child__case_reference", "pk")
    )
    if not audits:
        raise ValidationError(PUBLISH_EMPTY)
    missing = [a.child.case_reference for a in audits if a.auditor_id is None]
    if missing:
        raise ValidationError(PUBLISH_NEEDS_AUDITORS.format(references=", ".join(missing)))
    for audit in audits:
        if audit.auditor_id == audit.child.social_worker_id:
            raise ValidationError(
                PUBLISH_SOCIAL_WORKER.format(
                    auditor=audit.auditor, reference=audit.child.case_reference
                )
            )
    published.audits.filter(status=AuditStatus.PROPOSED).update(
        status=AuditStatus.ALLOCATED, due_date=published.due_date
    )
    record_rows(Audit.objects.filter(pk__in=[a.pk for a in audits]), change="~", user=user)
    for audit in audits:
        audit_log_event(audit=audit, user=user, kind=AuditEventKind.ALLOCATED, note=str(published))
    queue_allocation_emails(audits)
    return len(audits)


def queue_allocation_emails(audits: list[Audit], note: str = "") -> None:
    """Plan each auditor's email in the allocating transaction (the outbox sends it
    once that commits)."""
    by_auditor: dict[int, list[int]] = defaultdict(list)
    for audit in audits:
        by_auditor[audit.auditor_id].append(audit.pk)
    for auditor_id, audit_ids in by_auditor.items():
        allocation_notify(auditor_id=auditor_id, audit_ids=audit_ids, note=note)


def allocation_notify(*, auditor_id: int, audit_ids: list[int], note: str = "") -> bool:
    """Email one auditor the list of their newly allocated audits. Sends nothing for
    audits that are no longer theirs or no longer open."""
    auditor = User.objects.filter(pk=auditor_id, is_active=True).first()
    if auditor is None or not auditor.email:
        return False
    audits = list(
        Audit.objects.filter(pk__in=audit_ids, auditor=auditor)
        .exclude(status__in=[AuditStatus.PROPOSED, *VOID_STATUSES])
        .select_related("child", "team")
        .order_by("due_date", "team__name", "child__case_reference")
    )
    if not audits:
        return False
    rows = [
        {
            "reference": a.child.case_reference,
            "team": a.team.name,
            "legal_status": a.child.get_legal_status_display(),
            "due_date": a.due_date,
            "path": reverse("audits:audit_form", args=[a.pk]),
        }
        for a in audits
    ]
    months = sorted({a.month for a in audits})
    email_plan(
        "allocation-new",
        [auditor.email],
        {
            "auditor": auditor,
            "rows": rows,
            "count": len(rows),
            "month": ", ".join(month_label(m) for m in months),
            "note": note,
        },
    )
    return True
