"""Moderation done before the product was used, from the audit importer."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audits.models import (
    Audit,
    GradeChange,
    GradeChangeStage,
)
from audits.signals import FinalGrade, ImportedModeration, final_grade_set, final_grades_set
from common.history import record_objects

from ..models import (
    ModerationReview,
    ReviewDomainGrade,
    ReviewEvent,
    ReviewEventKind,
    ReviewStatus,
)
from .common import _event, review_outcome
from .panels import _review_create
from .reviews import _previous_final_grade_of, _record_regrades

# Imported reviews ----------------------------------------------------------------------


def _finalised_at(moderated_on: datetime.date | None) -> datetime.datetime:
    if moderated_on:
        return timezone.make_aware(datetime.datetime.combine(moderated_on, datetime.time(12)))
    return timezone.now()


@transaction.atomic
def reviews_import(*, moderations: list[ImportedModeration], user: User | None) -> None:
    """``review_import`` for a chunk of imported audits, with bulk inserts: the audits
    with no review yet get theirs in a few statements whatever their number; an audit
    reviewed before (a re-import) goes through ``review_import``. The final grades that
    change are announced together, in the file's order."""
    reviewed = set(
        ModerationReview.objects.filter(audit_id__in=[m.audit.pk for m in moderations]).values_list(
            "audit_id", flat=True
        )
    )
    for moderation in moderations:
        if moderation.audit.pk in reviewed:
            review_import(
                audit=moderation.audit,
                moderated_grade=moderation.moderated_grade,
                domain_grades=moderation.domain_grades,
                moderator=moderation.moderator,
                moderated_on=moderation.moderated_on,
                user=user,
            )
    fresh = [m for m in moderations if m.audit.pk not in reviewed]
    if not fresh:
        return
    # The grades last recorded for each audit, overall under None.
    last: dict[int, dict[int | None, str]] = {m.audit.pk: {} for m in fresh}
    changes = (
        GradeChange.objects.filter(audit_id__in=list(last))
        .order_by("audit_id", "changed_at", "pk")
        .values_list("audit_id", "domain_id", "new_grade")
    )
    for audit_id, domain_id, grade in changes:
        last[audit_id][domain_id] = grade
    reviews = []
    for moderation in fresh:
        audit = moderation.audit
        reviews.append(
            ModerationReview(
                audit=audit,
                panel=None,
                moderator=moderation.moderator,
                original_grade=audit.overall_grade,
                moderated_grade=moderation.moderated_grade,
                outcome=review_outcome(audit.overall_grade, moderation.moderated_grade),
                status=ReviewStatus.FINAL,
                finalised_at=_finalised_at(moderation.moderated_on),
                finalised_by=user,
                is_imported=True,
            )
        )
    ModerationReview.objects.bulk_create(reviews, batch_size=1000)
    record_objects(ModerationReview, reviews, change="+", user=user)
    domain_rows = []
    regrades = []
    events = []
    final_grades = []
    for moderation, review in zip(fresh, reviews, strict=True):
        audit = moderation.audit
        before = last[audit.pk]
        previous_final = before.get(None) or audit.overall_grade
        wanted = {None: review.moderated_grade}
        for grading in audit.gradings.all():
            moderated = moderation.domain_grades.get(grading.domain_id) or grading.grade
            domain_rows.append(
                ReviewDomainGrade(
                    review=review,
                    domain_id=grading.domain_id,
                    original_grade=grading.grade,
                    moderated_grade=moderated,
                )
            )
            wanted[grading.domain_id] = moderated
        regrades.extend(
            GradeChange(
                audit=audit,
                domain_id=domain_id,
                old_grade=before.get(domain_id, ""),
                new_grade=grade,
                stage=GradeChangeStage.MODERATED,
                reason="",
                changed_by=user,
            )
            for domain_id, grade in wanted.items()
            if grade and before.get(domain_id) != grade
        )
        events.append(ReviewEvent(review=review, user=user, kind=ReviewEventKind.IMPORTED))
        if review.moderated_grade != previous_final:
            final_grades.append(
                FinalGrade(
                    audit=audit,
                    grade=review.moderated_grade,
                    previous_grade=previous_final,
                    on=timezone.localdate(review.finalised_at),
                )
            )
    ReviewDomainGrade.objects.bulk_create(domain_rows, batch_size=1000)
    record_objects(ReviewDomainGrade, domain_rows, change="+", user=user)
    GradeChange.objects.bulk_create(regrades, batch_size=1000)
    ReviewEvent.objects.bulk_create(events, batch_size=1000)
    if final_grades:
        final_grades_set.send(sender=ModerationReview, grades=final_grades, user=user)


@transaction.atomic
def review_import(
    *,
    audit: Audit,
    moderated_grade: str,
    domain_grades: dict[int, str],
    moderator: User | None,
    moderated_on: datetime.date | None,
    user: User | None,
) -> ModerationReview:
    """Store a moderation done before the product was used (from the audit importer).

    A moderated grade equal to the original is an agreement. Re-importing replaces the
    review's grades; nothing is duplicated."""
    previous_final = _previous_final_grade_of(audit)
    review = ModerationReview.objects.filter(audit=audit).first()
    if review is None:
        review = _review_create(
            audit=audit, panel=None, moderator=moderator, user=user, imported=True
        )
    review.original_grade = audit.overall_grade
    review.moderated_grade = moderated_grade
    review.moderator = moderator
    review.outcome = review_outcome(audit.overall_grade, moderated_grade)
    review.status = ReviewStatus.FINAL
    finalised = _finalised_at(moderated_on)
    review.finalised_at = finalised
    review.finalised_by = user
    review.is_imported = True
    review.save()
    originals = {g.domain_id: g.grade for g in audit.gradings.all()}
    rows = {row.domain_id: row for row in review.domain_grades.all()}
    for domain_id, original in originals.items():
        row = rows.get(domain_id) or ReviewDomainGrade(review=review, domain_id=domain_id)
        row.original_grade = original
        row.moderated_grade = domain_grades.get(domain_id) or original
        row.save()
    _record_regrades(review, user)
    _event(review, user, ReviewEventKind.IMPORTED)
    if moderated_grade != previous_final:
        final_grade_set.send(
            sender=ModerationReview,
            audit=audit,
            grade=moderated_grade,
            previous_grade=previous_final,
            user=user,
            on=timezone.localdate(finalised),
        )
    return review
