"""Reviews: saving, the rules for marking one done, unlocking."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audits.models import (
    Audit,
    AuditEventKind,
    Grade,
    GradeChange,
    GradeChangeStage,
    grade_rank,
)
from audits.services.audit import audit_log_event
from audits.signals import final_grade_set
from common.history import record_objects
from outbox.services import email_plan

from ..models import (
    DowngradeReason,
    ModerationReview,
    ReviewDomainGrade,
    ReviewEventKind,
    ReviewReason,
    ReviewStatus,
)
from .common import (
    CHOOSE_DOMAIN,
    CHOOSE_OVERALL,
    RATIONALE_NEEDED,
    REASON_NEEDED,
    REVIEW_FINAL,
    UNLOCK_REASON_NEEDED,
    ReviewConflictError,
    _event,
    review_outcome,
)

# Reviews -------------------------------------------------------------------------------


def _check_can_edit(review: ModerationReview, user: User) -> None:
    if not user.has_perm("moderation.moderate_review", review):
        raise PermissionDenied
    if review.is_final:
        raise ValidationError(REVIEW_FINAL)


@transaction.atomic
def review_save(
    *,
    review: ModerationReview,
    user: User,
    moderated_grade: str,
    rationale: str,
    feedback: str,
    domain_grades: dict[int, tuple[str, str]],
    reasons: list[str],
    expected_version: int | None = None,
) -> ModerationReview:
    """Save the moderator's work in progress. Raises ReviewConflictError when someone
    else saved since ``expected_version``; nothing is written then."""
    locked = ModerationReview.objects.select_for_update().get(pk=review.pk)
    _check_can_edit(locked, user)
    if expected_version is not None and expected_version != locked.lock_version:
        raise ReviewConflictError
    valid = set(Grade.values)
    if moderated_grade and moderated_grade not in valid:
        raise ValidationError({"moderated_grade": CHOOSE_OVERALL})
    unknown = set(reasons) - set(DowngradeReason.values)
    if unknown:
        raise ValidationError({"reasons": REASON_NEEDED})
    rows = {row.domain_id: row for row in locked.domain_grades.all()}
    changed = []
    for domain_id, (grade, domain_rationale) in domain_grades.items():
        row = rows.get(int(domain_id))
        if row is None:
            raise ValidationError(f"Domain {domain_id} is not graded in this audit.")
        if grade and grade not in valid:
            raise ValidationError({f"domain-{domain_id}": "Choose a grade from the list"})
        values = (grade or "", (domain_rationale or "").strip())
        if (row.moderated_grade, row.rationale) != values:
            row.moderated_grade, row.rationale = values
            changed.append(row)
    ReviewDomainGrade.objects.bulk_update(changed, ["moderated_grade", "rationale"])
    record_objects(ReviewDomainGrade, changed, change="~", user=user)
    locked.reasons.exclude(reason__in=reasons).delete()
    existing = set(locked.reasons.values_list("reason", flat=True))
    ReviewReason.objects.bulk_create(
        ReviewReason(review=locked, reason=r) for r in reasons if r not in existing
    )
    locked.moderated_grade = moderated_grade or ""
    locked.rationale = (rationale or "").strip()
    locked.feedback = (feedback or "").strip()
    locked.status = ReviewStatus.IN_PROGRESS
    locked.lock_version = F("lock_version") + 1
    locked.save()
    locked.refresh_from_db()
    _event(locked, user, ReviewEventKind.SAVED)
    return locked


def review_problems(review: ModerationReview) -> dict[str, str]:
    """What stops the review being marked done, keyed by the form field."""
    problems = {}
    if review.moderated_grade not in Grade.values or review.moderated_grade == Grade.NOT_GRADED:
        problems["moderated_grade"] = CHOOSE_OVERALL
    elif review.moderated_grade != review.original_grade and not review.rationale:
        problems["rationale"] = RATIONALE_NEEDED.format(what="the overall grade")
    for row in review.domain_grades.select_related("domain"):
        if not row.moderated_grade:
            problems[f"domain-{row.domain_id}"] = CHOOSE_DOMAIN.format(domain=row.domain.name)
            continue
        if row.moderated_grade != row.original_grade and not row.rationale:
            problems[f"domain-{row.domain_id}-rationale"] = RATIONALE_NEEDED.format(
                what=row.domain.name
            )
    if review_went_down(review) and not review.reasons.exists():
        problems["reasons"] = REASON_NEEDED
    return problems


def review_went_down(review: ModerationReview) -> bool:
    """Did moderation lower the overall grade or any domain's grade?"""
    pairs = [(review.original_grade, review.moderated_grade)] + [
        (row.original_grade, row.moderated_grade) for row in review.domain_grades.all()
    ]
    return any(
        grade_rank(before) and grade_rank(after) and grade_rank(after) < grade_rank(before)
        for before, after in pairs
    )


