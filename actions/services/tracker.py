"""The weekly tracker emails, the Heads of Service's weekly escalations and the monthly
Case of Concern update requests: each person gets each email exactly once per period.

How "exactly once" holds: a run is a unique row per kind and period; each recipient's
email is a unique row in the run, claimed with a conditional update (pending to
sending) before it is sent and marked sent after. A second run of the task finds the
rows sent and sends nothing; a run that stopped half-way (an exception, or a worker that
died) leaves the rest pending for the next run to send. If sending raises, the row goes
back to pending. If a worker dies after claiming a row, the claim goes stale after
STALE_CLAIM (longer than any task may run) and a later run sends it: an email can then
only be sent twice if the worker died in the instant between the mail server accepting
it and the row being marked sent.

These functions deliberately commit row by row (no surrounding transaction): a claim
must be visible to other workers before its email leaves.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from common import emails
from common.dates import month_start

from ..models import (
    ActionSettings,
    ActionStatus,
    CaseOfConcern,
    EmailStatus,
    RunKind,
    TrackerEmail,
    TrackerRun,
)
from ..status import open_q, with_status

STALE_CLAIM = datetime.timedelta(minutes=15)
LINK_SALT = "actions.tracker-link"


# Signed links ----------------------------------------------------------------------


def action_link_token(action_id: int) -> str:
    """A token naming the action, signed and timestamped: it expires (ActionSettings)."""
    return signing.TimestampSigner(salt=LINK_SALT).sign(str(action_id))


def action_link_path(action_id: int) -> str:
    return reverse("actions:link", args=[action_link_token(action_id)])


def action_id_from_token(token: str, *, max_age_days: int) -> int:
    """The action's id; raises signing.SignatureExpired or signing.BadSignature."""
    value = signing.TimestampSigner(salt=LINK_SALT).unsign(
        token, max_age=datetime.timedelta(days=max_age_days)
    )
    return int(value)


# Who gets what ---------------------------------------------------------------------


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _open_actions(today: datetime.date, settings: ActionSettings):
    from ..models import Action

    return with_status(
        Action.objects.filter(raised_on__lte=today),
        today=today,
        no_update_days=settings.no_update_days,
    ).filter(open_q())


def manager_recipients(today: datetime.date) -> list[int]:
    """Everyone with an open action on their own tracker: its owner and the manager of
    the child's team. People who can no longer sign in, or have no email, get none."""
    settings = ActionSettings.load()
    rows = _open_actions(today, settings).values_list("owner_id", "child__team__manager_id")
    ids = {pk for pair in rows for pk in pair if pk is not None}
    return _reachable(ids)


def head_of_service_recipients(today: datetime.date) -> list[int]:
    """Heads of Service with actions in their service area overdue by more than the
    escalation threshold."""
    settings = ActionSettings.load()
    rows = escalated_actions(today, settings).values_list(
        "child__team__service_area__head_of_service_id", flat=True
    )
    return _reachable({pk for pk in rows if pk is not None})


def escalated_actions(today: datetime.date, settings: ActionSettings):
    limit = today - datetime.timedelta(days=settings.escalation_days)
    return _open_actions(today, settings).filter(due_date__lt=limit)


def concern_recipients(today: datetime.date) -> list[int]:
    """Heads of Service holding open Cases of Concern without this month's update."""
    rows = cases_missing_update(today).values_list(
        "head_of_service_id", "service_area__head_of_service_id"
    )
    return _reachable({pk for pair in rows for pk in pair if pk is not None})


def cases_missing_update(today: datetime.date):
    """Cases open on ``today`` with no update for its month yet."""
    return (
        CaseOfConcern.objects.filter(opened_on__lte=today)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=today))
        .exclude(updates__month=month_start(today))
    )


