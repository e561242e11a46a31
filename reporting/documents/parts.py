"""What every document writes the same way: the cover's lines, the file's name, and
where each chart sits (just before the table of its numbers)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from ..models import ReportKind, ReportVersion
from ..report_tables import Chart, Section, Table

TITLES = {
    ReportKind.QUARTERLY: "Quarterly QA report",
    ReportKind.ANNUAL: "Annual QA report",
    ReportKind.RANGE: "QA report",
}


@dataclass(frozen=True)
class Cover:
    council: str
    title: str  # "Quarterly QA report"
    period: str  # "Q1 2026/27"
    scope: str  # "Whole organisation" or the service area's name
    version: str  # "Version 2, draft"
    generated: str  # "Generated 5 July 2026"
    published: str  # "Published 9 July 2026", or ""
    draft: bool

    @property
    def full_title(self) -> str:
        """The document's title, as its metadata and file properties give it."""
        return f"{self.council}: {self.title} {self.period}, {self.scope}"

    @property
    def details(self) -> list[str]:
        return [line for line in (self.version, self.generated, self.published) if line]


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y}"


def cover(version: ReportVersion) -> Cover:
    report = version.report
    status = version.get_status_display().lower()
    return Cover(
        council=settings.COUNCIL_NAME,
        title=TITLES[report.kind],
        period=report.label,
        scope=report.scope_label[:1].upper() + report.scope_label[1:],
        version=f"Version {version.number}, {status}",
        generated=f"Generated {_day(version.generated_at)}",
        published=f"Published {_day(version.published_at)}" if version.published_at else "",
        draft=not version.is_published,
    )


def filename(version: ReportVersion, extension: str) -> str:
    """``qa-report-q1-2026-27-whole-organisation-v2.docx``: the period, the scope and the
    version, nothing about any child."""
    report = version.report
    period = slugify(report.label.replace("/", "-"))
    if report.kind == ReportKind.ANNUAL:
        period = f"annual-{period}"
    scope = slugify(report.scope_label)
    return f"qa-report-{period}-{scope}-v{version.number}.{extension}"


def placed(section: Section) -> tuple[list[tuple[Table, list[Chart]]], list[Chart]]:
    """Each table of the section with the charts drawn from it (shown just before it), and
    the charts whose table is not in this section."""
    keys = {table.key for table in section.tables}
    pairs = [
        (table, [chart for chart in section.charts if chart.table_key == table.key])
        for table in section.tables
    ]
    return pairs, [chart for chart in section.charts if chart.table_key not in keys]


def is_empty(section: Section) -> bool:
    return not (section.paragraphs or section.bullets or section.tables or section.charts)


NOTHING_WRITTEN = "Nothing written for this version."
#: tables wider than this many columns are set in a smaller type
WIDE_TABLE = 7
#: tables of up to this many rows are kept on one page (a longer one runs on, its header
#: row repeated)
KEPT_TOGETHER = 20
