"""The demo council's year of moderation, built on the demo audits.

``seed_moderation`` makes two six-month pairing periods, a panel for each of the last 12
months that has accepted audits (through ``panel_create``), and moderates most of each
month's audits through ``review_save`` and ``review_finalise``: on each panel, of the
reviews of each grade, 70% agreed, 22% down one grade and 8% up one (where the grade
allows), with domain regrades that follow the overall one,
rationales, feedback and reasons from phrase banks. Times are then set to when the panel
met. It adds looped audits (some matched, some differing and discussed), two
endorsement decisions, and leaves last month's panel, meeting this month, in progress.
The demo moderator has reviews to do on it; the demo auditor has feedback to read.
Deterministic: only ``rng``, ``today`` and the existing data decide anything.
"""

from __future__ import annotations

import contextlib
import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Role, User
from audits.models import (
    GRADED,
    Answer,
    Audit,
    AuditEvent,
    AuditEventKind,
    AuditStatus,
    Child,
    DomainGrading,
    Grade,
    GradeChange,
    GradeChangeStage,
    grade_rank,
)
from common.dates import add_months, month_start
from common.history import record_rows

from .models import (
    DowngradeReason,
    EndorsementOverride,
    LoopedAudit,
    LoopStatus,
    ModerationReview,
    ModerationSettings,
    ModeratorCapacity,
    Pairing,
    Panel,
    PanelStatus,
    ReviewEvent,
    ReviewEventKind,
    ReviewStatus,
)
from .services import (
    endorsement_override_set,
    loop_check,
    loop_create,
    loop_record_outcome,
    pairings_generate,
    panel_add_audit,
    panel_create,
    review_finalise,
    review_reassign,
    review_save,
)

MONTHS = 12
RANK_GRADE = {grade_rank(g): g for g in GRADED}
#: the share of reviews agreed, downgraded one grade and upgraded one grade: dealt to each
#: panel's reviews of each grade (a month's final grades then follow its audits' grades
#: without the swings of drawing each review's outcome on its own)
OUTCOME_WEIGHTS = [("agreed", 0.70), ("down", 0.22), ("up", 0.08)]
#: the share of the month's accepted audits each panel sets out to moderate
TARGET_SHARES = [70, 75, 80, 85, 90, 100]
#: months (offsets from this month) with a looped audit, and whether the two agree
LOOPS = [(-10, True), (-8, False), (-7, True), (-5, False), (-4, True), (-2, False), (-1, False)]
#: on the panel meeting this month: the share of reviews done, and in progress
CURRENT_FINAL, CURRENT_IN_PROGRESS = 0.35, 0.3

REASON_WEIGHTS = [
    (DowngradeReason.STATUTORY_TIMESCALES, 0.26),
    (DowngradeReason.OUTDATED_PLAN, 0.22),
    (DowngradeReason.NO_REFLECTIVE_SUPERVISION, 0.2),
    (DowngradeReason.POOR_RECORDING, 0.16),
    (DowngradeReason.INSUFFICIENT_DIRECT_WORK, 0.13),
    (DowngradeReason.OTHER, 0.03),
]

