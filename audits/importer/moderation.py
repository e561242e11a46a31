"""Moderation columns of an import file.

``moderated_overall_grade``, ``moderated: <domain>``, ``moderated_on`` and
``moderator_email`` record a moderation done before the product was used. This is the
one place that reads them. The audits app plans and checks them here; the moderation
app stores them as reviews when it hears ``audits.signals.moderations_imported``
(once for each chunk of rows).
A moderated grade equal to the auditor's is an agreement; a blank ``moderated:``
domain grade means the moderator agreed with that domain.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from . import messages, values
from .columns import Columns
from .reading import Cell
from .values import BadValue, name_key

_DOMAIN = re.compile(r"^moderated\s*:\s*(.*)$", re.IGNORECASE)


@dataclass
class PlannedModeration:
    overall: str
    #: name_key(domain name) -> grade after moderation
    domains: dict[str, str] = field(default_factory=dict)
    moderated_on: datetime.date | None = None
    moderator: str = ""  # email in lower case, or "" when not given


def moderation_cells(cells: list[Cell], columns: Columns) -> dict[str, tuple[int, Cell]]:
    """The row's moderation cells keyed by the column's meaning: the fixed names, or
    "domain:<name_key>" for a moderated domain grade."""
    found = {}
    for heading, index in columns.moderation:
        match = _DOMAIN.match(heading.strip())
        key = f"domain:{name_key(match.group(1))}" if match else name_key(heading).replace(" ", "_")
        found[key] = (index, cells[index] if index < len(cells) else "")
    return found


def plan_moderation(
    cells: list[Cell],
    columns: Columns,
    *,
    completed_on: datetime.date | None,
    domain_keys: set[str],
    today: datetime.date,
    fail,
    check_person,
) -> PlannedModeration | None:
    """The moderation the row records, or None if its moderation cells are all empty.

    ``fail(index, value, message)`` reports an error; ``check_person(index, email)``
    checks the moderator as the auditor is checked (known, or planned with
    --create-missing) and returns the email's key.
    """
    found = moderation_cells(cells, columns)
    if not any(values.text(cell) for _, cell in found.values()):
        return None
    planned = PlannedModeration(overall="")
    index, cell = found.get("moderated_overall_grade", (None, ""))
    if not values.text(cell):
        where = index if index is not None else next(iter(found.values()))[0]
        fail(where, values.text(cell), messages.MODERATED_OVERALL_MISSING)
    else:
        try:
            planned.overall = values.overall_grade(cell)[0]
        except BadValue as bad:
            fail(index, cell, bad.message)
    for key, (index, cell) in found.items():
        if not key.startswith("domain:"):
            continue
        domain = key.removeprefix("domain:")
        if domain not in domain_keys:
            fail(index, cell, messages.MODERATED_DOMAIN_WITHOUT_GRADE)
            continue
        if not values.text(cell):
            continue
        try:
            planned.domains[domain] = values.domain_grade(cell)[0]
        except BadValue as bad:
            fail(index, cell, bad.message)
    index, cell = found.get("moderated_on", (None, ""))
    if values.text(cell):
        try:
            planned.moderated_on = values.completed_on(cell, today)
        except BadValue as bad:
            fail(index, cell, bad.message)
        else:
            if completed_on and planned.moderated_on < completed_on:
                fail(index, cell, messages.MODERATED_BEFORE_COMPLETED)
    index, cell = found.get("moderator_email", (None, ""))
    if values.text(cell):
        planned.moderator = check_person(index, values.text(cell))
    return planned
