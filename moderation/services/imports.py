"""Moderation done before the product was used, from the audit importer."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audits.models import (
    Audit,
)
from audits.signals import final_grade_set

from ..models import (
    ModerationReview,
    ReviewDomainGrade,
    ReviewEventKind,
    ReviewStatus,
)
from .common import _event, review_outcome
from .panels import _review_create
from .reviews import _previous_final_grade_of, _record_regrades

# Imported reviews ----------------------------------------------------------------------


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
    finalised = (
        timezone.make_aware(datetime.datetime.combine(moderated_on, datetime.time(12)))
        if moderated_on
        else timezone.now()
    )
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
