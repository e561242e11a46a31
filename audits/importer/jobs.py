"""Uploads from the import page: an ImportJob per file, run by a Celery task.

The upload page only stores the file and queues the job: the file is read (as a
stream) and checked by the worker. The uploaded file holds children's case details, so
it is deleted as soon as the job has run, whatever the outcome; the job keeps only the
original file name, the counts and the first errors (settings.IMPORT_MAX_ERRORS of
them, with the number of all the errors).
"""

from __future__ import annotations

import logging
import os
import traceback
import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User

from ..models import ImportJob, ImportJobError, ImportStatus
from . import messages
from .result import ImportResult, RowError
from .service import audits_import

logger = logging.getLogger(__name__)

#: statuses in which a job has finished
FINISHED = (ImportStatus.FAILED, ImportStatus.CHECKED, ImportStatus.IMPORTED)
#: errors saved per insert
ERROR_BATCH = 500


def import_jobs() -> QuerySet[ImportJob]:
    """Every import job, newest first: the QA team's shared history."""
    return ImportJob.objects.select_related("created_by").order_by("-created_at", "-pk")


def import_job_errors(job: ImportJob) -> QuerySet[ImportJobError]:
    """The errors kept for a job, in the order they are listed: the whole file's
    first, then by row."""
    return job.error_rows.order_by("position")


@transaction.atomic
def import_job_create(
    *, user: User, upload: UploadedFile, dry_run: bool, create_missing: bool
) -> ImportJob:
    """Store the upload under a random name and queue its import once committed."""
    from ..tasks.imports import run_import_job

    extension = os.path.splitext(upload.name)[1].lower()
    job = ImportJob(
        created_by=user,
        original_name=os.path.basename(upload.name)[:255],
        dry_run=dry_run,
        create_missing=create_missing,
    )
    job.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
    job.save()
    transaction.on_commit(lambda: run_import_job.delay(job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a waiting job. The job is claimed with a conditional update, so a task
    delivered twice runs it once; returns None if another run has claimed it."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done, total_rows=total)

    try:
        with job.file.open("rb") as upload:
            result = audits_import(
                data=upload,
                file_name=job.original_name,
                user=job.created_by,
                create_missing=job.create_missing,
                dry_run=job.dry_run,
                progress=progress,
            )
    except Exception as error:
        # The message of a database error can quote values from the file (case
        # references), which must not reach the logs: log where it happened instead.
        frame = traceback.extract_tb(error.__traceback__)[-1]
        logger.error(
            "Import job %s stopped: %s at %s:%s",
            job_id,
            type(error).__name__,
            frame.filename,
            frame.lineno,
        )
        result = ImportResult(errors=[RowError(None, "", "", messages.UNEXPECTED)])
    finally:
        _delete_file(job)
    return _finish(job_id, result)


def _delete_file(job: ImportJob) -> None:
    try:
        job.file.delete(save=False)
    except OSError:
        logger.exception("Import job %s: the uploaded file could not be deleted", job.pk)
    ImportJob.objects.filter(pk=job.pk).update(file="")


@transaction.atomic
def _finish(job_id: int, result: ImportResult) -> ImportJob:
    if not result.ok:
        status = ImportStatus.FAILED
    elif result.dry_run:
        status = ImportStatus.CHECKED
    else:
        status = ImportStatus.IMPORTED
    ImportJob.objects.filter(pk=job_id).update(
        status=status,
        total_rows=result.rows,
        processed_rows=result.rows,
        # A file with errors imports nothing, whatever its good rows would have done.
        created_count=0 if not result.ok else result.to_create,
        updated_count=0 if not result.ok else result.to_update,
        error_count=result.error_count,
        finished_at=timezone.now(),
    )
    ImportJobError.objects.bulk_create(
        (
            _error_row(job_id, position, error)
            for position, error in enumerate(result.sorted_errors())
        ),
        batch_size=ERROR_BATCH,
    )
    return ImportJob.objects.get(pk=job_id)


def _error_row(job_id: int, position: int, error: RowError) -> ImportJobError:
    shown = error.as_dict()
    return ImportJobError(
        job_id=job_id,
        position=position,
        row=shown["row"],
        column=shown["column"][: ImportJobError._meta.get_field("column").max_length],
        value=shown["value"],
        message=shown["message"],
    )
