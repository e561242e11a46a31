"""Writing many rows at once without a model instance each: PostgreSQL's COPY.

Building and preparing a model instance a row is most of the time ``bulk_create``
takes for a large batch. These write plain values instead: on PostgreSQL as COPY's text,
elsewhere (SQLite) through ``bulk_create``. No signals are sent and nothing is read
back, as with ``bulk_create`` on rows whose ids are not needed.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

#: how much of COPY's text is sent at a time
COPY_CHUNK = 1 << 20
BATCH = 1000

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def copy_statement(model, rows: list[dict]) -> tuple[str, io.StringIO]:
    """COPY's statement and text for ``rows`` (each a dict by field attname, such as
    ``audit_id``). A field a row leaves out takes its default (``auto_now`` fields the
    time now); the primary key is written only when the first row gives it, else the
    database's sequence numbers the rows."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key or (rows and f.attname in rows[0])
    ]
    now = timezone.now()
    defaults = [
        (f.attname, now if getattr(f, "auto_now", False) else f.get_default()) for f in fields
    ]
    text = io.StringIO()
    for values in rows:
        text.write("\t".join([copy_value(values.get(name, d)) for name, d in defaults]))
        text.write("\n")
    text.seek(0)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    return f"COPY {table} ({columns}) FROM STDIN", text


def copy_in(sql: str, text: io.StringIO) -> None:
    """Run a COPY ... FROM STDIN statement with ``text`` on the default connection."""
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, text, size=COPY_CHUNK)
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(text.getvalue())


def insert_rows(model, rows: Iterable[dict]) -> int:
    """Insert ``rows`` (dicts by attname) in one COPY on PostgreSQL, else with
    ``bulk_create``; the number of rows."""
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        copy_in(*copy_statement(model, rows))
    else:
        model.objects.bulk_create([model(**values) for values in rows], batch_size=BATCH)
    return len(rows)
