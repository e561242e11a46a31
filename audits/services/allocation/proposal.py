"""Proposing a month's round: which children, which auditors."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Team, User
from common.dates import add_months, month_start
from common.history import record_rows
from outbox.services import email_plan

from ...models import (
    AllocationRound,
    Audit,
    AuditStatus,
    AuditTemplate,
    AuditType,
    Child,
    ProgrammeSettings,
    RoundStatus,
)
from ...sample_mix import strata
from ...selectors_programme import (
    available_auditors,
    default_template,
    month_label,
    no_repeat_window,
)
from .common import (
    COUNTED_STATUSES,
    check_template,
    choose_auditor,
    due_date_for,
    require_programme,
)
from .messages import (
    BOTH_BASES,
    CHILD_WITHOUT_AUDITOR,
    DRAFT_EXISTS,
    MONTH_IN_PAST,
    NO_AUDITORS,
    NUMBER_TOO_SMALL,
    OWN_TEAM_ONLY,
    ROUND_PUBLISHED,
    TEAM_NONE,
    TEAM_SHORT,
    TOTAL_SHORT,
)

#: how far back the legal statuses' audit counts look, to spread audits over them
LEGAL_STATUS_LOOKBACK_MONTHS = 12


@dataclass
class ProposalResult:
    round: AllocationRound
    requested: int
    proposed: int
    without_auditor: int = 0
    warnings: list[str] = field(default_factory=list)


def round_propose(
    *,
    month: datetime.date,
    created_by: User | None,
    per_team: int | None = None,
    total: int | None = None,
    today: datetime.date,
    template: AuditTemplate | None = None,
    replace_draft: bool = False,
) -> ProposalResult:
    """Propose the audits of ``month`` as a draft round, invisible to auditors.

    Children: open cases only, none with an audit (other than cancelled or exempted)
    within ProgrammeSettings.no_repeat_months months of ``month``; ``per_team`` from each
    team, or ``total`` spread over the teams round-robin (teams audited least in the last
    12 months first). Within a team, legal statuses not yet picked in the team, then in
    the round, then those least audited in the last 12 months come first; then the child
    whose age band, sex and ethnicity group are least represented in the round so far
    against their share of the open cases; then the child audited longest ago (never
    first); then the oldest record.
    Auditors: active, with the Auditor role, not exempt in ``month``, never the child's
    social worker, from another team than the child's unless nobody else is available,
    the one with fewest audits in this round first (then by pk).
    A draft for the same month is replaced only with ``replace_draft``; a published
    round is never replaced. Deterministic: the same data gives the same proposal.
    """
    require_programme(created_by)
    settings = ProgrammeSettings.load()
    month = month_start(month)
    errors = {}
    if month < month_start(today):
        errors["month"] = MONTH_IN_PAST.format(month=month_label(month))
    if per_team is not None and total is not None:
        errors["basis"] = BOTH_BASES
    elif per_team is None and total is None:
        per_team = settings.default_per_team
    if (per_team is not None and per_team < 1) or (total is not None and total < 1):
        errors["per_team" if per_team is not None else "total"] = NUMBER_TOO_SMALL
    if errors:
        raise ValidationError(errors)
    template = check_template(template)

    with transaction.atomic():
        existing = AllocationRound.objects.select_for_update().filter(month=month).first()
        if existing is not None and existing.status == RoundStatus.PUBLISHED:
            raise ValidationError({"month": ROUND_PUBLISHED.format(month=month_label(month))})
        if existing is not None and not replace_draft:
            raise ValidationError({"month": DRAFT_EXISTS.format(month=month_label(month))})
        fields = {
            "per_team": per_team,
            "total": total,
            "due_date": due_date_for(month, settings),
            "created_by": created_by,
            "created_at": timezone.now(),
        }
        if existing is not None:
            existing.audits.all().delete()
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save()
            allocation_round = existing
        else:
            try:
                with transaction.atomic():
                    allocation_round = AllocationRound.objects.create(month=month, **fields)
            except IntegrityError:
                raise ValidationError(
                    {"month": DRAFT_EXISTS.format(month=month_label(month))}
                ) from None
        return _fill_round(
            allocation_round=allocation_round,
            settings=settings,
            template=template,
            created_by=created_by,
        )


def _fill_round(
    *,
    allocation_round: AllocationRound,
    settings: ProgrammeSettings,
    template: AuditTemplate,
    created_by: User | None,
) -> ProposalResult:
    month = allocation_round.month
    n = settings.no_repeat_months
    picks, requested, warnings = _pick_children(
        month=month, per_team=allocation_round.per_team, total=allocation_round.total, months=n
    )
    assignment, auditor_warnings = _assign_auditors(picks, month)
    warnings.extend(auditor_warnings)
    Audit.objects.bulk_create(
        Audit(
            audit_type=AuditType.CHILD_JOURNEY,
            child=child,
            template=template,
            auditor=assignment[child.pk],
            allocation_round=allocation_round,
            team_id=child.team_id,
            month=month,
            due_date=allocation_round.due_date,
            status=AuditStatus.PROPOSED,
            allocated_by=created_by,
        )
        for child in picks
    )
    record_rows(allocation_round.audits.all(), change="+", user=created_by)
    return ProposalResult(
        round=allocation_round,
        requested=requested,
        proposed=len(picks),
        without_auditor=sum(1 for a in assignment.values() if a is None),
        warnings=warnings,
    )


def _pick_children(*, month, per_team, total, months) -> tuple[list[Child], int, list[str]]:
    first, last = no_repeat_window(month, months)
    lookback = add_months(month, -LEGAL_STATUS_LOOKBACK_MONTHS)
    window = Q(audits__status__in=COUNTED_STATUSES, audits__month__gte=first)
    window &= Q(audits__month__lte=last)
    children = list(
        Child.objects.filter(is_open=True, team__is_active=True)
        .annotate(
            recent=Count("audits", filter=window),
            last_audited=Max("audits__month", filter=Q(audits__status__in=COUNTED_STATUSES)),
        )
        .select_related("team__service_area")
        .order_by("pk")
    )
    past = Audit.objects.filter(
        status__in=COUNTED_STATUSES, month__gte=lookback, month__lt=month
    ).order_by()
    team_recent = dict(past.values("team").annotate(n=Count("pk")).values_list("team", "n"))
    status_recent = dict(
        past.values("child__legal_status")
        .annotate(n=Count("pk"))
        .values_list("child__legal_status", "n")
    )

    teams: dict[int, Team] = {}
    eligible: dict[int, list[Child]] = defaultdict(list)
    for child in children:
        teams.setdefault(child.team_id, child.team)
        if child.recent == 0:
            eligible[child.team_id].append(child)
    order = sorted(
        teams.values(), key=lambda t: (team_recent.get(t.pk, 0), t.service_area.name, t.name, t.pk)
    )

    # The open caseload's mix of age bands, sexes and ethnicity groups, for a sample
    # that looks like it (sample_mix shows the two side by side).
    child_strata = {child.pk: strata(child, month) for child in children}
    caseload_strata = Counter(s for values in child_strata.values() for s in enumerate(values))
    caseload_size = len(children)

    picks: list[Child] = []
    in_team: dict[int, Counter] = defaultdict(Counter)
    in_round: Counter = Counter()
    in_round_strata: Counter = Counter()

    def over_represented(c: Child) -> int:
        """How far the child's groups are already above their share of the open cases
        in the round so far (times the caseload's size, to stay whole)."""
        return sum(
            in_round_strata[s] * caseload_size - caseload_strata[s] * len(picks)
            for s in enumerate(child_strata[c.pk])
        )

    remaining = total
    while remaining is None or remaining > 0:
        progress = False
        for team in order:
            if remaining == 0:
                break
            pool = eligible[team.pk]
            if not pool or (per_team is not None and sum(in_team[team.pk].values()) >= per_team):
                continue
            child = min(
                pool,
                key=lambda c: (
                    in_team[team.pk][c.legal_status],
                    in_round[c.legal_status],
                    status_recent.get(c.legal_status, 0),
                    over_represented(c),
                    c.last_audited or datetime.date.min,
                    c.pk,
                ),
            )
            pool.remove(child)
            in_team[team.pk][child.legal_status] += 1
            in_round[child.legal_status] += 1
            in_round_strata.update(enumerate(child_strata[child.pk]))
            picks.append(child)
            progress = True
            if remaining is not None:
                remaining -= 1
        if not progress:
            break

    warnings = []
    if per_team is not None:
        requested = per_team * len(order)
        for team in order:
            got = sum(in_team[team.pk].values())
            if got >= per_team:
                continue
            if got == 0:
                warnings.append(TEAM_NONE.format(team=team.name, n=months))
            else:
                warnings.append(
                    TEAM_SHORT.format(
                        team=team.name,
                        count=got,
                        children="child" if got == 1 else "children",
                        have="has" if got == 1 else "have",
                        n=months,
                    )
                )
    else:
        requested = total
        if len(picks) < total:
            warnings.append(TOTAL_SHORT.format(proposed=len(picks), total=total, n=months))
    return picks, requested, warnings


def _assign_auditors(picks: list[Child], month: datetime.date):
    pool = available_auditors(month)
    load: Counter = Counter()
    assignment: dict[int, User | None] = {}
    warnings = []
    if picks and not pool:
        warnings.append(NO_AUDITORS.format(month=month_label(month)))
    for child in picks:
        auditor = choose_auditor(child, pool, load)
        assignment[child.pk] = auditor
        if auditor is None:
            if pool:
                warnings.append(CHILD_WITHOUT_AUDITOR.format(reference=child.case_reference))
            continue
        load[auditor.pk] += 1
        if auditor.team_id == child.team_id:
            warnings.append(
                OWN_TEAM_ONLY.format(
                    reference=child.case_reference, auditor=auditor, team=child.team.name
                )
            )
    return assignment, warnings


def round_propose_next_month(*, today: datetime.date) -> ProposalResult | None:
    """Propose next month's round if there is none yet, and tell the QA Leads.

    Idempotent: the round's month is unique, so a second run (or a run racing this one)
    finds the round and does nothing, and the email goes only with the round that was
    created, after its commit.
    """
    month = add_months(month_start(today), 1)
    if AllocationRound.objects.filter(month=month).exists():
        return None
    if default_template() is None:
        return None
    with transaction.atomic():
        try:
            result = round_propose(month=month, created_by=None, today=today)
        except ValidationError:
            return None
        round_pk = result.round.pk
        _notify_round_proposed(round_pk, result.warnings)
    return result


def _notify_round_proposed(round_pk: int, warnings: list[str]) -> None:
    allocation_round = AllocationRound.objects.annotate(n=Count("audits")).get(pk=round_pk)
    leads = list(
        User.objects.filter(is_active=True, role_assignments__role=Role.QA_LEAD)
        .distinct()
        .order_by("pk")
        .values_list("email", flat=True)
    )
    if not leads:
        return
    email_plan(
        "round-proposed",
        leads,
        {
            "round": allocation_round,
            "month": month_label(allocation_round.month),
            "count": allocation_round.n,
            "warnings": warnings,
            "path": reverse("programme:round_detail", args=[round_pk]),
        },
        key=f"round-proposed:{round_pk}",
    )
