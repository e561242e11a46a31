"""Reads for the monthly audit programme: templates, auditors, exemptions, rounds, My work.

Each function runs a fixed number of queries whatever the data size.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Team, User
from accounts.permissions import is_head_of_service, is_leader, is_qa_lead, is_team_manager
from common.dates import add_months, month_end, month_label, month_start, months_between

from .models import (
    AllocationRound,
    Audit,
    AuditStatus,
    AuditTemplate,
    Child,
    Exemption,
    ExemptionKind,
    ExemptionStatus,
    ProgrammeSettings,
    RoundStatus,
    StandingReason,
)
from .models.audit import COMPLETED_STATUSES, OPEN_STATUSES
from .rules import is_director

#: the template family proposed for Child Journey Audits when it has an active version
DEFAULT_TEMPLATE_FAMILY = "child-journey-audit"
#: audits in these statuses never happened, so they do not count as the child being audited
VOID_STATUSES = (AuditStatus.CANCELLED, AuditStatus.EXEMPTED)


# Templates --------------------------------------------------------------------------


def active_templates() -> QuerySet[AuditTemplate]:
    return AuditTemplate.objects.filter(is_active=True).order_by("name", "pk")


def default_template() -> AuditTemplate | None:
    """The active Child Journey Audit template, else the first active template."""
    templates = list(active_templates())
    for template in templates:
        if template.family == DEFAULT_TEMPLATE_FAMILY:
            return template
    return templates[0] if templates else None


# The 12-month rule ------------------------------------------------------------------


def no_repeat_window(month: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the months within ``months`` of ``month``, either side.

    With 12 months and December 2026: January 2026 to November 2027. A child audited in
    December 2025, exactly 12 months before, may be audited again in December 2026.
    """
    return add_months(month, -(months - 1)), month_end(add_months(month, months - 1))


def recent_audits_of(
    child_ids, month: datetime.date, months: int, exclude_audit_ids=()
) -> dict[int, list[datetime.date]]:
    """For each child, the months of its audits that fall within the no-repeat window."""
    first, last = no_repeat_window(month, months)
    if first > last:
        return {}
    rows = (
        Audit.objects.filter(child_id__in=list(child_ids), month__gte=first, month__lte=last)
        .exclude(status__in=VOID_STATUSES)
        .exclude(pk__in=list(exclude_audit_ids))
        .order_by("month")
        .values_list("child_id", "month")
    )
    result: dict[int, list[datetime.date]] = defaultdict(list)
    for child_id, audited in rows:
        result[child_id].append(audited)
    return result


def eligible_children(team, month: datetime.date, months: int, limit: int = 30):
    """Open cases of ``team`` with no audit within ``months`` months of ``month``."""
    first, last = no_repeat_window(month, months)
    audited = (
        Audit.objects.filter(month__gte=first, month__lte=last)
        .exclude(status__in=VOID_STATUSES)
        .values("child_id")
    )
    return list(
        Child.objects.filter(team=team, is_open=True)
        .exclude(pk__in=audited)
        .order_by("case_reference")[:limit]
    )


# Auditors and exemptions ------------------------------------------------------------


def exemption_applies(exemption: Exemption, month: datetime.date) -> bool:
    """Whether an approved exemption covers ``month`` (the first day of a month)."""
    if exemption.status != ExemptionStatus.APPROVED:
        return False
    if exemption.kind == ExemptionKind.SINGLE_MONTH:
        return exemption.month is not None and month_start(exemption.month) == month
    if exemption.starts_on is None or exemption.starts_on > month_end(month):
        return False
    if exemption.ends_on is not None and exemption.ends_on < month:
        return False
    if exemption.standing_reason == StandingReason.PART_TIME:
        return months_between(exemption.starts_on, month) % 2 == 1
    return True


def _exemptions_covering(month: datetime.date) -> QuerySet[Exemption]:
    return Exemption.objects.filter(status=ExemptionStatus.APPROVED).filter(
        Q(kind=ExemptionKind.SINGLE_MONTH, month__gte=month, month__lte=month_end(month))
        | Q(
            Q(ends_on__isnull=True) | Q(ends_on__gte=month),
            kind=ExemptionKind.STANDING,
            starts_on__lte=month_end(month),
        )
    )


def exempt_auditor_ids(month: datetime.date) -> set[int]:
    """Everyone with an approved exemption covering ``month``, in one query."""
    month = month_start(month)
    return {e.auditor_id for e in _exemptions_covering(month) if exemption_applies(e, month)}


def auditor_is_exempt(auditor: User, month: datetime.date) -> bool:
    month = month_start(month)
    return any(
        exemption_applies(e, month) for e in _exemptions_covering(month).filter(auditor=auditor)
    )


def auditors() -> QuerySet[User]:
    """Everyone who may be allocated audits: active, with the Auditor role."""
    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR)
        .select_related("team__service_area")
        .order_by("pk")
        .distinct()
    )


def available_auditors(month: datetime.date) -> list[User]:
    """Auditors not exempt in ``month``, by pk (two queries)."""
    exempt = exempt_auditor_ids(month)
    return [a for a in auditors() if a.pk not in exempt]


