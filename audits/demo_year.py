"""A year of the demo council's audit programme, ending today.

Twelve published monthly rounds and next month's draft round, with audits in every
state, grades improving over the year so that the final grades (after moderation) come
out in the proportions of a real council's year (about 4% Outstanding, 33% Good, 46%
Requires Improvement, 17% Inadequate), domain grades close to the overall grade, and
the events, grade history, actions and replies a year of work leaves behind. As in real
councils' years: Good rises over the year, one team's practice is weaker than the rest,
and the summer holiday month has few audits.
Deterministic: only ``rng`` and ``today`` decide anything.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import JobTitle, Role, Team, User
from common.dates import add_months, month_end, month_start, months_between

from .models import (
    Audit,
    AuditStatus,
    AuditTemplate,
    Child,
    Grade,
    LegalStatus,
    ProgrammeSettings,
    RIBand,
    grade_rank,
)
from .selectors import template_structure
from .template_library import CHILD_JOURNEY_AUDIT, LEAVING_CARE_AUDIT

#: the share of each overall grade the auditors give in the first month of the year and
#: in the last, and in between in proportion. Moderation then moves about a fifth of the
#: audits it reviews down a grade and a twelfth up (moderation.demo), so that the final
#: grades follow a real council's year: Inadequate at most about 30% of a month early on
#: (the seed's worst quarter: 20 of 70) and about 10% late, Good or better rising from
#: about 15% to over 50%, and the year about 4% Outstanding, 33% Good, 46% Requires
#: Improvement and 17% Inadequate.
EARLY_GRADES = [
    (Grade.OUTSTANDING, 0.0),
    (Grade.GOOD, 0.12),
    (Grade.REQUIRES_IMPROVEMENT, 0.78),
    (Grade.INADEQUATE, 0.10),
]
LATE_GRADES = [
    (Grade.OUTSTANDING, 0.07),
    (Grade.GOOD, 0.60),
    (Grade.REQUIRES_IMPROVEMENT, 0.28),
    (Grade.INADEQUATE, 0.05),
]
TEAMS_PER_MONTH = 13
PER_TEAM = 2
FIRST_OFFSET, LAST_OFFSET = -11, 1  # twelve months ending this month, and next month
GRADED_STATUSES = (AuditStatus.SUBMITTED, AuditStatus.ACCEPTED, AuditStatus.RETURNED)
RANK_GRADE = {
    4: Grade.OUTSTANDING,
    3: Grade.GOOD,
    2: Grade.REQUIRES_IMPROVEMENT,
    1: Grade.INADEQUATE,
}

# Practice is a little stronger in some service areas and some domains (as in the seeds:
# visits and diversity strongest, supervision and assessment weakest).
AREA_EFFECT = {
    "Early Help": 0.35,
    "Disabled Children": 0.2,
    "Children in Care": 0.1,
    "Leaving Care": 0.0,
    "Safeguarding and Family Support": -0.1,
    "Front Door and Assessment": -0.25,
}
DOMAIN_BIAS = {"Visits": 0.08, "Supervision": -0.08, "Assessments": -0.05}
#: the team whose practice is weaker: mostly Inadequate or the lower band of RI
WEAK_TEAM = "Child Protection 2"
WEAK_TEAM_EFFECT = -1.5
WEAK_TEAM_LOWER_RI = 0.8
#: elsewhere, the share of Requires Improvement in the lower band
LOWER_RI = 0.3
#: the month with few audits (leave and holidays): its round has a quarter of the teams
QUIET_MONTH = 8
QUIET_SHARE = 4

# What the demo auditor has on their list: (month offset, status)
DEMO_AUDITOR_AUDITS = [
    (-10, AuditStatus.ACCEPTED),
    (-8, AuditStatus.ACCEPTED),
    (-6, AuditStatus.ACCEPTED),
    (-4, AuditStatus.ACCEPTED),
    (-3, AuditStatus.ACCEPTED),
    (-1, AuditStatus.RETURNED),
    (0, AuditStatus.SUBMITTED),
    (0, AuditStatus.IN_PROGRESS),
    (0, AuditStatus.ALLOCATED),
]


@dataclass
class Slot:
    """One planned audit, filled in step by step before it is written."""

    offset: int
    month: datetime.date
    child: Child
    template: AuditTemplate
    status: str = AuditStatus.ALLOCATED
    auditor: User | None = None
    overall: str = ""
    ri_band: str = ""
    completed_on: datetime.date | None = None
    domain_grades: dict[int, str] = field(default_factory=dict)
    forced: bool = False
    reply: bool = False
    reaudit_of: Slot | None = None
    audit: Audit | None = None


@dataclass
class YearSummary:
    rounds: int
    audits: int
    featured_social_worker: User | None


def moment(day: datetime.date, today: datetime.date, minutes: int) -> datetime.datetime:
    """An aware time on ``day`` (never after today): working hours, or just after
    midnight today (and never after now, when the demo is built in that hour)."""
    day = min(day, today)
    start = datetime.time(0, 0) if day == today else datetime.time(9, 0)
    minutes = minutes % 60 if day == today else minutes % 480
    naive = datetime.datetime.combine(day, start) + datetime.timedelta(minutes=minutes)
    at = timezone.make_aware(naive)
    return min(at, timezone.now()) if day == today else at


def month_grades(offset: int) -> list[tuple[str, float]]:
    """The share of each grade the auditors give in the month ``offset`` months from
    this one: from EARLY_GRADES in the year's first month to LATE_GRADES in this one."""
    progress = min(1.0, max(0.0, (offset - FIRST_OFFSET) / -FIRST_OFFSET))
    return [
        (grade, early + (late - early) * progress)
        for (grade, early), (_, late) in zip(EARLY_GRADES, LATE_GRADES, strict=True)
    ]


