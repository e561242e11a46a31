"""A synthetic dataset of N Child Journey Audits and everything around them, for the
benchmark.

Spread over five financial years and the demo's service areas and teams: 5 to 7 domain
grades an audit (its template's domains), about a third moderated at monthly panels,
about two actions an accepted audit with their updates, family feedback for about half
of the completed audits, and Cases of Concern opened by Inadequate audits (a few hundred
open). This month holds open audits for the auditors.

The rows are written with ``bulk_create`` in batches, with their primary keys chosen
here so that later rows can point at earlier ones without reading them back, and
without the services or signals the product runs for one audit at a time: a million
audits must build in minutes. Each batch is generated from its own seeded generator and
thrown away once written, so memory stays flat and the same seed builds the same data.

The dataset's audits are recognised by their reference (``BENCH-0000001``), so
building N again reuses what is there and building more adds only the missing audits.
"""

from __future__ import annotations

import datetime
import queue
import random
import threading
import time
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.demo import seed_organisation
from accounts.models import JobTitle, Role, ServiceArea, Team, User
from actions.models import (
    Action,
    ActionKind,
    ActionUpdate,
    ActionUpdateKind,
    CaseAudit,
    CaseOfConcern,
    CaseUpdate,
)
from actions.status import store_update_dates
from audits.demo import STATUS_MIX
from audits.models import (
    AllocationRound,
    Audit,
    AuditStatus,
    AuditTemplate,
    AuditType,
    Child,
    DomainGrading,
    Grade,
    Involvement,
    LegalStatus,
    NotSpokenReason,
    RIBand,
    RoundStatus,
    TemplateSection,
)
from audits.template_library import install_standard_templates
from audits.template_library.structures import CHILD_JOURNEY_AUDIT, LEAVING_CARE_AUDIT
from common.bulk import copy_in, copy_statement
from common.dates import add_months, month_start
from feedback.models import Answer, Channel, Feedback, NotObtainedReason, Outcome, Respondent
from feedback.models import Source as FeedbackSource
from moderation.models import (
    ModerationReview,
    Panel,
    PanelStatus,
    ReviewDomainGrade,
    ReviewStatus,
)
from moderation.models import Outcome as ReviewOutcome
from reporting import services as reports
from reporting.demo import completed_quarters
from reporting.models import ReportKind

#: every audit of the dataset has a reference starting so, its children a case reference
AUDIT_PREFIX = "BENCH-"
CHILD_PREFIX = "BENCH-C"
#: rows generated and written at a time
BATCH = 5000
#: bytes sent to PostgreSQL at a time while copying
#: the first audits built are open this month, so that the auditor's pages have one
OPEN_FIRST = 10

#: the months the audits spread over: five financial years, ending this month
MONTHS = 60
#: a child is audited about this many times over the five years
AUDITS_PER_CHILD = 5
MIN_CHILDREN = 2000
STAFF = 300

# Grades, best first, with how often auditors give each overall.
LADDER = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE]
OVERALL_WEIGHTS = [8, 50, 32, 10]
#: the share of completed audits moderated
MODERATED = 1 / 3
#: how moderation goes: agreed, downgraded, upgraded
REVIEW_OUTCOMES = [(ReviewOutcome.AGREED, 70), (ReviewOutcome.DOWNGRADED, 18)]
#: actions an accepted audit raises, and how often
ACTIONS_PER_AUDIT = [(0, 10), (1, 25), (2, 30), (3, 25), (4, 10)]
FEEDBACK_SHARE = 0.5
#: the share of Inadequate final grades that open a Case of Concern
CASE_SHARE = 0.5
#: a case opened this recently may still be open (figures count those open over 6 and 12
#: months)
OPEN_CASE_DAYS = 540
REPORTED_QUARTERS = 2

