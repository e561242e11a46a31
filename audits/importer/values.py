"""Reading one cell: grades, yes / no answers, dates, audit types and legal statuses.

Each parser takes the cell as read from the file and returns the stored value, or
raises ``BadValue`` with the message for the person who made the file.
"""

from __future__ import annotations

import datetime
import functools
import re

from ..models import AuditType, Grade, Involvement, LegalStatus, RIBand
from . import messages
from .reading import Cell


class BadValue(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def text(cell: Cell) -> str:
    """The cell as text, surrounding spaces removed (a date cell as YYYY-MM-DD)."""
    if isinstance(cell, datetime.datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return cell.strip()


_PUNCTUATION = re.compile(r"[-–—_(),:;.]+")


def _words(cell: Cell) -> str:
    """Lower case, punctuation that people put around words turned into single spaces."""
    return _words_of(text(cell))


@functools.lru_cache(maxsize=4096)
def _words_of(value: str) -> str:
    # A file repeats the same few grades, answers and names on every row.
    return " ".join(_PUNCTUATION.sub(" ", value.lower()).split())


# Grades ---------------------------------------------------------------------------

_GRADES = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "requires improvements": Grade.REQUIRES_IMPROVEMENT,
    "ri": Grade.REQUIRES_IMPROVEMENT,
    "inadequate": Grade.INADEQUATE,
}
_NOT_GRADED = {"", "n/a", "na", "n a", "not graded", "not applicable", "none"}
_BANDS = {"upper": RIBand.UPPER, "lower": RIBand.LOWER}


def _grade_and_band(cell: Cell, unknown: str) -> tuple[str, str]:
    words = _words(cell)
    if words in _NOT_GRADED:
        return Grade.NOT_GRADED, ""
    parts = words.split()
    band = ""
    if parts and parts[-1] in _BANDS:
        band = _BANDS[parts.pop()]
    elif parts and parts[0] in _BANDS:
        band = _BANDS[parts.pop(0)]
    grade = _GRADES.get(" ".join(parts))
    if grade is None:
        raise BadValue(unknown)
    if band and grade != Grade.REQUIRES_IMPROVEMENT:
        raise BadValue(messages.BAND_ONLY_FOR_RI)
    return grade, band


def domain_grade(cell: Cell) -> tuple[str, str]:
    """(grade, RI band) for a domain; blank, N/A and Not graded are Not graded."""
    return _grade_and_band(cell, messages.DOMAIN_GRADE_UNKNOWN)


def overall_grade(cell: Cell) -> tuple[str, str]:
    """(grade, RI band) for the overall judgement: one of the four grades, never blank."""
    grade, band = _grade_and_band(cell, messages.OVERALL_GRADE_UNKNOWN)
    if grade == Grade.NOT_GRADED:
        raise BadValue(messages.OVERALL_GRADE_MISSING)
    return grade, band


# Yes / no -------------------------------------------------------------------------

_INVOLVEMENT = {
    "": "",
    "yes": Involvement.YES,
    "y": Involvement.YES,
    "no": Involvement.NO,
    "n": Involvement.NO,
    "not applicable": Involvement.NOT_APPLICABLE,
    "n/a": Involvement.NOT_APPLICABLE,
    "na": Involvement.NOT_APPLICABLE,
    "n a": Involvement.NOT_APPLICABLE,
}


def involvement(cell: Cell) -> str:
    """yes / no / not applicable (also y, n, n/a, any case); blank stays blank."""
    try:
        return _INVOLVEMENT[_words(cell)]
    except KeyError:
        raise BadValue(messages.YES_NO_UNKNOWN) from None


# Dates ----------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def completed_on(cell: Cell, today: datetime.date) -> datetime.date:
    """A YYYY-MM-DD text or an Excel date cell, not after today."""
    if isinstance(cell, datetime.datetime):
        day = cell.date()
    elif isinstance(cell, datetime.date):
        day = cell
    else:
        value = cell.strip()
        if not value:
            raise BadValue(messages.DATE_MISSING)
        match = _ISO_DATE.match(value)
        if not match:
            raise BadValue(messages.DATE_INVALID)
        try:
            day = datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise BadValue(messages.DATE_INVALID) from None
    if day > today:
        raise BadValue(messages.DATE_FUTURE)
    return day


# Vocabularies ---------------------------------------------------------------------

_AUDIT_TYPES = {
    "": AuditType.CHILD_JOURNEY,
    "child journey audit": AuditType.CHILD_JOURNEY,
    "child journey": AuditType.CHILD_JOURNEY,
    "cja": AuditType.CHILD_JOURNEY,
    "case file audit": AuditType.CHILD_JOURNEY,
    "re audit": AuditType.RE_AUDIT,
    "reaudit": AuditType.RE_AUDIT,
}


def audit_type(cell: Cell) -> str:
    try:
        return _AUDIT_TYPES[_words(cell)]
    except KeyError:
        raise BadValue(messages.AUDIT_TYPE_UNKNOWN) from None


_LEGAL_STATUSES = {_words(label): value for value, label in LegalStatus.choices} | {
    _words(value): value for value in LegalStatus.values
}


def legal_status(cell: Cell) -> str:
    """A LegalStatus, from its label ("Child in Need") or value ("child_in_need")."""
    words = _words(cell)
    if not words:
        raise BadValue(messages.LEGAL_STATUS_MISSING)
    try:
        return _LEGAL_STATUSES[words]
    except KeyError:
        labels = ", ".join(label for _, label in LegalStatus.choices)
        raise BadValue(messages.LEGAL_STATUS_UNKNOWN.format(labels=labels)) from None


def name_key(name: str) -> str:
    """How names of areas, teams and domains are compared: any case, any spacing."""
    return " ".join(name.split()).casefold()
