"""A report's charts as images for Word (PNG) and PDF (SVG), drawn with matplotlib's Agg
renderer (no display, no browser), in the dashboard's grade colours, each with the words
a screen reader says in its place.

matplotlib is imported on first use: a process that never draws a chart (the web
workers' other pages, the tests, every management command) does not pay for loading it.
"""

from __future__ import annotations

import io
import math
import textwrap

from ..dashboard import GRADE_COLOURS
from ..report_tables import Chart, Table

#: a series that is not a grade (e.g. "Good or better"): GOV.UK blue
OTHER_COLOUR = "#1d70b8"
#: Outstanding and Good are both green: Outstanding is also hatched, so the two differ
#: in print, in greyscale and for readers who do not see the colours apart
HATCHES = {"Outstanding": "///"}
FONTS = ["Arial", "Liberation Sans", "DejaVu Sans"]
WIDTH_INCHES, HEIGHT_INCHES = 7.5, 4.2
PNG_DPI = 150


def colour(series: str) -> str:
    return GRADE_COLOURS.get(series, OTHER_COLOUR)


def _is_dark(hex_colour: str) -> bool:
    """Whether white text reads better than black on this colour (WCAG luminance)."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05)


def _value_label(value, percent: bool) -> str:
    if value is None:
        return "–"
    return f"{100 * value:.0f}%" if percent else str(value)


def _axis_names(chart: Chart, table: Table | None) -> tuple[str, str]:
    x = table.headers[0] if table else ""
    if not chart.percent:
        return x, "Audits"
    names = list(chart.series)
    return x, (f"{names[0]} (%)" if len(names) == 1 else "Percentage")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe(chart: Chart, table: Table | None = None) -> str:
    """The chart in words, for its alt text: what it shows and where its numbers are."""
    kind = "Stacked bar chart" if chart.stacked else "Bar chart"
    names = list(chart.series)
    if chart.percent:
        measure = f"The percentage {_and(names)}"
    elif chart.stacked:
        measure = f"The number of audits of each grade ({_and(names)})"
    else:
        measure = f"The number of audits: {_and(names)}"
    x_name = _axis_names(chart, table)[0].lower() or "category"
    categories = chart.categories
    if x_name == "month" and len(categories) > 1:
        span = f"from {categories[0]} to {categories[-1]}"
    else:
        span = f"({_and(categories)})" if categories else ""
    words = f"{kind}: {chart.title}. {measure} in each {x_name} {span}".rstrip() + "."
    if table is not None:
        words += f" The table “{table.caption}” gives the same numbers."
    return words


def _sideways(chart: Chart) -> bool:
    """Bars run across the page when there are many long names to read (domains): each
    name then sits on one or two lines beside its bar, not squeezed under it."""
    return (
        not chart.stacked
        and len(chart.categories) > 4
        and max(len(c) for c in chart.categories) > 14
    )


def _draw(chart: Chart, table: Table | None):
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    count = max(len(chart.categories), 1)
    sideways = _sideways(chart)
    height = max(HEIGHT_INCHES, 0.32 * count + 1.4) if sideways else HEIGHT_INCHES
    figure = Figure(figsize=(WIDTH_INCHES, height), layout="constrained")
    axes = figure.add_subplot()
    bar = axes.barh if sideways else axes.bar
    places = list(range(len(chart.categories)))
    series = list(chart.series.items())
    bottoms = [0.0] * len(places)
    tallest = 0.0
    width = 0.7 if chart.stacked else 0.8 / max(len(series), 1)
    for index, (name, values) in enumerate(series):
        heights = [math.nan if v is None else (100 * v if chart.percent else v) for v in values]
        if chart.stacked:
            at = places
            heights = [0 if math.isnan(h) else h for h in heights]
        else:
            at = [p - 0.4 + width * (index + 0.5) for p in places]
            tallest = max([tallest, *(h for h in heights if not math.isnan(h))])
        fill = colour(name)
        bars = bar(
            at,
            heights,
            width,
            label=name,
            color=fill,
            edgecolor="white",
            linewidth=0.8,
            hatch=HATCHES.get(name),
            hatchcolor="white",
            **({"bottom": bottoms} if chart.stacked else {}),
        )
        if chart.stacked:
            labels = ["" if not v else _value_label(v, chart.percent) for v in values]
            axes.bar_label(
                bars,
                labels=labels,
                label_type="center",
                fontsize=9,
                color="white" if _is_dark(fill) else "black",
                fontweight="bold",
                bbox={"facecolor": fill, "edgecolor": "none", "pad": 2},
            )
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        else:
            axes.bar_label(
                bars, labels=[_value_label(v, chart.percent) for v in values], padding=2, fontsize=8
            )
            for place, value in zip(at, values, strict=True):
                if value is None:  # no bar to label: say there was nothing to count
                    spot = (0, place) if sideways else (place, 0)
                    axes.annotate(
                        "–", spot, ha="left" if sideways else "center", va="center", fontsize=8
                    )
    names, values_axis = (axes.yaxis, axes.xaxis) if sideways else (axes.xaxis, axes.yaxis)
    x_name, y_name = _axis_names(chart, table)
    wrap = 28 if sideways else max(7, 90 // count)
    ticks = [textwrap.fill(c, wrap, break_long_words=False) for c in chart.categories]
    names.set_ticks(places, ticks, fontsize=8 if count <= 8 or sideways else 7)
    names.set_label_text(x_name)
    values_axis.set_label_text(y_name)
    top = 105 if chart.percent else max((max(bottoms) if chart.stacked else tallest) * 1.08, 1)
    (axes.set_xlim if sideways else axes.set_ylim)(0, top)
    if chart.percent:
        values_axis.set_major_formatter(PercentFormatter(decimals=0))
    else:
        values_axis.set_major_locator(MaxNLocator(integer=True))
    if sideways:
        axes.invert_yaxis()  # the first name at the top, as in the table
    axes.set_title(chart.title, fontsize=11, fontweight="bold", loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x" if sideways else "y", color="#b1b4b6", linewidth=0.5)
    axes.set_axisbelow(True)
    if len(series) > 1 or chart.stacked:
        figure.legend(loc="outside lower center", ncols=min(len(series), 4), frameon=False)
    return figure


def _render(chart: Chart, table: Table | None, fmt: str, **options) -> bytes:
    import matplotlib

    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": FONTS}):
        figure = _draw(chart, table)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, **options)
    return buffer.getvalue()


def png(chart: Chart, table: Table | None = None) -> bytes:
    return _render(chart, table, "png", dpi=PNG_DPI, metadata={"Software": None})


def svg(chart: Chart, table: Table | None = None) -> bytes:
    return _render(chart, table, "svg", metadata={"Date": None, "Creator": None})
