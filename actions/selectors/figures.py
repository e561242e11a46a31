"""Figures for reports: closing the loop, Cases of Concern and re-audits.

Each takes a ``common.dates.Period`` and an optional scope (a ServiceArea or a Team)
and aggregates in the database. Actions and cases count in the team (and so service
area) the child was in when they were raised or opened; re-audits in the earlier
audit's team. A figure for a period is as it was known at the end of the period (or
today, if the period has not ended): updates recorded later do not change it.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import ServiceArea, Team
from common.dates import Period, add_months, month_end, month_start

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
    values of each field, over ``parts`` (``status_parts``), added up. The actions
    reading their stored dates are grouped by kind and the fields: one short GROUP BY.
    Those whose updates are grouped by action are counted with conditional COUNTs that
    Django runs over the grouped query as a subquery (grouping by a status would put an
    aggregate in GROUP BY)."""
    counts = {
        name: {"total": 0} | {f: dict.fromkeys(values, 0) for f, values in fields.items()}
        for name in KINDS
    }

    def add(name: str, field: str | None, value, n: int) -> None:
        if field is None:
            counts[name]["total"] += n
        elif value in counts[name][field]:
            counts[name][field][value] += n

    for row in parts.held.order_by().values("kind", *fields).annotate(n=Count("pk")):
        for name, kind in KINDS.items():
            if kind is None or row["kind"] == kind:
                add(name, None, None, row["n"])
                for f in fields:
                    add(name, f, row[f], row["n"])
    if parts.grouped is None:
        return counts
    aggregates = {}
    for name, kind in KINDS.items():
        of_kind = Q() if kind is None else Q(kind=kind)
        aggregates[f"{name}__total"] = Count("pk", filter=of_kind)
        for f, values in fields.items():
            for i, value in enumerate(values):
                aggregates[f"{name}__{f}__{i}"] = Count("pk", filter=of_kind & Q(**{f: value}))
    row = parts.grouped.order_by().aggregate(**aggregates)
    for name in KINDS:
        add(name, None, None, row[f"{name}__total"])
        for f, values in fields.items():
            for i, value in enumerate(values):
                add(name, f, value, row[f"{name}__{f}__{i}"])
    return counts


def _added(rows: list[dict]) -> dict:
    """Counts of the same keys from several parts, added up."""
    return {key: sum(row[key] for row in rows) for key in rows[0]}


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
    counts = {
        "open": Count("pk"),
        "overdue": Count("pk", filter=Q(status=ActionStatus.OVERDUE.value)),
        # No follow-up recorded by then: no note, completion or transfer.
        "never_updated": Count("pk", filter=Q(last_follow_up_on__isnull=True)),
    }
    return _added(
        [part.filter(open_q()).aggregate(**counts) for part in parts if part is not None]
    ) | {
        "older_than": period.start,
        "as_of": day,
    }


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
