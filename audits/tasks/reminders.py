"""Celery tasks for audit reminders and the monthly allocation.

Thin adapters: each takes ids (or nothing), calls a service and is safe to run twice.
"""

from celery import shared_task
from django.utils import timezone

from ..services.allocation import allocation_notify, round_propose_next_month
from ..services.reminders import reminders_send

__all__ = ["propose_next_month_allocation", "send_allocation_email", "send_audit_reminders"]


@shared_task(name="audits.tasks.reminders.send_audit_reminders")
def send_audit_reminders():
    """Daily: each audit's reminder for today's stage, once (see services.reminders)."""
    return reminders_send(today=timezone.localdate()).sent


@shared_task(name="audits.tasks.reminders.propose_next_month_allocation")
def propose_next_month_allocation():
    """Monthly: the draft allocation for next month, if there is none, and the QA Leads
    are told it is ready to review."""
    result = round_propose_next_month(today=timezone.localdate())
    return result.round.pk if result is not None else None


@shared_task(name="audits.tasks.reminders.send_allocation_email")
def send_allocation_email(auditor_id, audit_ids, note=""):
    """One email to one auditor listing the audits just allocated to them."""
    return allocation_notify(auditor_id=auditor_id, audit_ids=audit_ids, note=note)
