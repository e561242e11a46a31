"""Exemptions from the audit programme.

Standing exemptions (moderators, part-time staff in alternate months, long-term
absence) are recorded by the QA Lead and apply at once. A single-month exemption is
asked for by the QA Lead, a Head of Service or a Team Manager, and counts only once a
Head of Service of the auditor's service area, or a Director, approves it with a reason.
Nobody decides their own exemption, or one they asked for.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import JobTitle, Role, User
from accounts.permissions import is_head_of_service, is_qa_lead, is_team_manager
from common.dates import month_start
from outbox.services import email_plan

from ..models import Exemption, ExemptionKind, ExemptionStatus, StandingReason
from ..selectors_programme import auditor_is_exempt, auditors, month_label

# Messages, as constants the tests assert on.
CHOOSE_AUDITOR = "Choose the auditor"
NOT_AN_AUDITOR = "{auditor} is not an active auditor"
CHOOSE_MONTH = "Choose the month of the exemption"
MONTH_IN_PAST = "{month} has passed: choose this month or a later one"
REASON_REQUIRED = "Enter the reason for the exemption"
ALREADY_EXEMPT = "{auditor} already has an exemption for {month} ({status})"
CHOOSE_STANDING_REASON = "Choose why the auditor is exempt"
ENTER_START = "Enter the date the exemption starts"
END_BEFORE_START = "The end date must be the same as or after the start date"
CHOOSE_DECISION = "Choose whether to approve the exemption"
APPROVAL_NEEDS_REASON = "Enter the reason for approving the exemption"
REJECTION_NEEDS_REASON = "Enter the reason for not approving the exemption"
OWN_EXEMPTION = (
    "You cannot decide your own exemption: another Head of Service or a Director must decide it"
)
OWN_REQUEST = (
    "You asked for this exemption, so someone else must decide it: the Head of Service "
    "or a Director"
)
ALREADY_DECIDED = "This exemption has already been decided ({status})"
NOT_STANDING = "Only a standing exemption can be ended"
ALREADY_ENDED = "This exemption ended on {date}"


def may_request_for(user: User, auditor: User) -> bool:
    """The QA Lead for anyone; a Head of Service for their service area's auditors; a
    Team Manager for their team's."""
    if not user.has_perm("audits.request_exemption"):
        return False
    if is_qa_lead(user):
        return True
    team = auditor.team
    if team is None:
        return False
    return (is_head_of_service(user) and team.service_area.head_of_service_id == user.pk) or (
        is_team_manager(user) and team.manager_id == user.pk
    )


def _check_auditor(auditor: User | None) -> None:
    if auditor is None:
        raise ValidationError({"auditor": CHOOSE_AUDITOR})
    if not auditors().filter(pk=auditor.pk).exists():
        raise ValidationError({"auditor": NOT_AN_AUDITOR.format(auditor=auditor)})


@transaction.atomic
def exemption_record_standing(
    *,
    auditor: User | None,
    standing_reason: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None = None,
    details: str = "",
    user: User,
) -> Exemption:
    """The QA Lead records a standing exemption; it is approved at once. Part-time
    exemptions apply in alternate months, the first being the month after ``starts_on``."""
    if not user.has_perm("audits.manage_programme"):
        raise PermissionDenied
    errors = {}
    if standing_reason not in StandingReason.values:
        errors["standing_reason"] = CHOOSE_STANDING_REASON
    if starts_on is None:
        errors["starts_on"] = ENTER_START
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = END_BEFORE_START
    if errors:
        raise ValidationError(errors)
    _check_auditor(auditor)
    details = (details or "").strip()
    return Exemption.objects.create(
        auditor=auditor,
        kind=ExemptionKind.STANDING,
        standing_reason=standing_reason,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=details or StandingReason(standing_reason).label,
        status=ExemptionStatus.APPROVED,
        requested_by=user,
        decided_by=user,
        decided_at=timezone.now(),
    )


@transaction.atomic
def exemption_request(
    *,
    auditor: User | None,
    month: datetime.date | None,
    reason: str,
    user: User,
    today: datetime.date,
) -> Exemption:
    """Ask for a single-month exemption; it waits for a Head of Service or Director.
    The people who may decide it are emailed after the commit."""
    errors = {}
    if month is None:
        errors["month"] = CHOOSE_MONTH
    else:
        month = month_start(month)
        if month < month_start(today):
            errors["month"] = MONTH_IN_PAST.format(month=month_label(month))
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    _check_auditor(auditor)
    if not may_request_for(user, auditor):
        raise PermissionDenied
    existing = (
        Exemption.objects.filter(
            auditor=auditor,
            kind=ExemptionKind.SINGLE_MONTH,
            month=month,
            status__in=[ExemptionStatus.PENDING, ExemptionStatus.APPROVED],
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "month": ALREADY_EXEMPT.format(
                    auditor=auditor,
                    month=month_label(month),
                    status=existing.get_status_display().lower(),
                )
            }
        )
    exemption = Exemption.objects.create(
        auditor=auditor,
        kind=ExemptionKind.SINGLE_MONTH,
        month=month,
        reason=reason,
        status=ExemptionStatus.PENDING,
        requested_by=user,
    )
    _notify_requested(exemption.pk)
    return exemption


