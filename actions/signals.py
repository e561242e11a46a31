"""Receivers for the audits app's signals: they hand over to services at once."""

from django.utils import timezone

from .services import (
    actions_raise_from_audit,
    concern_record_final_grade,
    final_grades_to_record,
    reaudit_record_final_grade,
)


def on_audit_accepted(sender, audit, user=None, **kwargs):
    actions_raise_from_audit(audit=audit, user=user)


def on_final_grade_set(sender, audit, grade, previous_grade="", user=None, on=None, **kwargs):
    # The first final grade dates from the audit's acceptance (long ago, for an import);
    # a later change (moderation) from the day it was made, which the sender gives when it
    # is not today.
    if previous_grade or audit.accepted_at is None:
        day = on or timezone.localdate()
    else:
        day = timezone.localdate(audit.accepted_at)
    concern_record_final_grade(audit=audit, grade=grade, today=day)
    reaudit_record_final_grade(audit=audit, grade=grade, today=day)


def on_final_grades_set(sender, grades, user=None, **kwargs):
    for final in final_grades_to_record(grades):
        on_final_grade_set(
            sender,
            audit=final.audit,
            grade=final.grade,
            previous_grade=final.previous_grade,
            user=user,
            on=final.on,
        )
