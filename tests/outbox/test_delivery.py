"""The outbox's rules: planned once, claimed once, temporary failures retried with
backoff up to the last attempt, permanent failures kept with their reason, stale
claims taken again, the sweep queueing only what is due."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from outbox.models import OutboxEmail, OutboxStatus
from outbox.services import (
    WORKER_DIED,
    due_ids,
    email_plan,
    outbox_claim,
    outbox_deliver,
    outbox_sweep,
    retry_delay,
)

from ..factories import UserFactory
from .backends import FlakyBackend, sent_to

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 4, 6, 8, 0))


@pytest.fixture(autouse=True)
def outbox_settings(settings):
    settings.EMAIL_BACKEND = "tests.outbox.backends.FlakyBackend"
    settings.OUTBOX_CLAIM_TIMEOUT = 120
    settings.OUTBOX_RETRY_DELAY = 60
    settings.OUTBOX_RETRY_MAX_DELAY = 600
    settings.OUTBOX_MAX_ATTEMPTS = 3
    FlakyBackend.errors = []
    yield settings
    FlakyBackend.errors = []


def plan(address="tom@council.example", **kwargs):
    (email,) = email_plan("reminder", [address], {}, **kwargs)
    return email


def refused(code):
    return smtplib.SMTPRecipientsRefused({"tom@council.example": (code, b"5.1.1 No such user")})


def test_planning_records_the_email_and_sends_it_after_commit(
    django_capture_on_commit_callbacks,
):
    tom = UserFactory(email="tom@council.example")
    with django_capture_on_commit_callbacks(execute=True):
        email = plan()
        assert mail.outbox == []  # recorded, not yet sent
        assert email.status == OutboxStatus.PENDING
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT
    assert email.recipient == tom
    assert email.attempts == 1
    assert mail.outbox[0].subject == email.subject
    assert mail.outbox[0].extra_headers["Message-ID"] == email.message_id


def test_planning_twice_with_one_key_makes_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = plan(key="tracker:2026-04-06:7")
        second = plan(key="tracker:2026-04-06:7")
    assert first.pk == second.pk
    assert OutboxEmail.objects.count() == 1
    assert sent_to("tom@council.example") == 1


def test_planning_without_a_key_makes_one_email_each_time():
    plan()
    plan()
    assert OutboxEmail.objects.count() == 2


def test_a_rolled_back_change_plans_no_email(django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        plan()
        raise RuntimeError
    assert OutboxEmail.objects.count() == 0
    assert callbacks == []


def test_an_email_is_sent_once_however_often_it_is_delivered():
    email = plan()
    assert outbox_deliver(email_id=email.pk) == OutboxStatus.SENT
    assert outbox_deliver(email_id=email.pk) == "not claimable"
    assert len(mail.outbox) == 1


def test_a_live_claim_is_not_taken_until_the_claim_timeout_has_passed():
    email = plan()
    assert outbox_claim(email.pk, now=NOW)
    exactly = NOW + datetime.timedelta(seconds=120)
    assert not outbox_claim(email.pk, now=exactly)
    assert outbox_claim(email.pk, now=exactly + datetime.timedelta(microseconds=1))
    email.refresh_from_db()
    assert email.attempts == 2


def test_a_temporary_failure_is_retried_after_the_delay():
    FlakyBackend.errors = [ConnectionRefusedError(111, "Connection refused")]
    email = plan()
    assert outbox_deliver(email_id=email.pk) == OutboxStatus.RETRYING
    email.refresh_from_db()
    assert email.last_error == "The mail server refused the connection (it may be down)"
    assert email.claimed_at is None
    due = email.next_attempt_at
    assert datetime.timedelta(seconds=59) < due - timezone.now() <= datetime.timedelta(seconds=60)
    assert email.pk not in due_ids(now=due - datetime.timedelta(microseconds=1))
    assert email.pk in due_ids(now=due)
    assert not outbox_claim(email.pk, now=due - datetime.timedelta(microseconds=1))
    assert outbox_claim(email.pk, now=due)


def test_a_4xx_answer_is_temporary():
    FlakyBackend.errors = [smtplib.SMTPDataError(451, b"4.3.0 Try again later")]
    email = plan()
    assert outbox_deliver(email_id=email.pk) == OutboxStatus.RETRYING
    email.refresh_from_db()
    assert email.last_error == "The mail server answered 451 4.3.0 Try again later"


def test_the_wait_doubles_and_is_capped():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 480, 600]


def test_temporary_failures_fail_for_good_at_exactly_the_last_attempt(settings):
    FlakyBackend.errors = [TimeoutError()] * 3
    email = plan()
    statuses = []
    for _ in range(3):
        OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        statuses.append(outbox_deliver(email_id=email.pk))
    assert statuses == [OutboxStatus.RETRYING, OutboxStatus.RETRYING, OutboxStatus.FAILED]
    email.refresh_from_db()
    assert email.attempts == 3
    assert email.last_error == "The mail server did not answer in time (gave up after 3 attempts)"
    assert email.pk not in due_ids(now=timezone.now() + datetime.timedelta(days=1))
    assert mail.outbox == []


def test_a_refused_recipient_fails_at_once_with_the_reason():
    FlakyBackend.errors = [refused(550)]
    email = plan()
    assert outbox_deliver(email_id=email.pk) == OutboxStatus.FAILED
    email.refresh_from_db()
    assert email.attempts == 1
    assert email.last_error == "tom@council.example refused: 550 5.1.1 No such user"


def test_a_recipient_refused_for_now_is_retried():
    FlakyBackend.errors = [refused(450)]
    email = plan()
    assert outbox_deliver(email_id=email.pk) == OutboxStatus.RETRYING


def test_retried_then_delivered_once():
    FlakyBackend.errors = [ConnectionRefusedError(), smtplib.SMTPServerDisconnected("gone")]
    email = plan()
    for _ in range(3):
        OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        outbox_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT
    assert email.attempts == 3
    assert email.last_error == ""
    assert sent_to("tom@council.example") == 1


def test_the_sweep_takes_only_what_is_due():
    waiting_long = plan("a@council.example")
    just_planned = plan("b@council.example")
    stale = plan("c@council.example")
    live = plan("d@council.example")
    sent = plan("e@council.example")
    OutboxEmail.objects.filter(pk=waiting_long.pk).update(
        created_at=NOW - datetime.timedelta(seconds=121)
    )
    OutboxEmail.objects.filter(pk=just_planned.pk).update(
        created_at=NOW - datetime.timedelta(seconds=120)
    )
    OutboxEmail.objects.filter(pk=stale.pk).update(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=NOW - datetime.timedelta(seconds=121)
    )
    OutboxEmail.objects.filter(pk=live.pk).update(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=NOW - datetime.timedelta(seconds=120)
    )
    OutboxEmail.objects.filter(pk=sent.pk).update(
        status=OutboxStatus.SENT, created_at=NOW - datetime.timedelta(days=1)
    )
    assert due_ids(now=NOW) == [waiting_long.pk, stale.pk]


def test_the_sweep_delivers_a_claim_left_by_a_dead_worker():
    email = plan()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now() - datetime.timedelta(seconds=121),
    )
    assert outbox_sweep() == 1
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT
    assert email.attempts == 2
    assert sent_to("tom@council.example") == 1


def test_a_worker_dying_at_every_attempt_ends_in_failure():
    email = plan()
    stale = timezone.now() - datetime.timedelta(seconds=121)
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxStatus.SENDING, attempts=2, claimed_at=stale
    )
    assert outbox_sweep() == 1  # a third attempt is allowed
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxStatus.SENDING, attempts=3, claimed_at=stale, sent_at=None
    )
    assert outbox_sweep() == 0
    email.refresh_from_db()
    assert email.status == OutboxStatus.FAILED
    assert email.last_error == WORKER_DIED


def test_an_email_to_an_unknown_address_has_no_recipient():
    assert plan("someone@elsewhere.example").recipient is None


def test_one_email_per_address_each_with_its_own_key():
    emails = email_plan(
        "reminder", ["a@council.example", "b@council.example"], {}, key="reminder:1"
    )
    assert [e.key for e in emails] == [
        "reminder:1:a@council.example",
        "reminder:1:b@council.example",
    ]
