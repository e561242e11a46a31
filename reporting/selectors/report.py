"""The figures of a quarterly, annual or date-range QA report, each from the one selector
the dashboard and the summary API use, gathered into one JSON-ready dict to be stored.

The top-level keys of the summary API (``summary``) keep their meanings; a report adds
its own sections beside them:

- ``report``: kind, label, start, end, service area (name or None)
- ``programme``: ``by_month`` {"YYYY-MM": {allocated, completed_of_allocated,
  completed, completion_rate}}, ``by_legal_status`` {status: {completed, four grades}}
- ``domains_by_month``: {"YYYY-MM": {domain: four grades and "Not graded"}}
- ``previous``: the period before (label, completed, overall, domains), for the
  rises and falls
- ``quarters`` (annual reports): {"Q1 2025/26": {completed, overall, overall_shares}}
- ``performance``: the performance snapshot's rows (measure, value, target, RAG,
  direction, sentence, earlier values)
- ``quotes``: the families' words the QA team made ready for reports
- ``service_improvement``: the service improvement actions open at the period's end
  or done in it
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable

from actions.selectors.service_improvement import service_improvement_for_report
from common.dates import Period, add_months, month_end, quarter, quarter_of
from feedback.selectors import Scope as FeedbackScope
from feedback.selectors import quotes_for_period

from ..models import ReportKind
from . import audits
from .performance import performance
from .slice import Slice
from .summary import summary

Progress = Callable[[int, str], None]


def _quiet(percent: int, step: str) -> None:
    return None


def previous_period(kind: str, period: Period) -> Period:
    """The period a report compares itself with: the quarter or year before, or the
    same number of days before a date range."""
    if kind == ReportKind.QUARTERLY:
        return quarter_of(period.start - datetime.timedelta(days=1))
    if kind == ReportKind.ANNUAL:
        start = period.start.replace(year=period.start.year - 1)
        end = period.start - datetime.timedelta(days=1)
        return Period(start, end, f"{start.year}/{str(end.year)[-2:]}")
    days = (period.end - period.start).days + 1
    end = period.start - datetime.timedelta(days=1)
    start = end - datetime.timedelta(days=days - 1)
    return Period(start, end, f"{start:%-d %B %Y} to {end:%-d %B %Y}")


def _performance_rows(kind: str, period: Period, service_area: int | None) -> list[dict]:
    """A quarterly report's snapshot is its quarter's; an annual report's is its last
    quarter's against the three before it (the year's four quarters side by side)."""
    if kind == ReportKind.QUARTERLY:
        snapshot = performance(period, quarterly=True, service_area=service_area)
    elif kind == ReportKind.ANNUAL:
        snapshot = performance(
            quarter(period.start.year, 4), quarterly=True, service_area=service_area
        )
    else:
        return []
    return [
        {
            "measure": row.measure.label,
            "value": row.value,
            "target": row.target,
            "rag": row.rag,
            "rag_label": row.rag_label,
            "direction": row.direction,
            "sentence": row.sentence,
            "earlier": [[label, value] for label, value in row.earlier_shown],
            "small_sample": row.small_sample,
            "interval": list(row.interval) if row.interval else None,
        }
        for row in snapshot.rows
    ]


def _month_slices(s: Slice) -> list[tuple[str, Slice]]:
    return [
        (f"{first:%Y-%m}", Slice(max(first, s.start), min(last, s.end), s.service_area))
        for first, last in _month_spans(s.start, s.end)
    ]


def _month_spans(start: datetime.date, end: datetime.date):
    first = start.replace(day=1)
    while first <= end:
        yield first, month_end(first)
        first = add_months(first, 1)


def _programme_month(month: Slice) -> dict:
    counts = audits.audit_counts(month)
    return {
        "allocated": counts["allocated"],
        "completed_of_allocated": counts["allocated_completed"],
        "completed": counts["completed"],
        "completion_rate": counts["completion_rate"],
    }


def report_figures(
    kind: str,
    period: Period,
    *,
    service_area=None,
    progress: Progress = _quiet,
) -> tuple[dict, dict]:
    """(figures, basis) for a report of ``kind`` over ``period``, in ``service_area``
    (a ServiceArea, or None for the whole organisation). The figures are JSON-ready;
    the basis lists the audits counted (``audits.audit_basis``). The number of queries
    grows with the months in the period, never with the number of audits."""
    area_id = service_area.pk if service_area else None
    s = Slice(period.start, period.end, service_area=area_id)
    progress(5, "Counting audits and grades")
    figures = summary(s)
    progress(35, "Counting each month")
    months = _month_slices(s)
    figures["programme"] = {
        "by_month": {key: _programme_month(month) for key, month in months},
        "by_legal_status": audits.grades_by_legal_status(s),
    }
    progress(50, "Counting each domain by month")
    figures["domains_by_month"] = {key: audits.domain_grades(month) for key, month in months}
    progress(60, "Comparing with the period before")
    before = previous_period(kind, period)
    earlier = Slice(before.start, before.end, service_area=area_id)
    earlier_grades = audits.grade_figures(earlier)
    figures["previous"] = {
        "label": before.label,
        "start": before.start,
        "end": before.end,
        "completed": earlier_grades["completed"],
        "overall": earlier_grades["overall"],
        "domains": audits.domain_grades(earlier),
    }
    if kind == ReportKind.ANNUAL:
        progress(70, "Setting the four quarters side by side")
        figures["quarters"] = {}
        for number in (1, 2, 3, 4):
            q = quarter(period.start.year, number)
            grades = audits.grade_figures(Slice.of(q, service_area=area_id))
            figures["quarters"][q.label] = {
                "start": q.start,
                "end": q.end,
                "completed": grades["completed"],
                "overall": grades["overall"],
                "overall_shares": audits.shares(grades["overall"]),
            }
    progress(80, "Rating against the targets")
    figures["performance"] = _performance_rows(kind, period, area_id)
    progress(90, "Gathering families' words and service improvement actions")
    figures["quotes"] = [
        {"text": q.text, "attribution": q.attribution, "theme": q.theme.name if q.theme else ""}
        for q in quotes_for_period(period, FeedbackScope(service_area=area_id))
    ]
    figures["service_improvement"] = service_improvement_for_report(
        period.start, period.end, service_area=service_area
    )
    figures["report"] = {
        "kind": kind,
        "label": period.label,
        "start": period.start,
        "end": period.end,
        "service_area": service_area.name if service_area else None,
    }
    basis = audits.audit_basis(s)
    return json.loads(json.dumps(figures, default=_json)), basis


def _json(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")
