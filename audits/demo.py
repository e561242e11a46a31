"""The demo council's children's case records, and a year of QA activity."""

import datetime
import random
import tempfile
from pathlib import Path

from django.db.models import Max

from accounts.models import JobTitle, Role, User
from common.dates import Period, add_months, month_end, month_start, months_between
from common.history import record_objects

from . import demo_phrases as phrases
from .caselist import sync_case_list
from .demo_caselist import DemoChild, map_departments, write_extract, write_zip
from .demo_year import Slot, YearSummary, moment
from .demo_year_writing import AuditYear
from .models import (
    AllocationRound,
    Audit,
    AuditStatus,
    Child,
    Grade,
    LegalStatus,
    MultiAgencyAudit,
    ObservationSetting,
    PracticeObservation,
    SampleAudit,
    SampleKind,
)

# The legal statuses each service area works with, most common first.
STATUS_MIX = {
    "Front Door and Assessment": [
        (LegalStatus.SUBJECT_TO_ASSESSMENT, 6),
        (LegalStatus.CHILD_IN_NEED, 3),
        (LegalStatus.CHILD_PROTECTION, 1),
    ],
    "Safeguarding and Family Support": [
        (LegalStatus.CHILD_IN_NEED, 5),
        (LegalStatus.CHILD_PROTECTION, 5),
    ],
    "Children in Care": [(LegalStatus.CHILD_IN_CARE, 1)],
    "Leaving Care": [(LegalStatus.CARE_LEAVER, 1)],
    "Disabled Children": [
        (LegalStatus.DISABLED_CHILDREN, 7),
        (LegalStatus.CHILD_IN_NEED, 2),
        (LegalStatus.CHILD_IN_CARE, 1),
    ],
    "Early Help": [(LegalStatus.EARLY_HELP, 1)],
}


def _age_range(status):
    if status == LegalStatus.CARE_LEAVER:
        return 18, 21
    return 0, 17


#: DfE ethnicity codes in roughly the shares of children in need in England (percent)
DEMO_ETHNICITIES = [
    ("WBRI", 63.8),
    ("WOTH", 5.0),
    ("WIRT", 0.2),
    ("WROM", 0.5),
    ("MWBC", 3.0),
    ("MWBA", 1.0),
    ("MWAS", 1.5),
    ("MOTH", 2.5),
    ("AIND", 1.5),
    ("APKN", 3.0),
    ("ABAN", 1.0),
    ("AOTH", 1.5),
    ("BAFR", 4.0),
    ("BCRB", 1.5),
    ("BOTH", 1.0),
    ("CHNE", 0.3),
    ("OOTH", 2.5),
    ("REFU", 1.0),
    ("NOBT", 4.2),
]


def seed_children(
    rng: random.Random,
    teams,
    today: datetime.date,
    count: int = 2000,
    *,
    keep_extract: Path | None = None,
):
    """The demo's children, made as a council's are: its case management system's SSD
    extract (written here) is loaded by the case list sync, through the QA Lead's table
    of departments and the workers' staff IDs. ``keep_extract`` keeps the extract as the
    .zip the case list page takes. Returns the children in the order they were drawn."""
    workers = list(
        User.objects.filter(
            job_title__in=[JobTitle.SOCIAL_WORKER, JobTitle.ADVANCED_PRACTITIONER]
        ).order_by("pk")
    )
    workers_by_team: dict[int, list[User]] = {}
    for worker in workers:
        workers_by_team.setdefault(worker.team_id, []).append(worker)
    references = rng.sample(range(100000, 999999), count)
    # Sex and ethnicity as the case list gives them, drawn apart from everything else so
    # that the demo's children, audits and figures stay as they were.
    demographics = random.Random(f"demographics-{count}")
    codes, shares = zip(*DEMO_ETHNICITIES, strict=True)
    drawn = []
    for index, reference in enumerate(references):
        team = teams[index % len(teams)]
        statuses, weights = zip(*STATUS_MIX[team.service_area.name], strict=True)
        status = rng.choices(statuses, weights)[0]
        low, high = _age_range(status)
        age_days = rng.randint(low * 365 + 30, high * 365 + 300)
        team_workers = workers_by_team.get(team.pk) or [None]
        drawn.append(
            DemoChild(
                reference=f"NC{reference}",
                team=team,
                legal_status=status,
                date_of_birth=today - datetime.timedelta(days=age_days),
                worker=rng.choice(team_workers),
                sex=demographics.choices("FMU", (48, 51, 1))[0],
                ethnicity=demographics.choices(codes, shares)[0],
            )
        )
    map_departments(teams)
    with tempfile.TemporaryDirectory() as folder:
        write_extract(Path(folder), drawn, teams, workers, today, seed=f"case-list-{count}")
        sync_case_list(folder, today=today)
        if keep_extract is not None:
            write_zip(Path(folder), keep_extract)
    by_reference = Child.objects.in_bulk(
        [child.reference for child in drawn], field_name="case_reference"
    )
    return [by_reference[child.reference] for child in drawn]


