"""The columns of an import file: which are required, which are optional, and how a
heading is matched (any case, surrounding spaces ignored, any column order)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import messages
from .reading import column_letter, filled
from .values import name_key

REQUIRED = (
    "audit_ref",
    "audit_type",
    "child_ref",
    "team",
    "service_area",
    "legal_status",
    "auditor_email",
    "completed_on",
    "overall_grade",
)
PARTICIPATION = (
    "social_worker_involved",
    "team_manager_involved",
    "iro_involved",
    "child_spoken_to",
    "parent_carer_spoken_to",
)
#: moderation columns with a fixed name; "moderated: <domain>" columns also exist
MODERATION = ("moderated_overall_grade", "moderated_on", "moderator_email")
FIXED = REQUIRED + PARTICIPATION + MODERATION
#: "<prefix>: <domain name>" columns
DOMAIN, EVIDENCE, MODERATED = "domain", "evidence", "moderated"
_PREFIXED = re.compile(r"^(domain|evidence|moderated)\s*:\s*(.*)$", re.IGNORECASE)
#: errors about headings are reported on the heading row
HEADING_ROW = 1


@dataclass
class DomainColumn:
    name: str  # as written in the heading
    key: str  # name_key(name)
    grade: int  # column index
    evidence: int | None = None


@dataclass
class Columns:
    headers: list[str]
    fixed: dict[str, int] = field(default_factory=dict)
    domains: list[DomainColumn] = field(default_factory=list)
    #: every moderation column: (heading as written, index)
    moderation: list[tuple[str, int]] = field(default_factory=list)

    def heading(self, index: int) -> str:
        return self.headers[index] or f"column {column_letter(index)}"


@dataclass(frozen=True)
class HeadingError:
    column: str
    value: str
    message: str


def read_columns(headers: list[str], rows) -> tuple[Columns, list[HeadingError]]:
    """Match the heading row to the known columns. ``rows`` are checked only for values
    under blank headings (Excel often saves empty trailing columns)."""
    columns = Columns(headers=headers)
    errors: list[HeadingError] = []
    seen: dict[str, list[int]] = {}
    unknown: list[str] = []
    evidence: dict[str, tuple[str, int]] = {}
    for index, heading in enumerate(headers):
        if not heading:
            if any(index < len(cells) and filled(cells[index]) for _, cells in rows):
                errors.append(
                    HeadingError(f"column {column_letter(index)}", "", messages.NO_HEADING)
                )
            continue
        normal = " ".join(heading.split()).lower()
        prefixed = _PREFIXED.match(normal)
        if prefixed:
            kind = prefixed.group(1)
            name = heading.split(":", 1)[1].strip()
            key = f"{kind}:{name_key(name)}"
        elif normal in FIXED:
            kind, name, key = normal, "", normal
        else:
            unknown.append(heading)
            continue
        seen.setdefault(key, []).append(index)
        if len(seen[key]) > 1:
            continue
        if kind == DOMAIN:
            columns.domains.append(DomainColumn(name=name, key=name_key(name), grade=index))
        elif kind == EVIDENCE:
            evidence[name_key(name)] = (name, index)
        elif kind == MODERATED or kind in MODERATION:
            columns.moderation.append((heading, index))
        else:
            columns.fixed[kind] = index
    for indexes in seen.values():
        if len(indexes) > 1:
            letters = ", ".join(column_letter(index) for index in indexes)
            errors.append(
                HeadingError(
                    headers[indexes[0]], "", messages.DUPLICATE_COLUMN.format(letters=letters)
                )
            )
    if unknown:
        names = ", ".join(f"'{name}'" for name in unknown)
        errors.append(
            HeadingError(", ".join(unknown), "", messages.UNKNOWN_COLUMNS.format(columns=names))
        )
    missing = [name for name in REQUIRED if name not in columns.fixed]
    if missing:
        errors.append(
            HeadingError(
                ", ".join(missing), "", messages.MISSING_COLUMNS.format(columns=", ".join(missing))
            )
        )
    by_key = {domain.key: domain for domain in columns.domains}
    for key, (name, index) in evidence.items():
        if key in by_key:
            by_key[key].evidence = index
        else:
            errors.append(
                HeadingError(headers[index], "", messages.EVIDENCE_WITHOUT_DOMAIN.format(name=name))
            )
    for domain in columns.domains:
        if not domain.name:
            errors.append(HeadingError(headers[domain.grade], "", messages.DOMAIN_HEADING_EMPTY))
        elif len(domain.name) > 120:
            errors.append(
                HeadingError(
                    headers[domain.grade], domain.name, messages.NAME_TOO_LONG.format(limit=120)
                )
            )
    return columns, errors
