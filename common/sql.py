"""Counting a queryset's rows by some of its values, in the database."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def count_by(qs: QuerySet, *fields: str) -> list[tuple]:
    """The rows of ``qs`` counted by the values of ``fields`` (fields or annotations):
    a tuple of the values and their count for each combination found, in one query.

    The queryset is compiled once and counted by a GROUP BY around it, so it may be
    grouped already (annotations with aggregates, one row per action, say). Django's
    ``aggregate()`` with a conditional count for each value compiles every annotation
    again for every count, which costs more than the query on a small table."""
    try:
        sql, params = qs.order_by().values_list(*fields).query.sql_with_params()
    except EmptyResultSet:  # a queryset that can match nothing (none(), pk__in=[])
        return []
    positions = ", ".join(str(i) for i in range(1, len(fields) + 1))
    with connections[qs.db].cursor() as cursor:
        cursor.execute(
            f"SELECT rows.*, COUNT(*) FROM ({sql}) rows GROUP BY {positions}",
            params,
        )
        return [tuple(row) for row in cursor.fetchall()]
