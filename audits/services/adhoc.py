"""Allocating one audit outside the monthly round (an ad hoc allocation)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User
from common.dates import month_end, month_start

from ..models import Audit, AuditEventKind, AuditStatus, AuditTemplate, AuditType, Child
from .audit import audit_log_event


@transaction.atomic
def audit_allocate_ad_hoc(
    *,
    user: User,
    child: Child,
    auditor: User,
    template: AuditTemplate,
    month: datetime.date,
    due_date: datetime.date | None = None,
    note: str = "",
    audit_type: str = AuditType.CHILD_JOURNEY,
) -> Audit:
    """Allocate one audit straight away (status allocated), outside any round. Only
    people who run the programme may. The audit keeps the child's team at allocation;
    it is due at the end of its month unless a due date is given."""
    if not user.has_perm("audits.manage_programme"):
        raise PermissionDenied
    first = month_start(month)
    audit = Audit.objects.create(
        audit_type=audit_type,
        child=child,
        template=template,
        auditor=auditor,
        team_id=child.team_id,
        month=first,
        due_date=due_date or month_end(first),
        status=AuditStatus.ALLOCATED,
        allocated_by=user,
        allocation_note=note[:200],
    )
    audit_log_event(audit=audit, user=user, kind=AuditEventKind.ALLOCATED, note="Ad hoc")
    return audit