def open_audit_counts(auditor_ids) -> dict[int, int]:
    rows = (
        Audit.objects.filter(auditor_id__in=list(auditor_ids), status__in=OPEN_STATUSES)
        .values("auditor_id")
        .annotate(n=Count("pk"))
    )
    return {row["auditor_id"]: row["n"] for row in rows}


def exemptions_visible_to(user: User) -> QuerySet[Exemption]:
    """Exemptions this person may see: all for the QA Lead and Directors; for a Head of
    Service their service area's; for a Team Manager their team's; and anyone's own
    requests and own exemptions."""
    exemptions = Exemption.objects.select_related(
        "auditor__team__service_area", "requested_by", "decided_by"
    )
    if not user.is_authenticated or not user.is_active:
        return exemptions.none()
    if is_qa_lead(user) or (is_leader(user) and is_director(user)):
        return exemptions
    scope = Q(auditor=user) | Q(requested_by=user)
    if is_head_of_service(user):
        scope |= Q(auditor__team__service_area__head_of_service=user)
    if is_team_manager(user):
        scope |= Q(auditor__team__manager=user)
    return exemptions.filter(scope)


def may_use_exemptions(user: User) -> bool:
    """Whether the exemptions pages are for this person: requesters and deciders."""
    return user.has_perm("audits.view_exemptions")


def exemptions_to_decide(user: User) -> QuerySet[Exemption]:
    """Pending requests this person may approve or reject (mirrors audits.decide_exemption,
    and leaves out the ones they asked for themselves)."""
    pending = (
        Exemption.objects.filter(status=ExemptionStatus.PENDING)
        .exclude(auditor=user)
        .exclude(requested_by=user)
        .select_related("auditor__team__service_area", "requested_by")
        .order_by("requested_at", "pk")
    )
    if not user.is_authenticated or not user.is_active:
        return pending.none()
    if is_leader(user) and is_director(user):
        return pending
    if is_head_of_service(user):
        return pending.filter(auditor__team__service_area__head_of_service=user)
    return pending.none()


