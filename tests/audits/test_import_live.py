"""An upload of past audits checked by a real Celery worker, as in production: the
upload page stores the file and queues the job on the broker; the worker reads the
file and records the errors; the job page lists the first of them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audits.importer.jobs import import_job_errors
from audits.models import ImportJob, ImportStatus
from audits.tasks.imports import run_import_job
from tests.factories import make_template
from tests.fixtures.imports import csv_bytes, good_row

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_an_upload_is_checked_by_the_worker_not_the_web_request(
    live_celery, org, client, monkeypatch, settings
):
    make_template(family="child-journey-audit", questions=False)
    settings.IMPORT_MAX_ERRORS = 5
    # The test process runs tasks eagerly; send this one to the real broker instead.
    monkeypatch.setattr(
        run_import_job,
        "delay",
        lambda job_id: live_celery.send_task(run_import_job.name, args=[job_id]),
    )
    client.force_login(org.users["qa_lead"])
    data = csv_bytes([good_row(n, overall_grade="Excellent") for n in range(1, 8)])

    response = client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile("audits.csv", data)}
    )

    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert (job.status, job.total_rows) == (ImportStatus.PENDING, 0)
    assert "Waiting to start" in client.get(response["Location"]).content.decode()

    live_celery.worker(env={"IMPORT_MAX_ERRORS": "5"})
    live_celery.wait_until(
        lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.FAILED).exists(),
        what="the import checked by the worker",
    )

    job.refresh_from_db()
    assert (job.total_rows, job.error_count, job.file.name) == (7, 7, "")
    assert list(import_job_errors(job).values_list("row", flat=True)) == [2, 3, 4, 5, 6]
    page = " ".join(client.get(response["Location"]).content.decode().split())
    assert "The file has 7 problems. Showing the first 5" in page