DOWN_OVERALL = [
    "Statutory visits were out of timescale for two months and this is not reflected in the grade.",
    "The plan has not been reviewed since the last conference, so the child's current "
    "needs are not driving the work.",
    "Supervision records are task-focused with no reflection on the child's lived "
    "experience; this limits the grade.",
    "The assessment is out of date and does not reflect the recent change in the family's "
    "circumstances.",
    "There is little direct work recorded with the child, so their voice is not evident in "
    "planning.",
    "Case recording is sparse over the last three months; the evidence does not support "
    "the auditor's grade.",
]
UP_OVERALL = [
    "The evidence shows consistent, purposeful visits and a plan that is making a "
    "difference: the practice is stronger than graded.",
    "Direct work with the child is of high quality and clearly shapes the plan; the "
    "auditor under-graded the impact.",
    "Management oversight is clear and timely, with reflective supervision that moves the plan on.",
]
DOWN_DOMAIN = [
    "{domain}: the evidence cited does not meet the descriptor for the grade given.",
    "{domain}: timescales were missed in the period audited.",
    "{domain}: recording is too thin to show the impact on the child.",
    "{domain}: the records show gaps the audit does not weigh.",
]
UP_DOMAIN = [
    "{domain}: the evidence meets the descriptor for the higher grade.",
    "{domain}: strong, child-focused practice is evident throughout the period.",
]
FEEDBACK_AGREED = [
    "A well-evidenced audit: the grades follow clearly from what you found. Thank you.",
    "Clear, balanced judgements linked to the descriptors. The panel agreed throughout.",
    "Good use of the child's own words to support the grades. Agreed at panel.",
    "Thorough audit with a helpful summary of strengths. No changes needed.",
]
FEEDBACK_DOWN = [
    "Check statutory timescales before settling on a grade: a lapse limits the judgement "
    "whatever the quality of the work.",
    "Weigh how current the plan and assessment are: an out-of-date plan rarely supports Good.",
    "Look for reflection in supervision, not only actions: the descriptors ask for it.",
    "The strengths you found are real; the grade needs to reflect the gaps too. Do talk it "
    "through with your moderator.",
]
FEEDBACK_UP = [
    "You were cautious: the evidence you recorded supports a higher grade. Trust the descriptors.",
    "Your evidence is strong: credit the impact on the child in the grade as well.",
]
LOOP_OUTCOMES = [
    "Discussed at panel: both auditors agreed the plan's review date was decisive; "
    "Requires Improvement is the right grade.",
    "Discussed at panel: the difference came from weighing the supervision records; the "
    "panel agreed the lower grade and shared the learning.",
    "Discussed at panel: one auditor had not seen the latest assessment; the panel agreed "
    "the grade after reading it together.",
]


def delete_moderation_data() -> None:
    """Remove everything this app holds, before the demo's people and audits go."""
    LoopedAudit.objects.all().delete()
    ModerationReview.objects.all().delete()
    Panel.objects.all().delete()
    Pairing.objects.all().delete()
    EndorsementOverride.objects.all().delete()
    ModeratorCapacity.objects.all().delete()


def _moment(day: datetime.date, today: datetime.date, rng: random.Random) -> datetime.datetime:
    """An aware time in working hours on ``day``, never after today's start."""
    day = min(day, today)
    if day == today:
        naive = datetime.datetime.combine(day, datetime.time(0, rng.randint(0, 59)))
    else:
        naive = datetime.datetime.combine(day, datetime.time(9)) + datetime.timedelta(
            minutes=rng.randint(0, 480)
        )
    return timezone.make_aware(naive)


def _panel_day(month: datetime.date) -> datetime.date:
    """Panels meet on the third Wednesday of the following month."""
    first = add_months(month, 1)
    return first + datetime.timedelta(days=(2 - first.weekday()) % 7 + 14)


def _deal(n: int) -> list[str]:
    """The outcomes of n reviews in the shares of OUTCOME_WEIGHTS (largest remainder)."""
    raw = [(outcome, share * n) for outcome, share in OUTCOME_WEIGHTS]
    counts = {outcome: int(value) for outcome, value in raw}
    leftover = n - sum(counts.values())
    by_remainder = sorted(raw, key=lambda item: item[1] - int(item[1]), reverse=True)
    for outcome, _ in by_remainder[:leftover]:
        counts[outcome] += 1
    return [outcome for outcome, _ in OUTCOME_WEIGHTS for _ in range(counts[outcome])]


def _shift(grade: str, step: int) -> str:
    rank = grade_rank(grade)
    if rank is None:
        return grade
    new = min(4, max(1, rank + step))
    return {
        4: Grade.OUTSTANDING,
        3: Grade.GOOD,
        2: Grade.REQUIRES_IMPROVEMENT,
        1: Grade.INADEQUATE,
    }[new]


