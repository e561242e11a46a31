"""The weekly tracker emails, the Heads of Service's weekly escalations and the monthly
Case of Concern update requests: each person gets each email exactly once per period.

How: a run is a unique row per kind and period, and each recipient's email a unique row
in the run. The task plans every email of the week (trackers and escalations together)
in one transaction, each as an outbox email with a key of its own, before any is sent;
the outbox delivers them once that commits, retries what fails for now, shows the QA
Lead what fails for good, and resumes after a dead worker (docs/emails.md). A second
run of the task plans nothing new.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from common import emails
from common.dates import month_start
from outbox.services import email_plan

from ..models import (
    ActionSettings,
    ActionStatus,
    CaseOfConcern,
    RunKind,
    TrackerEmail,
    TrackerRun,
)
from ..status import open_q, with_status

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


# Messages ----------------------------------------------------------------------


@dataclass(frozen=True)
class EmailToPlan:
    """An email's template and context; the outbox renders it when it is planned."""

    template_name: str
    context: dict

    def render(self, to: str):
        return emails.make_message(self.template_name, [to], self.context)


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
    return EmailToPlan("tracker", context), len(items)


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
    return EmailToPlan("hos-tracker", context), len(actions)


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
    return EmailToPlan("coc-request", context), len(cases)


# Planning --------------------------------------------------------------------------


def plan_run(
    *,
    kind: str,
    period_start: datetime.date,
    recipient_ids: list[int],
    build: Callable[[User], tuple],
) -> int:
    """Plan each recipient's email of this run once; returns how many were planned now.
    Call it inside a transaction: the emails are sent when it commits."""
    run, _ = TrackerRun.objects.get_or_create(kind=kind, period_start=period_start)
    done = set(run.emails.values_list("recipient_id", flat=True))
    planned = 0
    for user in User.objects.filter(pk__in=recipient_ids).exclude(pk__in=done).order_by("pk"):
        message, count = build(user)
        if message is None:
            continue
        (email,) = email_plan(
            message.template_name,
            [user.email],
            message.context,
            kind=RunKind(kind).label,
            key=f"{kind}:{period_start.isoformat()}:{user.pk}",
            recipient=user,
        )
        TrackerEmail.objects.create(run=run, recipient=user, outbox=email, item_count=count)
        planned += 1
    return planned


@transaction.atomic
def tracker_send_weekly(*, today: datetime.date | None = None) -> dict[str, int]:
    """This week's tracker emails to managers and escalations to Heads of Service, all
    planned before any is sent."""
    today = today or timezone.localdate()
    week = week_start(today)
    return {
        RunKind.MANAGER_WEEKLY: plan_run(
            kind=RunKind.MANAGER_WEEKLY,
            period_start=week,
            recipient_ids=manager_recipients(today),
            build=lambda user: manager_message(user, today),
        ),
        RunKind.HEAD_OF_SERVICE_WEEKLY: plan_run(
            kind=RunKind.HEAD_OF_SERVICE_WEEKLY,
            period_start=week,
            recipient_ids=head_of_service_recipients(today),
            build=lambda user: head_of_service_message(user, today),
        ),
    }


@transaction.atomic
def concern_send_monthly_requests(*, today: datetime.date | None = None) -> int:
    """This month's requests to Heads of Service to update their Cases of Concern."""
    today = today or timezone.localdate()
    return plan_run(
        kind=RunKind.CONCERN_MONTHLY,
        period_start=month_start(today),
        recipient_ids=concern_recipients(today),
        build=lambda user: concern_message(user, today),
    )