def _quota(n: int, shares: list[tuple[str, float]]) -> list[str]:
    """Exactly n grades in the proportions given, best first (largest remainder)."""
    raw = [(grade, share * n) for grade, share in shares]
    counts = {grade: int(value) for grade, value in raw}
    leftover = n - sum(counts.values())
    by_remainder = sorted(raw, key=lambda item: item[1] - int(item[1]), reverse=True)
    for grade, _ in by_remainder[:leftover]:
        counts[grade] += 1
    return [grade for grade, _ in shares for _ in range(counts[grade])]


class AuditYearPlan:
    """Who audits which child, when, in what state and with what grades."""

    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng = rng
        self.today = today
        self.this_month = month_start(today)
        self.settings = ProgrammeSettings.load()
        self.qa_lead = User.objects.filter(email=demo_email("qa.lead")).first() or (
            User.objects.filter(role_assignments__role=Role.QA_LEAD).order_by("pk").first()
        )
        self.demo_auditor = User.objects.filter(email=demo_email("auditor")).first()
        self.director = User.objects.filter(job_title=JobTitle.DIRECTOR).order_by("pk").first()
        self.templates = {
            family: template_structure(
                AuditTemplate.objects.filter(family=family, is_active=True).get()
            )
            for family in (CHILD_JOURNEY_AUDIT, LEAVING_CARE_AUDIT)
        }
        self.teams = list(
            Team.objects.filter(is_active=True)
            .select_related("service_area", "manager")
            .order_by("pk")
        )
        self.team_by_id = {team.pk: team for team in self.teams}
        self.children_by_team: dict[int, list[Child]] = {}
        for child in Child.objects.filter(is_open=True).order_by("case_reference"):
            self.children_by_team.setdefault(child.team_id, []).append(child)
        self.auditors = list(
            User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR)
            .exclude(pk=getattr(self.demo_auditor, "pk", None))
            .distinct()
            .order_by("pk")
        )
        self.users_by_id = {user.pk: user for user in User.objects.all()}

    # Planning -------------------------------------------------------------------------

    def month(self, offset: int) -> datetime.date:
        return add_months(self.this_month, offset)

    def due_date(self, month: datetime.date) -> datetime.date:
        return month_end(month) + datetime.timedelta(days=self.settings.days_to_complete)

    def _template_for(self, child: Child) -> AuditTemplate:
        family = (
            LEAVING_CARE_AUDIT
            if child.legal_status == LegalStatus.CARE_LEAVER
            else CHILD_JOURNEY_AUDIT
        )
        return self.templates[family]

    def featured_social_worker(self) -> tuple[User | None, list[Child]]:
        """A social worker in the demo team manager's team, with the children whose
        accepted audits they will have replied to."""
        team = Team.objects.filter(manager__email=demo_email("team.manager")).first()
        if team is None:
            return None, []
        children = self.children_by_team.get(team.pk, [])
        for title in (JobTitle.SOCIAL_WORKER, JobTitle.ADVANCED_PRACTITIONER):
            for worker in User.objects.filter(team=team, job_title=title).order_by("pk"):
                theirs = [c for c in children if c.social_worker_id == worker.pk]
                if theirs and worker != self.demo_auditor:
                    return worker, theirs[:3]
        return None, []

    def _eligible(self, team: Team, month: datetime.date, last_audited) -> list[Child]:
        """The team's children not audited within the no-repeat window."""
        return [
            child
            for child in self.children_by_team.get(team.pk, [])
            if child.pk not in last_audited
            or months_between(last_audited[child.pk], month) >= self.settings.no_repeat_months
        ]

    def plan(self) -> list[Slot]:
        """Each month, PER_TEAM children from each of the next teams in rotation (and from
        the weaker team every month; a quarter of the teams in the quiet month), never a
        child audited in the last twelve months. A smaller council (fewer children) gets
        fewer teams a month, so that every month, this one and the next included, has
        audits."""
        featured, preferred = self.featured_social_worker()
        self.featured = featured
        preferred = list(preferred)
        last_audited: dict[int, datetime.date] = {}
        slots: list[Slot] = []
        months = LAST_OFFSET - FIRST_OFFSET + 1
        children = sum(len(c) for c in self.children_by_team.values())
        count = max(1, min(TEAMS_PER_MONTH, len(self.teams), children // (months * PER_TEAM)))
        pointer = 0
        quiet = self.quiet_offset()
        weak = next((t for t in self.teams if t.name == WEAK_TEAM), None)
        for offset in range(FIRST_OFFSET, LAST_OFFSET + 1):
            month = self.month(offset)
            wanted = max(1, count // QUIET_SHARE) if offset == quiet else count
            chosen: list[tuple[Team, list[Child]]] = []
            for _ in range(len(self.teams)):
                if len(chosen) == wanted:
                    break
                team = self.teams[pointer % len(self.teams)]
                pointer += 1
                eligible = self._eligible(team, month, last_audited)
                if eligible:
                    chosen.append((team, eligible))
            # The team whose practice is weaker is audited every month.
            if weak is not None and all(team != weak for team, _ in chosen):
                eligible = self._eligible(weak, month, last_audited)
                if eligible:
                    chosen.append((weak, eligible))
            for _team, eligible in chosen:
                picks = []
                if offset <= -2:
                    picks = [c for c in preferred if c in eligible][:PER_TEAM]
                    for child in picks:
                        preferred.remove(child)
                rest = [c for c in eligible if c not in picks]
                picks += self.rng.sample(rest, min(PER_TEAM - len(picks), len(rest)))
                for child in picks:
                    last_audited[child.pk] = month
                    slot = Slot(offset, month, child, self._template_for(child))
                    slot.reply = featured is not None and child.social_worker_id == featured.pk
                    slots.append(slot)
        return slots

    def quiet_offset(self) -> int:
        """The month of the year with few audits: the last August whose audits are all
        completed (two months ago or earlier), else six months ago."""
        for offset in range(-2, FIRST_OFFSET - 1, -1):
            if self.month(offset).month == QUIET_MONTH:
                return offset
        return -6

    def assign_statuses(self, slots: list[Slot]) -> None:
        by_offset: dict[int, list[Slot]] = {}
        for slot in slots:
            by_offset.setdefault(slot.offset, []).append(slot)
        for offset, month_slots in by_offset.items():
            statuses = self._statuses(offset, len(month_slots))
            for slot, status in zip(month_slots, statuses, strict=True):
                slot.status = status
            for slot in month_slots:
                if slot.reply:
                    slot.status, slot.forced = AuditStatus.ACCEPTED, True
        demo = self.demo_auditor
        if demo is None:
            return
        for offset, status in DEMO_AUDITOR_AUDITS:
            slot = next(
                (
                    s
                    for s in by_offset.get(offset, [])
                    if not s.forced
                    and s.child.team_id != demo.team_id
                    and s.child.social_worker_id != demo.pk
                ),
                None,
            )
            if slot is not None:
                slot.status, slot.auditor, slot.forced = status, demo, True

    def _statuses(self, offset: int, n: int) -> list[str]:
        if offset > 0:
            return [AuditStatus.PROPOSED] * n
        if offset == 0:
            submitted = round(n * 0.2) if self.today.day > 1 else 0
            in_progress = round(n * 0.35)
            statuses = (
                [AuditStatus.SUBMITTED] * submitted
                + [AuditStatus.IN_PROGRESS] * in_progress
                + [AuditStatus.ALLOCATED] * (n - submitted - in_progress)
            )
        else:
            if offset == -1:
                special = [AuditStatus.SUBMITTED] * 3 + [AuditStatus.RETURNED] * 2
                special += [AuditStatus.IN_PROGRESS, AuditStatus.CANCELLED]
            elif offset == -2:
                special = [AuditStatus.SUBMITTED, AuditStatus.RETURNED, AuditStatus.EXEMPTED]
            else:
                special = (
                    [self.rng.choice([AuditStatus.CANCELLED, AuditStatus.EXEMPTED])]
                    if self.rng.random() < 0.7
                    else []
                )
            special = special[:n]
            statuses = special + [AuditStatus.ACCEPTED] * (n - len(special))
        self.rng.shuffle(statuses)
        return statuses

    def completed_on(self, slot: Slot) -> datetime.date:
        """The day a graded audit was completed (decided once): this month's so far;
        last month's still with the QA Lead in the days before its due date; the rest
        from twelve days before their due date to six days after it."""
        if slot.completed_on is None:
            rng, due = self.rng, self.due_date(slot.month)
            if slot.offset == 0:
                done = self.this_month + datetime.timedelta(
                    days=rng.randint(0, max(0, self.today.day - 1))
                )
            elif slot.offset == -1 and slot.status != AuditStatus.ACCEPTED:
                done = due - datetime.timedelta(days=rng.randint(0, 6))
            else:
                done = due + datetime.timedelta(days=rng.randint(-12, 6))
            slot.completed_on = min(done, self.today)
        return slot.completed_on

    def assign_auditors(self, slots: list[Slot]) -> None:
        total: dict[int, int] = {}
        for offset in range(FIRST_OFFSET, LAST_OFFSET + 1):
            this_month: dict[int, int] = {}
            for slot in (s for s in slots if s.offset == offset and s.auditor is None):
                child = slot.child
                candidates = [
                    a
                    for a in self.auditors
                    if a.team_id != child.team_id
                    and a.pk != child.social_worker_id
                    and not (a.is_part_time and offset % 2)
                ] or self.auditors
                slot.auditor = min(
                    candidates,
                    key=lambda a: (
                        this_month.get(a.pk, 0),
                        total.get(a.pk, 0),
                        self.rng.random(),
                    ),
                )
                this_month[slot.auditor.pk] = this_month.get(slot.auditor.pk, 0) + 1
                total[slot.auditor.pk] = total.get(slot.auditor.pk, 0) + 1

    def assign_grades(self, slots: list[Slot]) -> None:
        """The audits completed in each month get that month's mix of grades
        (month_grades: the figures count audits by the month they were completed in), the
        better grades going to the stronger service areas more often and to the weaker
        team less often."""
        graded = [s for s in slots if s.status in GRADED_STATUSES and not s.overall]

        def score(slot):
            team = self.team_by_id[slot.child.team_id]
            return (
                AREA_EFFECT.get(team.service_area.name, 0.0)
                + (WEAK_TEAM_EFFECT if team.name == WEAK_TEAM else 0.0)
                + self.rng.gauss(0, 1)
            )

        by_offset: dict[int, list[Slot]] = {}
        for slot in graded:
            done = month_start(self.completed_on(slot))
            by_offset.setdefault(months_between(self.this_month, done), []).append(slot)
        for offset, month_slots in sorted(by_offset.items()):
            scored = sorted(
                month_slots, key=lambda s: (score(s), s.child.case_reference), reverse=True
            )
            grades = _quota(len(scored), month_grades(offset))
            for slot, grade in zip(scored, grades, strict=True):
                slot.overall = grade
        for slot in graded:
            self.grade_domains(slot)

    def grade_domains(self, slot: Slot) -> None:
        rank = grade_rank(slot.overall)
        if slot.overall == Grade.REQUIRES_IMPROVEMENT:
            weak = self.team_by_id[slot.child.team_id].name == WEAK_TEAM
            lower = self.rng.random() < (WEAK_TEAM_LOWER_RI if weak else LOWER_RI)
            slot.ri_band = RIBand.LOWER if lower else RIBand.UPPER
        for section in slot.template.sections.all():
            if not section.domain_id:
                continue
            name = section.domain.name
            if name == "Meetings & Reviews" and self.rng.random() < 0.03:
                slot.domain_grades[section.domain_id] = Grade.NOT_GRADED
                continue
            bias = DOMAIN_BIAS.get(name, 0.0)
            delta = self.rng.choices(
                [-2, -1, 0, 1, 2], weights=[0.03, 0.2 - bias, 0.55, 0.19 + bias, 0.03]
            )[0]
            slot.domain_grades[section.domain_id] = RANK_GRADE[min(4, max(1, rank + delta))]

    def add_reaudits(self, slots: list[Slot]) -> list[Slot]:
        """Re-audit up to two Inadequate audits three months on: ad hoc, accepted."""
        candidates = [
            s
            for s in slots
            if s.overall == Grade.INADEQUATE
            and s.status == AuditStatus.ACCEPTED
            and -9 <= s.offset <= -5
        ][:2]
        reaudits = []
        for original in candidates:
            slot = Slot(
                original.offset + 3,
                self.month(original.offset + 3),
                original.child,
                original.template,
                status=AuditStatus.ACCEPTED,
                auditor=original.auditor,
                overall=self.rng.choice([Grade.REQUIRES_IMPROVEMENT, Grade.GOOD]),
                forced=True,
                reaudit_of=original,
            )
            reaudits.append(slot)
        return reaudits
