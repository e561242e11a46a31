"""The default schedules run for real: celery beat sends a due schedule from the
database, a celery worker on Redis runs it, and its effect is in the database."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from qa_audit.schedules import DEFAULT_SCHEDULES, TIMEZONE

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

SESSIONS = "Clear expired sessions (daily)"


def session(key, *, expires_in_days):
    return Session.objects.create(
        session_key=key.ljust(32, "x"),
        session_data="",
        expire_date=timezone.now() + timezone.timedelta(days=expires_in_days),
    )


def test_beat_sends_a_due_default_schedule_and_a_worker_runs_it(live_celery, settings):
    settings.INSTALL_DEFAULTS_ON_MIGRATE = True
    call_command("migrate", verbosity=0)
    assert set(PeriodicTask.objects.values_list("name", flat=True)) == set(DEFAULT_SCHEDULES)
    # Due now. The database scheduler only loads crontabs whose hour is within two hours
    # of now, so the administrator sets it to every minute; its last run two days ago
    # makes it overdue at once. The other schedules are switched off, so that beat sends
    # nothing the test did not set up.
    PeriodicTask.objects.filter(name=SESSIONS).update(
        crontab=CrontabSchedule.objects.create(minute="*", hour="*", timezone=TIMEZONE),
        last_run_at=timezone.now() - timezone.timedelta(days=2),
    )
    PeriodicTask.objects.exclude(name=SESSIONS).update(enabled=False)
    session("expired", expires_in_days=-1)
    session("current", expires_in_days=1)

    started = time.monotonic()
    worker = live_celery.worker(wait=False)
    beat = live_celery.beat(wait=False)
    worker.wait_ready()
    beat.wait_ready()

    live_celery.wait_until(
        lambda: not Session.objects.filter(session_key__startswith="expired").exists(),
        timeout=90,
        what="expired session deleted by the scheduled task",
    )
    print(f"beat + worker: task ran {time.monotonic() - started:.1f}s after starting them")
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current".ljust(32, "x")]
    assert f"Sending due task {SESSIONS} (qa_audit.tasks.clear_expired_sessions)" in beat.log()
    assert "qa_audit.tasks.clear_expired_sessions" in worker.log()
    assert "succeeded" in worker.log()
    # Beat adds no schedule of its own beside the service's.
    assert set(PeriodicTask.objects.values_list("name", flat=True)) == set(DEFAULT_SCHEDULES)
