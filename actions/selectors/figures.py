"""Figures for reports: closing the loop, Cases of Concern and re-audits.

Each takes a ``common.dates.Period`` and an optional scope (a ServiceArea or a Team)
and aggregates in the database. Actions and cases count in the team (and so service
area) the child was in when they were raised or opened; re-audits in the earlier
audit's team. A figure for a period is as it was known at the end of the period (or
today, if the period has not ended): updates recorded later do not change it.
"""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import ServiceArea, Team
from common.dates import Period, add_months, month_end, month_start
from common.sql import count_by

from ..models import (
    Action,
    ActionKind,
    ActionSettings,
    ActionStatus,
    CaseOfConcern,
    Comparison,
    ReauditProposal,
    TransferStatus,
)
from ..status import StatusParts, open_q, status_parts

#: the share of actions to complete within timescale
TIMELINESS_TARGET = 80

STATUSES = [status.value for status in ActionStatus]

KINDS = {
    "all": None,
    "care_planning": ActionKind.CARE_PLANNING,
    "other": ActionKind.OTHER,
}


def as_of(period: Period, today: datetime.date | None = None) -> datetime.date:
    return min(period.end, today or timezone.localdate())


def _scoped(qs: QuerySet, scope, team_field: str = "team") -> QuerySet:
    if scope is None:
        return qs
    if isinstance(scope, Team):
        return qs.filter(**{team_field: scope})
    if isinstance(scope, ServiceArea):
        return qs.filter(**{f"{team_field}__service_area": scope})
    raise TypeError("A scope is a ServiceArea or a Team.")


def _counted(parts: StatusParts, **fields: list) -> dict[str, dict]:
    """For each of KINDS, the count of actions, and of actions with each of the given
    values of each field, over ``parts`` (``status_parts``): each part counted by kind
    and the fields in one GROUP BY (common.sql.count_by), added up."""
    counts = {
        name: {"total": 0} | {f: dict.fromkeys(values, 0) for f, values in fields.items()}
        for name in KINDS
    }
    for part in parts:
        for kind, *values, n in count_by(part, "kind", *fields):
            for name, of_kind in KINDS.items():
                if of_kind is not None and kind != of_kind:
                    continue
                counts[name]["total"] += n
                for f, value in zip(fields, values, strict=True):
                    if value in counts[name][f]:
                        counts[name][f][value] += n
    return counts


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def actions_completed_within_timescale(
    period: Period, scope=None, today: datetime.date | None = None
) -> dict:
    """Actions raised in the month before each month of the period, and how many were
    completed within timescale (target 80%).

    Exactly: the cohort is the actions raised from the first day of the month before
    the period starts to the last day of the month before the period's last month (for
    April: those raised in March; for April to June: March to May), judged at the end of
    the period. **Within timescale** means completed (for care-planning actions,
    completed or transferred to the child's plan) on or before the due date. The rate is
    within timescale / (cohort minus the actions still open and not yet due at the end
    of the period, whose timescale has not run out). Given for all actions,
    care-planning actions and other actions.
    """
    start = add_months(month_start(period.start), -1)
    end = month_end(add_months(month_start(period.end), -1))
    day = as_of(period, today)
    settings = ActionSettings.load()
    parts = status_parts(
        _scoped(Action.objects.filter(raised_on__range=(start, min(end, day))), scope),
        today=day,
        no_update_days=settings.no_update_days,
    )
    counts = _counted(parts, status=STATUSES)
    result = {"cohort_start": start, "cohort_end": end, "as_of": day, "target": TIMELINESS_TARGET}
    for name in KINDS:
        raised, statuses = counts[name]["total"], counts[name]["status"]
        on_time = statuses.get(ActionStatus.COMPLETED_ON_TIME.value, 0)
        not_yet_due = statuses.get(ActionStatus.NOT_YET_DUE.value, 0)
        judged = raised - not_yet_due
        percent = _percent(on_time, judged)
        result[name] = {
            "raised": raised,
            "within_timescale": on_time,
            "late": statuses.get(ActionStatus.COMPLETED_LATE.value, 0),
            "overdue": statuses.get(ActionStatus.OVERDUE.value, 0),
            "not_yet_due": not_yet_due,
            "judged": judged,
            "percent": percent,
            "meets_target": percent is not None and percent >= TIMELINESS_TARGET,
        }
    return result


