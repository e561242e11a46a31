"""The scheduled reports under faults, as an operator meets them: a real Celery worker on
Redis and PostgreSQL, a worker killed with ``kill -9`` while it generates, the task sent
twice at once, the database refusing. A report's row is held locked by the test (as a
long transaction elsewhere would) to stop the worker at a known point.

Run with PostgreSQL and Redis, for example::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qa_reports \\
    TEST_REDIS_URL=redis://127.0.0.1:6379/5 \\
    .venv/bin/pytest tests/reporting/test_generation_live.py -s
"""

import contextlib
import datetime
import time
from urllib.parse import quote

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import ServiceArea
from reporting import services
from reporting.models import ReportRun, ReportVersion, RunStatus

from .conftest import RI, G, audit

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

GENERATE_DUE = "reporting.tasks.generate_due_reports"
DAYS_AFTER = 10
#: a task taken by a worker that died goes back on the queue after this many seconds
VISIBILITY_TIMEOUT = 4
REDELIVERY = {"CELERY_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}


def start_after_redelivery_is_due(live_celery):
    """Another worker, started once the dead worker's task is older than the visibility
    timeout: Redis's unacknowledged tasks are looked for when a worker starts and then
    about every 100 seconds, so a worker started earlier would wait for the next look."""
    time.sleep(VISIBILITY_TIMEOUT + 1)
    return live_celery.worker(name="worker-after-kill", env=REDELIVERY)


@pytest.fixture
def owed(org, template):
    """The reports the schedule owes today, made in the order it generates them, with
    audits in the quarter they report on."""
    today = timezone.localdate()
    periods = services.due_periods(today, DAYS_AFTER)
    quarter = periods[0][1]
    for n, grade in enumerate([G, G, RI]):
        audit(org, template, grade, completed=quarter.start + datetime.timedelta(days=10 + n))
    audit(org, template, G, completed=quarter.start + datetime.timedelta(days=12), team=org.team_b)
    scopes = [None, *ServiceArea.objects.order_by("name")]
    return [services.report_for(kind, period, area) for kind, period in periods for area in scopes]


@contextlib.contextmanager
def row_locked(report):
    """Hold the report's row as ``generate`` locks it, from another connection, until
    the block ends."""
    params = connection.get_connection_params()
    other = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM reporting_report WHERE id = %s FOR NO KEY UPDATE", [report.pk]
            )
        yield
    finally:
        other.rollback()
        other.close()


def waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def versions_per_report(reports) -> list[int]:
    return [ReportVersion.objects.filter(report=report).count() for report in reports]


def test_a_worker_killed_while_generating_is_resumed_and_each_report_made_once(live_celery, owed):
    worker = live_celery.worker(env=REDELIVERY)
    with row_locked(owed[1]):
        live_celery.send_task(GENERATE_DUE, [DAYS_AFTER])
        live_celery.wait_until(
            lambda: waiting_for_locks() == 1 and versions_per_report(owed)[0] == 1,
            what="the first report generated and the worker waiting on the second",
        )
        first = ReportVersion.objects.get(report=owed[0])
        worker.kill()  # kill -9 of the worker in the middle of the run
        killed = time.monotonic()
        assert versions_per_report(owed) == [1, 0, 0, 0, 0, 0]
    start_after_redelivery_is_due(live_celery)
    live_celery.wait_until(
        lambda: all(versions_per_report(owed)), timeout=90, what="every owed report generated"
    )
    print(f"\nkill -9 to every report generated: {time.monotonic() - killed:.1f}s")
    time.sleep(2)  # nothing more arrives late
    assert versions_per_report(owed) == [1] * 6
    assert ReportVersion.objects.get(report=owed[0]).generated_at == first.generated_at
    assert not ReportRun.objects.exists()  # nothing failed


def test_the_schedule_firing_twice_at_once_makes_each_report_once(live_celery, owed):
    worker = live_celery.worker(pool="prefork", concurrency=2)
    with row_locked(owed[0]):
        live_celery.send_task(GENERATE_DUE, [DAYS_AFTER])
        live_celery.send_task(GENERATE_DUE, [DAYS_AFTER])
        # Both runs at the same point, waiting for the first report.
        live_celery.wait_until(lambda: waiting_for_locks() == 2, what="both runs waiting")
    live_celery.wait_until(
        lambda: (
            worker.log().count(f"Task {GENERATE_DUE}[") >= 4
            and worker.log().count("succeeded in") == 2
        ),
        timeout=90,
        what="both runs finished",
    )
    assert versions_per_report(owed) == [1] * 6
    assert not ReportRun.objects.exists()


def test_a_report_the_database_refuses_is_shown_to_the_qa_lead_and_made_the_next_day(
    live_celery, owed, org, client
):
    # The database gives up waiting for a lock after one second, as a council's
    # administrator may configure it: the second report cannot be generated.
    refusing = f"{live_celery.database_url}?options={quote('-c lock_timeout=1000')}"
    live_celery.worker(env={"DATABASE_URL": refusing})
    with row_locked(owed[1]):
        live_celery.send_task(GENERATE_DUE, [DAYS_AFTER])
        live_celery.wait_until(
            lambda: sum(versions_per_report(owed)) == 5,
            timeout=60,
            what="the other five reports generated",
        )
    assert versions_per_report(owed) == [1, 0, 1, 1, 1, 1]
    failure = ReportRun.objects.get()
    assert failure.report == owed[1] and failure.status == RunStatus.FAILED
    assert failure.requested_by is None
    reason = "The database could not be used: canceling statement due to lock timeout"
    assert failure.error == reason

    client.force_login(org.users["qa_lead"])
    home = client.get(reverse("home")).content.decode()
    assert "QA reports that could not be generated" in home
    assert f"{owed[1].label}, {owed[1].service_area.name} could not be generated" in home
    assert reason in home

    # The next day's run (the lock long gone) makes the missing report and nothing else.
    live_celery.send_task(GENERATE_DUE, [DAYS_AFTER])
    live_celery.wait_until(
        lambda: all(versions_per_report(owed)), timeout=60, what="the missing report generated"
    )
    time.sleep(1)
    assert versions_per_report(owed) == [1] * 6
    assert "could not be generated" not in client.get(reverse("home")).content.decode()


def test_generate_now_killed_mid_run_is_resumed_and_its_page_shows_the_version(
    live_celery, owed, org, client
):
    report = owed[0]
    qa_lead = org.users["qa_lead"]
    run = services.start_run(report, qa_lead)
    worker = live_celery.worker(env=REDELIVERY)
    with row_locked(report):
        live_celery.send_task("reporting.tasks.run_report", [run.pk])
        live_celery.wait_until(lambda: waiting_for_locks() == 1, what="the run waiting")
        run.refresh_from_db()
        assert run.status == RunStatus.RUNNING and run.step == "Storing the version"
        worker.kill()
    start_after_redelivery_is_due(live_celery)
    live_celery.wait_until(
        lambda: ReportRun.objects.filter(pk=run.pk, status=RunStatus.DONE).exists(),
        timeout=90,
        what="the run finished by another worker",
    )
    run.refresh_from_db()
    assert run.created_version and run.version.generated_by == qa_lead
    assert versions_per_report([report]) == [1]
    client.force_login(qa_lead)
    page = client.get(reverse("reporting:run", args=[run.pk])).content.decode()
    assert f"Version {run.version.number} is ready" in page
