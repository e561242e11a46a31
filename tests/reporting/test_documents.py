"""A report version as Word, PDF and Excel: each file is read back and holds the same
figures as the sections every format is built from (reporting.report_tables), and the
downloads are readable by exactly those who may read the version on the report's page."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from pypdf import PdfReader

from common.dates import financial_year, quarter
from reporting import services
from reporting.documents import FORMATS, charts, document
from reporting.documents.parts import filename
from reporting.models import ReportKind
from reporting.report_tables import INT, PCT, TEXT, all_tables, cell_text, report_sections

from .conftest import G, audit

Q1 = quarter(2026, 1)
FORMULA = '=HYPERLINK("https://example.com","Open")'
CHECKED = ("Overall by month", "Moderation")


@pytest.fixture
def q1(audits):
    """Q1's first version, with a strength that a spreadsheet would run as a formula."""
    version, _ = services.generate(services.report_for(ReportKind.QUARTERLY, Q1))
    version.strengths = f"{FORMULA}\nVisits were seen within timescale"
    version.save()
    return version


def _tables(version):
    return {table.key: table for table in all_tables(report_sections(version))}


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Word ---------------------------------------------------------------------------------


@pytest.fixture
def word(q1):
    content, content_type, name = document(q1, "docx")
    assert content_type == FORMATS["docx"][0]
    return Document(io.BytesIO(content))


def test_word_cover_names_the_council_period_scope_and_version(word, settings):
    lines = [p.text for p in word.paragraphs[:8]]
    for expected in (
        settings.COUNCIL_NAME,
        "Quarterly QA report",
        "Q1 2026/27",
        "Whole organisation",
        "Version 1, draft",
    ):
        assert expected in lines
    assert any(line.startswith("Generated ") for line in lines)
    assert word.core_properties.title.endswith("Quarterly QA report Q1 2026/27, Whole organisation")
    section = word.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_word_headings_are_word_headings(word, q1):
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.title for s in report_sections(q1)]
    captions = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    assert captions == [t.caption for t in _tables(q1).values()]
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert FORMULA in bullets and "Visits were seen within timescale" in bullets


def test_word_tables_hold_the_sections_cells(word, q1):
    tables = list(_tables(q1).values())
    assert len(word.tables) == len(tables)
    for grid, table in zip(word.tables, tables, strict=True):
        cells = [[cell.text for cell in row.cells] for row in grid.rows]
        assert cells[0] == table.headers
        assert cells[1:] == [
            [cell_text(v, k) for v, k in zip(row, table.kinds, strict=True)] for row in table.rows
        ], table.key
    by_key = dict(zip([t.key for t in tables], word.tables, strict=True))
    months = [[c.text for c in row.cells] for row in by_key["Overall by month"].rows]
    assert months[-1][:8] == ["Total", "1", "1", "3", "2", "7", "29%", "29%"]
    moderation = [[c.text for c in row.cells] for row in by_key["Moderation"].rows]
    assert moderation[2] == ["Good", "0", "0", "1", "1", "2"]


def test_word_header_row_repeats_numbers_align_right_and_the_total_is_bold(word, q1):
    table = _tables(q1)["Overall by month"]
    grid = word.tables[list(_tables(q1)).index("Overall by month")]
    header = grid.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert grid.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    for cell, kind in zip(grid.rows[1].cells, table.kinds, strict=True):
        alignment = cell.paragraphs[0].alignment
        assert (alignment is not None and alignment == 2) == (kind != TEXT)  # 2: right
    total = grid.rows[-1]
    assert all(run.bold for cell in total.cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for cell in grid.rows[1].cells for run in cell.paragraphs[0].runs)
    # the note under the table, in the paragraph that follows it
    following = grid._tbl.getnext()
    assert table.note and table.note in "".join(following.itertext())


def test_word_charts_are_pictures_with_alt_text(word, q1):
    drawn = [c for s in report_sections(q1) for c in s.charts]
    assert drawn and len(word.inline_shapes) == len(drawn)
    for shape, chart in zip(word.inline_shapes, drawn, strict=True):
        description = shape._inline.docPr.get("descr")
        assert chart.title in description
        assert shape.width <= Cm(17.01)
    assert word.inline_shapes[0]._inline.graphic.graphicData.pic is not None


# Excel --------------------------------------------------------------------------------


