"""Moderation columns of an import file.

``moderated_overall_grade``, ``moderated: <domain>``, ``moderated_on`` and
``moderator_email`` are part of the format so that councils can keep them in their
exports. Moderation reviews are not built yet, so a value in any of them is refused;
an empty moderation column is accepted. This is the one place that reads them: when
moderation reviews exist, this function will plan a review from them instead.
"""

from __future__ import annotations

from . import messages
from .columns import Columns
from .reading import Cell
from .result import RowError
from .values import text


def moderation_errors(row: int, cells: list[Cell], columns: Columns) -> list[RowError]:
    """An error for each moderation column of the row that holds a value."""
    errors = []
    for heading, index in columns.moderation:
        value = text(cells[index]) if index < len(cells) else ""
        if value:
            errors.append(RowError(row, heading, value, messages.MODERATION_NOT_YET))
    return errors
