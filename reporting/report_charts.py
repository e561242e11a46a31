"""A report's charts as Plotly figures, drawn by the same script and in the same colours
as the dashboard's, each with a sentence that says what it shows for those who cannot
see it (the table of the same numbers is beside it)."""

from __future__ import annotations

from .dashboard import GRADE_COLOURS, _bar, _layout
from .report_tables import Chart, pct_text

#: colours for series that are not grades (GOV.UK palette)
OTHER_COLOURS = ["#1d70b8", "#4c2c92", "#505a5f", "#28a197", "#f499be", "#85994b"]
#: the most categories a summary names one by one
LISTED = 8


def _colour(name: str, index: int) -> str:
    return GRADE_COLOURS.get(name) or OTHER_COLOURS[index % len(OTHER_COLOURS)]


def figure(chart: Chart) -> dict:
    """{"data", "layout"} for Plotly; shares are drawn as percentages."""
    data = []
    for index, (name, values) in enumerate(chart.series.items()):
        if chart.percent:
            values = [None if v is None else round(100 * v, 1) for v in values]
        data.append(_bar(name, chart.categories, values, _colour(name, index)))
    y_title = next(iter(chart.series), "") if chart.percent else "Audits"
    return {
        "data": data,
        "layout": _layout(
            chart.title, stacked=chart.stacked, y_title=y_title, percent_axis=chart.percent
        ),
    }


def _count_summary(chart: Chart) -> str:
    totals = {name: sum(v or 0 for v in values) for name, values in chart.series.items()}
    whole = sum(totals.values())
    if not whole:
        return f"{chart.title}: nothing to count."
    per_category = [
        sum((values[i] or 0) for values in chart.series.values())
        for i in range(len(chart.categories))
    ]
    parts = ", ".join(f"{n} {name}" for name, n in totals.items())
    text = f"{chart.title}: {whole} in all ({parts})"
    if len(chart.categories) > 1:
        most = max(range(len(per_category)), key=per_category.__getitem__)
        text += f"; the most in {chart.categories[most]} ({per_category[most]})"
    return text + "."


def _percent_summary(chart: Chart) -> str:
    lines = []
    for name, values in chart.series.items():
        known = [(c, v) for c, v in zip(chart.categories, values, strict=True) if v is not None]
        if not known:
            lines.append(f"{name}: nothing to count.")
            continue
        if len(known) <= LISTED:
            listed = "; ".join(f"{c} {pct_text(v)}" for c, v in known)
            lines.append(f"{name}: {listed}.")
        high = max(known, key=lambda item: item[1])
        low = min(known, key=lambda item: item[1])
        if len(known) > 1:
            lines.append(
                f"Highest: {high[0]} ({pct_text(high[1])}); lowest: {low[0]} ({pct_text(low[1])})."
            )
    return f"{chart.title}. " + " ".join(lines)


def summary(chart: Chart) -> str:
    """What the chart shows, in a sentence or two."""
    return _percent_summary(chart) if chart.percent else _count_summary(chart)
