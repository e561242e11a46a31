"""A report version as its readers see it: sections of words, tables and charts, built
once from the stored figures and written out by the web page, Word, PDF and Excel alike,
so every format shows the same numbers.

A table's cells are plain values: text, whole numbers, shares from 0 to 1 (columns of
kind ``PCT``), or None (nothing to count). Each format writes them its own way (Excel
keeps numbers as numbers).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from common.stats import wilson_interval

from .models import ReportKind, ReportVersion

TEXT, INT, PCT = "text", "int", "pct"
GRADES = ["Outstanding", "Good", "Requires Improvement", "Inadequate"]
GOOD_OR_BETTER = ("Outstanding", "Good")
NOT_GRADED = "Not graded"
#: percentages resting on fewer audits than this show their 95% Wilson interval
SMALL_SAMPLE = 20
SMALL_NOTE = (
    "* Fewer than 20 audits: the percentage is uncertain; its 95% Wilson interval is shown."
)


@dataclass
class Table:
    key: str  # short, unique in the report: the Excel sheet's name
    caption: str
    headers: list[str]
    kinds: list[str]  # TEXT, INT or PCT, one per column
    rows: list[list] = field(default_factory=list)
    note: str = ""
    total_row: bool = False  # the last row is a total


@dataclass
class Chart:
    title: str
    categories: list[str]
    series: dict[str, list]  # name -> one value per category
    stacked: bool = False
    percent: bool = False
    table_key: str = ""  # the table holding the same numbers


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


# Writing values ---------------------------------------------------------------------


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def pct_text(value: float | None) -> str:
    """0.456 -> "46%"; None -> "–" (nothing to count)."""
    return "–" if value is None else f"{100 * value:.0f}%"


def cell_text(value, kind: str) -> str:
    if value is None:
        return "–"
    if kind == PCT:
        return pct_text(value)
    return str(value)


def interval_text(part: int, whole: int) -> str:
    """ "23% to 67%" where fewer than SMALL_SAMPLE audits, else ""."""
    if not whole or whole >= SMALL_SAMPLE:
        return ""
    low, high = wilson_interval(part, whole)
    return f"{100 * low:.0f}% to {100 * high:.0f}%"


def _day(iso: str) -> str:
    return datetime.date.fromisoformat(iso).strftime("%-d %B %Y")


def month_name(key: str) -> str:
    return datetime.datetime.strptime(key, "%Y-%m").strftime("%B %Y")


def _good(counts: dict) -> int:
    return sum(counts.get(g, 0) for g in GOOD_OR_BETTER)


def _graded(counts: dict) -> int:
    return sum(counts.get(g, 0) for g in GRADES)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# Sections ---------------------------------------------------------------------------


def _grades_table(key: str, caption: str, first: str, rows: dict[str, dict], total=None) -> Table:
    """Counts and % of each grade, Good or better, with the Wilson interval on small
    counts: one row per entry of ``rows`` and an optional total row."""
    table = Table(
        key=key,
        caption=caption,
        headers=[first, *GRADES, "Audits", "Good or better", "Inadequate", "95% interval*"],
        kinds=[TEXT, INT, INT, INT, INT, INT, PCT, PCT, TEXT],
    )
    entries = list(rows.items()) + ([("Total", total)] if total is not None else [])
    small = False
    for name, counts in entries:
        n = _graded(counts)
        interval = interval_text(_good(counts), n)
        small = small or bool(interval)
        table.rows.append(
            [
                name,
                *(counts.get(g, 0) for g in GRADES),
                n,
                share(_good(counts), n),
                share(counts.get("Inadequate", 0), n),
                interval and f"Good or better {interval}",
            ]
        )
    table.total_row = total is not None
    if small:
        table.note = SMALL_NOTE
    return table


def _key_figures(f: dict) -> Section:
    audits, overall = f["audits"], f["overall"]
    n = _graded(overall)
    section = Section("summary", "Key figures")
    section.paragraphs.append(
        f"{_plural(audits['completed'], 'Child Journey Audit')} completed in {f['report']['label']}"
        f" ({audits['accepted']} to the accepted standard). "
        f"{audits['completed_of_allocated']} of {audits['allocated']} allocated audits were "
        f"completed ({pct_text(audits['completion_rate'])})."
    )
    if n:
        section.paragraphs.append(
            f"{pct_text(share(_good(overall), n))} of audits were judged Good or better and "
            f"{pct_text(share(overall['Inadequate'], n))} Inadequate, after moderation."
        )
    return section


def _programme(f: dict) -> Section:
    section = Section("programme", "The audit programme")
    months = Table(
        key="Programme by month",
        caption="Audits allocated and completed, by month",
        headers=[
            "Month",
            "Allocated",
            "Of those, completed by the month's end",
            "Completion rate",
            "Completed in the month",
        ],
        kinds=[TEXT, INT, INT, PCT, INT],
    )
    for key, m in f["programme"]["by_month"].items():
        months.rows.append(
            [
                month_name(key),
                m["allocated"],
                m["completed_of_allocated"],
                m["completion_rate"],
                m["completed"],
            ]
        )
    a = f["audits"]
    months.rows.append(
        ["Total", a["allocated"], a["completed_of_allocated"], a["completion_rate"], a["completed"]]
    )
    months.total_row = True
    months.note = (
        "The total's completion rate counts the allocated audits completed by the end of "
        f"{f['report']['label']}; each month's, those completed by that month's end."
    )
    section.tables.append(months)
    section.tables.append(
        _grades_table(
            "By level of need",
            "Audits completed and final grades, by level of need",
            "Level of need",
            {k: v for k, v in f["programme"]["by_legal_status"].items() if v["completed"]},
        )
    )
    areas = f["by_service_area"]
    if len(areas) > 1:
        section.tables.append(
            _grades_table(
                "By service area",
                "Audits completed and final grades, by service area",
                "Service area",
                areas,
            )
        )
    other = f.get("other_audits") or {}
    lines = []
    dip, thematic = other.get("dip_sample", {}), other.get("thematic", {})
    multi, observed = other.get("multi_agency", {}), other.get("observation", {})
    if dip.get("exercises"):
        lines.append(
            f"{_plural(dip['records_sampled'], 'record')} checked in "
            f"{_plural(dip['exercises'], 'dip sample')}"
        )
    if thematic.get("exercises"):
        lines.append(
            f"{_plural(thematic['records_sampled'], 'child’s record', 'children’s records')} "
            f"audited in {_plural(thematic['exercises'], 'thematic audit')}"
        )
    if multi.get("audits"):
        lines.append(
            f"{_plural(multi['families_considered'], 'family', 'families')} considered in "
            f"{_plural(multi['audits'], 'multi-agency audit')}"
        )
    if observed.get("observations"):
        lines.append(f"{_plural(observed['observations'], 'practice observation')}")
    if lines:
        section.paragraphs.append(
            "Counted apart from Child Journey Audits: " + "; ".join(lines) + "."
        )
    return section


def _judgements(f: dict, kind: str) -> Section:
    section = Section("judgements", "Overall judgements")
    by_month = {month_name(k): v for k, v in f["by_month"].items()}
    table = _grades_table(
        "Overall by month",
        "Final overall grades by month (after moderation)",
        "Month",
        by_month,
        total=f["overall"],
    )
    section.tables.append(table)
    section.charts.append(
        Chart(
            title="Final overall grades by month",
            categories=list(by_month),
            series={g: [c.get(g, 0) for c in by_month.values()] for g in GRADES},
            stacked=True,
            table_key=table.key,
        )
    )
    if kind == ReportKind.ANNUAL and f.get("quarters"):
        quarters = {label: q["overall"] for label, q in f["quarters"].items()}
        section.tables.append(
            _grades_table(
                "Overall by quarter",
                "Final overall grades by quarter, the year's four quarters side by side",
                "Quarter",
                quarters,
                total=f["overall"],
            )
        )
    original = f["overall_original"]
    section.tables.append(
        _grades_table(
            "Auditors and final",
            "The auditors' grades and the final grades after moderation",
            "Grades",
            {"Auditors' grades": original, "Final grades": f["overall"]},
        )
    )
    if f.get("lower_ri"):
        section.paragraphs.append(
            f"{_plural(f['lower_ri'], 'audit')} graded Requires Improvement fell in the lower "
            "band (closer to Inadequate)."
        )
    return section


def _domains(f: dict) -> Section:
    section = Section("domains", "Each domain")
    headers = ["Domain", *GRADES, NOT_GRADED, "Graded", "Good or better", "95% interval*"]
    table = Table(
        key="Domains",
        caption=f"Each domain's final grades, {f['report']['label']}",
        headers=headers,
        kinds=[TEXT, INT, INT, INT, INT, INT, INT, PCT, TEXT],
    )
    for domain, counts in f["domains"].items():
        n = _graded(counts)
        interval = interval_text(_good(counts), n)
        if interval:
            table.note = SMALL_NOTE
        table.rows.append(
            [
                domain,
                *(counts.get(g, 0) for g in GRADES),
                counts.get(NOT_GRADED, 0),
                n,
                share(_good(counts), n),
                interval and f"Good or better {interval}",
            ]
        )
    section.tables.append(table)
    months = f.get("domains_by_month", {})
    if months:
        names = sorted({d for m in months.values() for d in m})
        by_month = Table(
            key="Domains by month",
            caption="Good or better in each domain, by month (graded audits)",
            headers=["Domain", *(month_name(k) for k in months)],
            kinds=[TEXT, *([PCT] * len(months))],
        )
        for name in names:
            by_month.rows.append(
                [
                    name,
                    *(
                        share(_good(m.get(name, {})), _graded(m.get(name, {})))
                        for m in months.values()
                    ),
                ]
            )
        section.tables.append(by_month)
        section.charts.append(
            Chart(
                title="Good or better in each domain",
                categories=[row[0] for row in table.rows],
                series={"Good or better": [row[7] for row in table.rows]},
                percent=True,
                table_key=table.key,
            )
        )
    return section


def _moderation(f: dict) -> Section:
    m = f["moderation"]
    section = Section("moderation", "Moderation")
    completed = f["audits"]["completed"]
    changed = m["upgraded"] + m["downgraded"]
    moderated_share = pct_text(share(m["moderated"], completed))
    section.paragraphs.append(
        f"{m['moderated']} of {completed} audits were moderated ({moderated_share}). "
        f"Moderation agreed with {m['agreed']} and changed {changed} "
        f"({pct_text(share(changed, m['moderated']))}): {m['upgraded']} upgraded, "
        f"{m['downgraded']} downgraded."
    )
    if m["inadequate_identified_by_moderation"]:
        section.paragraphs.append(
            f"{_plural(m['inadequate_identified_by_moderation'], 'audit')} found Inadequate only "
            "at moderation."
        )
    if m.get("kappa") is not None:
        section.paragraphs.append(
            f"Agreement between auditors and moderators, weighted kappa: {m['kappa']:.2f} "
            "(1 is full agreement, 0 no more than chance)."
        )
    matrix = {(t["from"], t["to"]): t["count"] for t in m["transitions"]}
    table = Table(
        key="Moderation",
        caption="Original grade → grade after moderation",
        headers=["Original grade", *(f"After: {g}" for g in GRADES), "Moderated"],
        kinds=[TEXT, INT, INT, INT, INT, INT],
    )
    for before in GRADES:
        counts = [matrix.get((before, after), 0) for after in GRADES]
        table.rows.append([before, *counts, sum(counts)])
    totals = [sum(row[i] for row in table.rows) for i in range(1, 6)]
    table.rows.append(["Total", *totals])
    table.total_row = True
    section.tables.append(table)
    return section


def _actions(f: dict) -> Section:
    a = f["actions"]
    section = Section("actions", "Closing the Loop and Cases of Concern")
    timely = a["within_timescale"]
    table = Table(
        key="Actions",
        caption=(
            "Actions raised the month before, completed within timescale "
            f"(target {timely['target']}%)"
        ),
        headers=[
            "Actions",
            "Raised",
            "Within timescale",
            "Late",
            "Overdue",
            "Not yet due",
            "Within timescale %",
        ],
        kinds=[TEXT, INT, INT, INT, INT, INT, PCT],
    )
    for key, name in (
        ("all", "All actions"),
        ("care_planning", "Care-planning"),
        ("other", "Other"),
    ):
        row = timely[key]
        table.rows.append(
            [
                name,
                row["raised"],
                row["within_timescale"],
                row["late"],
                row["overdue"],
                row["not_yet_due"],
                None if row["percent"] is None else row["percent"] / 100,
            ]
        )
    section.tables.append(table)
    backlog = a["backlog"]
    section.paragraphs.append(
        f"Backlog: {_plural(backlog['open'], 'action')} raised before the period still open at "
        f"its end, {backlog['overdue']} overdue, {backlog['never_updated']} never updated."
    )
    cases = a["cases_of_concern"]
    section.paragraphs.append(
        f"Cases of Concern: {cases['opened']} opened and {cases['resolved']} resolved in the "
        f"period; {cases['open']} open at its end ({cases['over_6_months']} for more than 6 "
        f"months, {cases['over_12_months']} more than 12)."
    )
    re = a["reaudits"]
    if re.get("total"):
        section.paragraphs.append(
            f"{re['improved']} of {re['total']} ({pct_text(share(re['improved'], re['total']))}) "
            "re-audited children's records showed improved practice."
        )
    return section


def _feedback(f: dict) -> Section:
    fb = f["feedback"]
    section = Section("feedback", "What families told us")
    section.paragraphs.append(
        f"Feedback was given for {fb['given']} of {fb['records']} audits "
        f"({pct_text(share(fb['given'], fb['records']))}); "
        f"{fb['not_obtained']} could not be obtained."
    )
    table = Table(
        key="Feedback",
        caption="Families' answers to each question",
        headers=["Question", "Yes", "Partly", "No", "Answered", "Yes %"],
        kinds=[TEXT, INT, INT, INT, INT, PCT],
    )
    for q in fb.get("questions", []):
        table.rows.append(
            [
                q["label"],
                q["yes"],
                q["partly"],
                q["no"],
                q["answered"],
                share(q["yes"], q["answered"]),
            ]
        )
    if table.rows:
        section.tables.append(table)
    for quote in f.get("quotes", []):
        who = f" ({quote['attribution']})" if quote.get("attribution") else ""
        section.bullets.append(f"“{quote['text']}”{who}")
    return section


def _performance(f: dict) -> Section | None:
    rows = f.get("performance") or []
    if not rows:
        return None
    section = Section("performance", "Performance against targets")
    earlier = [label for label, _ in rows[0]["earlier"]]
    table = Table(
        key="Performance",
        caption="Each measure against its target (RAG), with the periods before",
        headers=["Measure", "Value", "Target", "Rating", *earlier, "Direction", "In words"],
        kinds=[TEXT] * (6 + len(earlier)),
    )
    for row in rows:
        table.rows.append(
            [
                row["measure"],
                row["value"],
                row["target"],
                row["rag_label"],
                *(value for _, value in row["earlier"]),
                row["direction"],
                row["sentence"],
            ]
        )
    section.tables.append(table)
    return section


def _words(text: str) -> list[str]:
    return [line.strip().lstrip("-•* ").strip() for line in text.splitlines() if line.strip()]


def _response(f: dict, version: ReportVersion) -> list[Section]:
    sections = [
        Section("strengths", "Strengths", bullets=_words(version.strengths)),
        Section("learning", "Areas for learning", bullets=_words(version.areas_for_learning)),
    ]
    response = Section("response", "Our response", bullets=_words(version.our_response))
    actions = f.get("service_improvement") or []
    if actions:
        table = Table(
            key="Service improvement",
            caption="Service improvement actions",
            headers=["Action", "Lead", "Timescale", "Status", "Latest progress"],
            kinds=[TEXT, TEXT, TEXT, TEXT, TEXT],
        )
        for action in actions:
            status = action["status_label"] + (", overdue" if action.get("overdue") else "")
            if action.get("done_on"):
                status += f" on {_day(action['done_on'])}"
            table.rows.append(
                [
                    action["what"],
                    action["lead"],
                    _day(action["timescale"]),
                    status,
                    action.get("latest_progress") or "",
                ]
            )
        response.tables.append(table)
    sections.append(response)
    return sections


def report_sections(version: ReportVersion) -> list[Section]:
    """Every section of the report, in the order the seeds' reports use."""
    f = version.figures
    kind = version.report.kind
    sections = [
        _key_figures(f),
        _programme(f),
        _judgements(f, kind),
        _domains(f),
        _moderation(f),
        _actions(f),
        _feedback(f),
    ]
    performance = _performance(f)
    if performance:
        sections.append(performance)
    return sections + _response(f, version)


def all_tables(sections: list[Section]) -> list[Table]:
    return [table for section in sections for table in section.tables]
