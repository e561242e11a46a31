"""Ad hoc allocation of named children, outside the monthly round."""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from common.dates import month_start

from ...models import (
    Audit,
    AuditEventKind,
    AuditStatus,
    AuditTemplate,
    AuditType,
    ProgrammeSettings,
)
from ...selectors_programme import (
    available_auditors,
    month_label,
    open_audit_counts,
    recent_audits_of,
)
from ..audit import audit_log_event
from .common import check_auditor, choose_auditor, find_children, require_programme
from .messages import (
    ADHOC_CHOOSE_TEMPLATE,
    ADHOC_CLOSED,
    ADHOC_DUE_PAST,
    ADHOC_NO_AUDITOR,
    ADHOC_NO_DUE_DATE,
    ADHOC_NO_REASON,
    ADHOC_NO_REFERENCES,
    ADHOC_RECENT,
    TEMPLATE_INACTIVE,
    UNKNOWN_REFERENCE,
)
from .publishing import queue_allocation_emails


def parse_references(text: str) -> list[str]:
    """Case references, one per line or separated by commas, without repeats."""
    seen = set()
    result = []
    for reference in re.split(r"[\s,;]+", text or ""):
        if reference and reference.upper() not in seen:
            seen.add(reference.upper())
            result.append(reference)
    return result


@transaction.atomic
def adhoc_allocate(
    *,
    references: str,
    auditor: User | None,
    due_date: datetime.date | None,
    template: AuditTemplate | None,
    reason: str,
    user: User,
    today: datetime.date,
    confirmed: bool = False,
) -> list[Audit]:
    """Allocate named children at once, outside the monthly round (an inspection, say).

    Every reference must be known, or nothing is created. Children with another audit
    within ProgrammeSettings.no_repeat_months months, or closed cases, need
    ``confirmed``. With no ``auditor`` the audits are spread over the available
    auditors, fewest open audits first, never the child's social worker, another team
    where possible. Each auditor is emailed once, after the commit.
    """
    require_programme(user)
    errors: dict[str, list[str]] = defaultdict(list)
    refs = parse_references(references)
    found = find_children(refs)
    if not refs:
        errors["references"].append(ADHOC_NO_REFERENCES)
    for reference in refs:
        if reference not in found:
            errors["references"].append(UNKNOWN_REFERENCE.format(reference=reference))
    if due_date is None:
        errors["due_date"].append(ADHOC_NO_DUE_DATE)
    elif due_date < today:
        errors["due_date"].append(ADHOC_DUE_PAST)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"].append(ADHOC_NO_REASON)
    if template is None:
        errors["template"].append(ADHOC_CHOOSE_TEMPLATE)
    elif not template.is_active:
        errors["template"].append(TEMPLATE_INACTIVE.format(template=template))
    if errors:
        raise ValidationError(dict(errors))

    month = month_start(today)
    settings = ProgrammeSettings.load()
    children = list({c.pk: c for c in (found[r] for r in refs)}.values())
    assignment: dict[int, User] = {}
    if auditor is not None:
        for child in children:
            check_auditor(auditor, child, month)
            assignment[child.pk] = auditor
    else:
        pool = available_auditors(month)
        load = Counter(open_audit_counts([a.pk for a in pool]))
        for child in children:
            chosen = choose_auditor(child, pool, load)
            if chosen is None:
                errors["auditor"].append(ADHOC_NO_AUDITOR.format(reference=child.case_reference))
                continue
            load[chosen.pk] += 1
            assignment[child.pk] = chosen
        if errors:
            raise ValidationError(dict(errors))

    if not confirmed:
        recent = recent_audits_of([c.pk for c in children], month, settings.no_repeat_months)
        for child in children:
            if child.pk in recent:
                errors["confirm"].append(
                    ADHOC_RECENT.format(
                        reference=child.case_reference,
                        months=", ".join(month_label(m) for m in recent[child.pk]),
                        n=settings.no_repeat_months,
                    )
                )
            if not child.is_open:
                errors["confirm"].append(ADHOC_CLOSED.format(reference=child.case_reference))
        if errors:
            raise ValidationError(dict(errors))

    created = Audit.objects.bulk_create(
        Audit(
            audit_type=AuditType.CHILD_JOURNEY,
            child=child,
            template=template,
            auditor=assignment[child.pk],
            allocation_round=None,
            team_id=child.team_id,
            month=month,
            due_date=due_date,
            status=AuditStatus.ALLOCATED,
            allocated_by=user,
            allocation_note=reason[:200],
        )
        for child in children
    )
    created = list(
        Audit.objects.filter(pk__in=[a.pk for a in created]).select_related("child", "auditor")
    )
    for audit in created:
        audit_log_event(audit=audit, user=user, kind=AuditEventKind.ALLOCATED, note=reason)
    queue_allocation_emails(created, note=reason[:200])
    return created
