"""The leaders' dashboard: each chart's figure, the table of the same numbers beside it,
and a short text summary, from the summary's figures and the teams table."""

from __future__ import annotations

import datetime

from audits.models import GRADED, Grade

from .presenting import audits_url, percent
from .selectors import Slice
from .selectors.audits import NOT_GRADED

GRADE_NAMES = [Grade(g).label for g in GRADED]
GRADE_VALUES = {Grade(g).label: g for g in GRADED}
#: one colour per grade, the same on every chart (GOV.UK palette)
GRADE_COLOURS = {
    "Outstanding": "#005a30",
    "Good": "#00703c",
    "Requires Improvement": "#f47738",
    "Inadequate": "#d4351c",
    NOT_GRADED: "#b1b4b6",
}
RESPONDENTS_SHOWN = 6


def _bar(name: str, x: list, y: list, colour: str | None = None) -> dict:
    trace = {"type": "bar", "name": name, "x": x, "y": y}
    if colour:
        trace["marker"] = {"color": colour}
    return trace


def _layout(title: str, *, stacked: bool = False, y_title: str = "Audits", percent_axis=False):
    layout = {
        "title": {"text": title},
        "barmode": "stack" if stacked else "group",
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero"},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.38},
        "margin": {"t": 48, "r": 16, "b": 130, "l": 56},
        "font": {"family": "Arial, sans-serif"},
    }
    if percent_axis:
        layout["yaxis"] |= {"range": [0, 100], "ticksuffix": "%"}
    return layout


def _cell(n: int, href: str | None = None) -> dict:
    return {"text": n, "href": href if n else None, "numeric": True}


def _month_label(key: str) -> str:
    return datetime.date.fromisoformat(f"{key}-01").strftime("%B %Y")


def grades_by_month(s: Slice, by_month: dict) -> dict:
    months = list(by_month)
    labels = [_month_label(m) for m in months]
    rows, small_months = [], []
    for key, label in zip(months, labels, strict=True):
        counts = by_month[key]
        total = sum(counts.values())
        good = percent(counts["Good"] + counts["Outstanding"], total)
        if good and good["small"]:
            small_months.append(label)
        rows.append(
            {
                "header": label,
                "cells": [
                    _cell(counts[g], audits_url(s, month=key, grade=GRADE_VALUES[g]))
                    for g in GRADE_NAMES
                ]
                + [_cell(total, audits_url(s, month=key))],
                "percent": good,
            }
        )
    totals = [sum(by_month[m][g] for m in months) for g in GRADE_NAMES]
    whole = sum(totals)
    good_all = percent(totals[0] + totals[1], whole)
    text = f"{whole} audits completed from {labels[0]} to {labels[-1]}" if labels else ""
    if good_all:
        text += f"; {good_all['text']} Good or better."
        shares = [r for r in rows if r["percent"]]
        if len(shares) > 1:
            text += (
                f" Good or better was {shares[0]['percent']['text']} in {shares[0]['header']}"
                f" and {shares[-1]['percent']['text']} in {shares[-1]['header']}."
            )
    elif labels:
        text += "."
    if small_months:
        text += f" Fewer than 20 audits in {len(small_months)} month(s): " + ", ".join(small_months)
        text += "; their percentages show a 95% interval."
    return {
        "id": "grades-by-month",
        "title": "Overall grades by month",
        "summary": text,
        "figure": {
            "data": [
                _bar(g, labels, [by_month[m][g] for m in months], GRADE_COLOURS[g])
                for g in GRADE_NAMES
            ],
            "layout": _layout("Final overall grades by month", stacked=True),
        },
        "columns": ["Month", *GRADE_NAMES, "Total", "Good or better"],
        "rows": rows,
    }


def domains(s: Slice, by_domain: dict) -> dict:
    names = list(by_domain)
    grades = [*GRADE_NAMES, NOT_GRADED]
    rows = []
    for name in names:
        counts = by_domain[name]
        graded = sum(counts[g] for g in GRADE_NAMES)
        rows.append(
            {
                "header": name,
                "cells": [
                    _cell(
                        counts[g],
                        audits_url(s, domain=name, grade=GRADE_VALUES.get(g, NOT_GRADED)),
                    )
                    for g in grades
                ],
                "percent": percent(counts["Good"] + counts["Outstanding"], graded),
            }
        )
    ranked = sorted((r for r in rows if r["percent"]), key=lambda r: r["percent"]["value"])
    if ranked:
        text = (
            f"{len(rows)} domains. Strongest: {ranked[-1]['header']} "
            f"({ranked[-1]['percent']['text']} Good or better); weakest: {ranked[0]['header']} "
            f"({ranked[0]['percent']['text']})."
        )
    else:
        text = "No domain was graded in this period."
    return {
        "id": "domains",
        "title": "Domains side by side",
        "summary": text,
        "figure": {
            "data": [
                _bar(g, names, [by_domain[n][g] for n in names], GRADE_COLOURS[g]) for g in grades
            ],
            "layout": _layout("Final grades of each domain"),
        },
        "columns": ["Domain", *grades, "Good or better of graded"],
        "rows": rows,
    }


