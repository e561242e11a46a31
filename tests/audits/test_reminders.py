"""Due date reminders: each stage once per audit, late runs, failures half-way."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import TestCase

from accounts.models import Role
from audits.models import AuditStatus, ProgrammeSettings, ReminderSent, ReminderStage
from audits.services import reminders
from audits.services.reminders import ReminderSendError, reminder_stage, reminders_send
from audits.tasks.reminders import send_audit_reminders
from tests.factories import AuditFactory, ChildFactory, UserFactory, make_template

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 11, 30)


@pytest.fixture
def manager():
    return UserFactory(email="line.manager@council.example", first_name="Lena")


@pytest.fixture
def audit(manager):
    make_template()
    auditor = UserFactory(
        email="auditor@council.example",
        first_name="Alex",
        line_manager=manager,
        roles=[Role.AUDITOR],
    )
    return AuditFactory(
        child=ChildFactory(case_reference="NC500"),
        auditor=auditor,
        due_date=DUE,
        status=AuditStatus.ALLOCATED,
    )


def run_on(day):
    """The daily task, as beat runs it, on ``day`` at 07:30; then the outbox delivers
    what it planned, as it does once the task's transactions commit."""
    with (
        time_machine.travel(datetime.datetime(day.year, day.month, day.day, 7, 30), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        return send_audit_reminders.delay().get()


def send_reminders(*, today):
    """reminders_send, then the outbox's delivery of what it planned."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reminders_send(today=today)


def stages_claimed(audit):
    return set(ReminderSent.objects.filter(audit=audit).values_list("stage", flat=True))


def test_stage_boundaries():
    day = datetime.date
    assert reminder_stage(DUE, day(2026, 11, 24), 5) is None
    assert reminder_stage(DUE, day(2026, 11, 25), 5) == ReminderStage.BEFORE_DUE
    assert reminder_stage(DUE, day(2026, 11, 29), 5) == ReminderStage.BEFORE_DUE
    assert reminder_stage(DUE, day(2026, 11, 30), 5) == ReminderStage.DUE
    assert reminder_stage(DUE, day(2026, 12, 1), 5) == ReminderStage.OVERDUE


def test_each_boundary_day_sends_its_stage_once(audit):
    assert run_on(datetime.date(2026, 11, 24)) == 0  # the day before the window
    assert mail.outbox == []

    assert run_on(datetime.date(2026, 11, 25)) == 1  # exactly 5 days before
    assert run_on(datetime.date(2026, 11, 25)) == 0  # run twice
    assert run_on(datetime.date(2026, 11, 27)) == 0  # still before_due: already sent
    assert len(mail.outbox) == 1
    before = mail.outbox[0]
    assert before.to == ["auditor@council.example"] and before.cc == []
    assert before.subject == "Reminder: audit of case NC500 is due 30 November 2026"
    assert f"/audits/{audit.pk}/edit/" in before.body

    assert run_on(DUE) == 1
    assert run_on(DUE) == 0
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "Due today: audit of case NC500"
    assert mail.outbox[1].cc == []

    assert run_on(datetime.date(2026, 12, 1)) == 1  # the day after
    assert run_on(datetime.date(2026, 12, 1)) == 0
    assert run_on(datetime.date(2026, 12, 9)) == 0
    assert len(mail.outbox) == 3
    overdue = mail.outbox[2]
    assert overdue.subject == "Overdue: audit of case NC500 was due 30 November 2026"
    assert overdue.to == ["auditor@council.example"]
    assert overdue.cc == ["line.manager@council.example"]
    assert "Lena" in overdue.body
    assert stages_claimed(audit) == {"before_due", "due", "overdue"}


def test_a_late_run_sends_only_the_latest_stage(audit):
    assert run_on(datetime.date(2026, 12, 3)) == 1
    assert [m.subject for m in mail.outbox] == [
        "Overdue: audit of case NC500 was due 30 November 2026"
    ]
    # the passed stages are recorded so they are never sent late
    assert stages_claimed(audit) == {"before_due", "due", "overdue"}
    assert run_on(datetime.date(2026, 12, 4)) == 0
    assert len(mail.outbox) == 1


def test_a_run_missed_before_the_due_date_sends_due_only(audit):
    assert run_on(DUE) == 1
    assert [m.subject for m in mail.outbox] == ["Due today: audit of case NC500"]
    assert stages_claimed(audit) == {"before_due", "due"}


def test_the_days_before_come_from_the_settings(audit):
    settings = ProgrammeSettings.load()
    settings.reminder_days_before = 2
    settings.save()
    assert run_on(datetime.date(2026, 11, 27)) == 0
    assert run_on(datetime.date(2026, 11, 28)) == 1


@pytest.mark.parametrize(
    "status", [AuditStatus.SUBMITTED, AuditStatus.ACCEPTED, AuditStatus.PROPOSED]
)
def test_audits_not_open_get_no_reminders(audit, status):
    audit.status = status
    audit.save()
    assert run_on(datetime.date(2026, 12, 1)) == 0
    assert mail.outbox == []


@pytest.mark.parametrize("status", [AuditStatus.IN_PROGRESS, AuditStatus.RETURNED])
def test_audits_in_progress_or_returned_are_reminded(audit, status):
    audit.status = status
    audit.save()
    assert run_on(DUE) == 1


@pytest.fixture
def three_audits(audit):
    others = [
        AuditFactory(
            child=ChildFactory(case_reference=f"NC50{n}"),
            auditor=audit.auditor,
            due_date=DUE,
            status=AuditStatus.ALLOCATED,
        )
        for n in (1, 2)
    ]
    return [audit, *others]


def failing_on_second_send(exception):
    real = reminders.email_plan
    calls = {"n": 0}

    def send(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise exception
        return real(*args, **kwargs)

    return send


def subjects():
    return sorted(m.subject for m in mail.outbox)


def test_a_failed_send_is_retried_by_the_next_run_and_nothing_is_sent_twice(three_audits):
    with (
        mock.patch.object(
            reminders, "email_plan", failing_on_second_send(ConnectionError("mail server"))
        ),
        pytest.raises(ReminderSendError),
    ):
        send_reminders(today=DUE)
    assert subjects() == [
        "Due today: audit of case NC500",
        "Due today: audit of case NC502",
    ]
    assert stages_claimed(three_audits[1]) == set()  # its claim was rolled back

    run = send_reminders(today=DUE)
    assert run.sent == 1
    assert subjects() == [
        "Due today: audit of case NC500",
        "Due today: audit of case NC501",
        "Due today: audit of case NC502",
    ]
    assert send_reminders(today=DUE).sent == 0
    assert len(mail.outbox) == 3


class WorkerDied(BaseException):
    """Stands for the worker process being killed half-way through."""


def test_a_worker_dying_half_way_loses_nothing_and_repeats_nothing(three_audits):
    with (
        mock.patch.object(reminders, "email_plan", failing_on_second_send(WorkerDied())),
        pytest.raises(WorkerDied),
    ):
        send_reminders(today=DUE)
    assert subjects() == ["Due today: audit of case NC500"]

    assert send_reminders(today=DUE).sent == 2
    assert subjects() == [
        "Due today: audit of case NC500",
        "Due today: audit of case NC501",
        "Due today: audit of case NC502",
    ]
    for audit in three_audits:
        assert stages_claimed(audit) == {"before_due", "due"}


def test_an_inactive_auditor_is_not_emailed(audit):
    audit.auditor.is_active = False
    audit.auditor.save()
    assert run_on(DUE) == 0
    assert mail.outbox == []


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two runs at once need a database with row locks (PostgreSQL)",
)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(manager):
    import threading
    import time

    make_template()
    auditor = UserFactory(email="busy@council.example", roles=[Role.AUDITOR])
    for n in range(3):
        AuditFactory(
            child=ChildFactory(case_reference=f"NC60{n}"),
            auditor=auditor,
            due_date=DUE,
            status=AuditStatus.ALLOCATED,
        )
    real = reminders.email_plan

    def slow_send(*args, **kwargs):
        time.sleep(0.3)  # hold the claim while the other run reaches the same audit
        return real(*args, **kwargs)

    results = []

    def run():
        try:
            results.append(send_reminders(today=DUE))
        finally:
            connection.close()

    with mock.patch.object(reminders, "email_plan", slow_send):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert subjects() == [f"Due today: audit of case NC60{n}" for n in range(3)]
    assert sum(r.sent for r in results) == 3
