"""Reading a CSV or Excel file into a heading row and numbered data rows.

Row numbers are the spreadsheet's: the heading is row 1 and the first data row is
row 2. Empty rows are left out but keep their numbers counted, so every row number a
person is told matches what they see in Excel.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from . import messages

XLSX_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: cells are read as text, except dates (Excel date cells) which stay dates
Cell = str | datetime.date


class FileUnreadable(Exception):
    """The file cannot be read at all; the message says what to do."""


@dataclass
class Table:
    headers: list[str]
    #: (row number, cells) for each row that has at least one value
    rows: list[tuple[int, list[Cell]]]
    notes: list[str] = field(default_factory=list)


def is_xlsx(data: bytes) -> bool:
    return data.startswith(XLSX_MAGIC)


def read_table(data: bytes, file_name: str = "") -> Table:
    """The file's heading row and data rows; XLSX by content, otherwise CSV."""
    if not data.strip():
        raise FileUnreadable(messages.FILE_EMPTY)
    if is_xlsx(data) or file_name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _table(records, notes: list[str]) -> Table:
    headers: list[str] | None = None
    rows: list[tuple[int, list[Cell]]] = []
    for number, record in enumerate(records, start=1):
        cells = [_cell(value) for value in record]
        if headers is None:
            headers = [str(cell).strip() for cell in cells]
            if not any(headers):
                raise FileUnreadable(messages.FILE_NO_HEADINGS)
        elif any(filled(cell) for cell in cells):
            rows.append((number, cells))
    if headers is None:
        raise FileUnreadable(messages.FILE_EMPTY)
    return Table(headers=headers, rows=rows, notes=notes)


def filled(cell: Cell) -> bool:
    return not isinstance(cell, str) or bool(cell.strip())


def _cell(value) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# CSV ------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, list[str]]:
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    elif data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as error:
            raise FileUnreadable(messages.FILE_NOT_TEXT) from error
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), [messages.NOTE_CP1252]
    except UnicodeDecodeError as error:
        raise FileUnreadable(messages.FILE_NOT_TEXT) from error


def _delimiter(text: str) -> str:
    """Comma, unless the heading line clearly uses semicolons or tabs (some Excel locales)."""
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


def _read_csv(data: bytes) -> Table:
    text, notes = _decode(data)
    if "\x00" in text:
        raise FileUnreadable(messages.FILE_NOT_TEXT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _table(list(reader), notes)
    except csv.Error as error:
        raise FileUnreadable(messages.FILE_NOT_CSV.format(problem=error)) from error


# Excel ----------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise FileUnreadable(messages.FILE_NOT_XLSX) from error
    try:
        if not workbook.worksheets:
            raise FileUnreadable(messages.FILE_EMPTY)
        sheet = workbook.worksheets[0]
        return _table(sheet.iter_rows(values_only=True), [])
    finally:
        workbook.close()


def column_letter(index: int) -> str:
    """A, B, ... Z, AA for a 0-based column index, as Excel names columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