EVIDENCE = {
    Grade.OUTSTANDING: "Visits are purposeful and the child's voice shapes every plan; "
    "the record shows exceptional, creative direct work.",
    Grade.GOOD: "Visits are within timescales, the assessment is current and analytical, "
    "and supervision gives clear direction.",
    Grade.REQUIRES_IMPROVEMENT: "Visits happen but are not always purposeful; the plan is "
    "not updated after the last review and actions drift.",
    Grade.INADEQUATE: "Visits are out of timescale, there is no current assessment and "
    "risks to the child are not understood or acted upon.",
    Grade.NOT_GRADED: "Not graded: there have been no meetings or reviews in the period, "
    "as the case opened recently.",
}
ACTION_TEXTS = [
    "Update the chronology to include the last six months' significant events.",
    "Complete an updated assessment reflecting the child's current circumstances.",
    "Hold a reflective supervision and record the analysis and decisions.",
    "Undertake direct work with the child and record their wishes and feelings.",
    "Review the plan with the family so actions are specific and time-bound.",
]
NOTES = [
    "Discussed in supervision; work under way.",
    "Booked for the next visit.",
    "Chased with the social worker.",
]
RESPONDENTS = [Respondent.MOTHER, Respondent.FATHER, Respondent.CARER, Respondent.CHILD]
FEEDBACK_ANSWERS = [Answer.YES, Answer.YES, Answer.PARTLY, Answer.NO]
FEEDBACK_FIELDS = ("listened", "understood", "improved", "important", "involved", "kept_in_touch")


@dataclass
class _TeamInfo:
    area: int
    manager: int | None
    head_of_service: int | None
    workers: list[int] = field(default_factory=list)


@dataclass
class _World:
    """What the batches draw on: the organisation, templates, rounds, panels, children."""

    today: datetime.date
    tz: datetime.tzinfo
    months: list[datetime.date]  # oldest first; the last is this month
    teams: dict[int, _TeamInfo]
    auditors: list[int]
    moderators: list[int]
    qa_lead: int | None
    templates: dict[str, tuple[int, list[int]]]  # family: (template, its domains)
    rounds: dict[datetime.date, int]
    panels: dict[datetime.date, tuple[int, datetime.date]]
    children: list[tuple] = field(default_factory=list)  # (pk, team, status, worker, born)
    open_case_children: set[int] = field(default_factory=set)
    open_cases_allowed: int = 0

    def at(self, day: datetime.date, minutes: int) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(8), tzinfo=self.tz)
        return moment + datetime.timedelta(minutes=minutes)


class _Keys:
    """The next primary key of each model, so rows can refer to rows not yet written."""

    def __init__(self, models):
        self.next = {m: (m.objects.aggregate(top=Max("pk"))["top"] or 0) + 1 for m in models}

    def take(self, model) -> int:
        pk = self.next[model]
        self.next[model] = pk + 1
        return pk


BUILT_MODELS = [
    Child,
    Audit,
    DomainGrading,
    ModerationReview,
    ReviewDomainGrade,
    Action,
    ActionUpdate,
    Feedback,
    CaseOfConcern,
    CaseAudit,
    CaseUpdate,
]
COUNTED = {
    Audit: "audits",
    DomainGrading: "gradings",
    ModerationReview: "reviews",
    ReviewDomainGrade: "review_grades",
    Action: "actions",
    ActionUpdate: "updates",
    Feedback: "feedback",
    CaseOfConcern: "cases",
    CaseAudit: "case_audits",
    CaseUpdate: "case_updates",
}