def deciders_for(exemption: Exemption) -> list[User]:
    """Who is asked to decide: the Head of Service of the auditor's service area, or if
    there is none who may, the Directors and Assistant Directors."""
    excluded = {exemption.auditor_id, exemption.requested_by_id}
    team = exemption.auditor.team
    head = team.service_area.head_of_service if team is not None else None
    if (
        head is not None
        and head.is_active
        and head.pk not in excluded
        and head.has_role(Role.HEAD_OF_SERVICE)
    ):
        return [head]
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.LEADER,
            job_title__in=[JobTitle.DIRECTOR, JobTitle.ASSISTANT_DIRECTOR],
        )
        .exclude(pk__in=[pk for pk in excluded if pk])
        .distinct()
        .order_by("pk")
    )


def _notify_requested(exemption_pk: int) -> None:
    exemption = Exemption.objects.select_related(
        "auditor__team__service_area__head_of_service", "requested_by"
    ).get(pk=exemption_pk)
    path = reverse("programme:exemption_decide", args=[exemption.pk])
    for decider in deciders_for(exemption):
        if decider.email:
            email_plan(
                "exemption-requested",
                [decider.email],
                {
                    "exemption": exemption,
                    "recipient": decider,
                    "month": month_label(exemption.month),
                    "path": path,
                },
            )


@transaction.atomic
def exemption_decide(
    *, exemption: Exemption, user: User, approve: bool | None, reason: str
) -> Exemption:
    """Approve or reject a pending exemption, always with a reason.

    The decision is claimed with a conditional update on the status, so two people
    deciding at once cannot both decide. The requester and the auditor are emailed.
    """
    exemption = Exemption.objects.select_related("auditor__team__service_area", "requested_by").get(
        pk=exemption.pk
    )
    if exemption.auditor_id == user.pk:
        raise ValidationError(OWN_EXEMPTION)
    if exemption.requested_by_id == user.pk:
        raise ValidationError(OWN_REQUEST)
    if not user.has_perm("audits.decide_exemption", exemption):
        raise PermissionDenied
    if exemption.status != ExemptionStatus.PENDING:
        raise ValidationError(ALREADY_DECIDED.format(status=exemption.get_status_display().lower()))
    reason = (reason or "").strip()
    if approve is None:
        raise ValidationError({"decision": CHOOSE_DECISION})
    if not reason:
        raise ValidationError(
            {"reason": APPROVAL_NEEDS_REASON if approve else REJECTION_NEEDS_REASON}
        )
    status = ExemptionStatus.APPROVED if approve else ExemptionStatus.REJECTED
    claimed = Exemption.objects.filter(pk=exemption.pk, status=ExemptionStatus.PENDING).update(
        status=status, decided_by=user, decided_at=timezone.now(), decision_reason=reason
    )
    if not claimed:
        exemption.refresh_from_db()
        raise ValidationError(ALREADY_DECIDED.format(status=exemption.get_status_display().lower()))
    exemption.refresh_from_db()
    _notify_decided(exemption.pk)
    return exemption


def _notify_decided(exemption_pk: int) -> None:
    exemption = Exemption.objects.select_related("auditor", "requested_by", "decided_by").get(
        pk=exemption_pk
    )
    recipients = []
    for person in (exemption.requested_by, exemption.auditor):
        if person is not None and person.email and person not in recipients:
            recipients.append(person)
    for person in recipients:
        email_plan(
            "exemption-decided",
            [person.email],
            {
                "exemption": exemption,
                "recipient": person,
                "month": month_label(exemption.month) if exemption.month else "",
                "approved": exemption.status == ExemptionStatus.APPROVED,
                "path": reverse("programme:exemptions") if person == exemption.requested_by else "",
            },
        )


@transaction.atomic
def exemption_end(*, exemption: Exemption, user: User, today: datetime.date) -> Exemption:
    """The QA Lead ends a standing exemption today (one not started yet never applies).

    It still covers the current month, whose audits were allocated without the auditor.
    """
    if not user.has_perm("audits.manage_programme"):
        raise PermissionDenied
    exemption = Exemption.objects.select_for_update().get(pk=exemption.pk)
    if exemption.kind != ExemptionKind.STANDING:
        raise ValidationError(NOT_STANDING)
    if exemption.ends_on is not None and exemption.ends_on < today:
        raise ValidationError(
            ALREADY_ENDED.format(date=f"{exemption.ends_on.day} {exemption.ends_on:%B %Y}")
        )
    if exemption.starts_on > today:
        exemption.ends_on = exemption.starts_on - datetime.timedelta(days=1)
    else:
        exemption.ends_on = today
    exemption.save(update_fields=["ends_on"])
    return exemption


__all__ = [
    "auditor_is_exempt",
    "deciders_for",
    "exemption_decide",
    "exemption_end",
    "exemption_record_standing",
    "exemption_request",
    "may_request_for",
]
