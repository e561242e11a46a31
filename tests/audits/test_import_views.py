"""The upload page, the job page, its status JSON and the history of imports."""

import datetime
import os

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audits.forms import imports as forms
from audits.importer import messages as m
from audits.importer.jobs import import_job_errors, import_job_run
from audits.models import Audit, ImportJob, ImportJobError, ImportStatus
from tests.factories import make_template
from tests.fixtures.imports import csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db

UPLOAD = reverse("imports:upload")
HISTORY = reverse("imports:history")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 15, 10, 0), tick=True):
        yield


@pytest.fixture
def template(org):
    return make_template(family="child-journey-audit", questions=False)


@pytest.fixture
def qa_client(client, org):
    client.force_login(org.users["qa_lead"])
    return client


def upload(client, data, name="audits.csv", callbacks=None, **fields):
    payload = {"file": SimpleUploadedFile(name, data), **fields}
    if callbacks is None:
        return client.post(UPLOAD, payload)
    with callbacks(execute=True):
        return client.post(UPLOAD, payload)


def kept_errors(job) -> list[dict]:
    return list(import_job_errors(job).values("row", "column", "value", "message"))


def test_the_upload_page_shows_the_form(qa_client, template):
    response = qa_client.get(UPLOAD)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Import past audits</h1>' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'data-module="govuk-file-upload"' in html
    assert "Create missing teams, areas, domains and people" in html
    assert "Check only (dry run)" in html


def test_an_upload_is_imported_at_once_when_celery_runs_eagerly(
    qa_client, org, template, django_capture_on_commit_callbacks, settings
):
    response = upload(
        qa_client,
        csv_bytes([good_row(1), good_row(2)]),
        name="Forms export.csv",
        callbacks=django_capture_on_commit_callbacks,
    )

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert job.status == ImportStatus.IMPORTED
    assert (job.total_rows, job.processed_rows, job.created_count, job.updated_count) == (
        2,
        2,
        2,
        0,
    )
    assert (job.error_count, kept_errors(job)) == (0, [])
    assert job.created_by == org.users["qa_lead"]
    assert job.original_name == "Forms export.csv"
    assert job.finished_at is not None
    assert Audit.objects.count() == 2
    # The uploaded file is deleted: it holds children's case details.
    assert job.file.name == ""
    assert os.listdir(os.path.join(settings.MEDIA_ROOT, "imports", "2025", "06")) == []

    page = qa_client.get(response["Location"]).content.decode()
    assert "Import complete" in page
    assert "2 created, 0 updated" in page
    assert "import-progress.js" not in page


def test_a_dry_run_upload_checks_and_imports_nothing(
    qa_client, template, django_capture_on_commit_callbacks
):
    response = upload(
        qa_client,
        xlsx_bytes([good_row(1)]),
        name="export.xlsx",
        callbacks=django_capture_on_commit_callbacks,
        dry_run="on",
    )

    job = ImportJob.objects.get()
    assert job.dry_run
    assert job.status == ImportStatus.CHECKED
    assert job.created_count == 1
    assert Audit.objects.count() == 0
    page = qa_client.get(response["Location"]).content.decode()
    assert "Nothing was imported: this was a dry run." in page
    assert "Audits to create" in page


def test_create_missing_is_passed_to_the_import(
    qa_client, template, django_capture_on_commit_callbacks
):
    upload(
        qa_client,
        csv_bytes([good_row(1, team="Brand New Team")]),
        callbacks=django_capture_on_commit_callbacks,
        create_missing="on",
    )

    job = ImportJob.objects.get()
    assert job.create_missing
    assert job.status == ImportStatus.IMPORTED
    assert Audit.objects.get().team.name == "Brand New Team"


