"""Moderation workflows: panels, reviews, looped audits, pairings and endorsement.

Each public function is one transaction and is what views, the API, tasks and commands
call. Messages are constants the tests assert on.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from audits.models import (
    Audit,
    AuditEventKind,
    AuditStatus,
    AuditTemplate,
    Child,
    Grade,
    GradeChange,
    GradeChangeStage,
    grade_rank,
)
from audits.services.audit import audit_log_event
from audits.signals import final_grade_set
from qa_audit import emails
from qa_audit.dates import add_months, month_end, month_start

from .models import (
    DowngradeReason,
    EndorsementOverride,
    LoopedAudit,
    LoopStatus,
    ModerationReview,
    ModerationSettings,
    ModeratorCapacity,
    Outcome,
    Pairing,
    Panel,
    ReviewDomainGrade,
    ReviewEvent,
    ReviewEventKind,
    ReviewReason,
    ReviewStatus,
)

REVIEW_FINAL = "This review is final. The QA Lead can unlock it, giving a reason."
REVIEW_EDITED_ELSEWHERE = (
    "Someone else saved this review since you opened it. Their changes are shown below; "
    "your changes were not saved and are kept in the form so you can reapply them."
)
CHOOSE_OVERALL = "Choose the overall grade after moderation"
CHOOSE_DOMAIN = "Choose the grade after moderation for {domain}"
RATIONALE_NEEDED = "Explain why you changed the grade for {what}"
REASON_NEEDED = "Select at least one reason why the grade went down"
UNLOCK_REASON_NEEDED = "Enter the reason for unlocking this review"
PANEL_EXISTS = "There is already a panel for {month}."
AUDIT_NOT_ACCEPTED = "Only an accepted audit can be moderated."
AUDIT_ALREADY_MODERATED = "This audit already has a moderation review."
REVIEW_STARTED = "This review has been started, so it cannot be removed from the panel."
LOOP_SAME_AUDITOR = "Choose two different auditors for a looped audit"
OWN_AUDIT = "Choose a moderator other than the audit's auditor"
LOOP_NOT_READY = "Both audits must be submitted before the grades can be compared."
OUTCOME_NEEDED = "Enter what the panel concluded"
OVERRIDE_REASON_NEEDED = "Enter the reason for this decision"

COMPLETED = (AuditStatus.SUBMITTED, AuditStatus.ACCEPTED)


class ReviewConflictError(Exception):
    message = REVIEW_EDITED_ELSEWHERE


def review_outcome(original: str, moderated: str) -> str:
    """Agreed, upgraded or downgraded: follows from the two overall grades."""
    before, after = grade_rank(original), grade_rank(moderated)
    if before is None or after is None or before == after:
        return Outcome.AGREED
    return Outcome.UPGRADED if after > before else Outcome.DOWNGRADED


def _event(review, user, kind, reason=""):
    ReviewEvent.objects.create(review=review, user=user, kind=kind, reason=reason)


# Endorsement ---------------------------------------------------------------------------


def endorsed_auditor_ids(auditor_ids=None) -> set[int]:
    """Auditors whose last N final reviews were all agreed, or whom the QA Lead endorsed;
    minus those the QA Lead said are not endorsed."""
    run = ModerationSettings.load().endorsement_run
    reviews = ModerationReview.objects.filter(status=ReviewStatus.FINAL).exclude(
        audit__auditor__isnull=True
    )
    if auditor_ids is not None:
        reviews = reviews.filter(audit__auditor__in=auditor_ids)
    history: dict[int, list[str]] = defaultdict(list)
    for auditor_id, outcome in reviews.order_by(
        "audit__auditor", F("finalised_at").desc(nulls_last=True), "-pk"
    ).values_list("audit__auditor", "outcome"):
        if len(history[auditor_id]) < run:
            history[auditor_id].append(outcome)
    endorsed = {
        auditor_id
        for auditor_id, outcomes in history.items()
        if len(outcomes) == run and all(o == Outcome.AGREED for o in outcomes)
    }
    overrides = EndorsementOverride.objects.all()
    if auditor_ids is not None:
        overrides = overrides.filter(auditor__in=auditor_ids)
    for auditor_id, is_endorsed in overrides.values_list("auditor", "endorsed"):
        (endorsed.add if is_endorsed else endorsed.discard)(auditor_id)
    return endorsed


@transaction.atomic
def endorsement_override_set(*, auditor: User, endorsed: bool, reason: str, user: User):
    if not (reason or "").strip():
        raise ValidationError({"reason": OVERRIDE_REASON_NEEDED})
    override, _ = EndorsementOverride.objects.update_or_create(
        auditor=auditor,
        defaults={"endorsed": endorsed, "reason": reason.strip(), "set_by": user},
    )
    return override


@transaction.atomic
def endorsement_override_clear(*, auditor: User, user: User) -> None:
    EndorsementOverride.objects.filter(auditor=auditor).delete()


# Pairings ------------------------------------------------------------------------------


def current_pairings(day: datetime.date) -> dict[int, int]:
    """auditor id -> moderator id for the pairing period containing ``day``."""
    return dict(
        Pairing.objects.filter(starts_on__lte=day, ends_on__gte=day).values_list(
            "auditor_id", "moderator_id"
        )
    )


@transaction.atomic
def pairings_generate(*, starts_on: datetime.date, user: User | None = None) -> list[Pairing]:
    """Pair every active auditor with a moderator for the next period.

    Nobody is paired with themselves; nobody repeats a pairing from the previous two
    periods where another moderator is available; moderators share auditors evenly;
    a moderator from the auditor's own team is used only when no other is free.
    Running it again for the same start date replaces that period's pairings.
    """
    months = ModerationSettings.load().pairing_months
    ends_on = add_months(starts_on, months) - datetime.timedelta(days=1)
    Pairing.objects.filter(starts_on=starts_on).delete()
    moderators = list(
        User.objects.filter(is_active=True, role_assignments__role=Role.MODERATOR)
        .distinct()
        .order_by("pk")
    )
    auditors = list(
        User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR)
        .distinct()
        .order_by("pk")
    )
    if not moderators:
        return []
    recent_start = add_months(starts_on, -2 * months)
    recent = set(
        Pairing.objects.filter(starts_on__gte=recent_start, starts_on__lt=starts_on).values_list(
            "auditor_id", "moderator_id"
        )
    )
    load: Counter = Counter()
    created = []
    for auditor in auditors:
        candidates = [m for m in moderators if m.pk != auditor.pk]
        if not candidates:
            continue

        def cost(moderator, auditor=auditor):
            return (
                (auditor.pk, moderator.pk) in recent,
                moderator.team_id is not None and moderator.team_id == auditor.team_id,
                load[moderator.pk],
                moderator.pk,
            )

        chosen = min(candidates, key=cost)
        load[chosen.pk] += 1
        created.append(
            Pairing(auditor=auditor, moderator=chosen, starts_on=starts_on, ends_on=ends_on)
        )
    return Pairing.objects.bulk_create(created)


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
    for domain_id, (grade, domain_rationale) in domain_grades.items():
        row = rows.get(int(domain_id))
        if row is None:
            raise ValidationError(f"Domain {domain_id} is not graded in this audit.")
        if grade and grade not in valid:
            raise ValidationError({f"domain-{domain_id}": "Choose a grade from the list"})
        row.moderated_grade = grade or ""
        row.rationale = (domain_rationale or "").strip()
    ReviewDomainGrade.objects.bulk_update(rows.values(), ["moderated_grade", "rationale"])
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
    *, review: ModerationReview, user: User, expected_version: int | None = None
) -> ModerationReview:
    """Mark the review done: every grade agreed or regraded, each change explained, a
    reason for any downgrade. The outcome follows from the grades; the regrades are
    recorded on the audit; the auditor is told."""
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
    locked.finalised_at = timezone.now()
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
        )
    transaction.on_commit(lambda: _notify_auditor(locked.pk))
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
    emails.send(
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


# Looped audits -------------------------------------------------------------------------


@transaction.atomic
def loop_create(
    *,
    child: Child,
    auditors: tuple[User, User],
    template: AuditTemplate,
    month: datetime.date,
    due_date: datetime.date | None,
    user: User,
) -> LoopedAudit:
    """Allocate the same child to two auditors, independently."""
    first_auditor, second_auditor = auditors
    if first_auditor.pk == second_auditor.pk:
        raise ValidationError({"second_auditor": LOOP_SAME_AUDITOR})
    month = month_start(month)
    due = due_date or month_end(month)
    audits = [
        Audit.objects.create(
            child=child,
            template=template,
            auditor=auditor,
            team=child.team,
            month=month,
            due_date=due,
            status=AuditStatus.ALLOCATED,
            allocated_by=user,
            allocation_note="Looped audit",
        )
        for auditor in (first_auditor, second_auditor)
    ]
    for audit in audits:
        audit_log_event(audit=audit, user=user, kind=AuditEventKind.ALLOCATED, note="Looped audit")
    return LoopedAudit.objects.create(first=audits[0], second=audits[1], created_by=user)


def loop_for_audit(audit: Audit) -> LoopedAudit | None:
    return (
        LoopedAudit.objects.filter(Q(first=audit) | Q(second=audit))
        .select_related("first", "second")
        .first()
    )


def loop_both_submitted(loop: LoopedAudit) -> bool:
    return loop.first.status in COMPLETED and loop.second.status in COMPLETED


def loop_differences(loop: LoopedAudit) -> list[dict]:
    """Each grade of the two audits side by side; only once both are submitted."""
    if not loop_both_submitted(loop):
        raise PermissionDenied(LOOP_NOT_READY)
    first = {g.domain_id: g for g in loop.first.gradings.select_related("domain")}
    second = {g.domain_id: g for g in loop.second.gradings.select_related("domain")}
    rows = [
        {
            "what": "Overall",
            "first": loop.first.overall_grade,
            "second": loop.second.overall_grade,
            "differs": loop.first.overall_grade != loop.second.overall_grade,
        }
    ]
    for domain_id in sorted(
        set(first) | set(second), key=lambda d: (first.get(d) or second.get(d)).domain.name
    ):
        a, b = first.get(domain_id), second.get(domain_id)
        grade_a, grade_b = (a.grade if a else ""), (b.grade if b else "")
        rows.append(
            {
                "what": (a or b).domain.name,
                "first": grade_a,
                "second": grade_b,
                "differs": grade_a != grade_b,
            }
        )
    return rows


@transaction.atomic
def loop_check(*, audit: Audit) -> LoopedAudit | None:
    """When the second of a looped pair is submitted, compare: any difference in the
    overall or a domain grade puts the pair on the next panel for discussion."""
    loop = loop_for_audit(audit)
    if loop is None or loop.status != LoopStatus.AWAITING:
        return loop
    loop = LoopedAudit.objects.select_for_update().select_related("first", "second").get(pk=loop.pk)
    if not loop_both_submitted(loop):
        return loop
    differs = any(row["differs"] for row in loop_differences(loop))
    loop.status = LoopStatus.DIFFERS if differs else LoopStatus.MATCHED
    if differs:
        loop.panel = (
            Panel.objects.filter(month__gte=month_start(loop.first.month), status="planned")
            .order_by("month")
            .first()
        )
    loop.save(update_fields=["status", "panel"])
    return loop


@transaction.atomic
def loop_record_outcome(*, loop: LoopedAudit, user: User, outcome: str) -> LoopedAudit:
    if not (outcome or "").strip():
        raise ValidationError({"outcome": OUTCOME_NEEDED})
    loop = LoopedAudit.objects.select_for_update().get(pk=loop.pk)
    if loop.status not in (LoopStatus.DIFFERS, LoopStatus.DISCUSSED):
        raise ValidationError(LOOP_NOT_READY)
    loop.outcome = outcome.strip()
    loop.outcome_by = user
    loop.outcome_at = timezone.now()
    loop.status = LoopStatus.DISCUSSED
    loop.save()
    return loop


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
        )
    return review
