"""Reading a CSV or Excel file into a heading row and numbered data rows.

Row numbers are the spreadsheet's: the heading is row 1 and the first data row is
row 2. Empty rows are left out but keep their numbers counted, so every row number a
person is told matches what they see in Excel.

The file is read as a stream, never held whole in memory, so a file of hundreds of
thousands of rows takes little more memory than one of a hundred. ``Table.rows`` may be
iterated more than once: a CSV file is read again each time; an Excel sheet, slow to
parse, is parsed once into a temporary file (deleted when the table is closed) that is
read instead. A CSV file that turns out to be unreadable part-way raises
``FileUnreadable`` while its rows are iterated.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import pickle
import tempfile
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from . import messages

XLSX_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: bytes read at a time when a CSV file's encoding is checked
CHUNK = 1024 * 1024
#: cells are read as text, except dates (Excel date cells) which stay dates
Cell = str | datetime.date
Row = tuple[int, list[Cell]]


class FileUnreadable(Exception):
    """The file cannot be read at all; the message says what to do."""


class Rows:
    """The data rows, (row number, cells) for each row with at least one value, read
    from the file again each time they are iterated (one iteration at a time: they
    share the file)."""

    def __init__(self, records: Callable[[], Generator[Iterable]]):
        self._records = records

    def __iter__(self) -> Iterator[Row]:
        records = self._records()
        try:
            next(records, None)  # the heading row
            yield from _numbered(records)
        finally:
            records.close()

    def close(self) -> None:
        pass


class SpooledRows:
    """The data rows, written once to a temporary file that each iteration reads (one
    iteration at a time: they share the file)."""

    def __init__(self, rows: Iterable[Row]):
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        try:
            for row in rows:
                pickle.dump(row, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            self._file.close()
            raise

    def __iter__(self) -> Iterator[Row]:
        self._file.seek(0)
        while True:
            try:
                yield pickle.load(self._file)
            except EOFError:
                return

    def close(self) -> None:
        self._file.close()


def _numbered(records: Iterable[Iterable]) -> Iterator[Row]:
    """The rows after the heading, numbered from 2, leaving out empty rows."""
    for number, record in enumerate(records, start=2):
        cells = [_cell(value) for value in record]
        if any(filled(cell) for cell in cells):
            yield number, cells


@dataclass
class Table:
    headers: list[str]
    rows: Rows | SpooledRows
    notes: list[str] = field(default_factory=list)

    def close(self) -> None:
        """Delete the temporary copy of the rows, if any."""
        self.rows.close()


def is_xlsx(start: bytes) -> bool:
    return start.startswith(XLSX_MAGIC)


def read_table(source: bytes | BinaryIO, file_name: str = "") -> Table:
    """The file's heading row and data rows; XLSX by content, otherwise CSV. ``source``
    is the file's content or a binary file open for reading (and seeking), which must
    stay open while the rows are read."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    stream.seek(0)
    start = stream.read(len(XLSX_MAGIC))
    stream.seek(0)
    if not _has_content(stream):
        raise FileUnreadable(messages.FILE_EMPTY)
    if is_xlsx(start) or file_name.lower().endswith(".xlsx"):
        return _read_xlsx(stream)
    return _read_csv(stream)


def _has_content(stream: BinaryIO) -> bool:
    try:
        while chunk := stream.read(CHUNK):
            if chunk.strip():
                return True
        return False
    finally:
        stream.seek(0)


def _table(records: Callable[[], Generator[Iterable]], notes: list[str]) -> Table:
    reading = records()
    try:
        first = next(reading, None)
    finally:
        reading.close()
    return Table(headers=_headers(first), rows=Rows(records), notes=notes)


def _headers(first: Iterable | None) -> list[str]:
    if first is None:
        raise FileUnreadable(messages.FILE_EMPTY)
    headers = [str(_cell(value)).strip() for value in first]
    if not any(headers):
        raise FileUnreadable(messages.FILE_NO_HEADINGS)
    return headers


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


def _encoding(stream: BinaryIO) -> tuple[str, list[str]]:
    """The file's encoding: UTF-16 or UTF-8 (with or without a BOM), otherwise
    Windows-1252, with a note. The whole file is checked, a chunk at a time."""
    start = stream.read(len(UTF8_BOM))
    stream.seek(0)
    if start.startswith(UTF16_BOMS):
        candidates = [("utf-16", [])]
    else:
        candidates = [("utf-8-sig", []), ("cp1252", [messages.NOTE_CP1252])]
    for encoding, notes in candidates:
        if _decodes(stream, encoding):
            return encoding, notes
    raise FileUnreadable(messages.FILE_NOT_TEXT)


def _decodes(stream: BinaryIO, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := stream.read(CHUNK):
            if "\x00" in decoder.decode(chunk):
                raise FileUnreadable(messages.FILE_NOT_TEXT)
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)


def _delimiter(first_line: str) -> str:
    """Comma, unless the heading line clearly uses semicolons or tabs (some Excel locales)."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


def _read_csv(stream: BinaryIO) -> Table:
    encoding, notes = _encoding(stream)

    def records() -> Iterator[list[str]]:
        stream.seek(0)
        text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        try:
            delimiter = _delimiter(text.readline())
            text.seek(0)
            try:
                yield from csv.reader(text, delimiter=delimiter)
            except csv.Error as error:
                raise FileUnreadable(messages.FILE_NOT_CSV.format(problem=error)) from error
        finally:
            text.detach()  # leave the file open for the next reading

    return _table(records, notes)


# Excel ----------------------------------------------------------------------------


def _read_xlsx(stream: BinaryIO) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise FileUnreadable(messages.FILE_NOT_XLSX) from error
    try:
        if not workbook.worksheets:
            raise FileUnreadable(messages.FILE_EMPTY)
        records = workbook.worksheets[0].iter_rows(values_only=True)
        headers = _headers(next(records, None))
        return Table(headers=headers, rows=SpooledRows(_numbered(records)), notes=[])
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