@transaction.atomic
def review_finalise(
    *,
    review: ModerationReview,
    user: User,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> ModerationReview:
    """Mark the review done: every grade agreed or regraded, each change explained, a
    reason for any downgrade. The outcome follows from the grades; the regrades are
    recorded on the audit; the auditor is told. ``now`` is when it was done (the demo
    builds panels that sat months ago); what follows from a new final grade, such as a
    Case of Concern, dates from that day."""
    locked = ModerationReview.objects.select_for_update().get(pk=review.pk)
    _check_can_edit(locked, user)
    if expected_version is not None and expected_version != locked.lock_version:
        raise ReviewConflictError
    problems = review_problems(locked)
    if problems:
        raise ValidationError(problems)
    if not review_went_down(locked):
        locked.reasons.all().delete()  # reasons are for grades that went down
    previous_final = _previous_final_grade(locked)
    locked.outcome = review_outcome(locked.original_grade, locked.moderated_grade)
    locked.status = ReviewStatus.FINAL
    locked.finalised_at = now or timezone.now()
    locked.finalised_by = user
    locked.lock_version = F("lock_version") + 1
    locked.save()
    locked.refresh_from_db()
    _record_regrades(locked, user)
    _event(locked, user, ReviewEventKind.FINALISED)
    audit_log_event(audit=locked.audit, user=user, kind=AuditEventKind.UPDATED, note="Moderated")
    if locked.moderated_grade != previous_final:
        final_grade_set.send(
            sender=ModerationReview,
            audit=locked.audit,
            grade=locked.moderated_grade,
            previous_grade=previous_final,
            user=user,
            on=timezone.localdate(locked.finalised_at),
        )
    _notify_auditor(locked.pk)
    return locked


def _previous_final_grade(review: ModerationReview) -> str:
    return _previous_final_grade_of(review.audit) or review.original_grade


def _previous_final_grade_of(audit: Audit) -> str:
    """The audit's overall grade as last recorded (submitted, imported or moderated)."""
    return (
        GradeChange.objects.filter(audit=audit, domain__isnull=True)
        .order_by("-changed_at", "-pk")
        .values_list("new_grade", flat=True)
        .first()
    ) or audit.overall_grade


def _record_regrades(review: ModerationReview, user: User | None) -> None:
    """Add a GradeChange for every grade that moderation leaves different from the last
    one recorded for the audit."""
    last: dict[int | None, str] = {}
    for change in GradeChange.objects.filter(audit=review.audit).order_by("changed_at", "pk"):
        last[change.domain_id] = change.new_grade
    wanted = {None: (review.moderated_grade, review.rationale)}
    for row in review.domain_grades.all():
        wanted[row.domain_id] = (row.moderated_grade, row.rationale)
    GradeChange.objects.bulk_create(
        GradeChange(
            audit=review.audit,
            domain_id=domain_id,
            old_grade=last.get(domain_id, ""),
            new_grade=grade,
            stage=GradeChangeStage.MODERATED,
            reason=reason,
            changed_by=user,
        )
        for domain_id, (grade, reason) in wanted.items()
        if grade and last.get(domain_id) != grade
    )


def _notify_auditor(review_id: int) -> None:
    review = ModerationReview.objects.select_related("audit__auditor", "audit__child").get(
        pk=review_id
    )
    auditor = review.audit.auditor
    if auditor is None or not auditor.email or review.is_imported:
        return
    claimed = ModerationReview.objects.filter(
        pk=review.pk, auditor_notified_at__isnull=True
    ).update(auditor_notified_at=timezone.now())
    if not claimed:
        return
    email_plan(
        "review-feedback",
        [auditor.email],
        {
            "review": review,
            "audit": review.audit,
            "auditor": auditor,
            "path": reverse("moderation:feedback", args=[review.pk]),
        },
    )


@transaction.atomic
def review_unlock(*, review: ModerationReview, user: User, reason: str) -> ModerationReview:
    """Only the QA Lead unlocks a final review, and must say why."""
    if not (reason or "").strip():
        raise ValidationError({"reason": UNLOCK_REASON_NEEDED})
    locked = ModerationReview.objects.select_for_update().get(pk=review.pk)
    if not user.has_perm("moderation.unlock_review", locked):
        raise PermissionDenied
    locked.status = ReviewStatus.IN_PROGRESS
    locked.lock_version = F("lock_version") + 1
    locked.auditor_notified_at = None
    locked.save(update_fields=["status", "lock_version", "auditor_notified_at"])
    locked.refresh_from_db()
    _event(locked, user, ReviewEventKind.UNLOCKED, reason=reason.strip())
    return locked