class ModerationYear:
    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng = rng
        self.today = today
        self.this_month = month_start(today)
        self.qa_lead = User.objects.filter(email=demo_email("qa.lead")).first() or (
            User.objects.filter(role_assignments__role=Role.QA_LEAD).order_by("pk").first()
        )
        self.demo_moderator = User.objects.filter(email=demo_email("moderator")).first()
        self.demo_auditor = User.objects.filter(email=demo_email("auditor")).first()
        self.users: dict[int, User] = {}
        self.worked: dict[int, datetime.datetime] = {}  # review id -> when it was done
        self.panel_times: dict[int, datetime.datetime] = {}  # panel id -> when created
        self.demo_regraded = False
        self.dealt: dict[int, str] = {}  # review id -> outcome

    def user(self, pk: int) -> User:
        """One instance per person, so each one's roles are read once."""
        if pk not in self.users:
            self.users[pk] = User.objects.get(pk=pk)
        return self.users[pk]

    # The year ---------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        if self.qa_lead is None:
            return {}
        months = ModerationSettings.load().pairing_months
        first = add_months(self.this_month, -(MONTHS - 1))
        for start in (first, add_months(first, months)):
            pairings_generate(starts_on=start, user=self.qa_lead)
        loops = dict(LOOPS)
        for offset in range(-MONTHS, 0):
            month = add_months(self.this_month, offset)
            if offset in loops:
                self.looped_audit(month, loops[offset])
            if offset == -4:
                self.endorsement_decisions()
            has_audits = Audit.objects.filter(month=month, status=AuditStatus.ACCEPTED).exists()
            if not has_audits:
                continue
            panel = panel_create(
                month=month,
                date=_panel_day(month),
                user=self.qa_lead,
                chair=self.qa_lead if self.rng.random() < 0.6 else None,
                target_share=self.rng.choice(TARGET_SHARES),
            )
            self.panel_times[panel.pk] = _moment(
                add_months(month, 1) + datetime.timedelta(days=self.rng.randint(0, 4)),
                self.today,
                self.rng,
            )
            if offset == -1:
                self.current_panel(panel)
            else:
                self.past_panel(panel, last=offset == -2)
        self.backdate()
        return {
            "panels": Panel.objects.count(),
            "reviews": ModerationReview.objects.count(),
            "final": ModerationReview.objects.filter(status=ReviewStatus.FINAL).count(),
            "looped": LoopedAudit.objects.count(),
        }

    # Panels ------------------------------------------------------------------------------

    def past_panel(self, panel: Panel, last: bool) -> None:
        """Moderate every review; the panel is then closed. On the most recent
        one the demo auditor's audit is added by hand if the target share left it out."""
        if last and self.demo_auditor is not None:
            self.add_demo_auditors_audit(panel)
        reviews = self.reviews(panel)
        self.deal_outcomes(reviews)
        for review in reviews:
            if review.moderator_id is not None:
                self.moderate(review, panel, finalise=True)
        self.discuss_loops(panel)
        Panel.objects.filter(pk=panel.pk).update(status=PanelStatus.CLOSED)

    def current_panel(self, panel: Panel) -> None:
        """Last month's panel, meeting this month: some reviews done, some in progress,
        the rest not started; the demo moderator has reviews waiting."""
        self.give_demo_moderator_reviews(panel)
        reviews = self.reviews(panel)
        self.deal_outcomes(reviews)
        mine = [r for r in reviews if r.moderator_id == getattr(self.demo_moderator, "pk", None)]
        others = [r for r in reviews if r not in mine and r.moderator_id is not None]
        final = round(len(others) * CURRENT_FINAL)
        started = round(len(others) * CURRENT_IN_PROGRESS)
        for review in others[:final]:
            self.moderate(review, panel, finalise=True)
        for review in others[final : final + started]:
            self.moderate(review, panel, finalise=False)
        if len(mine) > 2:
            self.moderate(mine[-1], panel, finalise=False)

    def reviews(self, panel: Panel) -> list[ModerationReview]:
        return list(
            panel.reviews.select_related("audit")
            .prefetch_related("domain_grades__domain")
            .order_by("pk")
        )

    def deal_outcomes(self, reviews: list[ModerationReview]) -> None:
        """Deal the outcomes of OUTCOME_WEIGHTS to the reviews of each original grade, in
        a random order."""
        by_grade: dict[str, list[ModerationReview]] = {}
        for review in reviews:
            by_grade.setdefault(review.original_grade, []).append(review)
        for grade in sorted(by_grade):
            outcomes = _deal(len(by_grade[grade]))
            self.rng.shuffle(outcomes)
            self.dealt.update(zip((r.pk for r in by_grade[grade]), outcomes, strict=True))

    def add_demo_auditors_audit(self, panel: Panel) -> None:
        audit = (
            Audit.objects.filter(
                month=panel.month,
                auditor=self.demo_auditor,
                status=AuditStatus.ACCEPTED,
                moderation_review__isnull=True,
            )
            .order_by("pk")
            .first()
        )
        if audit is not None and panel.moderators.exists():
            panel_add_audit(panel=panel, audit=audit, user=self.qa_lead)

    def give_demo_moderator_reviews(self, panel: Panel) -> None:
        moderator = self.demo_moderator
        if moderator is None or not moderator.has_role(Role.MODERATOR):
            return
        panel.moderators.add(moderator)
        theirs = panel.reviews.filter(moderator=moderator).count()
        candidates = list(
            panel.reviews.exclude(moderator=moderator)
            .exclude(audit__auditor=moderator)
            .order_by("-pk")[: max(0, 4 - theirs)]
        )
        for review in candidates:
            review_reassign(review=review, moderator=moderator, user=self.qa_lead)

    # One review --------------------------------------------------------------------------

    def plan(
        self, review: ModerationReview, outcome: str | None = None
    ) -> tuple[str, dict, list[str]]:
        """The overall grade after moderation, each domain's (grade, rationale), and
        the reasons: domain regrades follow the overall one."""
        rng = self.rng
        original = review.original_grade
        outcome = (
            outcome
            or self.dealt.get(review.pk)
            or rng.choices(*zip(*OUTCOME_WEIGHTS, strict=True))[0]
        )
        step = {"agreed": 0, "down": -1, "up": 1}[outcome]
        overall = _shift(original, step)
        if overall == original:  # already at the top or the bottom: agreed
            step = 0
        rows = list(review.domain_grades.all())
        domains = {row.domain_id: (row.original_grade, "") for row in rows}
        graded = [row for row in rows if grade_rank(row.original_grade)]
        if step and graded:
            # Domains at or on the wrong side of the new overall grade move with it.
            movable = [
                row
                for row in graded
                if (step < 0 and grade_rank(row.original_grade) >= grade_rank(overall))
                or (step > 0 and grade_rank(row.original_grade) <= grade_rank(overall))
            ] or graded
            for row in rng.sample(movable, min(len(movable), rng.choice([1, 1, 2]))):
                new = _shift(row.original_grade, step)
                bank = DOWN_DOMAIN if step < 0 else UP_DOMAIN
                why = (
                    rng.choice(bank).format(domain=row.domain.name)
                    if new != row.original_grade
                    else ""
                )
                domains[row.domain_id] = (new, why)
        elif graded and rng.random() < 0.1:
            row = rng.choice(graded)
            direction = rng.choice([-1, -1, 1])
            new = _shift(row.original_grade, direction)
            if new != row.original_grade:
                bank = DOWN_DOMAIN if direction < 0 else UP_DOMAIN
                domains[row.domain_id] = (new, rng.choice(bank).format(domain=row.domain.name))
        went_down = grade_rank(overall) < grade_rank(original) if grade_rank(original) else False
        went_down = went_down or any(
            grade_rank(new) and grade_rank(old) and grade_rank(new) < grade_rank(old)
            for (new, _), old in ((domains[row.domain_id], row.original_grade) for row in rows)
        )
        reasons = []
        if went_down:
            choices, weights = zip(*REASON_WEIGHTS, strict=True)
            reasons = sorted({rng.choices(choices, weights)[0] for _ in range(rng.choice([1, 2]))})
        return overall, domains, reasons

    def forced_outcome(self, review: ModerationReview, panel: Panel) -> str | None:
        """The demo auditor's first audit moderated in the last six months goes down a
        grade, so there is a regrade to read as well as agreements."""
        auditor = self.demo_auditor
        if (
            auditor is None
            or self.demo_regraded
            or review.audit.auditor_id != auditor.pk
            or panel.month < add_months(self.this_month, -6)
            or review.original_grade == Grade.INADEQUATE
        ):
            return None
        self.demo_regraded = True
        return "down"

    def moderate(self, review: ModerationReview, panel: Panel, finalise: bool) -> None:
        rng = self.rng
        moderator = self.user(review.moderator_id)
        overall, domains, reasons = self.plan(review, self.forced_outcome(review, panel))
        changed = overall != review.original_grade
        if changed:
            rationale = rng.choice(
                DOWN_OVERALL
                if grade_rank(overall) < grade_rank(review.original_grade)
                else UP_OVERALL
            )
            feedback = rng.choice(
                FEEDBACK_DOWN
                if grade_rank(overall) < grade_rank(review.original_grade)
                else FEEDBACK_UP
            )
        else:
            rationale = ""
            feedback = rng.choice(FEEDBACK_DOWN if reasons else FEEDBACK_AGREED)
        when = _moment(panel.date + datetime.timedelta(days=rng.randint(-2, 3)), self.today, rng)
        # The auditor was told at the time; nothing is sent now.
        ModerationReview.objects.filter(pk=review.pk).update(auditor_notified_at=when)
        saved = review_save(
            review=review,
            user=moderator,
            moderated_grade=overall,
            rationale=rationale,
            feedback=feedback if finalise or rng.random() < 0.5 else "",
            domain_grades=domains,
            reasons=reasons,
        )
        self.worked[review.pk] = when
        if finalise:
            # An audit with a domain left ungraded stays in progress, as it would in life.
            with contextlib.suppress(ValidationError):
                review_finalise(review=saved, user=moderator, now=when)

    # Looped audits and endorsement -------------------------------------------------------

    def looped_audit(self, month: datetime.date, matched: bool) -> None:
        """Two auditors audit the same child in ``month``, each filling in the audit from
        the same records; their grades match or differ."""
        # The first accepted audit of the month whose team has a child not audited in
        # the last six months (a team audited every month may have none).
        donor = child = None
        for candidate in (
            Audit.objects.filter(month=month, status=AuditStatus.ACCEPTED)
            .select_related("template", "child")
            .order_by("pk")
        ):
            child = (
                Child.objects.filter(team=candidate.team_id, is_open=True)
                .exclude(audits__month__gte=add_months(month, -6))
                .order_by("case_reference")
                .first()
            )
            if child is not None:
                donor = candidate
                break
        if donor is None:
            return
        auditors = list(
            User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR)
            .exclude(pk__in=[donor.auditor_id, getattr(self.demo_auditor, "pk", None)])
            .exclude(team=donor.team_id)
            .distinct()
            .order_by("pk")
        )
        if len(auditors) < 2 or child is None:
            return
        first, second = self.rng.sample(auditors, 2)
        loop = loop_create(
            child=child,
            auditors=(first, second),
            template=donor.template,
            month=month,
            due_date=donor.due_date,
            user=self.qa_lead,
        )
        step = 0 if matched else self.rng.choice([-1, 1])
        for audit, shift in ((loop.first, 0), (loop.second, step)):
            self.copy_audit(donor, audit, shift)
        loop_check(audit=loop.second)

    def copy_audit(self, donor: Audit, audit: Audit, step: int) -> None:
        """Fill ``audit`` as an accepted audit from the same records as ``donor``,
        its overall grade and one domain ``step`` grades apart."""
        gradings = list(DomainGrading.objects.filter(audit=donor).order_by("domain__name"))
        moved = self.rng.choice(gradings).domain_id if gradings and step else None
        DomainGrading.objects.bulk_create(
            DomainGrading(
                audit=audit,
                domain_id=g.domain_id,
                grade=_shift(g.grade, step) if g.domain_id == moved else g.grade,
                ri_band=g.ri_band,
                evidence=g.evidence,
            )
            for g in gradings
        )
        Answer.objects.bulk_create(
            Answer(audit=audit, question_id=a.question_id, value=a.value, comment=a.comment)
            for a in Answer.objects.filter(audit=donor)
        )
        record_rows(DomainGrading.objects.filter(audit=audit), change="+")
        record_rows(Answer.objects.filter(audit=audit), change="+")
        for name in (
            "overall_ri_band",
            "overall_rationale",
            "strengths",
            "areas_for_development",
            "social_worker_involved",
            "team_manager_involved",
            "iro_involved",
            "child_spoken_to",
            "child_not_spoken_reason",
            "parent_carer_spoken_to",
            "parent_not_spoken_reason",
            "started_at",
            "submitted_at",
            "completed_on",
            "accepted_at",
        ):
            setattr(audit, name, getattr(donor, name))
        audit.overall_grade = _shift(donor.overall_grade, step)
        audit.status = AuditStatus.ACCEPTED
        audit.accepted_by = self.qa_lead
        audit.save()
        GradeChange.objects.bulk_create(
            GradeChange(
                audit=audit,
                domain_id=g.domain_id,
                new_grade=g.grade,
                stage=GradeChangeStage.SUBMITTED,
                changed_by=audit.auditor,
                changed_at=audit.submitted_at or timezone.now(),
            )
            for g in [None, *DomainGrading.objects.filter(audit=audit)]
            if g is not None
        )
        GradeChange.objects.create(
            audit=audit,
            new_grade=audit.overall_grade,
            stage=GradeChangeStage.SUBMITTED,
            changed_by=audit.auditor,
            changed_at=audit.submitted_at or timezone.now(),
        )

    def discuss_loops(self, panel: Panel) -> None:
        for loop in LoopedAudit.objects.filter(panel=panel, status=LoopStatus.DIFFERS).order_by(
            "pk"
        ):
            loop_record_outcome(
                loop=loop, user=self.qa_lead, outcome=self.rng.choice(LOOP_OUTCOMES)
            )
            LoopedAudit.objects.filter(pk=loop.pk).update(
                outcome_at=_moment(panel.date, self.today, self.rng)
            )

    def endorsement_decisions(self) -> None:
        """The QA Lead endorses one experienced auditor and keeps one new auditor in
        routine moderation."""
        auditors = list(
            User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR)
            .exclude(
                pk__in=[getattr(u, "pk", None) for u in (self.demo_auditor, self.demo_moderator)]
            )
            .distinct()
            .order_by("pk")
        )
        if len(auditors) < 2:
            return
        endorsed, not_endorsed = self.rng.sample(auditors, 2)
        endorsement_override_set(
            auditor=endorsed,
            endorsed=True,
            reason="Consistently accurate grading at panel over the last year; spot-check "
            "one audit a quarter.",
            user=self.qa_lead,
        )
        endorsement_override_set(
            auditor=not_endorsed,
            endorsed=False,
            reason="New to auditing this year: keep moderating every audit while they build "
            "confidence.",
            user=self.qa_lead,
        )

    # Times -------------------------------------------------------------------------------

    def backdate(self) -> None:
        """Give panels, reviews, their events and the grade changes and audit events
        they made the time the work was done, instead of the time the demo was built."""
        for pk, created in self.panel_times.items():
            Panel.objects.filter(pk=pk).update(created_at=created)
        reviews = list(ModerationReview.objects.filter(panel__in=self.panel_times))
        created = {}
        for review in reviews:
            review.created_at = created[review.pk] = self.panel_times[review.panel_id]
            if review.finalised_at and review.pk in self.worked:
                review.finalised_at = self.worked[review.pk]
        ModerationReview.objects.bulk_update(
            reviews, ["created_at", "finalised_at"], batch_size=500
        )
        events = list(ReviewEvent.objects.filter(review__in=created))
        for event in events:
            done = self.worked.get(event.review_id)
            if event.kind == ReviewEventKind.ASSIGNED or done is None:
                event.at = created[event.review_id]
            else:
                event.at = done + datetime.timedelta(
                    minutes=5 if event.kind == ReviewEventKind.FINALISED else 0
                )
        ReviewEvent.objects.bulk_update(events, ["at"], batch_size=500)
        by_audit = {r.audit_id: r.pk for r in reviews if r.pk in self.worked}
        changes = list(
            GradeChange.objects.filter(audit__in=by_audit, stage=GradeChangeStage.MODERATED)
        )
        for change in changes:
            change.changed_at = self.worked[by_audit[change.audit_id]] + datetime.timedelta(
                minutes=5
            )
        GradeChange.objects.bulk_update(changes, ["changed_at"], batch_size=500)
        audit_events = list(
            AuditEvent.objects.filter(
                audit__in=by_audit, kind=AuditEventKind.UPDATED, note="Moderated"
            )
        )
        for event in audit_events:
            event.at = self.worked[by_audit[event.audit_id]] + datetime.timedelta(minutes=5)
        AuditEvent.objects.bulk_update(audit_events, ["at"], batch_size=500)


@transaction.atomic
def seed_moderation(rng: random.Random, today: datetime.date) -> dict[str, int]:
    """A year of moderation on the demo audits (see the module's docstring)."""
    return ModerationYear(rng, today).run()