def seed_audit_year(rng: random.Random, today: datetime.date) -> YearSummary:
    """A year of audits ending this month, and next month's draft round. Needs the
    organisation, the children and the standard templates."""
    year = AuditYear(rng, today)
    slots = year.plan()
    year.assign_statuses(slots)
    year.assign_auditors(slots)
    year.assign_grades(slots)
    reaudits = year.add_reaudits(slots)
    for slot in reaudits:
        year.grade_domains(slot)
    slots += reaudits
    rounds = year.write_rounds(slots)
    year.write_audits(slots, rounds)
    year.write_content(slots)
    year.write_history(slots)
    return YearSummary(len(rounds), len(slots), year.featured)


def seed_late_return(
    rng: random.Random, today: datetime.date, period: Period, submitted_at: datetime.datetime
) -> Audit:
    """One more Child Journey Audit of ``period``'s last month, completed in the period
    but submitted late, at ``submitted_at``, and accepted the next day: written like the
    year's audits (content, grade history, events). A child audited in the last twelve
    months is not chosen."""
    year = AuditYear(rng, today)
    month = month_start(period.end)
    last_audited = dict(
        Audit.objects.values("child").annotate(last=Max("month")).values_list("child", "last")
    )
    teams = [team for team in year.teams if year._eligible(team, month, last_audited)]
    team = rng.choice(teams)
    child = rng.choice(year._eligible(team, month, last_audited))
    offset = months_between(year.this_month, month)
    slot = Slot(offset, month, child, year._template_for(child), status=AuditStatus.ACCEPTED)
    slot.auditor = rng.choice(
        [a for a in year.auditors if a.team_id != child.team_id and a.pk != child.social_worker_id]
        or year.auditors
    )
    slot.overall = rng.choice([Grade.GOOD, Grade.REQUIRES_IMPROVEMENT])
    year.grade_domains(slot)

    audit = year._audit(slot, {offset: AllocationRound.objects.filter(month=month).first()})
    audit.completed_on = period.end - datetime.timedelta(days=rng.randint(2, 12))
    audit.started_at = moment(audit.completed_on - datetime.timedelta(days=10), today, 60)
    audit.submitted_at = submitted_at
    audit.accepted_at = max(
        moment(submitted_at.date() + datetime.timedelta(days=1), today, 120), submitted_at
    )
    slot.audit = Audit.objects.bulk_create([audit])[0]
    record_objects(Audit, [slot.audit], change="+")
    year.write_content([slot])
    year.write_history([slot])
    return audit


DIP_SAMPLES_A_MONTH = 3
OBSERVATIONS_A_MONTH = 5
OBSERVATION_GRADES = [
    (Grade.OUTSTANDING, 0.1),
    (Grade.GOOD, 0.45),
    (Grade.REQUIRES_IMPROVEMENT, 0.35),
    (Grade.INADEQUATE, 0.1),
]


def _people(*titles) -> list[User]:
    return list(
        User.objects.filter(is_active=True, job_title__in=titles)
        .select_related("team__service_area")
        .order_by("pk")
    )


