"""Monthly panels: which audits, which moderators, who observes."""

from __future__ import annotations

import datetime
import math
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from accounts.models import Role, User
from audits.models import (
    Audit,
    AuditStatus,
)
from common.dates import add_months, month_start
from common.history import record_rows

from ..models import (
    LoopedAudit,
    LoopStatus,
    ModerationReview,
    ModerationSettings,
    ModeratorCapacity,
    Panel,
    ReviewDomainGrade,
    ReviewEventKind,
    ReviewStatus,
)
from .common import (
    AUDIT_ALREADY_MODERATED,
    AUDIT_NOT_ACCEPTED,
    OWN_AUDIT,
    PANEL_EXISTS,
    REVIEW_FINAL,
    REVIEW_STARTED,
    _event,
)
from .people import current_pairings, endorsed_auditor_ids

# Panels --------------------------------------------------------------------------------


def _capacities(moderators) -> dict[int, int]:
    default = ModerationSettings.load().default_capacity
    custom = dict(
        ModeratorCapacity.objects.filter(moderator__in=moderators).values_list(
            "moderator_id", "monthly_capacity"
        )
    )
    return {m.pk: custom.get(m.pk, default) for m in moderators}


def panel_candidate_audits(month: datetime.date):
    """Accepted audits of the month without a review, endorsed auditors' excluded."""
    audits = Audit.objects.filter(
        month=month, status=AuditStatus.ACCEPTED, moderation_review__isnull=True
    ).select_related("auditor", "team")
    endorsed = endorsed_auditor_ids()
    return [a for a in audits.order_by("pk") if a.auditor_id not in endorsed]


def _choose_moderators(needed: int, month: datetime.date, preferred=()) -> list[User]:
    """Moderators on rotation: the paired moderators of the panel's auditors first, then
    those who sat least recently, until capacity covers ``needed`` audits."""
    pool = list(
        User.objects.filter(is_active=True, role_assignments__role=Role.MODERATOR)
        .annotate(
            last_sat=Max("moderation_panels__month", filter=Q(moderation_panels__month__lt=month))
        )
        .distinct()
    )
    preferred = set(preferred)
    pool.sort(key=lambda m: (m.pk not in preferred, m.last_sat or datetime.date.min, m.pk))
    capacities = _capacities(pool)
    chosen, covered = [], 0
    for moderator in pool:
        if covered >= needed and chosen:
            break
        chosen.append(moderator)
        covered += capacities[moderator.pk]
    return chosen


def _choose_observers(month: datetime.date, count: int, exclude) -> list[User]:
    """Auditors invited to observe: new auditors and those who have not observed
    recently first."""
    if count <= 0:
        return []
    auditors = list(
        User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR)
        .exclude(pk__in=exclude)
        .annotate(
            last_observed=Max("observed_panels__month", filter=Q(observed_panels__month__lt=month))
        )
        .distinct()
    )
    new_since = timezone.make_aware(
        datetime.datetime.combine(add_months(month, -3), datetime.time.min)
    )
    auditors.sort(
        key=lambda a: (
            a.last_observed is not None,
            not (a.date_joined >= new_since),
            a.last_observed or datetime.date.min,
            a.pk,
        )
    )
    return auditors[:count]


@transaction.atomic
def panel_create(
    *,
    month: datetime.date,
    date: datetime.date,
    user: User,
    chair: User | None = None,
    target_share: int | None = None,
) -> Panel:
    """Create the month's panel: the audits to moderate (every accepted audit of the month
    but endorsed auditors', up to the target share), moderators on rotation within their
    capacity, observers on rotation, and one moderator per audit keeping pairings.
    Looped audits whose grades differ are added as discussion items."""
    month = month_start(month)
    if Panel.objects.filter(month=month).exists():
        raise ValidationError({"month": PANEL_EXISTS.format(month=month.strftime("%B %Y"))})
    settings = ModerationSettings.load()
    share = settings.target_share if target_share is None else target_share
    candidates = panel_candidate_audits(month)
    wanted = math.ceil(len(candidates) * share / 100)
    audits = candidates[:wanted]
    panel = Panel.objects.create(
        month=month, date=date, chair=chair, target_share=share, created_by=user
    )
    pairings = current_pairings(month)
    moderators = _choose_moderators(
        len(audits), month, preferred=[pairings.get(a.auditor_id) for a in audits]
    )
    panel.moderators.set(moderators)
    observers = _choose_observers(
        month, settings.observers_per_panel, exclude=[m.pk for m in moderators]
    )
    panel.observers.set(observers)
    _assign(panel, audits, moderators, user)
    LoopedAudit.objects.filter(status=LoopStatus.DIFFERS, panel__isnull=True).update(panel=panel)
    return panel