def test_a_file_with_errors_shows_every_error_and_imports_nothing(
    qa_client, template, django_capture_on_commit_callbacks
):
    data = csv_bytes([good_row(1), good_row(2, team="Nowhere"), good_row(3, iro_involved="?")])

    response = upload(qa_client, data, callbacks=django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert (job.total_rows, job.created_count, job.updated_count) == (3, 0, 0)
    assert job.error_count == 2
    assert kept_errors(job) == [
        {
            "row": 3,
            "column": "team",
            "value": "Nowhere",
            "message": m.TEAM_UNKNOWN.format(area="Safeguarding"),
        },
        {"row": 4, "column": "iro_involved", "value": "?", "message": m.YES_NO_UNKNOWN},
    ]
    assert Audit.objects.count() == 0
    page = qa_client.get(response["Location"]).content.decode()
    assert "The file was not imported" in page
    assert "2 errors in the file" in page
    assert m.YES_NO_UNKNOWN in page
    assert "Upload the corrected file" in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("audits.xls", b"a,b\n", forms.FILE_TYPE),
        ("audits.pdf", b"%PDF-1.7", forms.FILE_TYPE),
        ("audits.xlsx", b"audit_ref,team\n", forms.FILE_TYPE),
        ("audits.csv", b"PK\x03\x04 a zip, not text", forms.FILE_TYPE),
        ("audits.csv", b"", forms.FILE_IS_EMPTY),
    ],
)
def test_a_file_of_the_wrong_type_is_refused(qa_client, template, name, data, message):
    response = upload(qa_client, data, name=name)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<title>\n      Error: Import past audits" in html
    assert ImportJob.objects.count() == 0


def test_no_file_is_refused(qa_client, template):
    response = qa_client.post(UPLOAD, {"dry_run": "on"})

    assert response.status_code == 200
    assert forms.CHOOSE_FILE == "Choose a CSV or Excel file"
    assert forms.CHOOSE_FILE in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(qa_client, template, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    one_mb = csv_bytes([good_row(1)])
    one_mb += b" " * (1024 * 1024 - len(one_mb))

    at_limit = upload(qa_client, one_mb)
    over = upload(qa_client, one_mb + b" ")

    assert at_limit.status_code == 302
    page = over.content.decode()
    assert over.status_code == 200
    assert forms.FILE_TOO_LARGE.format(limit=1) in page
    assert "The file is larger than 1 MB. Split the audits into files of up to 1 MB" in page
    assert "up to 1 MB, with one row for each audit" in page
    assert ImportJob.objects.count() == 1


def test_the_limit_is_20_mb_by_default(qa_client, template):
    from django.conf import settings

    assert settings.IMPORT_MAX_UPLOAD_MB == 20
    assert "up to 20 MB, with one row for each audit" in qa_client.get(UPLOAD).content.decode()


@pytest.mark.parametrize(
    "persona", ["auditor", "moderator", "head_of_service", "leader", "no_role"]
)
def test_people_who_are_not_qa_leads_get_403(client, org, template, persona):
    job = ImportJob.objects.create(created_by=org.users["qa_lead"], original_name="a.csv")
    client.force_login(org.users[persona])

    assert client.get(UPLOAD).status_code == 403
    assert upload(client, csv_bytes([good_row(1)])).status_code == 403
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 403
    assert client.get(reverse("imports:job_status", args=[job.pk])).status_code == 403
    assert client.get(HISTORY).status_code == 403
    assert client.get(reverse("imports:example")).status_code == 403
    assert ImportJob.objects.count() == 1


def test_signed_out_people_are_sent_to_sign_in(client, org):
    response = client.get(UPLOAD)

    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_wrong_methods_are_refused(qa_client, org):
    job = ImportJob.objects.create(created_by=org.users["qa_lead"], original_name="a.csv")

    assert qa_client.put(UPLOAD).status_code == 405
    assert qa_client.post(reverse("imports:job", args=[job.pk])).status_code == 405
    assert qa_client.post(reverse("imports:job_status", args=[job.pk])).status_code == 405
    assert qa_client.post(HISTORY).status_code == 405


def test_a_job_that_does_not_exist_is_404(qa_client):
    assert qa_client.get(reverse("imports:job", args=[999])).status_code == 404
    assert qa_client.get(reverse("imports:job_status", args=[999])).status_code == 404


def test_the_status_json_of_a_running_job(client, org):
    other_lead = org.users["qa_lead"]
    job = ImportJob.objects.create(
        created_by=other_lead,
        original_name="a.csv",
        status=ImportStatus.RUNNING,
        total_rows=5000,
        processed_rows=1200,
    )
    from accounts.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(roles=[Role.QA_LEAD]))

    response = client.get(reverse("imports:job_status", args=[job.pk]))

    assert response.status_code == 200
    assert response.json() == {
        "status": "running",
        "status_label": "Checking and importing",
        "processed_rows": 1200,
        "total_rows": 5000,
        "percent_done": 24,
        "dry_run": False,
        "finished": False,
    }
    assert "no-store" in response["Cache-Control"]

    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Checked 1,200 of 5,000 rows" in page
    assert 'value="24"' in page
    assert "import-progress.js" in page
    assert f'href="{reverse("imports:job", args=[job.pk])}">Refresh</a>' in page


