"""Celery tasks of the reporting app: thin, idempotent, each calls one service."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services


@shared_task
def generate_due_reports(days_after: int | None = None):
    """The quarterly and annual reports owed ``days_after`` days (default
    REPORT_DAYS_AFTER_PERIOD, 10) after their period ends, for the whole organisation
    and each service area; a report already generated is left alone, so a rerun makes
    nothing more. Returns the versions made."""
    days = settings.REPORT_DAYS_AFTER_PERIOD if days_after is None else int(days_after)
    made = services.generate_due(timezone.localdate(), days)
    return [version.pk for version, created in made if created]


@shared_task
def run_report(run_id: int):
    """A QA Lead's "Generate now", with its progress written for the page."""
    report_run = services.run(run_id)
    return report_run.version_id
