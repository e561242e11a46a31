"""The live Celery helpers themselves: a worker on the test database and a real broker."""

import signal

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def expired_session():
    return Session.objects.create(
        session_key="expired" + "x" * 25,
        session_data="",
        expire_date=timezone.now() - timezone.timedelta(days=1),
    )


def test_a_task_sent_to_the_broker_runs_in_a_worker_on_the_test_database(live_celery):
    expired_session()
    live_celery.worker()
    live_celery.send_task("qa_audit.tasks.clear_expired_sessions")
    live_celery.wait_until(
        lambda: not Session.objects.exists(), timeout=60, what="expired session cleared"
    )


def test_a_killed_worker_is_gone_with_its_pool(live_celery):
    worker = live_celery.worker(pool="prefork", concurrency=1)
    worker.kill(signal.SIGKILL)
    assert not worker.running
    assert worker.popen.returncode == -signal.SIGKILL