@pytest.fixture
def workbook(q1):
    content, content_type, name = document(q1, "xlsx")
    assert content_type == FORMATS["xlsx"][0]
    return openpyxl.load_workbook(io.BytesIO(content))


def test_excel_has_contents_then_a_sheet_per_table(workbook, q1, settings):
    keys = list(_tables(q1))
    assert workbook.sheetnames == ["Contents", "Report text", *keys]
    contents = [
        [c for c in row if c is not None]
        for row in workbook["Contents"].iter_rows(values_only=True)
    ]
    assert contents[0][0].startswith(settings.COUNCIL_NAME)
    assert ["Period", "Q1 2026/27"] in contents
    assert ["Scope", "Whole organisation"] in contents
    assert ["Version", 1] in contents
    assert ["Status", "Draft"] in contents
    listed = [row[0] for row in contents if row and row[0] in keys]
    assert listed == keys


def test_excel_keeps_numbers_as_numbers(workbook, q1):
    for key in CHECKED:
        table = _tables(q1)[key]
        sheet = workbook[key]
        assert sheet.freeze_panes == "A2"
        header = list(sheet[1])
        assert [c.value for c in header] == table.headers
        assert all(c.font.b for c in header)
        for cells, values in zip(sheet.iter_rows(min_row=2), table.rows, strict=True):
            for cell, value, kind in zip(cells, values, table.kinds, strict=True):
                if value is None:
                    assert cell.value is None
                elif kind == INT:
                    assert type(cell.value) is int and cell.value == value
                elif kind == PCT:
                    # a share of 0 or 1 reads back from the file as a whole number
                    assert isinstance(cell.value, float) or cell.value in (0, 1)
                    assert cell.number_format == "0%"
                    assert cell.value == pytest.approx(value)
                else:
                    assert cell.value == value
        assert sheet.max_row == 1 + len(table.rows)
    total = list(workbook["Overall by month"].iter_rows(values_only=True))[-1]
    assert total[:8] == ("Total", 1, 1, 3, 2, 7, pytest.approx(2 / 7), pytest.approx(2 / 7))


