"""Ambassadors' reviews: the QA Lead draws each month's sample of accepted audits and
assigns them; each Ambassador answers the five questions on an anonymised audit."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role, User
from audits.models import Audit, AuditStatus
from common.dates import add_months, month_label
from common.forms import text_too_long

from ..models import (
    AMBASSADOR_QUESTIONS,
    AmbassadorReview,
    AmbassadorSample,
    HowChosen,
    ReviewAnswer,
    ReviewStatus,
)

#: a child reviewed in a sample less than this many months before (or after) a month is
#: not drawn again for it; a sample exactly this many months before no longer counts
REVIEW_GAP_MONTHS = 12

SAMPLE_EXISTS = "{month} already has a sample for the Ambassadors"
SAMPLE_MONTH_FUTURE = "The month must be this month or earlier"
SAMPLE_NUMBER_INVALID = "Enter how many audits, a whole number from 1 to 100"
SAMPLE_SHARE_INVALID = "Enter the share as a whole percentage from 1 to 100"
SAMPLE_NEEDS_AMBASSADOR = "Select at least one Ambassador to review the sample"
SAMPLE_NOT_AMBASSADOR = "{name} is not an Ambassador"
SAMPLE_NONE_AVAILABLE = (
    "No accepted audit of {month} can be drawn: there are none, or every child was "
    "reviewed in the 12 months around it"
)
SAMPLE_FEWER_AVAILABLE = (
    "Only {available} accepted audit{s} of {month} could be drawn, so the sample holds all of them"
)
REVIEW_NOT_OPEN = "This review has been submitted and cannot be changed"
ANSWER_MISSING = "Select yes, partly or no: {question}"
HIDDEN_TOO_LONG = "The list must be 2000 characters or fewer"
HIDDEN_MAX = 2000
MAX_NUMBER = 100
QUESTION_NAMES = tuple(name for name, _ in AMBASSADOR_QUESTIONS)
COMMENTS_MAX = 2000
COMMENT_FIELDS = (*(f"{name}_comments" for name, _ in AMBASSADOR_QUESTIONS), "overall_comments")


@dataclass
class SampleResult:
    sample: AmbassadorSample
    reviews: list[AmbassadorReview]
    messages: list[str] = field(default_factory=list)


def _require_qa_lead(user: User) -> None:
    if not user.has_perm("feedback.manage_ambassador_samples"):
        raise PermissionDenied


def share_count(available: int, percent: int) -> int:
    """``percent`` of ``available`` audits, to the nearest whole audit (a half rounds
    up), and never none while any is available."""
    if available <= 0:
        return 0
    return max(1, (available * percent + 50) // 100)


def recently_reviewed_children(month: datetime.date):
    """Ids of children in a sample less than REVIEW_GAP_MONTHS months from ``month``,
    either way (a sample exactly 12 months before or after does not count)."""
    after = add_months(month, -REVIEW_GAP_MONTHS)
    before = add_months(month, REVIEW_GAP_MONTHS)
    return AmbassadorReview.objects.filter(month__gt=after, month__lt=before).values("child_id")


def eligible_audits(month: datetime.date):
    """Accepted audits of the month whose child may be reviewed."""
    return (
        Audit.objects.filter(status=AuditStatus.ACCEPTED, month=month)
        .exclude(child_id__in=recently_reviewed_children(month))
        .order_by("pk")
    )


def _one_audit_per_child(audits: list[Audit]) -> list[Audit]:
    seen, result = set(), []
    for audit in audits:
        if audit.child_id not in seen:
            seen.add(audit.child_id)
            result.append(audit)
    return result


@transaction.atomic
def ambassador_sample_draw(
    *,
    month: datetime.date,
    how_chosen: str,
    amount: int,
    ambassadors: list[User],
    user: User,
    today: datetime.date | None = None,
    rng: random.Random | None = None,
) -> SampleResult:
    """Draw the month's sample at random among its accepted audits, one audit a child,
    leaving out children reviewed in the 12 months around it, and give the audits to
    the Ambassadors in turn. A number larger than what is available takes all of it,
    with a message; a share is ``share_count`` of what is available."""
    _require_qa_lead(user)
    today = today or timezone.localdate()
    month = month.replace(day=1)
    errors: dict[str, str] = {}
    if month > today.replace(day=1):
        errors["month"] = SAMPLE_MONTH_FUTURE
    elif AmbassadorSample.objects.filter(month=month).exists():
        errors["month"] = SAMPLE_EXISTS.format(month=month_label(month))
    if how_chosen == HowChosen.NUMBER:
        if not 1 <= amount <= MAX_NUMBER:
            errors["amount"] = SAMPLE_NUMBER_INVALID
    elif how_chosen == HowChosen.SHARE:
        if not 1 <= amount <= 100:
            errors["amount"] = SAMPLE_SHARE_INVALID
    else:
        errors["how_chosen"] = "Select a number of audits or a share"
    if not ambassadors:
        errors["ambassadors"] = SAMPLE_NEEDS_AMBASSADOR
    for person in ambassadors:
        if not (person.is_active and person.has_role(Role.AMBASSADOR)):
            errors["ambassadors"] = SAMPLE_NOT_AMBASSADOR.format(name=person.get_full_name())
    if errors:
        raise ValidationError(errors)

    candidates = _one_audit_per_child(
        list(eligible_audits(month).select_for_update(of=("self",)).only("pk", "child_id"))
    )
    available = len(candidates)
    if not available:
        raise ValidationError({"month": SAMPLE_NONE_AVAILABLE.format(month=month_label(month))})
    wanted = amount if how_chosen == HowChosen.NUMBER else share_count(available, amount)
    messages = []
    if wanted > available:
        messages.append(
            SAMPLE_FEWER_AVAILABLE.format(
                available=available, s="" if available == 1 else "s", month=month_label(month)
            )
        )
        wanted = available
    chosen = (rng or random.SystemRandom()).sample(candidates, wanted)
    try:
        sample = AmbassadorSample.objects.create(
            month=month,
            how_chosen=how_chosen,
            amount=amount,
            available=available,
            created_by=user,
        )
    except IntegrityError:
        raise ValidationError({"month": SAMPLE_EXISTS.format(month=month_label(month))}) from None
    people = sorted(ambassadors, key=lambda p: p.pk)
    reviews = AmbassadorReview.objects.bulk_create(
        AmbassadorReview(
            sample=sample,
            audit_id=audit.pk,
            child_id=audit.child_id,
            month=month,
            ambassador=people[n % len(people)],
        )
        for n, audit in enumerate(sorted(chosen, key=lambda a: a.pk))
    )
    return SampleResult(sample, reviews, messages)


@transaction.atomic
def ambassador_review_set_hidden(
    *, review: AmbassadorReview, names: str, places: str, user: User
) -> AmbassadorReview:
    """The QA Lead lists the people's names and places to hide from the Ambassador,
    while the review is open."""
    _require_qa_lead(user)
    review = AmbassadorReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.OPEN:
        raise ValidationError(REVIEW_NOT_OPEN)
    errors = {}
    for name, text in (("hidden_names", names), ("hidden_places", places)):
        if len(text) > HIDDEN_MAX:
            errors[name] = HIDDEN_TOO_LONG
    if errors:
        raise ValidationError(errors)
    review.hidden_names = "\n".join(line.strip() for line in names.splitlines() if line.strip())
    review.hidden_places = "\n".join(line.strip() for line in places.splitlines() if line.strip())
    review.save(update_fields=["hidden_names", "hidden_places"])
    return review


@transaction.atomic
def ambassador_review_reassign(
    *, review: AmbassadorReview, ambassador: User, user: User
) -> AmbassadorReview:
    """The QA Lead gives an open review to another Ambassador."""
    _require_qa_lead(user)
    if not (ambassador.is_active and ambassador.has_role(Role.AMBASSADOR)):
        raise ValidationError(
            {"ambassador": SAMPLE_NOT_AMBASSADOR.format(name=ambassador.get_full_name())}
        )
    changed = AmbassadorReview.objects.filter(pk=review.pk, status=ReviewStatus.OPEN).update(
        ambassador=ambassador
    )
    if not changed:
        raise ValidationError(REVIEW_NOT_OPEN)
    return AmbassadorReview.objects.get(pk=review.pk)


def review_answer_problems(answers: dict[str, str]) -> dict[str, str]:
    """Each question without yes, partly or no, and comments too long, by field name."""
    valid = set(ReviewAnswer.values)
    problems = {
        name: ANSWER_MISSING.format(question=question)
        for name, question in AMBASSADOR_QUESTIONS
        if answers.get(name) not in valid
    }
    for name in COMMENT_FIELDS:
        if len(answers.get(name) or "") > COMMENTS_MAX:
            problems[name] = text_too_long("your comments", COMMENTS_MAX)
    return problems


@transaction.atomic
def ambassador_review_submit(
    *, review: AmbassadorReview, answers: dict[str, str], user: User
) -> AmbassadorReview:
    """The Ambassador's answers: every question yes, partly or no, with comments if
    they like. Only the Ambassador it was given to, and only once."""
    if review.ambassador_id != user.pk or not user.has_perm("feedback.review_as_ambassador"):
        raise PermissionDenied
    problems = review_answer_problems(answers)
    if problems:
        raise ValidationError(problems)
    values = {}
    for name, _question in AMBASSADOR_QUESTIONS:
        values[name] = answers[name]
        values[f"{name}_comments"] = (answers.get(f"{name}_comments") or "").strip()
    values["overall_comments"] = (answers.get("overall_comments") or "").strip()
    changed = AmbassadorReview.objects.filter(pk=review.pk, status=ReviewStatus.OPEN).update(
        status=ReviewStatus.SUBMITTED, submitted_at=timezone.now(), **values
    )
    if not changed:
        raise ValidationError(REVIEW_NOT_OPEN)
    return AmbassadorReview.objects.get(pk=review.pk)
