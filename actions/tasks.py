"""Celery tasks of the actions app: thin, idempotent, each calls one service."""

from celery import shared_task

from .services import concern_send_monthly_requests, tracker_send_weekly


@shared_task
def send_weekly_trackers():
    """This week's tracker and escalation emails; a rerun sends only what is unsent."""
    return {str(kind): count for kind, count in tracker_send_weekly().items()}


@shared_task
def send_concern_update_requests():
    """This month's Case of Concern update requests; a rerun sends only what is unsent."""
    return concern_send_monthly_requests()
