"""Tables downloaded as CSV and Excel, safe to open in a spreadsheet.

Every text cell that a spreadsheet would read as a formula (one starting with ``=``,
``+``, ``-`` or ``@``, or with a tab or carriage return that can hide one) is written
with a leading apostrophe, so it is shown as the text it is and never run.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """The cell as text a spreadsheet shows and never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows_frame(columns: list[str], rows: list[dict]) -> pd.DataFrame:
    """The rows as a table of text, in the columns' order, every cell neutralised."""
    frame = pd.DataFrame(rows, columns=columns, dtype=object).fillna("")
    return frame.map(neutralise)


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens names with accents correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "Audits") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet)
        writer.sheets[sheet].freeze_panes = "A2"
    return buffer.getvalue()
