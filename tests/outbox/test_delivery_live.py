"""The weekly email as an operator meets it: a real Celery worker and beat on Redis, a
real SMTP server, the mail server down, a refused address, a worker killed with
``kill -9`` in the middle of a run. Every recipient is counted at the SMTP server.

Run with PostgreSQL and Redis, for example::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qa_outbox \\
    TEST_REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/pytest tests/outbox/test_delivery_live.py -s
"""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from accounts.models import Role
from actions.models import TrackerRun
from outbox.models import OutboxEmail, OutboxStatus
from qa_audit.schedules import install_default_schedules
from tests.factories import TeamFactory, UserFactory

from .smtp_server import SMTPServer

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

SWEEP = "Send waiting and retried emails (every minute)"
WEEKLY_TASK = "actions.tasks.send_weekly_trackers"
#: short times, so that the test sees in seconds what production sees in minutes
OUTBOX_ENV = {
    "OUTBOX_CLAIM_TIMEOUT": "6",
    "OUTBOX_RETRY_DELAY": "1",
    "OUTBOX_RETRY_MAX_DELAY": "4",
    # The broker would hand a dead worker's task to another only after an hour: what
    # resumes the run here is the sweep.
    "CELERY_BROKER_VISIBILITY_TIMEOUT": "3600",
}


@pytest.fixture
def smtp():
    server = SMTPServer()
    yield server
    server.stop()


@pytest.fixture
def managers(org, make_action):
    """Five team managers, each with one open action: five weekly emails."""
    today = timezone.localdate()
    people = [org.users["team_manager"], org.users["outside_manager"]]
    for n in range(3):
        manager = UserFactory(email=f"manager{n}@council.example", roles=[Role.TEAM_MANAGER])
        TeamFactory(name=f"Team {n}", service_area=org.area_a, manager=manager)
        people.append(manager)
    for person in people:
        team = person.managed_teams.first()
        make_action(
            raised_on=today - datetime.timedelta(days=7),
            due_date=today + datetime.timedelta(days=21),
            team=team,
        )
    return sorted(p.email for p in people)


def sweep_every(seconds: int) -> None:
    """The default schedules as migrate installs them, with the sweep every few seconds
    (as an administrator may set it in the admin) and nothing else."""
    install_default_schedules()
    every, _ = IntervalSchedule.objects.get_or_create(every=seconds, period="seconds")
    PeriodicTask.objects.filter(name=SWEEP).update(interval=every, crontab=None)
    PeriodicTask.objects.exclude(name=SWEEP).update(enabled=False)


def statuses() -> dict[str, str]:
    return dict(OutboxEmail.objects.values_list("to", "status"))


def all_sent(count: int):
    return OutboxEmail.objects.filter(status=OutboxStatus.SENT).count() == count


def test_with_the_mail_server_down_the_weekly_emails_are_retried_then_sent_once(
    live_celery, smtp, managers
):
    sweep_every(2)
    live_celery.worker(env={**smtp.env, **OUTBOX_ENV})
    live_celery.beat(env={**smtp.env, **OUTBOX_ENV})
    started = time.monotonic()
    live_celery.send_task(WEEKLY_TASK)

    # Down: every email is planned, none sent, each waiting to be tried again with why.
    live_celery.wait_until(
        lambda: OutboxEmail.objects.filter(status=OutboxStatus.RETRYING).count() == 5,
        timeout=60,
        what="five emails waiting to be retried",
    )
    assert sorted(statuses()) == managers
    reasons = set(OutboxEmail.objects.values_list("last_error", flat=True))
    assert reasons == {"The mail server refused the connection (it may be down)"}
    time.sleep(3)  # a few more failed attempts, each waiting longer
    smtp.start()
    live_celery.wait_until(lambda: all_sent(5), timeout=90, what="every email sent")
    print(f"\nserver down then up: all sent {time.monotonic() - started:.1f}s after the run")
    attempts = sorted(OutboxEmail.objects.values_list("attempts", flat=True))
    print(f"attempts until delivered: {attempts}")
    assert all(a >= 2 for a in attempts)
    assert smtp.handler.copies() == dict.fromkeys(managers, 1)
    assert set(OutboxEmail.objects.values_list("last_error", flat=True)) == {""}


def test_a_refused_address_is_shown_to_the_qa_lead_with_the_reason(
    live_celery, smtp, managers, org, client
):
    smtp.handler.refuse = {"tim@council.example"}
    smtp.start()
    sweep_every(2)
    live_celery.worker(env={**smtp.env, **OUTBOX_ENV})
    live_celery.send_task(WEEKLY_TASK)
    live_celery.wait_until(
        lambda: OutboxEmail.objects.filter(status=OutboxStatus.FAILED).exists() and all_sent(4),
        timeout=60,
        what="four emails sent and Tim's failed",
    )
    tim = OutboxEmail.objects.get(to="tim@council.example")
    assert tim.status == OutboxStatus.FAILED
    assert tim.attempts == 1  # refused for good: not tried again
    assert tim.last_error == "tim@council.example refused: 550 5.1.1 Mailbox unknown"
    assert "tim@council.example" not in smtp.handler.copies()

    client.force_login(org.users["qa_lead"])
    page = client.get(reverse("emails:sent")).content.decode()
    assert "Failed: not sent" in page
    assert "tim@council.example refused: 550 5.1.1 Mailbox unknown" in page
    home = client.get(reverse("home")).content.decode()
    assert "Emails that could not be sent" in home and "550 5.1.1 Mailbox unknown" in home