def _assign(panel: Panel, audits: list[Audit], moderators: list[User], user: User) -> None:
    pairings = current_pairings(panel.month)
    capacities = _capacities(moderators)
    load: Counter = Counter(
        ModerationReview.objects.filter(panel=panel).values_list("moderator_id", flat=True)
    )
    for audit in audits:
        candidates = [m for m in moderators if m.pk != audit.auditor_id]
        paired = pairings.get(audit.auditor_id)

        def cost(moderator, audit=audit, paired=paired):
            return (
                moderator.pk != paired,
                load[moderator.pk] >= capacities[moderator.pk],
                moderator.team_id is not None and moderator.team_id == audit.team_id,
                load[moderator.pk] - capacities[moderator.pk],
                moderator.pk,
            )

        moderator = min(candidates, key=cost) if candidates else None
        if moderator is not None:
            load[moderator.pk] += 1
        _review_create(audit=audit, panel=panel, moderator=moderator, user=user)


def _review_create(*, audit, panel, moderator, user, imported=False) -> ModerationReview:
    review = ModerationReview.objects.create(
        audit=audit,
        panel=panel,
        moderator=moderator,
        original_grade=audit.overall_grade,
        is_imported=imported,
    )
    ReviewDomainGrade.objects.bulk_create(
        ReviewDomainGrade(review=review, domain_id=g.domain_id, original_grade=g.grade)
        for g in audit.gradings.all()
    )
    record_rows(review.domain_grades.all(), change="+", user=user)
    if not imported:
        _event(review, user, ReviewEventKind.ASSIGNED)
    return review


@transaction.atomic
def panel_add_audit(
    *, panel: Panel, audit: Audit, user: User, moderator: User | None = None
) -> ModerationReview:
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status != AuditStatus.ACCEPTED:
        raise ValidationError(AUDIT_NOT_ACCEPTED)
    if ModerationReview.objects.filter(audit=audit).exists():
        raise ValidationError(AUDIT_ALREADY_MODERATED)
    if moderator is None:
        moderators = list(panel.moderators.all())
        _assign(panel, [audit], moderators, user)
        return audit.moderation_review
    if moderator.pk == audit.auditor_id:
        raise ValidationError({"moderator": OWN_AUDIT})
    return _review_create(audit=audit, panel=panel, moderator=moderator, user=user)


@transaction.atomic
def panel_remove_audit(*, review: ModerationReview, user: User) -> None:
    review = ModerationReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.ASSIGNED or review.moderated_grade:
        raise ValidationError(REVIEW_STARTED)
    review.delete()


@transaction.atomic
def review_reassign(*, review: ModerationReview, moderator: User, user: User) -> ModerationReview:
    review = ModerationReview.objects.select_for_update().select_related("audit").get(pk=review.pk)
    if review.is_final:
        raise ValidationError(REVIEW_FINAL)
    if moderator.pk == review.audit.auditor_id:
        raise ValidationError({"moderator": OWN_AUDIT})
    review.moderator = moderator
    review.lock_version = F("lock_version") + 1
    review.save(update_fields=["moderator", "lock_version"])
    _event(review, user, ReviewEventKind.ASSIGNED, reason=f"Reassigned to {moderator}")
    review.refresh_from_db()
    return review


def panel_progress(panel: Panel) -> dict:
    """Target share against actual, for the panel page."""
    eligible = Audit.objects.filter(month=panel.month, status=AuditStatus.ACCEPTED).count()
    counts = panel.reviews.aggregate(
        total=Count("pk"), final=Count("pk", filter=Q(status=ReviewStatus.FINAL))
    )
    actual = round(100 * counts["total"] / eligible) if eligible else None
    return {
        "accepted_audits": eligible,
        "on_panel": counts["total"],
        "final": counts["final"],
        "target_share": panel.target_share,
        "actual_share": actual,
    }
