"""What an import reports: each error with its row, column, value and why, and counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import messages

#: values longer than this are shortened in error reports
VALUE_SHOWN = 120


@dataclass(frozen=True)
class RowError:
    """A refused value. ``row`` is the spreadsheet's row number (the heading is row 1);
    None for a problem with the whole file."""

    row: int | None
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        value = self.value if len(self.value) <= VALUE_SHOWN else self.value[:VALUE_SHOWN] + "…"
        return {"row": self.row, "column": self.column, "value": value, "message": self.message}

    @property
    def sort_key(self):
        return (self.row is not None, self.row or 0)


@dataclass
class ImportResult:
    rows: int = 0
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: what --create-missing creates (or would create): kind -> names; "children" too
    created: dict[str, list[str]] = field(default_factory=dict)
    dry_run: bool = False
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.errors if error.row is not None})

    def summary(self) -> str:
        line = (
            f"Checked {self.rows:,} rows: "
            f"{self.to_create:,} to create, {self.to_update:,} to update"
        )
        if self.unchanged:
            line += f", {self.unchanged:,} unchanged"
        return line

    def created_lines(self) -> list[str]:
        """One line per kind of record created (or, in a dry run, to be created)."""
        verb = "Would create" if self.dry_run else "Created"
        lines = []
        for kind, label in messages.CREATED_LABELS.items():
            names = self.created.get(kind) or []
            if not names:
                continue
            if kind == "children":
                lines.append(f"{verb} {len(names):,} {label}")
            else:
                lines.append(f"{verb} {len(names):,} {label}: {', '.join(names)}")
        return lines

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda error: error.sort_key)