def build_dataset(n_audits: int, *, seed: int = 12, stdout=None, reports: bool = False) -> dict:
    """Make sure the database holds the benchmark's ``n_audits`` audits and what goes
    with them, building only what is missing. Returns the counts built this time (all
    zero when the dataset was already there), the children added and the seconds it
    took. ``reports``: also generate the last two completed quarters' reports (their
    figures, not their files), if they have no version yet; this takes as long as the
    report figures do at this size."""
    started = time.monotonic()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")
            stdout.flush()

    counts = dict.fromkeys(COUNTED.values(), 0)
    counts["children"] = counts["reports"] = 0
    have = Audit.objects.filter(reference__startswith=AUDIT_PREFIX).count()
    if have >= n_audits:
        say(f"The benchmark dataset already holds {have:,} audits: nothing to build.")
        return counts | {"existing": have, "seconds": round(time.monotonic() - started, 1)}

    say(f"Building the benchmark dataset: audits {have + 1:,} to {n_audits:,}.")
    with transaction.atomic():
        if not ServiceArea.objects.exists():
            seed_organisation(random.Random(seed), staff_count=STAFF)
        install_standard_templates()
        world = _world(n_audits)
    keys = _Keys(BUILT_MODELS)
    actions_before = Action.objects.aggregate(last=Max("pk"))["last"] or 0
    counts["children"] = _add_children(
        world, keys, max(MIN_CHILDREN, n_audits // AUDITS_PER_CHILD), seed
    )
    world.children = list(
        Child.objects.filter(case_reference__startswith=CHILD_PREFIX)
        .order_by("pk")
        .values_list("pk", "team_id", "legal_status", "social_worker_id", "date_of_birth")
    )
    writer = _Writer(say, started)
    try:
        for start in range(have, n_audits, BATCH):
            stop = min(n_audits, start + BATCH)
            rows = _Batch(world, keys, random.Random(f"{seed}:audits:{start}")).build(start, stop)
            for model, objs in rows.items():
                counts[COUNTED[model]] += len(objs)
            writer.put(
                {model: _prepare(model, objs) for model, objs in rows.items()},
                f"  {stop:,} audits ({stop - have:,} built",
            )
    finally:
        writer.close()
    _reset_sequences()
    # the rows went in without the signals that keep each action's dates with its updates
    store_update_dates(Action.objects.filter(pk__gt=actions_before, updates__isnull=False))
    say(f"  actions' dates stored ({time.monotonic() - started:.0f} s)")
    _analyze()
    say(f"  tables analysed ({time.monotonic() - started:.0f} s)")
    if reports:
        counts["reports"] = _add_reports(world)
        elapsed = time.monotonic() - started
        say(f"  {counts['reports']} quarterly reports generated ({elapsed:.0f} s)")
    counts["seconds"] = round(time.monotonic() - started, 1)
    counts["existing"] = have
    say(
        f"Built {counts['audits']:,} audits, {counts['gradings']:,} domain grades, "
        f"{counts['reviews']:,} moderation reviews, {counts['actions']:,} actions with "
        f"{counts['updates']:,} updates, {counts['feedback']:,} feedback records and "
        f"{counts['cases']:,} Cases of Concern in {counts['seconds']} s."
    )
    return counts


def _quick_commit() -> None:
    """The batch is rebuilt if the server stops before it reaches the disk: do not
    wait for it there."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _prepare(model, rows: list[SimpleNamespace]):
    """The rows ready to write: on PostgreSQL, COPY's text straight from the generated
    values (common.bulk); elsewhere (SQLite, in tests), model instances for
    ``bulk_create``."""
    if connection.vendor != "postgresql":
        return [model(**vars(row)) for row in rows]
    return copy_statement(model, [vars(row) for row in rows])


def _write(model, prepared) -> None:
    if connection.vendor != "postgresql":
        model.objects.bulk_create(prepared, batch_size=BATCH)
        return
    copy_in(*prepared)


class _Writer:
    """Writes the batches in order, each in one transaction. On PostgreSQL, when not
    inside a transaction already, it writes in a thread with its own connection, so the
    next batch is generated while the database stores this one (each takes about half
    the time); at most one batch waits, so memory stays flat."""

    def __init__(self, say, started: float):
        self.say, self.started = say, started
        self.error: BaseException | None = None
        self.threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        if self.threaded:
            self.queue: queue.Queue = queue.Queue(maxsize=1)
            self.thread = threading.Thread(target=self._run, name="benchmark-writer")
            self.thread.start()

    def put(self, batch: dict, message: str) -> None:
        if self.threaded:
            self._hand_over((batch, message))
        else:
            self._store(batch, message)

    def close(self) -> None:
        if self.threaded:
            self._hand_over(None)
            self.thread.join()
            if self.error is not None:
                raise self.error

    def _hand_over(self, item) -> None:
        while True:
            if self.error is not None:
                raise self.error
            try:
                self.queue.put(item, timeout=1)
                return
            except queue.Full:
                continue

    def _run(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                self._store(*item)
        except BaseException as error:
            self.error = error
        finally:
            connection.close()

    def _store(self, batch: dict, message: str) -> None:
        with transaction.atomic():
            _quick_commit()
            for model, prepared in batch.items():
                _write(model, prepared)
        self.say(f"{message}, {time.monotonic() - self.started:.0f} s)")


def _add_reports(world: _World) -> int:
    """The last two completed quarters' reports for the whole organisation, each with
    a first draft version, so that the report pages have one to show."""
    lead = User.objects.filter(pk=world.qa_lead).first()
    made = 0
    for period in reversed(completed_quarters(world.today, REPORTED_QUARTERS)):
        report = reports.report_for(ReportKind.QUARTERLY, period)
        if not report.versions.exists():
            reports.generate(report, by=lead)
            made += 1
    return made


def _analyze() -> None:
    """Give PostgreSQL's planner the new tables' statistics now: until autovacuum gets to
    them, it plans for empty tables and the first pages take seconds, not milliseconds."""
    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in (*BUILT_MODELS, AllocationRound, Panel)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _reset_sequences() -> None:
    """Rows were written with their keys chosen here: move the sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), BUILT_MODELS)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# The world the audits live in ------------------------------------------------------