def _reachable(ids: set[int]) -> list[int]:
    return list(
        User.objects.filter(pk__in=ids, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# Messages --------------------------------------------------------------------------


def _action_items(actions, today: datetime.date) -> list[dict]:
    return [
        {
            "action": action,
            "overdue_days": (today - action.due_date).days
            if action.status == ActionStatus.OVERDUE
            else 0,
            "path": action_link_path(action.pk),
        }
        for action in actions
    ]


def manager_message(user: User, today: datetime.date):
    """The tracker email for one person: their open actions, overdue first; or None."""
    from ..selectors import my_actions

    settings = ActionSettings.load()
    actions = list(
        my_actions(user, today=today)
        .filter(open_q(), raised_on__lte=today)
        .select_related("child", "owner")
        .order_by("due_date", "child__case_reference", "pk")
    )
    if not actions:
        return None, 0
    items = _action_items(actions, today)
    overdue = [i for i in items if i["action"].status == ActionStatus.OVERDUE]
    due = [i for i in items if i["action"].status != ActionStatus.OVERDUE]
    context = {
        "recipient": user,
        "week_start": week_start(today),
        "overdue": overdue,
        "due": due,
        "total": len(items),
        "link_days": settings.link_expiry_days,
        "no_update_days": settings.no_update_days,
        "path": reverse("actions:tracker"),
    }
    return emails.make_message("tracker", [user.email], context), len(items)


def head_of_service_message(user: User, today: datetime.date):
    """The escalation email for one Head of Service: their area's actions overdue by
    more than the threshold, longest overdue first; or None."""
    settings = ActionSettings.load()
    actions = list(
        escalated_actions(today, settings)
        .filter(child__team__service_area__head_of_service=user)
        .select_related("child__team", "owner")
        .order_by("due_date", "child__case_reference", "pk")
    )
    if not actions:
        return None, 0
    context = {
        "recipient": user,
        "week_start": week_start(today),
        "items": _action_items(actions, today),
        "threshold": settings.escalation_days,
        "link_days": settings.link_expiry_days,
        "path": reverse("actions:tracker") + "?status=overdue",
    }
    return emails.make_message("hos-tracker", [user.email], context), len(actions)


def concern_message(user: User, today: datetime.date):
    """The monthly request to one Head of Service: their open cases without this
    month's update; or None."""
    cases = list(
        cases_missing_update(today)
        .filter(Q(head_of_service=user) | Q(service_area__head_of_service=user))
        .select_related("child")
        .order_by("opened_on", "pk")
    )
    if not cases:
        return None, 0
    items = [
        {"case": case, "path": reverse("actions:case_update", args=[case.pk])} for case in cases
    ]
    context = {
        "recipient": user,
        "month": month_start(today),
        "items": items,
        "path": reverse("actions:cases"),
    }
    return emails.make_message("coc-request", [user.email], context), len(cases)


# Sending ---------------------------------------------------------------------------


def _claimable() -> Q:
    stale = timezone.now() - STALE_CLAIM
    return Q(status=EmailStatus.PENDING) | Q(status=EmailStatus.SENDING, claimed_at__lt=stale)


def send_run(
    *,
    kind: str,
    period_start: datetime.date,
    recipient_ids: list[int],
    build: Callable[[User], tuple],
) -> int:
    """Send each recipient's email of this run once; returns how many were sent now."""
    run, _ = TrackerRun.objects.get_or_create(kind=kind, period_start=period_start)
    TrackerEmail.objects.bulk_create(
        [TrackerEmail(run=run, recipient_id=pk) for pk in recipient_ids], ignore_conflicts=True
    )
    sent = 0
    for email in run.emails.filter(_claimable()).select_related("recipient").order_by("pk"):
        claimed = TrackerEmail.objects.filter(_claimable(), pk=email.pk).update(
            status=EmailStatus.SENDING, claimed_at=timezone.now()
        )
        if not claimed:
            continue  # another worker has it
        try:
            message, count = build(email.recipient)
            if message is None:
                TrackerEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SKIPPED)
                continue
            message.send()
        except Exception:
            TrackerEmail.objects.filter(pk=email.pk).update(
                status=EmailStatus.PENDING, claimed_at=None
            )
            raise
        TrackerEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.SENT,
            sent_at=timezone.now(),
            sent_to=message.to[0],
            item_count=count,
            subject=message.subject[:300],
            body_text=message.body,
            body_html=message.alternatives[0][0] if message.alternatives else "",
        )
        sent += 1
    return sent


def tracker_send_weekly(*, today: datetime.date | None = None) -> dict[str, int]:
    """This week's tracker emails to managers and escalations to Heads of Service."""
    today = today or timezone.localdate()
    week = week_start(today)
    return {
        RunKind.MANAGER_WEEKLY: send_run(
            kind=RunKind.MANAGER_WEEKLY,
            period_start=week,
            recipient_ids=manager_recipients(today),
            build=lambda user: manager_message(user, today),
        ),
        RunKind.HEAD_OF_SERVICE_WEEKLY: send_run(
            kind=RunKind.HEAD_OF_SERVICE_WEEKLY,
            period_start=week,
            recipient_ids=head_of_service_recipients(today),
            build=lambda user: head_of_service_message(user, today),
        ),
    }


def concern_send_monthly_requests(*, today: datetime.date | None = None) -> int:
    """This month's requests to Heads of Service to update their Cases of Concern."""
    today = today or timezone.localdate()
    return send_run(
        kind=RunKind.CONCERN_MONTHLY,
        period_start=month_start(today),
        recipient_ids=concern_recipients(today),
        build=lambda user: concern_message(user, today),
    )