def action_status_counts(period: Period, scope=None, today: datetime.date | None = None) -> dict:
    """Actions raised in the period, counted by status at the end of the period, for all,
    care-planning and other actions: each status, how many open ones had no update, and
    for care-planning actions whether they are in the child's plan on time, late or not."""
    day = as_of(period, today)
    settings = ActionSettings.load()
    parts = status_parts(
        _scoped(Action.objects.filter(raised_on__range=(period.start, day)), scope),
        today=day,
        no_update_days=settings.no_update_days,
    )
    counts = _counted(
        parts, status=STATUSES, no_update=[True], transfer_status=[t.value for t in TransferStatus]
    )
    result: dict = {"as_of": day}
    for name in KINDS:
        statuses = counts[name]["status"]
        result[name] = {
            "total": counts[name]["total"],
            "no_update": counts[name]["no_update"].get(True, 0),
            **{status.value: statuses.get(status.value, 0) for status in ActionStatus},
        }
    transfers = counts["all"]["transfer_status"]
    result["care_planning"]["transfer"] = {
        transfer.value: transfers.get(transfer.value, 0) for transfer in TransferStatus
    }
    return result


def actions_backlog(period: Period, scope=None, today: datetime.date | None = None) -> dict:
    """The backlog carried into the period: actions raised before the period started
    that were still open at its end, and of those, how many had never been followed up
    (no note, completion or transfer recorded by then)."""
    day = as_of(period, today)
    settings = ActionSettings.load()
    parts = status_parts(
        _scoped(Action.objects.filter(raised_on__lt=period.start), scope),
        today=day,
        no_update_days=settings.no_update_days,
    )
    result = {"open": 0, "overdue": 0, "never_updated": 0}
    for part in parts:
        # No follow-up recorded by then: no note, completion or transfer.
        never = part.filter(open_q()).annotate(
            never_updated=Case(
                When(last_follow_up_on__isnull=True, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        for status, never_updated, n in count_by(never, "status", "never_updated"):
            result["open"] += n
            result["overdue"] += n if status == ActionStatus.OVERDUE.value else 0
            result["never_updated"] += n if never_updated else 0
    return result | {"older_than": period.start, "as_of": day}


def cases_of_concern_figures(
    period: Period, scope=None, today: datetime.date | None = None
) -> dict:
    """Cases of Concern: opened and resolved in the period; open at its end, and of
    those, open for more than 6 and more than 12 months (opened before the same day 6 or
    12 months earlier)."""
    day = as_of(period, today)
    cases = _scoped(CaseOfConcern.objects.all(), scope)
    open_then = Q(opened_on__lte=day) & (Q(resolved_on__isnull=True) | Q(resolved_on__gt=day))
    return cases.aggregate(
        opened=Count("pk", filter=Q(opened_on__range=(period.start, period.end))),
        resolved=Count("pk", filter=Q(resolved_on__range=(period.start, period.end))),
        open=Count("pk", filter=open_then),
        over_6_months=Count("pk", filter=open_then & Q(opened_on__lt=add_months(day, -6))),
        over_12_months=Count("pk", filter=open_then & Q(opened_on__lt=add_months(day, -12))),
    ) | {"as_of": day}


def reaudit_outcomes(period: Period, scope=None) -> dict:
    """Re-audits whose final grade was set in the period: improved, same or worse than
    the earlier audit's final overall grade."""
    qs = _scoped(
        ReauditProposal.objects.filter(compared_on__range=(period.start, period.end)).exclude(
            outcome=""
        ),
        scope,
    )
    totals = qs.aggregate(
        total=Count("pk"),
        **{c.value: Count("pk", filter=Q(outcome=c.value)) for c in Comparison},
    )
    return totals
