"""Signals for the apps built on audits (audits never imports from them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

#: sent after an audit is submitted, inside the transaction; kwargs: audit, user
audit_submitted = Signal()
#: sent after an audit is accepted, inside the transaction; kwargs: audit, user
audit_accepted = Signal()
#: sent whenever an audit's final overall grade is set or changes, inside the
#: transaction: on acceptance (the auditor's grade), on import of an accepted audit, and
#: when moderation finalises a different grade. kwargs: audit, grade, previous_grade
#: ("" if none), user (may be None), on (the day the grade became final, when it is not
#: today: a moderation finalised or imported with its own date)
final_grade_set = Signal()
#: sent once for each chunk of imported audits whose final overall grade is set or
#: changes, inside the transaction, after their grades are recorded: what
#: ``final_grade_set`` says for one audit, for many. kwargs: grades (list of
#: FinalGrade, in the file's order), user (may be None)
final_grades_set = Signal()
#: sent once for each chunk of imported audits whose rows record a moderation, inside
#: the transaction, after ``final_grades_set``. kwargs: moderations (list of
#: ImportedModeration, in the file's order), user (may be None)
moderations_imported = Signal()


@dataclass(frozen=True)
class FinalGrade:
    audit: Any  # Audit
    grade: str
    previous_grade: str  # "" if none
    #: the day the grade became final, when it is not today (see final_grade_set)
    on: datetime.date | None = None


@dataclass(frozen=True)
class ImportedModeration:
    audit: Any  # Audit, with its gradings prefetched
    moderated_grade: str
    #: {domain_id: grade after moderation}
    domain_grades: dict[int, str]
    moderator: Any  # User or None
    moderated_on: datetime.date | None
