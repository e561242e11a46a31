"""A report version made ready for its web page: each section's tables with the chart of
the same numbers above them, and what changed since the version before, with the audits
behind the change linked where the reader may open them."""

from __future__ import annotations

from audits.models import Grade
from audits.selectors import audits_visible_to

from . import report_charts
from .models import ReportVersion
from .report_tables import INT, PCT, Chart, Table, cell_text, pct_text, report_sections
from .selectors.slice import display_reference

#: figures listed in full before the rest are folded away
FIGURES_SHOWN = 15
#: the groups of audits behind a change, as changes.basis_changes names them
AUDIT_GROUPS = [
    ("late", "Late returns", "completed in the period but submitted after the version before"),
    ("added", "Newly counted", "counted now and not before"),
    ("removed", "No longer counted", "counted before and not now"),
    ("regraded", "Regraded", "their final grade changed, at moderation"),
]
#: figures stored as shares from 0 to 1: the parts of their path that say so
SHARE_PARTS = {"participation", "overall_shares", "overall_original_shares"}


def _cell(value, kind: str) -> dict:
    return {"text": cell_text(value, kind), "numeric": kind in (INT, PCT), "none": value is None}


def table_view(table: Table) -> dict:
    """Headers and rows of cells ({"text", "numeric", "none"}); the first cell of each
    row is its header; the last row is marked when it is a total."""
    rows = []
    for index, row in enumerate(table.rows):
        cells = [_cell(value, kind) for value, kind in zip(row, table.kinds, strict=True)]
        rows.append(
            {
                "header": cells[0],
                "cells": cells[1:],
                "total": table.total_row and index == len(table.rows) - 1,
            }
        )
    return {
        "key": table.key,
        "caption": table.caption,
        "headers": [
            {"text": text, "numeric": kind in (INT, PCT)}
            for text, kind in zip(table.headers, table.kinds, strict=True)
        ],
        "rows": rows,
        "note": table.note,
    }


def chart_view(chart: Chart, chart_id: str) -> dict:
    return {
        "id": chart_id,
        "title": chart.title,
        "summary": report_charts.summary(chart),
        "figure": report_charts.figure(chart),
    }


def page_sections(version: ReportVersion) -> list[dict]:
    """Every section of ``report_sections`` with its blocks: each table, with the chart
    that draws its numbers (if any) just before it."""
    sections = []
    for section in report_sections(version):
        charts = {chart.table_key: chart for chart in section.charts}
        blocks = []
        for index, table in enumerate(section.tables):
            chart = charts.pop(table.key, None)
            blocks.append(
                {
                    "table": table_view(table),
                    "chart": chart and chart_view(chart, f"chart-{section.key}-{index}"),
                }
            )
        for index, chart in enumerate(charts.values()):
            blocks.append(
                {"table": None, "chart": chart_view(chart, f"chart-{section.key}-x{index}")}
            )
        sections.append(
            {
                "key": section.key,
                "title": section.title,
                "paragraphs": section.paragraphs,
                "bullets": section.bullets,
                "blocks": blocks,
            }
        )
    return sections


def change_value(key: str, value) -> str:
    """A figure as the list of changes writes it: counts as counts, shares as
    percentages, nothing as a dash."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    parts = key.split(".")
    if SHARE_PARTS & set(parts) or any("share" in p for p in parts) or parts[-1].endswith("rate"):
        return pct_text(value)
    if parts[-1] == "percent":
        return f"{value:.0f}%"
    return f"{value:.2f}"


def _grade(value: str) -> str:
    return Grade(value).label if value in Grade.values else "Not graded"


def changes_view(version: ReportVersion, user) -> dict | None:
    """What moved since the version before: the figures (the first FIGURES_SHOWN, then
    the rest), the reasons in words, and the audits named, each with the address of its
    page where ``user`` may open it. None for a first version. One query."""
    changes = version.changes or {}
    if not changes.get("from_version"):
        return None
    figures = [
        {
            "label": change["label"],
            "before": change_value(change.get("key", ""), change["before"]),
            "after": change_value(change.get("key", ""), change["after"]),
        }
        for change in changes.get("figures", [])
    ]
    audits = changes.get("audits") or {}
    references = set()
    for key, *_ in AUDIT_GROUPS:
        for item in audits.get(key, []):
            references.add(item["reference"] if isinstance(item, dict) else item)
    readable = {}
    if references:
        readable = dict(
            audits_visible_to(user)
            .annotate(ref=display_reference())
            .filter(ref__in=references)
            .values_list("ref", "pk")
        )
    groups = []
    for key, title, meaning in AUDIT_GROUPS:
        items = []
        for item in audits.get(key, []):
            reference = item["reference"] if isinstance(item, dict) else item
            entry = {"reference": reference, "pk": readable.get(reference)}
            if isinstance(item, dict):
                entry["grades"] = f"{_grade(item['before'])} → {_grade(item['after'])}"
            items.append(entry)
        if items:
            groups.append({"key": key, "title": title, "meaning": meaning, "audits": items})
    return {
        "from_version": changes["from_version"],
        "shown": figures[:FIGURES_SHOWN],
        "rest": figures[FIGURES_SHOWN:],
        "count": len(figures),
        "reasons": changes.get("reasons", ""),
        "groups": groups,
    }
