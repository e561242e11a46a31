"""Uploads of past audits as a QA Lead meets them: a file posted to the upload page,
checked by the worker's task, and the job page listing the errors.

A file with an error on every row must not fill the job page: only the first
IMPORT_MAX_ERRORS (1,000) errors are kept and listed, a hundred a page, with the number
of all the errors.
"""

import datetime
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import Team
from audits.importer import messages as m
from audits.importer.columns import REQUIRED
from audits.importer.jobs import import_job_errors
from audits.models import Audit, ImportJob, ImportJobError, ImportStatus
from audits.tasks.imports import run_import_job
from tests.factories import make_template
from tests.fixtures.imports import HEADERS, csv_bytes, good_row

pytestmark = pytest.mark.django_db

UPLOAD = reverse("imports:upload")
BAD_GRADE = "Excellent"


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


def bad_rows(count: int) -> bytes:
    """A CSV file of ``count`` audits, each with one bad value (its overall grade)."""
    return csv_bytes([good_row(n, overall_grade=BAD_GRADE) for n in range(1, count + 1)])


def upload(client, callbacks, data, name="audits.csv", **fields):
    """Post the file as the upload page's form does; the task queued on commit runs as
    the worker runs it (eagerly, as CELERY_TASK_ALWAYS_EAGER does in tests)."""
    with callbacks(execute=True):
        response = client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def job_page(client, job, **query) -> str:
    """The job page's HTML, its runs of white space made single spaces."""
    response = client.get(reverse("imports:job", args=[job.pk]), query)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def listed_rows(page: str) -> list[int]:
    return [int(row) for row in re.findall(r"cell--numeric\">(\d+)</td>", page)]


# The cap on the errors kept ----------------------------------------------------------


@pytest.mark.slow
def test_a_file_with_exactly_1000_errors_keeps_and_lists_them_all(
    qa_client, template, django_capture_on_commit_callbacks
):
    job = upload(qa_client, django_capture_on_commit_callbacks, bad_rows(1000))

    assert job.status == ImportStatus.FAILED
    assert job.error_count == 1000
    assert import_job_errors(job).count() == 1000
    last = job_page(qa_client, job, page=10)
    assert listed_rows(last)[-1] == 1001
    first = job_page(qa_client, job)
    assert "Correct the 1,000 problems listed below in the file" in first
    assert "Showing the first" not in first
    assert "Showing 1 to 100 of 1,000" in first
    assert Audit.objects.count() == 0


@pytest.mark.slow
def test_a_file_with_1001_errors_keeps_the_first_1000_and_counts_them_all(
    qa_client, template, django_capture_on_commit_callbacks
):
    job = upload(qa_client, django_capture_on_commit_callbacks, bad_rows(1001))

    assert job.status == ImportStatus.FAILED
    assert job.error_count == 1001
    kept = list(import_job_errors(job).values_list("row", flat=True))
    assert kept == list(range(2, 1002))
    page = job_page(qa_client, job)
    assert (
        "The file has 1,001 problems. Showing the first 1,000: correct these in the file "
        "and upload it again to see any that remain."
    ) in page
    assert "1,001 errors in the file" in page
    assert "Showing 1 to 100 of the first 1,000" in page
    assert "Page 1 of 10" in page
    assert qa_client.get(reverse("imports:job", args=[job.pk]), {"page": 11}).status_code == 404


def test_the_cap_is_a_setting(qa_client, template, django_capture_on_commit_callbacks, settings):
    settings.IMPORT_MAX_ERRORS = 3

    job = upload(qa_client, django_capture_on_commit_callbacks, bad_rows(5))

    assert job.error_count == 5
    assert list(import_job_errors(job).values_list("row", "message")) == [
        (2, m.OVERALL_GRADE_UNKNOWN),
        (3, m.OVERALL_GRADE_UNKNOWN),
        (4, m.OVERALL_GRADE_UNKNOWN),
    ]
    assert "The file has 5 problems. Showing the first 3" in job_page(qa_client, job)


