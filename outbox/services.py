"""Planning and delivering emails: one mechanism for every email the service sends.

``email_plan`` renders an email and records it in the caller's transaction, then queues
its delivery once that transaction commits: if the change is rolled back, no email is
recorded or sent. ``outbox_deliver`` claims one email with a conditional update, sends
it through Django's mail backend and marks it sent at once. ``outbox_sweep`` (a beat
schedule) queues again what is due: emails whose first delivery was never queued or
never ran, retries whose time has come, and claims left by a worker that died.

Rules:

- a temporary failure (the server cannot be reached, times out, disconnects, or
  answers 4xx) is retried after ``OUTBOX_RETRY_DELAY`` seconds, doubling each time up
  to ``OUTBOX_RETRY_MAX_DELAY``, until ``OUTBOX_MAX_ATTEMPTS`` attempts have failed;
  then the email has failed for good;
- a permanent failure (5xx: the address refused, the message rejected) fails at once;
- a claim older than ``OUTBOX_CLAIM_TIMEOUT`` seconds belongs to a dead worker and may
  be taken again.

The one window that cannot be closed: the mail server accepted the message and the
worker died before it recorded "sent". That email is sent again when its claim goes
stale (the same Message-ID lets mail programs show it once). The window is one SMTP
round trip: nothing else happens between the send and the update.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import socket
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from common import emails

from .models import BODY_NOT_KEPT, KINDS, OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)

WORKER_DIED = "The worker stopped while sending it, at every attempt"

#: how many emails one sweep queues at most; the next sweep takes the rest
SWEEP_BATCH = 500


def claim_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed attempt: doubling, capped."""
    seconds = settings.OUTBOX_RETRY_DELAY * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_DELAY))


# Planning --------------------------------------------------------------------------


def _recipient_for(address: str):
    from accounts.models import User

    return User.objects.filter(email__iexact=address).order_by("pk").first()


def email_plan(
    name: str,
    to: list[str],
    context: dict,
    cc: list[str] | None = None,
    *,
    kind: str = "",
    key: str | None = None,
    recipient=None,
    keep_body: bool = True,
) -> list[OutboxEmail]:
    """Record the email ``name`` (one per address in ``to``) and queue its delivery
    when the current transaction commits. ``key`` makes planning idempotent: an email
    already planned with the same key (suffixed with the address when ``to`` has more
    than one) is returned, not planned again."""
    planned = []
    for address in to:
        email_key = (f"{key}:{address.lower()}" if len(to) > 1 else key) if key else None
        if email_key:
            existing = OutboxEmail.objects.filter(key=email_key).first()
            if existing is not None:
                planned.append(existing)
                continue
        message = emails.make_message(name, [address], context, cc)
        html = message.alternatives[0][0] if message.alternatives else ""
        row = OutboxEmail(
            recipient=recipient if recipient is not None else _recipient_for(address),
            to=address,
            cc=list(cc or []),
            template=name,
            kind=kind or KINDS.get(name) or name.replace("-", " ").capitalize(),
            key=email_key,
            message_id=f"<{uuid.uuid4().hex}@{_domain()}>",
            subject=message.subject[:300],
            body_text=message.body,
            body_html=html,
            keep_body=keep_body,
        )
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            if not email_key:
                raise
            # Planned at the same moment by another process: theirs is the one.
            planned.append(OutboxEmail.objects.get(key=email_key))
            continue
        outbox_queue_after_commit(row.pk)
        planned.append(row)
    return planned


def _domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"


def outbox_queue_after_commit(email_id: int) -> None:
    from .tasks import deliver_email

    transaction.on_commit(lambda: deliver_email.delay(email_id))


# Delivering ------------------------------------------------------------------------


def claimable_q(now: datetime.datetime) -> Q:
    """Emails a worker may take now: waiting, a retry that is due, or a stale claim."""
    return (
        Q(status=OutboxStatus.PENDING)
        | Q(status=OutboxStatus.RETRYING, next_attempt_at__lte=now)
        | Q(
            status=OutboxStatus.SENDING,
            claimed_at__lt=now - claim_timeout(),
            attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
        )
    )


