"""A report version as a tagged, accessible PDF (PDF/UA-1) for reading and printing:
an HTML page with its own print CSS (reporting/report_pdf.html), A4 with page numbers,
laid out by WeasyPrint. Tables keep their captions and header cells; charts are SVG
pictures with their words as alt text, above the table of their numbers.

WeasyPrint is imported on first use: other processes do not pay for loading it."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

from ..models import ReportVersion
from ..report_tables import TEXT, Chart, Section, Table, cell_text, report_sections
from . import charts
from .parts import KEPT_TOGETHER, NOTHING_WRITTEN, WIDE_TABLE, cover, is_empty, placed

CONTENT_TYPE = "application/pdf"
VARIANT = "pdf/ua-1"


def _table(table: Table) -> dict:
    numeric = [kind != TEXT for kind in table.kinds]
    last = len(table.rows) - 1
    classes = [
        *(["wide"] if len(table.headers) > WIDE_TABLE else []),
        *(["kept"] if len(table.rows) <= KEPT_TOGETHER else []),
    ]
    return {
        "classes": " ".join(classes),
        "caption": table.caption,
        "note": table.note,
        "headers": list(zip(table.headers, numeric, strict=True)),
        "rows": [
            {
                "total": table.total_row and index == last,
                "first": cell_text(values[0], table.kinds[0]),
                "cells": [
                    (cell_text(v, k), n)
                    for v, k, n in zip(values[1:], table.kinds[1:], numeric[1:], strict=True)
                ],
            }
            for index, values in enumerate(table.rows)
        ],
    }


def _chart(chart: Chart, table: Table | None) -> dict:
    picture = base64.b64encode(charts.svg(chart, table)).decode("ascii")
    return {
        "src": f"data:image/svg+xml;base64,{picture}",
        "alt": charts.describe(chart, table),
    }


def _section(section: Section) -> dict:
    pairs, loose = placed(section)
    return {
        "key": section.key,
        "title": section.title,
        "paragraphs": section.paragraphs,
        "bullets": section.bullets,
        "tables": [
            {"table": _table(table), "charts": [_chart(c, table) for c in drawn]}
            for table, drawn in pairs
        ],
        "charts": [_chart(c, None) for c in loose],
        "empty": is_empty(section),
    }


def html(version: ReportVersion) -> str:
    return render_to_string(
        "reporting/report_pdf.html",
        {
            "cover": cover(version),
            "sections": [_section(s) for s in report_sections(version)],
            "nothing_written": NOTHING_WRITTEN,
        },
    )


def build(version: ReportVersion) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(version)).write_pdf(pdf_variant=VARIANT)
