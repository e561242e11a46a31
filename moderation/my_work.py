"""Moderation's part of the home page "My work". Each provider takes the user and
returns [{"title", "items": [{"text", "url"}]}], or [] when there is nothing to do."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.permissions import is_qa_lead
from common.dates import add_months, month_start

from .models import LoopedAudit, LoopStatus, ModerationReview, Panel, ReviewStatus
from .selectors import reviews_to_do

FEEDBACK_DAYS = 30


def moderator_work(user) -> list[dict]:
    """Reviews assigned to me that are not done, soonest panel first."""
    if not user.is_authenticated:
        return []
    items = [
        {
            "text": (
                f"{review.audit.child.case_reference}, {review.audit.team.name}: "
                f"{review.get_status_display().lower()}"
                + (f", panel on {_day(review.panel.date)}" if review.panel else "")
            ),
            "url": reverse("moderation:review", args=[review.pk]),
        }
        for review in reviews_to_do(user)
    ]
    return [{"title": "Audits to moderate", "items": items}] if items else []


def auditor_feedback_work(user, today: datetime.date | None = None) -> list[dict]:
    """New moderation feedback on my audits: reviews made final in the last 30 days."""
    if not user.is_authenticated:
        return []
    now = timezone.now() if today is None else _noon(today)
    reviews = (
        ModerationReview.objects.filter(
            audit__auditor=user,
            status=ReviewStatus.FINAL,
            finalised_at__gte=now - datetime.timedelta(days=FEEDBACK_DAYS),
        )
        .select_related("audit__child")
        .order_by("-finalised_at", "-pk")
    )
    items = [
        {
            "text": (
                f"{review.audit.child.case_reference}: {review.get_outcome_display().lower()}, "
                f"{review.get_moderated_grade_display()}"
            ),
            "url": reverse("moderation:feedback", args=[review.pk]),
        }
        for review in reviews
    ]
    return [{"title": "Moderation feedback on your audits", "items": items}] if items else []


def qa_lead_moderation_work(user, today: datetime.date | None = None) -> list[dict]:
    """The next panel if it is not created yet, and looped audits waiting for the
    panel's conclusion."""
    if not user.is_authenticated or not is_qa_lead(user):
        return []
    today = today or timezone.localdate()
    items = []
    month = add_months(month_start(today), -1)
    if not Panel.objects.filter(month=month).exists():
        items.append(
            {
                "text": f"Create the moderation panel for {month:%B %Y}",
                "url": reverse("moderation:panel_new"),
            }
        )
    loops = (
        LoopedAudit.objects.filter(status=LoopStatus.DIFFERS)
        .select_related("first__child", "panel")
        .order_by("created_at", "pk")
    )
    for loop in loops:
        reference = loop.first.child.case_reference
        if loop.panel_id:
            items.append(
                {
                    "text": f"Record the panel's conclusion on the looped audit of {reference}",
                    "url": reverse("moderation:panel_detail", args=[loop.panel_id]),
                }
            )
        else:
            items.append(
                {
                    "text": f"The looped audit of {reference} differs and waits for a panel",
                    "url": reverse("moderation:loop_detail", args=[loop.pk]),
                }
            )
    return [{"title": "Moderation panels", "items": items}] if items else []


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
