"""A report version written out as a Word board paper, a tagged PDF or an Excel workbook,
each built from the same sections (reporting.report_tables.report_sections), so every
format shows the same numbers as the stored version and the web page."""

from __future__ import annotations

from collections.abc import Callable

from ..models import ReportVersion
from . import docx, pdf, xlsx
from .parts import filename

#: extension -> (content type, builder)
FORMATS: dict[str, tuple[str, Callable[[ReportVersion], bytes]]] = {
    "docx": (docx.CONTENT_TYPE, docx.build),
    "pdf": (pdf.CONTENT_TYPE, pdf.build),
    "xlsx": (xlsx.CONTENT_TYPE, xlsx.build),
}


def document(version: ReportVersion, fmt: str) -> tuple[bytes, str, str]:
    """The version in the format (a key of FORMATS): its bytes, content type and file name.
    KeyError for a format not in FORMATS."""
    content_type, build = FORMATS[fmt]
    return build(version), content_type, filename(version, fmt)
