"""Receivers for the audits app's signals and the actions' own updates: they hand over
to services at once."""

from django.utils import timezone

from .services import (
    actions_raise_from_audit,
    concern_record_final_grade,
    final_grades_record,
    reaudit_record_final_grade,
)
from .status import store_update_dates


def on_audit_accepted(sender, audit, user=None, **kwargs):
    actions_raise_from_audit(audit=audit, user=user)


def on_final_grade_set(sender, audit, grade, previous_grade="", user=None, on=None, **kwargs):
    day = _day(audit, previous_grade, on)
    concern_record_final_grade(audit=audit, grade=grade, today=day)
    reaudit_record_final_grade(audit=audit, grade=grade, today=day)


def on_final_grades_set(sender, grades, user=None, **kwargs):
    final_grades_record(
        grades=[
            (final.audit, final.grade, _day(final.audit, final.previous_grade, final.on))
            for final in grades
        ]
    )


def _day(audit, previous_grade, on):
    # The first final grade dates from the audit's acceptance (long ago, for an import);
    # a later change (moderation) from the day it was made, which the sender gives when it
    # is not today.
    if previous_grade or audit.accepted_at is None:
        return on or timezone.localdate()
    return timezone.localdate(audit.accepted_at)


def on_update_written(sender, instance, **kwargs):
    """An update saved or deleted (by a service, the admin or anything else): its
    action's stored dates follow at once, in the same transaction."""
    store_update_dates([instance.action_id])