def test_the_status_json_of_a_finished_job(qa_client, org):
    job = ImportJob.objects.create(
        created_by=org.users["qa_lead"],
        original_name="a.csv",
        status=ImportStatus.IMPORTED,
        total_rows=10,
        processed_rows=10,
    )

    data = qa_client.get(reverse("imports:job_status", args=[job.pk])).json()

    assert (data["finished"], data["percent_done"]) == (True, 100)


def test_the_job_page_makes_the_same_queries_however_many_errors(
    qa_client, org, django_assert_max_num_queries
):
    small = failed_job(org, errors=1)
    large = failed_job(org, errors=1000, error_count=2000)
    qa_client.get(reverse("imports:job", args=[small.pk]))  # warm the session

    with django_assert_max_num_queries(12) as small_queries:
        qa_client.get(reverse("imports:job", args=[small.pk]))
    with django_assert_max_num_queries(12) as large_queries:
        response = qa_client.get(reverse("imports:job", args=[large.pk]))

    assert len(large_queries) == len(small_queries)
    assert "2,000 errors in the file" in response.content.decode()


def failed_job(org, *, errors: int, error_count: int | None = None) -> ImportJob:
    """A failed job that kept ``errors`` errors, one on each row from row 2."""
    job = ImportJob.objects.create(
        created_by=org.users["qa_lead"],
        original_name="audits.csv",
        status=ImportStatus.FAILED,
        error_count=errors if error_count is None else error_count,
    )
    ImportJobError.objects.bulk_create(
        ImportJobError(
            job=job, position=n, row=n + 2, column="team", value=f"T{n}", message="No team"
        )
        for n in range(errors)
    )
    return job


def test_history_lists_every_qa_leads_jobs(qa_client, org, django_assert_max_num_queries):
    from accounts.models import Role
    from tests.factories import UserFactory

    other = UserFactory(first_name="Olu", last_name="Adeyemi", roles=[Role.QA_LEAD])
    for n in range(30):
        ImportJob.objects.create(
            created_by=other if n % 2 else org.users["qa_lead"],
            original_name=f"file-{n:02d}.csv",
            status=ImportStatus.IMPORTED,
            total_rows=n,
            created_count=n,
        )

    with django_assert_max_num_queries(12):
        response = qa_client.get(HISTORY)

    html = response.content.decode()
    assert response.status_code == 200
    assert "file-29.csv" in html
    assert "Olu Adeyemi" in html
    assert "file-04.csv" not in html  # on page 2
    assert "Page 1 of 2" in html
    assert "file-04.csv" in qa_client.get(HISTORY + "?page=2").content.decode()


