"""Signals for the apps built on audits (audits never imports from them)."""

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
#: sent for each imported audit whose row records a moderation, inside the transaction,
#: after the audit's own grades are recorded. kwargs: audit, moderated_grade,
#: domain_grades ({domain_id: grade after moderation}), moderator (User or None),
#: moderated_on (date or None), user (may be None)
moderation_imported = Signal()
