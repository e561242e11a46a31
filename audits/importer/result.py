"""What an import reports: each error with its row, column, value and why, and counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

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
    """What an import found and did.

    A file can have an error on every one of hundreds of thousands of rows: only the
    first ``max_errors`` (in the order they are listed: the whole file's, then by row)
    are kept, while ``error_count`` and ``bad_rows`` count them all.
    """

    rows: int = 0
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    #: the errors kept; add errors with ``add_errors`` so that they are counted and capped
    errors: list[RowError] = field(default_factory=list)
    #: every error found, kept or not
    error_count: int = 0
    #: how many errors are kept; None for settings.IMPORT_MAX_ERRORS
    max_errors: int | None = None
    #: whether any error is a name that creating missing records would create
    names_missing: bool = False
    notes: list[str] = field(default_factory=list)
    #: what --create-missing creates (or would create): kind -> names; "children" too
    created: dict[str, list[str]] = field(default_factory=dict)
    dry_run: bool = False
    imported: bool = False

    def __post_init__(self):
        if self.max_errors is None:
            self.max_errors = settings.IMPORT_MAX_ERRORS
        given, self.errors = self.errors, []
        self._bad_rows: set[int] = set()
        self.add_errors(given)

    def add_errors(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.error_count += 1
            if error.row is not None:
                self._bad_rows.add(error.row)
            if error.message.endswith(messages.OR_CREATE_MISSING):
                self.names_missing = True
            self.errors.append(error)
        # Errors mostly come in row order, so the list is trimmed only now and then.
        if len(self.errors) > 2 * self.max_errors:
            self._keep_first()

    def add_error(self, error: RowError) -> None:
        self.add_errors([error])

    def _keep_first(self) -> None:
        self.errors.sort(key=lambda error: error.sort_key)
        del self.errors[self.max_errors :]

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def bad_rows(self) -> int:
        return len(self._bad_rows)

    @property
    def errors_not_kept(self) -> int:
        return self.error_count - len(self.sorted_errors())

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
        """The errors kept, in order: the whole file's first, then by row."""
        self._keep_first()
        return self.errors