def seed_other_audits(rng: random.Random, today: datetime.date) -> dict[str, int]:
    """Twelve months of dip samples (about 360 records a quarter), monthly thematic
    audits, a multi-agency audit each quarter and direct observations of practice."""
    this_month = month_start(today)
    managers = _people(JobTitle.TEAM_MANAGER, JobTitle.SERVICE_MANAGER)
    psw = _people(JobTitle.PRINCIPAL_SOCIAL_WORKER) or list(
        User.objects.filter(role_assignments__role=Role.QA_LEAD).order_by("pk")
    )
    heads = _people(JobTitle.HEAD_OF_SERVICE)
    practitioners = [
        u for u in _people(JobTitle.SOCIAL_WORKER, JobTitle.ADVANCED_PRACTITIONER) if u.team
    ]
    observers = [u for u in managers + heads if u.team]
    samples, multi_agency, observations = [], [], []
    for offset in range(-11, 1):
        month = add_months(this_month, offset)
        last_day = min(month_end(month), today)
        written = moment(last_day, today, 420)
        for _ in range(DIP_SAMPLES_A_MONTH if managers else 0):
            lead = rng.choice(managers)
            samples.append(
                SampleAudit(
                    kind=SampleKind.DIP_SAMPLE,
                    topic=rng.choice(phrases.DIP_SAMPLE_TOPICS),
                    month=month,
                    records_sampled=rng.randint(25, 55),
                    lead=lead,
                    service_area=lead.team.service_area
                    if lead.team and rng.random() < 0.7
                    else None,
                    findings=rng.choice(phrases.SAMPLE_FINDINGS),
                    recommendations=rng.choice(phrases.SAMPLE_RECOMMENDATIONS),
                    created_by=lead,
                    created_at=written,
                )
            )
        if psw:
            samples.append(
                SampleAudit(
                    kind=SampleKind.THEMATIC,
                    topic=phrases.THEMATIC_TOPICS[(offset + 11) % len(phrases.THEMATIC_TOPICS)],
                    month=month,
                    records_sampled=rng.randint(30, 62),
                    lead=psw[0],
                    findings=rng.choice(phrases.SAMPLE_FINDINGS),
                    recommendations=rng.choice(phrases.SAMPLE_RECOMMENDATIONS),
                    created_by=psw[0],
                    created_at=written,
                )
            )
        if offset % 3 == 1 and heads:
            topic, agencies = phrases.MULTI_AGENCY_TOPICS[(offset + 11) // 3 % 4]
            lead = rng.choice(heads)
            multi_agency.append(
                MultiAgencyAudit(
                    topic=topic,
                    month=month,
                    agencies="\n".join(agencies),
                    families_considered=rng.randint(4, 8),
                    lead=lead,
                    findings=rng.choice(phrases.MULTI_AGENCY_FINDINGS),
                    recommendations=rng.choice(phrases.SAMPLE_RECOMMENDATIONS),
                    created_by=lead,
                    created_at=written,
                )
            )
        count = OBSERVATIONS_A_MONTH if offset < 0 else min(2, today.day - 1)
        for _ in range(count if practitioners and observers else 0):
            practitioner = rng.choice(practitioners)
            observer = rng.choice(
                [o for o in observers if o.team_id != practitioner.team_id] or observers
            )
            day = month + datetime.timedelta(days=rng.randint(0, (last_day - month).days))
            grades, weights = zip(*OBSERVATION_GRADES, strict=True)
            observations.append(
                PracticeObservation(
                    practitioner=practitioner,
                    observer=observer,
                    team=practitioner.team,
                    observed_on=day,
                    setting=rng.choice(ObservationSetting.values),
                    grade=rng.choices(grades, weights)[0],
                    strengths=rng.choice(phrases.OBSERVATION_STRENGTHS),
                    areas_for_development=rng.choice(phrases.OBSERVATION_AREAS),
                    created_by=observer,
                    created_at=moment(day, today, 300),
                )
            )
    SampleAudit.objects.bulk_create(samples)
    MultiAgencyAudit.objects.bulk_create(multi_agency)
    PracticeObservation.objects.bulk_create(observations)
    return {
        "samples": len(samples),
        "multi_agency": len(multi_agency),
        "observations": len(observations),
    }
