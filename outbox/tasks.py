"""Celery tasks of the outbox: thin adapters over the services."""

from celery import shared_task

from .services import outbox_deliver, outbox_sweep


@shared_task
def deliver_email(email_id: int):
    """Send one planned email once; a duplicate or late task finds nothing to claim."""
    return outbox_deliver(email_id=email_id)


@shared_task
def sweep_outbox():
    """Queue what is due: retries, emails whose delivery was lost, stale claims."""
    return outbox_sweep()