def test_excel_never_writes_a_formula(workbook):
    formulas = [
        (sheet.title, cell.coordinate)
        for sheet in workbook
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    words = [row[1] for row in workbook["Report text"].iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA in words


# PDF ----------------------------------------------------------------------------------


@pytest.fixture
def pdf(q1):
    content, content_type, name = document(q1, "pdf")
    assert content_type == "application/pdf" and content.startswith(b"%PDF")
    return PdfReader(io.BytesIO(content))


def test_pdf_holds_the_title_and_the_same_figures(pdf, q1, settings):
    assert pdf.metadata.title == (
        f"{settings.COUNCIL_NAME}: Quarterly QA report Q1 2026/27, Whole organisation"
    )
    text = _words(" ".join(page.extract_text() for page in pdf.pages))
    assert "Quarterly QA report" in text and "Version 1, draft" in text
    for section in report_sections(q1):
        assert section.title in text
    for key in CHECKED:
        table = _tables(q1)[key]
        assert table.caption in text
        for row in table.rows:
            cells = " ".join(cell_text(v, k) for v, k in zip(row, table.kinds, strict=True))
            assert cells in text, key
    assert FORMULA in text


def test_pdf_is_tagged_with_its_language_and_alt_text(pdf, q1):
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"

    found = {}

    def walk(node):
        node = node.get_object()
        if not hasattr(node, "get"):
            return
        if node.get("/S"):
            found.setdefault(node["/S"], []).append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/Caption", "/TH", "/TD", "/Figure"} <= set(found)
    drawn = [c for s in report_sections(q1) for c in s.charts]
    alts = [figure["/Alt"] for figure in found["/Figure"]]
    assert len(alts) == len(drawn)
    assert all(chart.title in alt for chart, alt in zip(drawn, alts, strict=True))


# Charts and names ---------------------------------------------------------------------


def test_charts_draw_in_the_grade_colours_with_words_for_screen_readers(q1):
    from reporting.dashboard import GRADE_COLOURS

    chart = next(c for s in report_sections(q1) for c in s.charts)
    table = _tables(q1)[chart.table_key]
    assert charts.png(chart, table).startswith(b"\x89PNG")
    assert b"<svg" in charts.svg(chart, table)
    assert charts.colour("Inadequate") == GRADE_COLOURS["Inadequate"]
    assert charts.describe(chart, table) == (
        "Stacked bar chart: Final overall grades by month. The number of audits of each grade "
        "(Outstanding, Good, Requires Improvement and Inadequate) in each month from "
        "April 2026 to June 2026. The table “Final overall grades by month (after "
        "moderation)” gives the same numbers."
    )


def test_file_names_say_the_period_scope_and_version(org, audits):
    version, _ = services.generate(services.report_for(ReportKind.QUARTERLY, Q1))
    assert filename(version, "docx") == "qa-report-q1-2026-27-whole-organisation-v1.docx"
    area = services.report_for(ReportKind.QUARTERLY, Q1, org.area_b)
    version, _ = services.generate(area)
    assert filename(version, "pdf") == "qa-report-q1-2026-27-children-in-care-v1.pdf"
    year, _ = services.generate(services.report_for(ReportKind.ANNUAL, financial_year(2026)))
    assert filename(year, "xlsx") == "qa-report-annual-2026-27-whole-organisation-v1.xlsx"


# The download -------------------------------------------------------------------------


@pytest.fixture
def reports(org, template, audits):
    """The whole organisation's Q1 report: version 1 published, version 2 (after a late
    return) a draft; and each service area's, published."""
    whole = services.report_for(ReportKind.QUARTERLY, Q1)
    first, _ = services.generate(whole)
    services.publish(first, org.users["qa_lead"])
    audit(org, template, G, completed=datetime.date(2026, 6, 20))
    second, created = services.generate(whole)
    assert created and second.number == 2
    areas = {}
    for key, area in (("a", org.area_a), ("b", org.area_b)):
        report = services.report_for(ReportKind.QUARTERLY, Q1, area)
        version, _ = services.generate(report)
        services.publish(version, org.users["qa_lead"])
        areas[key] = report
    return {"whole": whole, **areas}


def _url(report, number, fmt="xlsx"):
    return reverse("reporting:report_download", args=[report.pk, number, fmt])


#: who, which report, which version, and what the download and the report's page answer
#: (one fixture for the whole matrix: generating the reports is the slow part)
WHO_READS = [
    ("qa_lead", "whole", 2, 200),  # a draft
    ("administrator", "whole", 2, 200),
    ("leader", "whole", 2, 404),  # drafts are the QA Lead's
    ("leader", "whole", 1, 200),
    ("head_of_service", "a", 1, 200),  # Alice heads Safeguarding
    ("head_of_service", "b", 1, 404),
    ("head_of_service", "whole", 1, 404),
    ("outside_head", "b", 1, 200),
    ("auditor", "whole", 1, 404),  # as the report's page
    ("moderator", "whole", 1, 404),
    ("team_manager", "whole", 1, 404),
    ("ambassador", "whole", 1, 404),
    ("no_role", "whole", 1, 404),
]


def test_who_may_download_which_version(client, org, reports):
    for role, which, number, status in WHO_READS:
        client.force_login(org.users[role])
        report = reports[which]
        page = client.get(reverse("reporting:report", args=[report.pk]), {"version": number})
        download = client.get(_url(report, number))
        case = (role, which, number)
        assert download.status_code == status, case
        assert page.status_code == status, case  # the same answer as the report's page


def test_the_download_is_an_attachment_named_for_the_version(client, org, reports):
    client.force_login(org.users["leader"])
    for fmt, (content_type, _build) in FORMATS.items():
        response = client.get(_url(reports["whole"], 1, fmt))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="qa-report-q1-2026-27-whole-organisation-v1.{fmt}"'
        )
        assert "no-store" in response["Cache-Control"]  # never kept by a shared cache


def test_signed_out_is_sent_to_sign_in(client, db):
    response = client.get(reverse("reporting:report_download", args=[1, 1, "pdf"]))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_an_unknown_format_version_or_report_is_not_found(client, org, reports):
    client.force_login(org.users["qa_lead"])
    for number, fmt in [(1, "doc"), (1, "csv"), (1, "DOCX"), (3, "xlsx"), (0, "pdf")]:
        assert client.get(_url(reports["whole"], number, fmt)).status_code == 404, fmt
    missing = reverse("reporting:report_download", args=[999999, 1, "xlsx"])
    assert client.get(missing).status_code == 404
    assert client.post(_url(reports["whole"], 1)).status_code == 405