def test_a_problem_with_the_whole_file_is_kept_first_even_when_the_rows_fill_the_cap(
    qa_client, org, django_capture_on_commit_callbacks, settings
):
    """No audit template is installed: the file-level error is found after every row
    but listed (and kept) before the rows' errors."""
    settings.IMPORT_MAX_ERRORS = 2
    rows = [good_row(1), good_row(2, overall_grade=BAD_GRADE), good_row(3, overall_grade="?")]

    required_only = csv_bytes(rows, headers=list(REQUIRED))

    job = upload(qa_client, django_capture_on_commit_callbacks, required_only)

    assert job.error_count == 3
    assert list(import_job_errors(job).values_list("row", "message")) == [
        (None, m.NO_TEMPLATE),
        (3, m.OVERALL_GRADE_UNKNOWN),
    ]


# Pages of errors -----------------------------------------------------------------------


def failed_job(org, *, errors: int, error_count: int) -> ImportJob:
    job = ImportJob.objects.create(
        created_by=org.users["qa_lead"],
        original_name="audits.xlsx",
        status=ImportStatus.FAILED,
        error_count=error_count,
    )
    ImportJobError.objects.bulk_create(
        ImportJobError(
            job=job, position=n, row=n + 2, column="overall_grade", value="x", message="Bad"
        )
        for n in range(errors)
    )
    return job


def test_the_errors_are_listed_a_hundred_a_page(qa_client, org):
    job = failed_job(org, errors=250, error_count=250)

    first = job_page(qa_client, job)
    second = job_page(qa_client, job, page=2)
    last = job_page(qa_client, job, page=3)

    assert listed_rows(first) == list(range(2, 102))
    assert listed_rows(second) == list(range(102, 202))
    assert listed_rows(last) == list(range(202, 252))
    assert "Showing 101 to 200 of 250" in second
    assert 'href="?page=3#import-errors"' in second
    assert 'href="?page=1#import-errors"' in second
    assert 'rel="next"' not in last
    assert "Showing the first" not in first


def test_one_page_of_errors_has_no_pagination(qa_client, org):
    page = job_page(qa_client, failed_job(org, errors=100, error_count=100))

    assert len(listed_rows(page)) == 100
    assert "govuk-pagination" not in page
    assert "Showing 1 to" not in page


@pytest.mark.parametrize("page", ["4", "0", "-1", "two"])
def test_a_page_of_errors_that_does_not_exist_is_404(qa_client, org, page):
    job = failed_job(org, errors=250, error_count=250)

    response = qa_client.get(reverse("imports:job", args=[job.pk]), {"page": page})

    assert response.status_code == 404


def test_every_page_of_errors_makes_the_same_queries(qa_client, org, django_assert_max_num_queries):
    job = failed_job(org, errors=1000, error_count=300_000)
    job_page(qa_client, job)  # warm the session

    with django_assert_max_num_queries(12) as first:
        job_page(qa_client, job)
    with django_assert_max_num_queries(12) as tenth:
        page = job_page(qa_client, job, page=10)

    assert len(first) == len(tenth)
    assert "300,000 errors in the file" in page
    assert "The file has 300,000 problems. Showing the first 1,000" in page


def test_the_history_shows_the_number_of_all_the_errors(qa_client, org):
    failed_job(org, errors=3, error_count=4567)

    page = qa_client.get(reverse("imports:history")).content.decode()

    assert "4,567" in page


# The upload page stores the file; the worker reads it -------------------------------------


def test_the_upload_page_only_stores_the_file_and_queues_the_check(
    qa_client, template, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(run_import_job, "delay", lambda job_id: queued.append(job_id))

    job = upload(qa_client, django_capture_on_commit_callbacks, bad_rows(3))

    assert queued == [job.pk]
    assert job.status == ImportStatus.PENDING
    assert (job.total_rows, job.error_count) == (0, 0)
    assert job.file.name.startswith("imports/")
    page = job_page(qa_client, job)
    assert "Waiting to start" in page
    assert f'href="{reverse("imports:job", args=[job.pk])}">Refresh</a>' in page

    # The worker runs the queued task.
    assert run_import_job.apply(args=[job.pk]).get() == ImportStatus.FAILED
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.error_count, job.file.name) == (
        ImportStatus.FAILED,
        3,
        3,
        "",
    )
    assert "3 errors in the file" in job_page(qa_client, job)