def _world(n_audits: int) -> _World:
    today = timezone.localdate()
    this_month = month_start(today)
    months = [add_months(this_month, offset) for offset in range(-MONTHS + 1, 1)]
    teams = {
        t.pk: _TeamInfo(t.service_area_id, t.manager_id, t.service_area.head_of_service_id)
        for t in Team.objects.select_related("service_area").order_by("pk")
    }
    for pk, team_id in (
        User.objects.filter(
            is_active=True,
            team__isnull=False,
            job_title__in=[JobTitle.SOCIAL_WORKER, JobTitle.ADVANCED_PRACTITIONER],
        )
        .order_by("pk")
        .values_list("pk", "team_id")
    ):
        teams[team_id].workers.append(pk)

    def with_role(role):
        return list(
            User.objects.filter(is_active=True, role_assignments__role=role)
            .order_by("pk")
            .values_list("pk", flat=True)
            .distinct()
        )

    auditors = with_role(Role.AUDITOR)
    qa_leads = with_role(Role.QA_LEAD)
    world = _World(
        today=today,
        tz=timezone.get_current_timezone(),
        months=months,
        teams=teams,
        auditors=auditors,
        moderators=with_role(Role.MODERATOR) or auditors,
        qa_lead=qa_leads[0] if qa_leads else None,
        templates=_templates(),
        rounds=_rounds(months, qa_leads[0] if qa_leads else None, today),
        panels=_panels(months, qa_leads[0] if qa_leads else None, today),
    )
    world.open_case_children = set(
        CaseOfConcern.objects.filter(resolved_on__isnull=True).values_list("child_id", flat=True)
    )
    # A few hundred open cases at scale, as a council holds; a handful in a small dataset.
    world.open_cases_allowed = max(3, min(400, n_audits // 250)) - len(world.open_case_children)
    return world


def _templates() -> dict[str, tuple[int, list[int]]]:
    result = {}
    for family in (CHILD_JOURNEY_AUDIT, LEAVING_CARE_AUDIT):
        template = (
            AuditTemplate.objects.filter(family=family).order_by("-is_active", "-version").first()
        )
        domains = list(
            TemplateSection.objects.filter(template=template, domain__isnull=False)
            .order_by("order")
            .values_list("domain_id", flat=True)
        )
        result[family] = (template.pk, domains)
    return result


def _rounds(months, qa_lead, today) -> dict[datetime.date, int]:
    existing = dict(AllocationRound.objects.values_list("month", "pk"))
    tz = timezone.get_current_timezone()
    missing = [
        AllocationRound(
            month=month,
            status=RoundStatus.PUBLISHED,
            due_date=add_months(month, 1) - datetime.timedelta(days=1),
            created_by_id=qa_lead,
            created_at=datetime.datetime.combine(
                add_months(month, -1).replace(day=15), datetime.time(10), tzinfo=tz
            ),
            published_by_id=qa_lead,
            published_at=datetime.datetime.combine(
                add_months(month, -1).replace(day=20), datetime.time(10), tzinfo=tz
            ),
        )
        for month in months
        if month not in existing
    ]
    AllocationRound.objects.bulk_create(missing)
    return dict(AllocationRound.objects.values_list("month", "pk"))


def _panel_day(month: datetime.date) -> datetime.date:
    """Panels meet in the third week of the month after the one they moderate."""
    return add_months(month, 1).replace(day=18)


def _panels(months, qa_lead, today) -> dict[datetime.date, tuple[int, datetime.date]]:
    existing = set(Panel.objects.values_list("month", flat=True))
    Panel.objects.bulk_create(
        Panel(
            month=month,
            date=_panel_day(month),
            chair_id=qa_lead,
            status=PanelStatus.CLOSED if _panel_day(month) < today else PanelStatus.PLANNED,
            created_by_id=qa_lead,
        )
        for month in months
        if month not in existing
    )
    return {month: (pk, day) for pk, month, day in Panel.objects.values_list("pk", "month", "date")}


def _add_children(world: _World, keys: _Keys, wanted: int, seed: int) -> int:
    have = Child.objects.filter(case_reference__startswith=CHILD_PREFIX).count()
    teams = list(world.teams.items())
    area_names = dict(ServiceArea.objects.values_list("pk", "name"))
    everyone = [(status, 1) for status in LegalStatus.values]
    for start in range(have, wanted, BATCH):
        rng = random.Random(f"{seed}:children:{start}")
        children = []
        for index in range(start, min(wanted, start + BATCH)):
            team_id, team = teams[index % len(teams)]
            statuses, weights = zip(*STATUS_MIX.get(area_names[team.area], everyone), strict=True)
            status = rng.choices(statuses, weights)[0]
            years = (18, 21) if status == LegalStatus.CARE_LEAVER else (0, 17)
            age_days = rng.randint(years[0] * 365 + 30, years[1] * 365 + 300)
            children.append(
                Child(
                    pk=keys.take(Child),
                    case_reference=f"{CHILD_PREFIX}{index + 1:07d}",
                    team_id=team_id,
                    legal_status=status,
                    date_of_birth=world.today - datetime.timedelta(days=age_days),
                    social_worker_id=rng.choice(team.workers) if team.workers else None,
                )
            )
        with transaction.atomic():
            Child.objects.bulk_create(children, batch_size=BATCH)
    return max(0, wanted - have)


# One batch of audits and everything around them ---------------------------------------


def _shift(grade: str, step: int) -> str:
    index = min(max(LADDER.index(grade) + step, 0), len(LADDER) - 1)
    return LADDER[index]


def _status(rng: random.Random, age: int) -> str:
    """This month's audits are mostly still open; last month's mostly done; older ones
    accepted, a few still waiting for the QA Lead."""
    roll = rng.random()
    if age == 0:
        table = [
            (0.30, AuditStatus.ALLOCATED),
            (0.60, AuditStatus.IN_PROGRESS),
            (0.65, AuditStatus.RETURNED),
            (0.80, AuditStatus.SUBMITTED),
        ]
    elif age == 1:
        table = [(0.04, AuditStatus.IN_PROGRESS), (0.06, AuditStatus.RETURNED)]
        table.append((0.16, AuditStatus.SUBMITTED))
    else:
        table = [(0.02, AuditStatus.SUBMITTED)]
    for limit, status in table:
        if roll < limit:
            return status
    return AuditStatus.ACCEPTED


class _Batch:
    """The rows of audits ``start`` to ``stop``, in the order they must be written."""

    def __init__(self, world: _World, keys: _Keys, rng: random.Random):
        self.world, self.keys, self.rng = world, keys, rng
        self.rows: dict = {model: [] for model in COUNTED}

    def add(self, model, **values) -> SimpleNamespace:
        """A row of ``model`` with its key chosen; fields left out take their defaults."""
        row = SimpleNamespace(id=self.keys.take(model), **values)
        self.rows[model].append(row)
        return row

    def build(self, start: int, stop: int) -> dict:
        for index in range(start, stop):
            self.audit(index)
        return self.rows

    def audit(self, index: int) -> None:
        rng, world = self.rng, self.world
        age = rng.randrange(MONTHS)
        if index < OPEN_FIRST:
            age = 0  # every size, even the smallest, has audits open this month
        month = world.months[-1 - age]
        child = world.children[rng.randrange(len(world.children))]
        child_pk, team_id, legal_status, worker, born = child
        family = (
            LEAVING_CARE_AUDIT if legal_status == LegalStatus.CARE_LEAVER else CHILD_JOURNEY_AUDIT
        )
        template_id, domains = world.templates[family]
        status = _status(rng, age)
        if index < OPEN_FIRST:
            status = (AuditStatus.ALLOCATED, AuditStatus.IN_PROGRESS)[index % 2]
        audit = self.add(
            Audit,
            audit_type=AuditType.CHILD_JOURNEY,
            reference=f"{AUDIT_PREFIX}{index + 1:07d}",
            child_id=child_pk,
            template_id=template_id,
            auditor_id=rng.choice(world.auditors),
            allocation_round_id=world.rounds.get(month),
            team_id=team_id,
            month=month,
            due_date=add_months(month, 1) - datetime.timedelta(days=1),
            status=status,
            allocated_by_id=world.qa_lead,
            created_at=world.at(add_months(month, -1).replace(day=20), 0),
        )
        if status == AuditStatus.ALLOCATED:
            return
        audit.started_at = world.at(
            min(month + datetime.timedelta(days=rng.randint(1, 10)), world.today),
            rng.randint(0, 480),
        )
        overall = rng.choices(LADDER, OVERALL_WEIGHTS)[0]
        grades = {}
        for domain in domains:
            roll = rng.random()
            grades[domain] = (
                Grade.NOT_GRADED
                if roll < 0.03
                else _shift(overall, -1 if roll < 0.2 else 1 if roll > 0.85 else 0)
            )
            self.add(
                DomainGrading,
                audit_id=audit.id,
                domain_id=domain,
                grade=grades[domain],
                ri_band=rng.choice(RIBand.values)
                if grades[domain] == Grade.REQUIRES_IMPROVEMENT
                else "",
                evidence=EVIDENCE[grades[domain]],
            )
        if status == AuditStatus.IN_PROGRESS:
            return
        self.fill(audit, overall, month, born)
        done = min(month + datetime.timedelta(days=rng.randint(10, 35)), world.today)
        audit.completed_on = done
        audit.submitted_at = max(world.at(done, rng.randint(0, 480)), audit.started_at)
        decided = min(done + datetime.timedelta(days=rng.randint(1, 10)), world.today)
        if status == AuditStatus.RETURNED:
            audit.returned_at = max(world.at(decided, 500), audit.submitted_at)
            audit.return_comments = "Please add the evidence for the plan's grade."
            return
        final = overall
        if rng.random() < MODERATED:
            final = self.review(audit, overall, grades, age)
        if rng.random() < FEEDBACK_SHARE:
            self.feedback(audit, done)
        if status != AuditStatus.ACCEPTED:
            return
        audit.accepted_at = max(world.at(decided, 520), audit.submitted_at)
        audit.accepted_by_id = world.qa_lead
        self.actions(audit, child, decided)
        if final == Grade.INADEQUATE and rng.random() < CASE_SHARE:
            self.case(audit, child, decided)

    def fill(self, audit: SimpleNamespace, overall: str, month: datetime.date, born) -> None:
        rng = self.rng
        audit.overall_grade = overall
        if overall == Grade.REQUIRES_IMPROVEMENT:
            audit.overall_ri_band = rng.choice(RIBand.values)
        audit.overall_rationale = EVIDENCE[overall]
        audit.strengths = "Purposeful visits and a clear sense of the child's day-to-day life."
        audit.areas_for_development = "Keep the plan updated after each review."
        audit.social_worker_involved = Involvement.YES if rng.random() < 0.8 else Involvement.NO
        audit.team_manager_involved = Involvement.YES if rng.random() < 0.65 else Involvement.NO
        audit.iro_involved = rng.choice(
            [Involvement.YES, Involvement.NO, Involvement.NOT_APPLICABLE]
        )
        if born is not None and (month - born).days < 4 * 365:
            audit.child_spoken_to = Involvement.NOT_APPLICABLE
        elif rng.random() < 0.7:
            audit.child_spoken_to = Involvement.YES
        else:
            audit.child_spoken_to = Involvement.NO
            audit.child_not_spoken_reason = rng.choice(NotSpokenReason.values)
        if rng.random() < 0.6:
            audit.parent_carer_spoken_to = Involvement.YES
        else:
            audit.parent_carer_spoken_to = Involvement.NO
            audit.parent_not_spoken_reason = rng.choice(NotSpokenReason.values)
        audit.lock_version = rng.randint(2, 9)

    def review(self, audit: SimpleNamespace, overall: str, grades: dict[int, str], age: int) -> str:
        """A moderation review at the panel for the audit's month: final once the panel
        has met, still assigned before. Returns the audit's final overall grade."""
        rng, world = self.rng, self.world
        panel_id, panel_day = world.panels[audit.month]
        moderator = rng.choice(world.moderators)
        if panel_day >= world.today:
            self.add(
                ModerationReview,
                audit_id=audit.id,
                panel_id=panel_id,
                moderator_id=moderator,
                status=ReviewStatus.ASSIGNED,
                original_grade=overall,
                created_at=audit.submitted_at,
            )
            return overall
        roll = rng.random() * 100
        step = 0 if roll < REVIEW_OUTCOMES[0][1] else 1 if roll < 88 else -1
        moderated = _shift(overall, step)
        outcome = (
            ReviewOutcome.AGREED
            if moderated == overall
            else ReviewOutcome.DOWNGRADED
            if step > 0
            else ReviewOutcome.UPGRADED
        )
        finalised = world.at(panel_day, rng.randint(0, 480))
        review = self.add(
            ModerationReview,
            audit_id=audit.id,
            panel_id=panel_id,
            moderator_id=moderator,
            status=ReviewStatus.FINAL,
            original_grade=overall,
            moderated_grade=moderated,
            rationale="" if outcome == ReviewOutcome.AGREED else EVIDENCE[moderated],
            feedback="Thank you: a clear, well-evidenced audit.",
            outcome=outcome,
            finalised_at=finalised,
            finalised_by_id=moderator,
            auditor_notified_at=finalised,
            created_at=audit.submitted_at,
        )
        changed = next(iter(grades)) if outcome != ReviewOutcome.AGREED else None
        for domain, grade in grades.items():
            new = _shift(grade, step) if domain == changed and grade in LADDER else grade
            self.add(
                ReviewDomainGrade,
                review_id=review.id,
                domain_id=domain,
                original_grade=grade,
                moderated_grade=new,
                rationale=EVIDENCE[new] if new != grade else "",
            )
        return moderated

    def feedback(self, audit: SimpleNamespace, done: datetime.date) -> None:
        rng = self.rng
        for position in range(1, rng.choice([1, 1, 2]) + 1):
            given = rng.random() < 0.75
            values = {}
            if given:
                values = {f: rng.choice(FEEDBACK_ANSWERS) for f in FEEDBACK_FIELDS}
                values["score"] = rng.randint(4, 10) if rng.random() < 0.75 else None
            else:
                values["not_obtained_reason"] = rng.choice(NotObtainedReason.values)
                if values["not_obtained_reason"] == NotObtainedReason.UNREACHABLE:
                    values["attempts"] = rng.randint(2, 4)
            self.add(
                Feedback,
                source=FeedbackSource.AUDIT_FORM,
                audit_id=audit.id,
                team_id=audit.team_id,
                position=position,
                respondent=rng.choice(RESPONDENTS),
                channel=rng.choice([Channel.PHONE, Channel.VISIT, Channel.ONLINE]),
                given_on=done - datetime.timedelta(days=rng.randint(0, 9)),
                outcome=Outcome.GIVEN if given else Outcome.NOT_OBTAINED,
                recorded_by_id=audit.auditor_id,
                created_at=audit.submitted_at,
                **values,
            )

    def actions(self, audit: SimpleNamespace, child: tuple, raised: datetime.date) -> None:
        """About two actions, each completed on time, late, overdue or still open, with
        or without updates. Old actions are mostly closed, as they would be."""
        rng, world = self.rng, self.world
        counts, weights = zip(*ACTIONS_PER_AUDIT, strict=True)
        team = world.teams[child[1]]
        owner = child[3] or team.manager
        for _ in range(rng.choices(counts, weights)[0]):
            kind = ActionKind.CARE_PLANNING if rng.random() < 0.4 else ActionKind.OTHER
            due = raised + datetime.timedelta(days=28 if kind == ActionKind.CARE_PLANNING else 42)
            action = self.add(
                Action,
                audit_id=audit.id,
                child_id=child[0],
                team_id=child[1],
                text=rng.choice(ACTION_TEXTS),
                kind=kind,
                owner_id=owner,
                raised_on=raised,
                due_date=due,
                created_by_id=world.qa_lead,
                created_at=audit.accepted_at,
            )
            recent = (world.today - raised).days < 180
            roll = rng.random()
            if roll < 0.65:
                done = raised + datetime.timedelta(days=rng.randint(1, (due - raised).days))
            elif roll < (0.80 if recent else 0.97):
                done = due + datetime.timedelta(days=rng.randint(1, 40))
            else:
                done = None  # still open: overdue once its date has passed
            if done is not None and done > world.today:
                done = None
            if rng.random() < 0.6:
                noted = raised + datetime.timedelta(days=rng.randint(1, 20))
                if noted <= world.today and (done is None or noted < done):
                    self.update(
                        action.id, ActionUpdateKind.NOTE, noted, owner, note=rng.choice(NOTES)
                    )
            if done is not None:
                self.update(action.id, ActionUpdateKind.COMPLETED, done, owner, note="Done.")
                if kind == ActionKind.CARE_PLANNING and rng.random() < 0.5:
                    self.update(action.id, ActionUpdateKind.TRANSFERRED, done, owner)

    def update(self, action_pk: int, kind: str, day: datetime.date, by, note: str = "") -> None:
        self.add(
            ActionUpdate,
            action_id=action_pk,
            kind=kind,
            happened_on=day,
            recorded_on=day,
            note=note,
            created_by_id=by,
            created_at=self.world.at(day, 60),
        )

    def case(self, audit: SimpleNamespace, child: tuple, opened: datetime.date) -> None:
        """A Case of Concern for an Inadequate audit: open while recent (up to the few
        hundred a council holds, one a child), else resolved some months later."""
        rng, world = self.rng, self.world
        team = world.teams[child[1]]
        if (
            (world.today - opened).days < OPEN_CASE_DAYS
            and world.open_cases_allowed > 0
            and child[0] not in world.open_case_children
        ):
            resolved = None
            world.open_case_children.add(child[0])
            world.open_cases_allowed -= 1
        else:
            resolved = min(opened + datetime.timedelta(days=rng.randint(60, 300)), world.today)
        case = self.add(
            CaseOfConcern,
            child_id=child[0],
            service_area_id=team.area,
            team_id=child[1],
            head_of_service_id=team.head_of_service,
            opened_on=opened,
            opened_at=audit.accepted_at,
            resolved_on=resolved,
            resolved_by_id=team.head_of_service if resolved else None,
        )
        self.add(
            CaseAudit,
            case_id=case.id,
            audit_id=audit.id,
            final_grade=Grade.INADEQUATE,
            linked_on=opened,
        )
        month, last = add_months(month_start(opened), 1), resolved or world.today
        for _ in range(3):
            if month > last:
                break
            self.add(
                CaseUpdate,
                case_id=case.id,
                month=month,
                child_safe=True,
                plan_progressing=rng.random() < 0.7,
                notes="The plan was reviewed with the family; visits are on track.",
                recorded_on=min(month + datetime.timedelta(days=5), world.today),
                created_by_id=team.head_of_service,
                created_at=world.at(min(month + datetime.timedelta(days=5), world.today), 120),
            )
            month = add_months(month, 1)
