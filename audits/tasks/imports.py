"""Celery tasks for importing past audits."""

from celery import shared_task
from django.conf import settings

from ..importer.jobs import import_job_run

__all__ = ["run_import_job"]


@shared_task(
    name="audits.tasks.imports.run_import_job",
    soft_time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT + 60,
)
def run_import_job(job_id):
    """Check and import one uploaded file; a second delivery of the same job does nothing."""
    job = import_job_run(job_id=job_id)
    return job.status if job is not None else None
