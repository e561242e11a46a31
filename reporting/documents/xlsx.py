"""A report version as an Excel workbook for analysts: a Contents sheet (what the report
is, and each table's sheet with its caption and note), the report's words on a sheet of
their own, then one sheet per table with numbers kept as numbers: whole numbers as
integers, percentages as fractions shown as %, nothing to count as an empty cell.

Every text cell passes through the audit-rows download's ``neutralise``, so text a
person wrote (a quote, a strength, an action) is never run as a formula."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from common.spreadsheets import XLSX_TYPE, neutralise

from ..models import ReportVersion
from ..report_tables import INT, PCT, TEXT, Section, Table, cell_text, report_sections
from .parts import cover

CONTENT_TYPE = XLSX_TYPE
CONTENTS, WORDS = "Contents", "Report text"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
#: column widths, in characters
NARROWEST, WIDEST = 8, 60


def _value(value, kind: str):
    if value is None:
        return None
    if kind == INT:
        return int(value)
    if kind == PCT:
        return float(value)
    return neutralise(str(value))


def _fit(sheet, lengths: list[int]) -> None:
    for index, length in enumerate(lengths, start=1):
        width = min(max(length + 2, NARROWEST), WIDEST)
        sheet.column_dimensions[get_column_letter(index)].width = width


def _table_sheet(workbook, table: Table) -> None:
    sheet = workbook.create_sheet(table.key)
    sheet.append([neutralise(h) for h in table.headers])
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    last = len(table.rows) - 1
    for index, values in enumerate(table.rows):
        sheet.append([_value(v, k) for v, k in zip(values, table.kinds, strict=True)])
        row = sheet.max_row
        for column, kind in enumerate(table.kinds, start=1):
            cell = sheet.cell(row=row, column=column)
            if kind == PCT:
                cell.number_format = "0%"
            elif kind == TEXT:
                cell.alignment = WRAP
            if table.total_row and index == last:
                cell.font = BOLD
    sheet.freeze_panes = "A2"
    lengths = [
        max(
            [max((len(w) for w in header.split()), default=0)]
            + [len(cell_text(row[i], kind)) for row in table.rows]
        )
        for i, (header, kind) in enumerate(zip(table.headers, table.kinds, strict=True))
    ]
    _fit(sheet, lengths)


def _words_sheet(workbook, sections: list[Section]) -> None:
    sheet = workbook.create_sheet(WORDS)
    sheet.append(["Section", "Text"])
    for cell in sheet[1]:
        cell.font = BOLD
    for section in sections:
        for text in section.paragraphs + section.bullets:
            sheet.append([neutralise(section.title), neutralise(text)])
            for cell in sheet[sheet.max_row]:
                cell.alignment = WRAP
    sheet.freeze_panes = "A2"
    _fit(sheet, [max(len(s.title) for s in sections), 100])


def _contents(sheet, version: ReportVersion, tables: list[Table]) -> None:
    cover_ = cover(version)
    sheet.title = CONTENTS
    sheet.append([neutralise(cover_.full_title)])
    sheet["A1"].font = Font(bold=True, size=14)
    for name, value in (
        ("Period", cover_.period),
        ("Scope", cover_.scope),
        ("Version", version.number),
        ("Status", version.get_status_display()),
        ("Generated", cover_.generated.removeprefix("Generated ")),
        ("Published", cover_.published.removeprefix("Published ")),
    ):
        if value:
            sheet.append([name, neutralise(value)])
            sheet.cell(row=sheet.max_row, column=1).font = BOLD
    sheet.append([])
    sheet.append(["Sheet", "Table", "Note"])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for name, caption, note in [
        (WORDS, "The report's words: key figures, findings, strengths, areas for learning", ""),
        *((t.key, t.caption, t.note) for t in tables),
    ]:
        sheet.append([name, neutralise(caption), neutralise(note)])
        link = sheet.cell(row=sheet.max_row, column=1)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(name)}!A1")
        link.style = "Hyperlink"
    _fit(sheet, [max(len(t.key) for t in tables) if tables else 12, 70, 60])


def build(version: ReportVersion) -> bytes:
    sections = report_sections(version)
    tables = [table for section in sections for table in section.tables]
    workbook = Workbook()
    _contents(workbook.active, version, tables)
    _words_sheet(workbook, sections)
    for table in tables:
        _table_sheet(workbook, table)
    properties, cover_ = workbook.properties, cover(version)
    properties.title = cover_.full_title
    properties.creator = cover_.council
    properties.language = "en-GB"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