def test_an_import_may_run_longer_than_other_tasks():
    from django.conf import settings

    assert run_import_job.soft_time_limit == settings.IMPORT_TASK_SOFT_TIME_LIMIT == 1800
    assert run_import_job.time_limit == 1860
    assert run_import_job.soft_time_limit > settings.CELERY_TASK_SOFT_TIME_LIMIT


def test_a_running_job_says_the_file_is_being_read_until_its_rows_are_counted(qa_client, org):
    job = ImportJob.objects.create(
        created_by=org.users["qa_lead"], original_name="big.xlsx", status=ImportStatus.RUNNING
    )

    page = job_page(qa_client, job)

    assert "Reading the file" in page
    assert "Waiting to start" not in page


def xlsx_file(rows: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for n in range(1, rows + 1):
        row = good_row(n, overall_grade=BAD_GRADE)
        sheet.append([row[heading] for heading in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.slow
def test_an_xlsx_of_10000_bad_rows_gives_a_short_job_page(
    qa_client, template, django_capture_on_commit_callbacks
):
    job = upload(qa_client, django_capture_on_commit_callbacks, xlsx_file(10_000), "big.xlsx")

    assert (job.status, job.total_rows, job.error_count) == (ImportStatus.FAILED, 10_000, 10_000)
    assert import_job_errors(job).count() == 1000
    page = job_page(qa_client, job)
    assert "The file has 10,000 problems. Showing the first 1,000" in page
    assert len(listed_rows(page)) == 100
    assert len(page.encode()) < 150_000


# Creating missing teams, areas, domains and people ---------------------------------------


def test_unknown_teams_are_errors_unless_the_box_is_ticked(
    qa_client, template, django_capture_on_commit_callbacks
):
    data = csv_bytes([good_row(1, team="Brand New Team")])

    unticked = upload(qa_client, django_capture_on_commit_callbacks, data)

    assert unticked.status == ImportStatus.FAILED
    assert not unticked.create_missing
    assert not Team.objects.filter(name="Brand New Team").exists()
    page = job_page(qa_client, unticked)
    assert m.TEAM_UNKNOWN.format(area="Safeguarding") in page
    assert "or choose to create missing teams, areas, domains and people" in page

    ticked = upload(qa_client, django_capture_on_commit_callbacks, data, create_missing="on")

    assert ticked.status == ImportStatus.IMPORTED
    assert Team.objects.get(name="Brand New Team").service_area.name == "Safeguarding"
    assert "creating missing teams, areas, domains and people" in job_page(qa_client, ticked)


def test_no_page_mentions_the_command_line_option(
    qa_client, template, django_capture_on_commit_callbacks
):
    unknown_names = csv_bytes(
        [
            good_row(1, team="Nowhere"),
            good_row(2, service_area="Nowhere Area"),
            good_row(3, auditor_email="nobody@council.example"),
        ]
    )
    unknown_domain = csv_bytes([good_row(1, **{"domain: Supervison": "Good"})])
    rows_job = upload(qa_client, django_capture_on_commit_callbacks, unknown_names)
    domain_job = upload(qa_client, django_capture_on_commit_callbacks, unknown_domain)

    pages = [
        qa_client.get(UPLOAD).content.decode(),
        job_page(qa_client, rows_job),
        job_page(qa_client, domain_job),
        qa_client.get(reverse("imports:history")).content.decode(),
    ]

    assert "Create missing teams, areas, domains and people" in pages[0]
    assert rows_job.error_count == 3
    for message in (m.TEAM_UNKNOWN.format(area="Safeguarding"), m.SERVICE_AREA_UNKNOWN):
        assert message in pages[1]
    assert "Nobody has this email address. Check it, or choose to create" in pages[1]
    assert "There is no domain called &#x27;Supervison&#x27;" in pages[2]
    for page in pages:
        assert "--create-missing" not in page
