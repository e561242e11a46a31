"""Ad hoc allocation of named children, outside the monthly round: the one set of rules
the "Allocate named children" page and ``POST /api/audits/`` both follow."""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from common.dates import add_months, month_end, month_start
from common.history import record_rows

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
    ADHOC_DUE_BEFORE_MONTH,
    ADHOC_DUE_PAST,
    ADHOC_MONTH_TOO_FAR,
    ADHOC_NO_AUDITOR,
    ADHOC_NO_REASON,
    ADHOC_NO_REFERENCES,
    ADHOC_REASON_TOO_LONG,
    ADHOC_RECENT,
    MONTH_IN_PAST,
    TEMPLATE_INACTIVE,
    UNKNOWN_REFERENCE,
)
from .publishing import queue_allocation_emails

#: how far ahead an ad hoc audit's month may be
ADHOC_MONTHS_AHEAD = 12
#: the reason is kept with each audit (Audit.allocation_note)
ADHOC_REASON_MAX_LENGTH = 200


def parse_references(text: str) -> list[str]:
    """Case references, one per line or separated by commas, without repeats."""
    return _unique(re.split(r"[\s,;]+", text or ""))


@transaction.atomic
def adhoc_allocate(
    *,
    references: str | Sequence[str],
    auditor: User | None,
    due_date: datetime.date | None,
    template: AuditTemplate | None,
    reason: str,
    user: User,
    today: datetime.date,
    month: datetime.date | None = None,
    confirmed: bool = False,
) -> list[Audit]:
    """Allocate named children at once, outside the monthly round (an inspection, say).

    Only people who run the programme may. ``references`` is a text of case references
    (one per line, or separated by commas) or a list of them; every one must be known,
    or nothing is created. The audits are for ``month`` (this month unless given: not a
    past month, nor more than ADHOC_MONTHS_AHEAD ahead) and due on ``due_date`` (the
    end of the month unless given: not in the past, nor before the month). A reason is
    required. A named ``auditor`` must be an active auditor, not exempt that month and
    not the child's social worker; with none, the audits are spread over the available
    auditors, fewest open audits first, never the child's social worker, another team
    where possible. Children with another audit within
    ProgrammeSettings.no_repeat_months months, or closed cases, need ``confirmed``.
    Each auditor is emailed once, after the commit.
    """
    require_programme(user)
    errors: dict[str, list[str]] = defaultdict(list)
    refs = parse_references(references) if isinstance(references, str) else _unique(references)
    found = find_children(refs)
    if not refs:
        errors["references"].append(ADHOC_NO_REFERENCES)
    for reference in refs:
        if reference not in found:
            errors["references"].append(UNKNOWN_REFERENCE.format(reference=reference))
    this_month = month_start(today)
    month = month_start(month or today)
    last_month = add_months(this_month, ADHOC_MONTHS_AHEAD)
    if month < this_month:
        errors["month"].append(MONTH_IN_PAST.format(month=month_label(month)))
    elif month > last_month:
        errors["month"].append(
            ADHOC_MONTH_TOO_FAR.format(
                month=month_label(month), n=ADHOC_MONTHS_AHEAD, last=month_label(last_month)
            )
        )
    due_given = due_date is not None
    due_date = due_date or month_end(month)
    if due_given or "month" not in errors:  # a default follows the month, refused already
        if due_date < today:
            errors["due_date"].append(ADHOC_DUE_PAST)
        elif due_date < month:
            errors["due_date"].append(ADHOC_DUE_BEFORE_MONTH)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"].append(ADHOC_NO_REASON)
    elif len(reason) > ADHOC_REASON_MAX_LENGTH:
        errors["reason"].append(ADHOC_REASON_TOO_LONG.format(n=ADHOC_REASON_MAX_LENGTH))
    if template is None:
        errors["template"].append(ADHOC_CHOOSE_TEMPLATE)
    elif not template.is_active:
        errors["template"].append(TEMPLATE_INACTIVE.format(template=template))
    if errors:
        raise ValidationError(dict(errors))

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
            allocation_note=reason,
        )
        for child in children
    )
    written = Audit.objects.filter(pk__in=[a.pk for a in created])
    record_rows(written, change="+", user=user)
    created = list(written.select_related("child", "auditor").order_by("pk"))
    for audit in created:
        audit_log_event(audit=audit, user=user, kind=AuditEventKind.ALLOCATED, note=reason)
    queue_allocation_emails(created, note=reason)
    return created


def _unique(references: Sequence[str]) -> list[str]:
    """The references in order, without blanks or repeats (ignoring case)."""
    seen: set[str] = set()
    result = []
    for reference in (r.strip() for r in references):
        if reference and reference.upper() not in seen:
            seen.add(reference.upper())
            result.append(reference)
    return result