def test_the_example_file_has_the_headings(qa_client, template):
    response = qa_client.get(reverse("imports:example"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    first_line = response.content.decode("utf-8-sig").splitlines()[0]
    assert first_line == (
        "audit_ref,audit_type,child_ref,team,service_area,legal_status,auditor_email,"
        "completed_on,overall_grade,domain: Visits,evidence: Visits,domain: Assessments,"
        "evidence: Assessments,social_worker_involved,team_manager_involved,iro_involved,"
        "child_spoken_to,parent_carer_spoken_to"
    )


def test_a_job_runs_once_even_if_the_task_is_delivered_twice(org, template, settings):
    job = ImportJob(created_by=org.users["qa_lead"], original_name="a.csv")
    job.file.save("a.csv", SimpleUploadedFile("a.csv", csv_bytes([good_row(1)])), save=False)
    job.save()

    first = import_job_run(job_id=job.pk)
    second = import_job_run(job_id=job.pk)

    assert first.status == ImportStatus.IMPORTED
    assert second is None
    assert Audit.objects.count() == 1


def test_progress_is_saved_every_hundred_rows(org, template, monkeypatch):
    from audits.importer import jobs

    seen = []
    real_update = jobs.ImportJob.objects.filter

    job = ImportJob(created_by=org.users["qa_lead"], original_name="a.csv", dry_run=True)
    rows = [good_row(n) for n in range(1, 251)]
    job.file.save("a.csv", SimpleUploadedFile("a.csv", csv_bytes(rows)), save=False)
    job.save()

    def spy(*args, **kwargs):
        queryset = real_update(*args, **kwargs)
        original = queryset.update

        def update(**values):
            if "processed_rows" in values and "status" not in values:
                seen.append((values["processed_rows"], values["total_rows"]))
            return original(**values)

        queryset.update = update
        return queryset

    monkeypatch.setattr(jobs.ImportJob.objects, "filter", spy)

    finished = import_job_run(job_id=job.pk)

    assert seen == [(0, 250), (100, 250), (200, 250), (250, 250)]
    assert finished.status == ImportStatus.CHECKED


def test_an_unreadable_upload_fails_with_a_message(org, template):
    job = ImportJob(created_by=org.users["qa_lead"], original_name="a.xlsx")
    job.file.save("a.xlsx", SimpleUploadedFile("a.xlsx", b"PK\x03\x04broken"), save=False)
    job.save()

    finished = import_job_run(job_id=job.pk)

    assert finished.status == ImportStatus.FAILED
    assert kept_errors(finished) == [
        {"row": None, "column": "", "value": "", "message": m.FILE_NOT_XLSX}
    ]
    assert finished.file.name == ""


def test_the_page_says_the_audits_are_being_saved_once_every_row_is_checked(qa_client, org):
    job = ImportJob.objects.create(
        created_by=org.users["qa_lead"],
        original_name="a.csv",
        status=ImportStatus.RUNNING,
        total_rows=300,
        processed_rows=300,
    )

    page = qa_client.get(reverse("imports:job", args=[job.pk])).content.decode()

    assert "Checked 300 of 300 rows. Saving the audits…" in page


def test_an_unexpected_failure_is_reported_and_logged_without_case_details(
    org, template, monkeypatch, caplog
):
    from audits.importer import jobs

    def fail(**kwargs):
        raise ValueError("NC700001 is a case reference")

    monkeypatch.setattr(jobs, "audits_import", fail)
    job = ImportJob(created_by=org.users["qa_lead"], original_name="a.csv")
    job.file.save("a.csv", SimpleUploadedFile("a.csv", csv_bytes([good_row(1)])), save=False)
    job.save()

    finished = import_job_run(job_id=job.pk)

    assert finished.status == ImportStatus.FAILED
    assert kept_errors(finished) == [
        {"row": None, "column": "", "value": "", "message": m.UNEXPECTED}
    ]
    assert finished.file.name == ""
    assert "ValueError" in caplog.text
    assert "NC700001" not in caplog.text