def exemption_list(user: User) -> QuerySet[Exemption]:
    """The exemptions page: pending first, then the newest."""
    from django.db.models import Case, IntegerField, Value, When

    return exemptions_visible_to(user).order_by(
        Case(
            When(status=ExemptionStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "-requested_at",
        "-pk",
    )


def auditors_in_scope_of(user: User) -> QuerySet[User]:
    """The auditors this person may ask an exemption for."""
    people = auditors()
    if is_qa_lead(user):
        return people
    scope = Q(pk__in=[])
    if is_head_of_service(user):
        scope |= Q(team__service_area__head_of_service=user)
    if is_team_manager(user):
        scope |= Q(team__manager=user)
    return people.filter(scope)


# Rounds -----------------------------------------------------------------------------


def status_counts(month: datetime.date) -> dict[str, int]:
    rows = Audit.objects.filter(month=month).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def completion(counts: dict[str, int]) -> dict:
    """Completed audits out of those allocated (proposed, cancelled, exempted left out)."""
    counted = [
        s
        for s in AuditStatus.values
        if s not in (AuditStatus.PROPOSED, AuditStatus.CANCELLED, AuditStatus.EXEMPTED)
    ]
    allocated = sum(counts.get(s, 0) for s in counted)
    completed = sum(counts.get(s, 0) for s in COMPLETED_STATUSES)
    rate = round(100 * completed / allocated) if allocated else None
    return {"allocated": allocated, "completed": completed, "rate": rate}


def programme_overview(today: datetime.date) -> dict:
    """The programme home: this month and next, with counts by status."""
    this_month = month_start(today)
    next_month = add_months(this_month, 1)
    rounds = {
        r.month: r
        for r in AllocationRound.objects.filter(month__in=[this_month, next_month]).annotate(
            audit_count=Count("audits")
        )
    }
    rows = (
        Audit.objects.filter(month__in=[this_month, next_month])
        .values("month", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[datetime.date, dict[str, int]] = {this_month: {}, next_month: {}}
    for row in rows:
        counts[row["month"]][row["status"]] = row["n"]
    months = []
    for month in (this_month, next_month):
        by_status = counts[month]
        total = sum(by_status.values())
        # The month's audits are the allocation's and those allocated outside it (ad hoc,
        # re-audits): say both, so the total agrees with the allocation's page.
        in_round = rounds[month].audit_count if month in rounds else 0
        months.append(
            {
                "month": month,
                "label": month_label(month),
                "round": rounds.get(month),
                "statuses": [
                    {"label": label, "count": by_status[value]}
                    for value, label in AuditStatus.choices
                    if by_status.get(value)
                ],
                "total": total,
                "in_round": in_round,
                "outside_round": total - in_round,
                "completion": completion(by_status),
            }
        )
    recent = list(
        AllocationRound.objects.annotate(audit_count=Count("audits")).order_by("-month")[:12]
    )
    pending = Exemption.objects.filter(status=ExemptionStatus.PENDING).count()
    return {"months": months, "rounds": recent, "pending_exemptions": pending}


def round_table(allocation_round: AllocationRound) -> dict:
    """A round's audits grouped by team, each with the warnings the QA Lead should see."""
    settings = ProgrammeSettings.load()
    month = allocation_round.month
    audits = list(
        allocation_round.audits.select_related(
            "child__team", "team__service_area", "auditor__team", "template"
        ).order_by("team__service_area__name", "team__name", "team_id", "child__case_reference")
    )
    exempt = exempt_auditor_ids(month)
    active_ids = set(
        auditors()
        .filter(pk__in={a.auditor_id for a in audits if a.auditor_id})
        .values_list("pk", flat=True)
    )
    recent = recent_audits_of(
        {a.child_id for a in audits},
        month,
        settings.no_repeat_months,
        exclude_audit_ids=[a.pk for a in audits],
    )
    groups: dict[int, dict] = {}
    for audit in audits:
        warnings = audit_warnings(
            audit,
            exempt=exempt,
            active_auditor_ids=active_ids,
            recent=recent.get(audit.child_id, []),
            months=settings.no_repeat_months,
        )
        group = groups.setdefault(audit.team_id, {"team": audit.team, "rows": []})
        group["rows"].append({"audit": audit, "warnings": warnings})
    rows = [row for group in groups.values() for row in group["rows"]]
    per_auditor = Counter(a.auditor for a in audits if a.auditor_id)
    return {
        "groups": list(groups.values()),
        "count": len(audits),
        # "2 for each team" is only what was asked: say how many teams the audits are in.
        "team_count": len(groups),
        "active_team_count": Team.objects.filter(is_active=True).count(),
        "warning_count": sum(1 for row in rows if row["warnings"]),
        "per_auditor": sorted(per_auditor.items(), key=lambda item: (-item[1], str(item[0]))),
    }


def audit_warnings(audit, *, exempt, active_auditor_ids, recent, months) -> list[str]:
    warnings = []
    child = audit.child
    auditor = audit.auditor
    if auditor is None:
        warnings.append("No auditor: choose one before publishing")
    else:
        if auditor.pk not in active_auditor_ids:
            warnings.append(f"{auditor} is no longer an active auditor")
        if auditor.pk in exempt:
            warnings.append(f"{auditor} is exempt from audits in {month_label(audit.month)}")
        if auditor.pk == child.social_worker_id:
            warnings.append(f"{auditor} is the child's allocated social worker")
        if auditor.team_id is not None and auditor.team_id == audit.team_id:
            warnings.append(f"{auditor} works in {audit.team.name}")
    if not child.is_open:
        warnings.append("The case is closed")
    if child.team_id != audit.team_id:
        warnings.append(f"The child is now in {child.team.name}")
    if recent:
        audited = ", ".join(month_label(m) for m in recent)
        warnings.append(f"Also audited in {audited} (within {months} months)")
    return warnings


# My work ----------------------------------------------------------------------------


def programme_work(user: User) -> list[dict]:
    """For the QA Lead: next month's allocation to create or publish; exemptions waiting."""
    if not is_qa_lead(user):
        return []
    next_month = add_months(month_start(timezone.localdate()), 1)
    label = month_label(next_month)
    items = []
    next_round = (
        AllocationRound.objects.filter(month=next_month).annotate(n=Count("audits")).first()
    )
    if next_round is None and not Child.objects.filter(is_open=True).exists():
        items.append(
            {
                "text": "The case list is empty: update the case list before you propose "
                "an allocation",
                "url": reverse("programme:case_list"),
            }
        )
    elif next_round is None:
        items.append(
            {
                "text": f"Propose the audit allocation for {label}",
                "url": reverse("programme:round_new"),
            }
        )
    elif next_round.status == RoundStatus.DRAFT:
        items.append(
            {
                "text": f"Review and publish the draft allocation for {label} "
                f"({next_round.n} audits proposed)",
                "url": reverse("programme:round_detail", args=[next_round.pk]),
            }
        )
    pending = Exemption.objects.filter(status=ExemptionStatus.PENDING).count()
    if pending:
        noun = "exemption request is" if pending == 1 else "exemption requests are"
        items.append(
            {
                "text": f"{pending} {noun} waiting for a decision",
                "url": reverse("programme:exemptions"),
                "count": pending,
            }
        )
    return [{"title": "Audit programme", "items": items}] if items else []


def exemption_work(user: User) -> list[dict]:
    """For Heads of Service and Directors: exemption requests they may decide."""
    if not (is_head_of_service(user) or is_leader(user)):
        return []
    items = [
        {
            "text": f"Decide the exemption for {e.auditor} in {month_label(e.month)}"
            if e.month
            else f"Decide the exemption for {e.auditor}",
            "url": reverse("programme:exemption_decide", args=[e.pk]),
        }
        for e in exemptions_to_decide(user)
    ]
    return [{"title": "Exemptions to decide", "items": items}] if items else []
