"""Reminders to auditors before and after their audits' due dates.

For every open audit (allocated, in progress or returned) with a due date, three
stages: ``before_due`` from ProgrammeSettings.reminder_days_before days before the due
date, ``due`` on the due date, and ``overdue`` after it, which is copied to the
auditor's line manager. Each audit gets each stage at most once, however often the task
runs; a run that comes late (the task did not run for some days) sends only the latest
stage that applies and records the earlier ones as passed, so they are never sent late.

Claim and plan in one transaction per audit
-------------------------------------------
The claim is the ReminderSent row (unique on audit and stage), inserted in the same
transaction that plans the email in the outbox:

* Two runs at once cannot both plan it: the second insert waits on the first's
  uncommitted row and then fails the unique constraint, so that run skips the audit.
* The email is recorded with its claim or not at all; the outbox sends it after the
  commit, retries it while the mail server fails for now, and shows the QA Lead a
  permanent failure (docs/emails.md). Its key (audit and stage) keeps it to one email.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse

from outbox.services import email_plan

from ..models import Audit, ProgrammeSettings, ReminderSent, ReminderStage
from ..models.audit import OPEN_STATUSES

logger = logging.getLogger(__name__)

#: stages in the order they fall due
STAGES = [ReminderStage.BEFORE_DUE, ReminderStage.DUE, ReminderStage.OVERDUE]


class ReminderSendError(Exception):
    """Some reminders could not be sent; their claims were rolled back for the next run."""


@dataclass
class ReminderRun:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0


def reminder_stage(
    due_date: datetime.date, today: datetime.date, days_before: int
) -> ReminderStage | None:
    """The latest stage that applies today, or None before the reminder window."""
    if today > due_date:
        return ReminderStage.OVERDUE
    if today == due_date:
        return ReminderStage.DUE
    if today >= due_date - datetime.timedelta(days=days_before):
        return ReminderStage.BEFORE_DUE
    return None


def reminders_send(*, today: datetime.date) -> ReminderRun:
    """Send every reminder that is due today and has not been sent. Raises
    ReminderSendError at the end if any failed (the others are still sent)."""
    settings = ProgrammeSettings.load()
    horizon = today + datetime.timedelta(days=settings.reminder_days_before)
    audits = list(
        Audit.objects.filter(
            status__in=OPEN_STATUSES,
            due_date__isnull=False,
            due_date__lte=horizon,
            auditor__isnull=False,
            auditor__is_active=True,
        )
        .select_related("child", "team", "auditor__line_manager")
        .order_by("due_date", "pk")
    )
    claimed: dict[int, set[str]] = {}
    for audit_id, stage in ReminderSent.objects.filter(
        audit_id__in=[a.pk for a in audits]
    ).values_list("audit_id", "stage"):
        claimed.setdefault(audit_id, set()).add(stage)

    run = ReminderRun()
    for audit in audits:
        stage = reminder_stage(audit.due_date, today, settings.reminder_days_before)
        done = claimed.get(audit.pk, set())
        if stage is None or stage in done:
            continue
        try:
            if _claim_and_send(audit, stage, done):
                run.sent += 1
            else:
                run.already_sent += 1
        except Exception:
            logger.exception("Reminder %s for audit %s could not be sent", stage, audit.pk)
            run.failed += 1
    if run.failed:
        raise ReminderSendError(
            f"{run.failed} reminders could not be sent; the next run will try them again"
        )
    return run


def _claim_and_send(audit: Audit, stage: str, done: set[str]) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReminderSent.objects.create(audit=audit, stage=stage)
        except IntegrityError:
            return False  # another run has it
        passed = STAGES[: STAGES.index(stage)]
        ReminderSent.objects.bulk_create(
            [ReminderSent(audit=audit, stage=s) for s in passed if s not in done],
            ignore_conflicts=True,
        )
        _send(audit, stage)
    return True


def _send(audit: Audit, stage: str) -> None:
    auditor = audit.auditor
    cc = []
    manager = auditor.line_manager
    if (
        stage == ReminderStage.OVERDUE
        and manager is not None
        and manager.is_active
        and manager.email
        and manager.pk != auditor.pk
    ):
        cc = [manager.email]
    email_plan(
        "reminder",
        [auditor.email],
        {
            "audit": audit,
            "auditor": auditor,
            "stage": stage,
            "line_manager": manager if cc else None,
            "path": reverse("audits:audit_form", args=[audit.pk]),
        },
        cc=cc,
        key=f"reminder:{audit.pk}:{stage}",
    )
