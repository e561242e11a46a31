"""Signals for the apps built on audits (audits never imports from them)."""

from django.dispatch import Signal

#: sent after an audit is accepted, inside the transaction; kwargs: audit, user
audit_accepted = Signal()
#: sent after an audit is submitted, inside the transaction; kwargs: audit, user
audit_submitted = Signal()