def outbox_claim(email_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Take the email for this worker; False if it is not claimable (sent, failed,
    not due, or claimed by a live worker)."""
    now = now or timezone.now()
    return bool(
        OutboxEmail.objects.filter(claimable_q(now), pk=email_id).update(
            status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def is_permanent(error: BaseException) -> bool:
    """5xx answers are permanent; everything else (no connection, a timeout, a 4xx
    answer, a dropped connection) may succeed later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def describe_error(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address} refused: {code} {_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"The mail server answered {error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, ConnectionRefusedError):
        return "The mail server refused the connection (it may be down)"
    if isinstance(error, socket.timeout | TimeoutError):
        return "The mail server did not answer in time"
    return f"{type(error).__name__}: {error}"[:1000]


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def build_message(email: OutboxEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        email.subject,
        email.body_text,
        to=[email.to],
        cc=email.cc,
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def outbox_deliver(*, email_id: int) -> str:
    """Send one email if it can be claimed; returns what became of it."""
    if not outbox_claim(email_id):
        return "not claimable"
    email = OutboxEmail.objects.get(pk=email_id)
    try:
        build_message(email).send()
    except Exception as error:  # every failure is recorded on the email
        return outbox_record_failure(email, error)
    # Nothing between the send and this update: it is the window that cannot close.
    done = {"status": OutboxStatus.SENT, "sent_at": timezone.now(), "claimed_at": None}
    if not email.keep_body:
        done.update(body_text=BODY_NOT_KEPT, body_html="")
    OutboxEmail.objects.filter(pk=email_id).update(last_error="", **done)
    return OutboxStatus.SENT


def outbox_record_failure(
    email: OutboxEmail, error: BaseException, *, now: datetime.datetime | None = None
) -> str:
    """Retry later, or fail for good: permanent errors at once, temporary ones after
    OUTBOX_MAX_ATTEMPTS attempts (``email.attempts`` counts this one)."""
    now = now or timezone.now()
    reason = describe_error(error)
    if is_permanent(error):
        status, next_at = OutboxStatus.FAILED, None
    elif email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        status, next_at = OutboxStatus.FAILED, None
        reason = f"{reason} (gave up after {email.attempts} attempts)"
    else:
        status, next_at = OutboxStatus.RETRYING, now + retry_delay(email.attempts)
    logger.warning("email %s to %s: %s (%s)", email.pk, email.to, status, reason)
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=status, next_attempt_at=next_at, claimed_at=None, last_error=reason
    )
    return status


# Sweeping --------------------------------------------------------------------------


def due_ids(*, now: datetime.datetime | None = None) -> list[int]:
    """Emails to queue now: retries that are due, stale claims, and emails waiting
    longer than the claim timeout (their queued delivery was lost)."""
    now = now or timezone.now()
    stale = now - claim_timeout()
    due = (
        Q(status=OutboxStatus.PENDING, created_at__lt=stale)
        | Q(status=OutboxStatus.RETRYING, next_attempt_at__lte=now)
        | Q(
            status=OutboxStatus.SENDING,
            claimed_at__lt=stale,
            attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
        )
    )
    return list(
        OutboxEmail.objects.filter(due).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def outbox_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue a delivery for each email that is due; returns how many."""
    from .tasks import deliver_email

    now = now or timezone.now()
    # A worker died while sending this email as many times as it may be tried: stop.
    OutboxEmail.objects.filter(
        status=OutboxStatus.SENDING,
        claimed_at__lt=now - claim_timeout(),
        attempts__gte=settings.OUTBOX_MAX_ATTEMPTS,
    ).update(
        status=OutboxStatus.FAILED,
        claimed_at=None,
        last_error=WORKER_DIED,
    )
    ids = due_ids(now=now)
    for pk in ids:
        deliver_email.delay(pk)
    return len(ids)
