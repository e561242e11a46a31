"""Rules shared by the monthly round and ad hoc allocation."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Upper

from accounts.models import User
from common.dates import month_end

from ...models import AuditStatus, AuditTemplate, Child, ProgrammeSettings
from ...selectors_programme import (
    VOID_STATUSES,
    auditors,
    default_template,
    exempt_auditor_ids,
    month_label,
)
from .messages import (
    AUDITOR_EXEMPT,
    AUDITOR_IS_SOCIAL_WORKER,
    AUDITOR_NOT_AVAILABLE,
    NO_TEMPLATE,
    SAME_TEAM_WARNING,
    TEMPLATE_INACTIVE,
)

#: every status in which an audit counts as the child being audited
COUNTED_STATUSES = [s for s in AuditStatus.values if s not in VOID_STATUSES]


def require_programme(user: User | None) -> None:
    if user is not None and not user.has_perm("audits.manage_programme"):
        raise PermissionDenied


def due_date_for(month: datetime.date, settings: ProgrammeSettings) -> datetime.date:
    return month_end(month) + datetime.timedelta(days=settings.days_to_complete)


def check_template(template: AuditTemplate | None) -> AuditTemplate:
    template = template or default_template()
    if template is None:
        raise ValidationError({"template": NO_TEMPLATE})
    if not template.is_active:
        raise ValidationError({"template": TEMPLATE_INACTIVE.format(template=template)})
    return template


def choose_auditor(child: Child, pool: list[User], load: Counter) -> User | None:
    """Fewest audits first, never the child's social worker, another team if possible."""
    options = [a for a in pool if a.pk != child.social_worker_id]
    other_team = [a for a in options if a.team_id is None or a.team_id != child.team_id]
    options = other_team or options
    if not options:
        return None
    return min(options, key=lambda a: (load[a.pk], a.pk))


def check_auditor(auditor: User, child: Child, month: datetime.date, field_name="auditor"):
    """Refuse an auditor who may not audit this child this month; warn about own team."""
    if not auditors().filter(pk=auditor.pk).exists():
        raise ValidationError({field_name: AUDITOR_NOT_AVAILABLE.format(auditor=auditor)})
    if auditor.pk in exempt_auditor_ids(month):
        raise ValidationError(
            {field_name: AUDITOR_EXEMPT.format(auditor=auditor, month=month_label(month))}
        )
    if auditor.pk == child.social_worker_id:
        raise ValidationError(
            {
                field_name: AUDITOR_IS_SOCIAL_WORKER.format(
                    auditor=auditor, reference=child.case_reference
                )
            }
        )
    if auditor.team_id is not None and auditor.team_id == child.team_id:
        return [SAME_TEAM_WARNING.format(auditor=auditor, team=child.team.name)]
    return []


def find_children(references: list[str]) -> dict[str, Child]:
    """Children by case reference, ignoring case; exact spelling wins a tie."""
    wanted = {r.upper() for r in references}
    found: dict[str, list[Child]] = defaultdict(list)
    for child in (
        Child.objects.annotate(ref=Upper("case_reference"))
        .filter(ref__in=wanted)
        .select_related("team", "social_worker")
    ):
        found[child.case_reference.upper()].append(child)
    result = {}
    for reference in references:
        matches = found.get(reference.upper(), [])
        exact = [c for c in matches if c.case_reference == reference]
        if exact or matches:
            result[reference] = (exact or matches)[0]
    return result
