"""The report as its readers see it: the tables every format writes, from the stored
figures, checked against the fixture's hand count (tests/reporting/conftest.py)."""

import pytest

from common.dates import financial_year, quarter
from reporting import services
from reporting.models import ReportKind
from reporting.report_tables import (
    PCT,
    SMALL_NOTE,
    all_tables,
    cell_text,
    interval_text,
    report_sections,
)


@pytest.fixture
def q1(audits):
    report = services.report_for(ReportKind.QUARTERLY, quarter(2026, 1))
    version, _ = services.generate(report)
    return version


def _table(version, key):
    return {t.key: t for t in all_tables(report_sections(version))}[key]


def test_sections_follow_the_seeds_order(q1):
    titles = [s.title for s in report_sections(q1)]
    assert titles == [
        "Key figures",
        "The audit programme",
        "Overall judgements",
        "Each domain",
        "Moderation",
        "Closing the Loop and Cases of Concern",
        "What families told us",
        "Performance against targets",
        "Strengths",
        "Areas for learning",
        "Our response",
    ]


def test_overall_by_month_counts_and_percentages(q1):
    table = _table(q1, "Overall by month")
    rows = {row[0]: row for row in table.rows}
    # April: D Outstanding (1 April), H Good moderated to RI (2 April)
    assert rows["April 2026"][1:6] == [1, 0, 1, 0, 2]
    # May: C RI (late, 20 May), I RI (5 May)
    assert rows["May 2026"][1:6] == [0, 0, 2, 0, 2]
    # June: A Good (30 June), K Inadequate, L Good moderated to Inadequate
    assert rows["June 2026"][1:6] == [0, 1, 0, 2, 3]
    total = table.rows[-1]
    assert table.total_row and total[0] == "Total"
    assert total[1:6] == [1, 1, 3, 2, 7]
    assert total[6] == pytest.approx(2 / 7)
    assert total[7] == pytest.approx(2 / 7)
    # every percentage here rests on fewer than 20 audits: the interval is shown
    assert total[8] == "Good or better " + interval_text(2, 7)
    assert table.note == SMALL_NOTE


def test_moderation_table_original_to_final(q1):
    table = _table(q1, "Moderation")
    rows = {row[0]: row[1:] for row in table.rows}
    # H Good -> RI, L Good -> Inadequate, K Inadequate -> Inadequate
    assert rows["Good"] == [0, 0, 1, 1, 2]
    assert rows["Inadequate"] == [0, 0, 0, 1, 1]
    assert rows["Total"] == [0, 0, 1, 2, 3]


def test_the_wilson_interval_appears_below_20_and_not_at_20():
    assert interval_text(15, 19) != ""
    assert interval_text(15, 20) == ""
    assert interval_text(0, 0) == ""
    assert interval_text(15, 30) == ""


def test_cells_are_written_the_same_in_every_format():
    assert cell_text(0.456, PCT) == "46%"
    assert cell_text(None, PCT) == "–"
    assert cell_text(7, "int") == "7"


def test_annual_report_has_the_quarters_table(audits):
    report = services.report_for(ReportKind.ANNUAL, financial_year(2026))
    version, _ = services.generate(report)
    table = _table(version, "Overall by quarter")
    assert [row[0] for row in table.rows] == [
        "Q1 2026/27",
        "Q2 2026/27",
        "Q3 2026/27",
        "Q4 2026/27",
        "Total",
    ]
    assert table.rows[0][1:6] == [1, 1, 3, 2, 7]
    assert table.rows[1][1:6] == [0, 0, 0, 1, 1]  # B, 1 July


def test_table_keys_are_unique_and_fit_an_excel_sheet_name(audits):
    report = services.report_for(ReportKind.ANNUAL, financial_year(2026))
    version, _ = services.generate(report)
    keys = [t.key for t in all_tables(report_sections(version))]
    assert len(keys) == len(set(keys))
    assert all(len(k) <= 31 and not set(k) & set("[]:*?/\\") for k in keys)


def test_service_improvement_actions_are_carried_into_our_response(org, audits):
    import datetime

    from actions.models import ServiceImprovementAction

    carried = ServiceImprovementAction.objects.create(
        title="Service Managers will agree what a good chronology looks like",
        lead_description="Service Managers",
        service_area=None,
        raised_on=datetime.date(2026, 1, 15),
        timescale=datetime.date(2026, 5, 31),
        raised_in="Quarterly report Q3 2025/26",
        created_by=org.users["qa_lead"],
    )
    ServiceImprovementAction.objects.create(
        title="Raised after the quarter",
        service_area=None,
        raised_on=datetime.date(2026, 7, 2),
        timescale=datetime.date(2026, 9, 30),
        raised_in="Quarterly report Q1 2026/27",
        created_by=org.users["qa_lead"],
    )
    report = services.report_for(ReportKind.QUARTERLY, quarter(2026, 1))
    version, _ = services.generate(report)
    assert [a["what"] for a in version.figures["service_improvement"]] == [carried.title]
    assert version.our_response == (
        f"- {carried.title} (lead: Service Managers; by 31 May 2026): Open, overdue"
    )
    table = _table(version, "Service improvement")
    assert table.rows == [[carried.title, "Service Managers", "31 May 2026", "Open, overdue", ""]]
