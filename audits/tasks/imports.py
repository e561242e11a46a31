"""Celery tasks for importing past audits."""

from celery import shared_task

from ..importer.jobs import import_job_run

__all__ = ["run_import_job"]


@shared_task(name="audits.tasks.imports.run_import_job")
def run_import_job(job_id):
    """Check and import one uploaded file; a second delivery of the same job does nothing."""
    job = import_job_run(job_id=job_id)
    return job.status if job is not None else None