def test_the_weekly_run_sent_twice_at_once_sends_each_manager_one_email(
    live_celery, smtp, managers
):
    """Beat firing the weekly schedule twice (two beats by mistake, or an administrator
    pressing "Run" as it fires): two workers plan the same week at the same time."""
    smtp.start()
    env = {**smtp.env, **OUTBOX_ENV}
    live_celery.worker(pool="prefork", concurrency=2, env=env, wait=False)
    live_celery.worker(env=env)
    live_celery.send_task(WEEKLY_TASK)
    live_celery.send_task(WEEKLY_TASK)
    live_celery.wait_until(lambda: all_sent(5), timeout=60, what="every email sent")
    time.sleep(3)  # time for a second copy to arrive, if one were coming
    assert OutboxEmail.objects.count() == 5
    assert smtp.handler.copies() == dict.fromkeys(managers, 1)
    finished = live_celery.logs().count(f"Task {WEEKLY_TASK}[")
    assert finished == 4, "both runs received and finished"


KILLS = 5


def test_a_worker_killed_mid_run_is_resumed_by_the_sweep_and_each_gets_one_copy(
    live_celery, smtp, managers
):
    smtp.handler.rcpt_delay = 1.0  # a slow mail server: time to kill the worker mid-send
    smtp.start()
    sweep_every(2)
    env = {**smtp.env, **OUTBOX_ENV}
    beat = live_celery.beat(env=env)
    worker = live_celery.worker(env=env)
    figures = []
    for kill in range(1, KILLS + 1):
        TrackerRun.objects.all().delete()
        OutboxEmail.objects.all().delete()
        smtp.handler.reset()
        live_celery.send_task(WEEKLY_TASK)
        # Kill at a different point of each run: during the 1st, 2nd or 3rd email.
        in_flight = 1 + (kill - 1) % 3
        live_celery.wait_until(
            lambda n=in_flight: smtp.handler.rcpt_seen >= n,
            timeout=60,
            what=f"email {in_flight} in the hands of the mail server",
        )
        worker.kill()  # kill -9 of the worker and its pool
        killed = time.monotonic()
        sent_before = OutboxEmail.objects.filter(status=OutboxStatus.SENT).count()
        stuck = OutboxEmail.objects.filter(status=OutboxStatus.SENDING).count()
        worker = live_celery.worker(name=f"worker-after-kill-{kill}", env=env)
        live_celery.wait_until(lambda: all_sent(5), timeout=120, what="every email sent")
        elapsed = time.monotonic() - killed
        copies = smtp.handler.copies()
        figures.append((kill, elapsed, sent_before, stuck, dict(copies)))
        print(
            f"\nkill {kill}: {sent_before} sent and {stuck} claimed when killed; "
            f"all sent {elapsed:.1f}s after the kill; copies per recipient: "
            f"{sorted(copies.values())}"
        )
        assert copies == dict.fromkeys(managers, 1), copies
    assert f"Sending due task {SWEEP} (outbox.tasks.sweep_outbox)" in beat.log()
    resumed = [f[1] for f in figures]
    print(f"kill -9 to completion: min {min(resumed):.1f}s, max {max(resumed):.1f}s")


def test_reminders_allocations_and_case_of_concern_requests_survive_the_server_being_down(
    live_celery, smtp, org, make_action
):
    """The same mechanism for the other scheduled emails: planned by the real tasks in a
    worker, retried while the mail server is down, then delivered once each."""
    from actions.services import concern_record_final_grade
    from audits.models import AuditStatus, Grade
    from tests.factories import AuditFactory, ChildFactory

    today = timezone.localdate()
    auditor = org.users["auditor"]
    audit = AuditFactory(
        child=ChildFactory(team=org.team_a),
        auditor=auditor,
        due_date=today,
        status=AuditStatus.ALLOCATED,
    )
    action = make_action(
        raised_on=today - datetime.timedelta(days=40),
        due_date=today + datetime.timedelta(days=10),
    )
    concern_record_final_grade(
        audit=action.audit,
        grade=Grade.INADEQUATE,
        today=today - datetime.timedelta(days=40),
        notify=False,
    )
    sweep_every(2)
    env = {**smtp.env, **OUTBOX_ENV}
    live_celery.worker(env=env)
    live_celery.beat(env=env)
    live_celery.send_task("audits.tasks.reminders.send_audit_reminders")
    live_celery.send_task("audits.tasks.reminders.send_allocation_email", [auditor.pk, [audit.pk]])
    live_celery.send_task("actions.tasks.send_concern_update_requests")
    templates = {"reminder", "allocation-new", "coc-request"}
    live_celery.wait_until(
        lambda: (
            set(
                OutboxEmail.objects.filter(status=OutboxStatus.RETRYING).values_list(
                    "template", flat=True
                )
            )
            == templates
        ),
        timeout=60,
        what="a reminder, an allocation email and a request, each waiting to be retried",
    )
    smtp.start()
    live_celery.wait_until(lambda: all_sent(3), timeout=90, what="the three emails sent")
    assert set(OutboxEmail.objects.values_list("template", flat=True)) == templates
    assert smtp.handler.copies() == {auditor.email: 2, org.users["head_of_service"].email: 1}
    message_ids = [m["message_id"] for m in smtp.handler.accepted]
    assert sorted(message_ids) == sorted(OutboxEmail.objects.values_list("message_id", flat=True))