def original_and_moderated(s: Slice, summary: dict) -> dict:
    original, final = summary["overall_original"], summary["overall"]
    moderation = summary["moderation"]
    rows = [
        {
            "header": g,
            "cells": [
                _cell(original[g], audits_url(s, grade=GRADE_VALUES[g], basis="original")),
                _cell(final[g], audits_url(s, grade=GRADE_VALUES[g])),
            ],
        }
        for g in GRADE_NAMES
    ]
    text = (
        f"{moderation['moderated']} audits moderated: {moderation['agreed']} agreed, "
        f"{moderation['upgraded']} upgraded, {moderation['downgraded']} downgraded. "
        + "; ".join(f"{g}: {original[g]} by auditors, {final[g]} final" for g in GRADE_NAMES)
        + "."
    )
    return {
        "id": "original-moderated",
        "title": "Auditors' grades and final grades",
        "summary": text,
        "figure": {
            "data": [
                _bar(
                    "Auditors' grades", GRADE_NAMES, [original[g] for g in GRADE_NAMES], "#1d70b8"
                ),
                _bar("Final grades", GRADE_NAMES, [final[g] for g in GRADE_NAMES], "#505a5f"),
            ],
            "layout": _layout("Auditors' and final (moderated) overall grades"),
        },
        "columns": ["Grade", "Auditors' grades", "Final grades"],
        "rows": rows,
        "moderation": moderation,
    }


ACTION_KINDS = {"all": "All actions", "care_planning": "Care-planning actions", "other": "Other"}


def actions(actions_figures: dict) -> dict:
    timescale = actions_figures["within_timescale"]
    rows, xs, ys = [], [], []
    for key, label in ACTION_KINDS.items():
        kind = timescale.get(key)
        if not kind:
            continue
        share = percent(kind["within_timescale"], kind["judged"])
        rows.append(
            {
                "header": label,
                "cells": [
                    _cell(kind["raised"]),
                    _cell(kind["within_timescale"]),
                    _cell(kind["judged"]),
                ],
                "percent": share,
            }
        )
        xs.append(label)
        ys.append(round(share["value"] * 100, 1) if share else None)
    first = rows[0]["percent"] if rows else None
    text = (
        f"{first['text']} of the actions due were completed within timescale "
        f"(target {timescale['target']}%)."
        if first
        else "No actions were due in this period."
    )
    if first and first["small"]:
        text += f" Fewer than 20 actions: 95% interval {first['interval']}."
    return {
        "id": "actions",
        "title": "Actions completed within timescale",
        "summary": text,
        "figure": {
            "data": [_bar("Within timescale", xs, ys, "#1d70b8")],
            "layout": _layout(
                "Actions raised the month before, completed within timescale",
                y_title="Within timescale",
                percent_axis=True,
            ),
        },
        "columns": ["Actions", "Raised", "Within timescale", "Due", "Within timescale"],
        "rows": rows,
        "unit": "actions",
    }


def feedback(feedback_figures: dict) -> dict:
    rows, xs, ys = [], [], []
    for group in feedback_figures.get("by_respondent", [])[:RESPONDENTS_SHOWN]:
        asked = group["given"] + group["not_obtained"]
        share = percent(group["given"], asked)
        rows.append(
            {
                "header": group["label"],
                "cells": [_cell(group["given"]), _cell(asked)],
                "percent": share,
            }
        )
        xs.append(group["label"])
        ys.append(round(share["value"] * 100, 1) if share else None)
    given, records = feedback_figures.get("given", 0), feedback_figures.get("records", 0)
    overall = percent(given, records)
    text = (
        f"Feedback was given in {given} of {records} records ({overall['text']})."
        if overall
        else "No feedback was recorded in this period."
    )
    return {
        "id": "feedback",
        "title": "Feedback rates",
        "summary": text,
        "figure": {
            "data": [_bar("Feedback given", xs, ys, "#4c2c92")],
            "layout": _layout(
                "Feedback given, by who was asked", y_title="Given", percent_axis=True
            ),
        },
        "columns": ["Who", "Given", "Asked", "Given"],
        "rows": rows,
        "unit": "records",
    }


def teams_table(s: Slice, teams: list[dict]) -> list[dict]:
    """The teams table's rows: each count a link, each share with its honesty."""
    rows = []
    for team in teams:
        n = team["completed"]
        rows.append(
            team
            | {
                "completed_url": audits_url(s, team=team["team"]),
                "good_url": audits_url(s, team=team["team"], practice="good_or_better"),
                "inadequate_url": audits_url(s, team=team["team"], grade=Grade.INADEQUATE),
                "weaker_url": audits_url(s, team=team["team"], practice="weaker"),
                "good_pct": percent(team["good"], n),
                "inadequate_pct": percent(team["inadequate"], n),
                "weaker_pct": percent(team["weaker"], n),
                "small": n < 20,
            }
        )
    return rows
