"""The demo council's year of closing the loop, built from whatever accepted audits exist.

``seed_actions`` raises the actions of every accepted audit (through the services,
dated the day the audit was accepted), then records a deterministic history for each:
done on time, done late, transferred to the plan, notes, or nothing. It opens Cases of
Concern for Inadequate audits with monthly updates (some resolved), proposes re-audits
(allocating or dismissing some of those due), and stores the tracker emails of recent
weeks and months as sent. The demo team manager always has open actions, some overdue.
Service improvement actions raised from the last four quarters' reports follow: some
done, some in progress, one overdue and led by the demo Head of Service.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Role, User
from audits.models import Audit, AuditStatus
from common.dates import add_months, month_start, quarter_of

from .models import (
    Action,
    ActionKind,
    ActionSettings,
    ActionUpdate,
    ActionUpdateKind,
    CaseAudit,
    CaseOfConcern,
    CaseUpdate,
    ReauditProposal,
    ReauditStatus,
    RunKind,
    ServiceImprovementAction,
    ServiceImprovementUpdate,
    TrackerEmail,
    TrackerRun,
)
from .services import (
    actions_raise_from_audit,
    concern_record_final_grade,
    reaudit_allocate,
    reaudit_dismiss,
    reaudit_record_final_grade,
)
from .services.tracker import (
    concern_message,
    concern_recipients,
    head_of_service_message,
    head_of_service_recipients,
    manager_message,
    manager_recipients,
    plan_run,
    week_start,
)

NOTES = [
    "Discussed in supervision; the social worker is arranging it this week.",
    "Chased with the social worker: waiting on the health partner's reply.",
    "Booked for the next core group meeting.",
    "Delayed by a change of social worker; the new worker has picked it up.",
    "Agreed with the IRO at the review; on track.",
]
CASE_NOTES = [
    "Visited jointly with the team manager. Safety plan in place and reviewed.",
    "Plan reviewed at the core group; actions are progressing but the chronology is "
    "still out of date.",
    "Escalated to legal planning meeting; the plan now has clear timescales.",
    "Child seen alone; the plan is working and the family engaging.",
]
EMAIL_WEEKS = 4
EMAIL_MONTHS = 3


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _accepted_day(audit: Audit, today: datetime.date) -> datetime.date:
    if audit.accepted_at:
        return min(timezone.localdate(audit.accepted_at), today)
    return min(audit.completed_on or audit.due_date or audit.month, today)


def delete_actions_data() -> None:
    """Remove everything this app holds, before the demo's people and audits go."""
    TrackerRun.objects.all().delete()
    ServiceImprovementAction.objects.all().delete()
    ActionUpdate.objects.all().delete()
    Action.objects.all().delete()
    CaseOfConcern.objects.all().delete()
    ReauditProposal.objects.all().delete()


@transaction.atomic
def seed_actions(rng: random.Random, today: datetime.date) -> dict[str, int]:
    settings = ActionSettings.load()
    audits = list(
        Audit.objects.filter(status=AuditStatus.ACCEPTED)
        .select_related("child__team", "accepted_by")
        .order_by("accepted_at", "completed_on", "pk")
    )
    for audit in audits:
        day = _accepted_day(audit, today)
        actions_raise_from_audit(audit=audit, user=audit.accepted_by, today=day)
        _rebase_actions(audit, day, settings)
    _ensure_manager_has_actions(today)
    protected = _manager_actions_kept_open(today)
    for action in (
        Action.objects.filter(updates__isnull=True)
        .select_related("child__team__manager", "owner")
        .order_by("raised_on", "pk")
    ):
        if action.pk not in protected:
            _history(rng, action, today)
    _backdate_created(today)

    for audit in audits:
        if audit.overall_grade:
            day = _accepted_day(audit, today)
            concern_record_final_grade(
                audit=audit, grade=audit.overall_grade, today=day, notify=False
            )
            reaudit_record_final_grade(audit=audit, grade=audit.overall_grade, today=day)
    _case_histories(rng, today)
    _decide_proposals(rng, today)
    _store_emails(today)
    _seed_improvements(today)
    return {
        "actions": Action.objects.count(),
        "cases": CaseOfConcern.objects.count(),
        "reaudits": ReauditProposal.objects.count(),
        "emails": TrackerEmail.objects.count(),
        "service_improvement": ServiceImprovementAction.objects.count(),
    }


def _rebase_actions(audit: Audit, day: datetime.date, settings: ActionSettings) -> None:
    """Actions raised while the audit was accepted 'now' move to its accepted day."""
    for action in Action.objects.filter(audit=audit, updates__isnull=True).exclude(raised_on=day):
        action.due_date = day + datetime.timedelta(days=settings.days_for(action.kind))
        action.raised_on = day
        action.created_at = _at(day, 9)
        action.save(update_fields=["due_date", "raised_on", "created_at"])


def _demo_manager() -> User | None:
    return User.objects.filter(email=demo_email("team.manager")).first()


def _ensure_manager_has_actions(today: datetime.date) -> None:
    """If no accepted audit reached the demo team manager's team, give them a few
    actions to own, so their tracker shows what the product does."""
    manager = _demo_manager()
    if manager is None:
        return
    mine = Q(owner=manager) | Q(child__team__manager=manager)
    if Action.objects.filter(mine).count() >= 3:
        return
    spare = list(
        Action.objects.exclude(mine).filter(updates__isnull=True).order_by("raised_on", "pk")[:4]
    )
    for action in spare:
        action.owner = manager
        action.save(update_fields=["owner"])


def _manager_actions_kept_open(today: datetime.date) -> set[int]:
    """The demo team manager keeps two overdue actions and one not yet due open."""
    manager = _demo_manager()
    if manager is None:
        return set()
    actions = list(
        Action.objects.filter(Q(owner=manager) | Q(child__team__manager=manager))
        .filter(updates__isnull=True)
        .order_by("due_date", "pk")
    )
    overdue = [a for a in actions if a.due_date < today]
    if not overdue and actions:
        oldest = actions[0]
        if oldest.raised_on < today:
            oldest.due_date = max(oldest.raised_on, today - datetime.timedelta(days=3))
            oldest.save(update_fields=["due_date"])
            overdue = [oldest]
    pending = [a for a in actions if a.due_date >= today and a not in overdue]
    return {a.pk for a in overdue[:2] + pending[-1:]}


def _history(rng: random.Random, action: Action, today: datetime.date) -> None:
    """A plausible, deterministic history for one action."""
    by = action.owner or action.child.team.manager
    due_passed = action.due_date < today
    roll = rng.random()
    if due_passed:
        outcome = "on_time" if roll < 0.55 else "late" if roll < 0.8 else "open"
    else:
        outcome = "on_time" if roll < 0.3 else "open"
    if outcome == "open":
        if rng.random() < 0.55:
            day = _between(rng, action.raised_on, today)
            _add(action, ActionUpdateKind.NOTE, day, day, by, note=rng.choice(NOTES))
        return
    if outcome == "on_time":
        happened = _between(rng, action.raised_on, min(action.due_date, today))
    else:
        happened = _between(rng, action.due_date + datetime.timedelta(days=1), today)
    recorded = min(happened + datetime.timedelta(days=rng.randint(0, 3)), today)
    if rng.random() < 0.35:
        note_day = _between(rng, action.raised_on, happened)
        _add(action, ActionUpdateKind.NOTE, note_day, note_day, by, note=rng.choice(NOTES))
    if action.kind == ActionKind.CARE_PLANNING and rng.random() < 0.75:
        _add(
            action,
            ActionUpdateKind.TRANSFERRED,
            happened,
            recorded,
            by,
            child_family_involved=rng.random() < 0.7,
            iro_involved=rng.random() < 0.6,
        )
    else:
        _add(action, ActionUpdateKind.COMPLETED, happened, recorded, by)


def _add(action, kind, happened, recorded, by, **fields) -> None:
    ActionUpdate.objects.create(
        action=action,
        kind=kind,
        happened_on=happened,
        recorded_on=recorded,
        created_by=by,
        created_at=_at(recorded, 11),
        **fields,
    )


def _backdate_created(today: datetime.date) -> None:
    """Actions raised by this seeding carry the day they were raised."""
    for action in Action.objects.filter(created_at__gte=_at(today, 0)).exclude(raised_on=today):
        action.created_at = _at(action.raised_on, 9)
        action.save(update_fields=["created_at"])


def _case_histories(rng: random.Random, today: datetime.date) -> None:
    """Monthly updates on each case; about a third of older cases resolved; one case
    over 12 months old if the data has none."""
    cases = list(
        CaseOfConcern.objects.filter(updates__isnull=True)
        .select_related("head_of_service")
        .order_by("opened_on", "pk")
    )
    for case in cases:
        first = CaseAudit.objects.filter(case=case).order_by("linked_on").first()
        if first and first.linked_on < case.opened_on:
            case.opened_on = first.linked_on
            case.save(update_fields=["opened_on"])
    open_cases = [c for c in cases if c.resolved_on is None]
    kept_open = None
    if len(open_cases) >= 3 and not any(c.opened_on < add_months(today, -12) for c in open_cases):
        kept_open = open_cases[0]
        kept_open.opened_on = add_months(today, -13)
        kept_open.opened_at = _at(kept_open.opened_on, 9)
        kept_open.save(update_fields=["opened_on", "opened_at"])
    for index, case in enumerate(cases):
        by = case.head_of_service
        month = month_start(case.opened_on)
        months = []
        while month <= month_start(today):
            months.append(month)
            month = add_months(month, 1)
        resolve = len(months) > 4 and index % 3 == 1 and case != kept_open
        if resolve:
            months = months[: rng.randint(3, len(months) - 1)]
        elif rng.random() < 0.5:
            months = months[:-1]  # this month's update still to do
        for position, month in enumerate(months):
            if month != months[-1] and rng.random() < 0.15:
                continue  # a month missed
            day = min(
                max(month + datetime.timedelta(days=rng.randint(1, 20)), case.opened_on), today
            )
            last = position == len(months) - 1
            safe = last and resolve or rng.random() < 0.75
            progressing = last and resolve or rng.random() < 0.4
            CaseUpdate.objects.create(
                case=case,
                month=month_start(day),
                child_safe=safe,
                plan_progressing=progressing,
                notes=rng.choice(CASE_NOTES),
                recorded_on=day,
                created_by=by,
                created_at=_at(day, 14),
            )
            if last and resolve:
                case.resolved_on = day
                case.resolved_by = by
                case.save(update_fields=["resolved_on", "resolved_by"])


def _decide_proposals(rng: random.Random, today: datetime.date) -> None:
    """Of the re-audits due, allocate most and dismiss one, as the QA Lead."""
    qa_lead = (
        User.objects.filter(is_active=True, role_assignments__role=Role.QA_LEAD)
        .order_by("pk")
        .first()
    )
    auditors = list(
        User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR).order_by("pk")
    )
    if qa_lead is None or not auditors:
        return
    due = list(
        ReauditProposal.objects.filter(
            status=ReauditStatus.PROPOSED, due_month__lt=month_start(today)
        )
        .select_related("child")
        .order_by("due_month", "pk")
    )
    for index, proposal in enumerate(due):
        if index % 4 == 3:
            reaudit_dismiss(
                proposal=proposal,
                user=qa_lead,
                reason="The child's case closed after the audit: nothing left to re-audit.",
            )
            continue
        if index % 4 == 2:
            continue  # left for the QA Lead to allocate
        choices = [a for a in auditors if a.pk != proposal.child.social_worker_id]
        reaudit_allocate(
            proposal=proposal,
            user=qa_lead,
            auditor=rng.choice(choices),
            month=month_start(today),
            today=today,
            notify=False,
        )


def _store_emails(today: datetime.date) -> None:
    """The tracker emails of the last weeks and the requests of the last months,
    planned in the outbox and sent (in the embedded default, written to var/mail/)."""
    monday = week_start(today)
    for weeks_back in range(EMAIL_WEEKS, 0, -1):
        day = monday - datetime.timedelta(weeks=weeks_back)
        _store_run(RunKind.MANAGER_WEEKLY, day, manager_recipients(day), manager_message)
        _store_run(
            RunKind.HEAD_OF_SERVICE_WEEKLY,
            day,
            head_of_service_recipients(day),
            head_of_service_message,
        )
    for months_back in range(EMAIL_MONTHS, 0, -1):
        day = add_months(month_start(today), -months_back)
        _store_run(RunKind.CONCERN_MONTHLY, day, concern_recipients(day), concern_message)


def _store_run(kind, day, recipient_ids, build) -> None:
    if TrackerRun.objects.filter(kind=kind, period_start=day).exists():
        return
    plan_run(
        kind=kind,
        period_start=day,
        recipient_ids=recipient_ids,
        build=lambda user: build(user, day),
    )
    TrackerRun.objects.filter(kind=kind, period_start=day).update(created_at=_at(day, 8))


# Service improvement actions ---------------------------------------------------------

#: each raised from the report of the quarter ``back`` quarters ago; ``outcome`` is what
#: has happened since
IMPROVEMENTS = [
    {
        "back": 4,
        "title": "Service Managers will agree what a good chronology looks like and share "
        "an example with every team.",
        "finding": "Chronologies were missing or out of date in a third of the audits graded "
        "Requires Improvement.",
        "leads": "service_managers",
        "lead_description": "Service Managers",
        "months": 3,
        "outcome": "on_time",
        "notes": [
            "Draft standard agreed at the Service Managers' meeting.",
            "Example chronology shared with every team and added to the practice handbook.",
        ],
    },
    {
        "back": 3,
        "title": "Team Managers will record the reason whenever a supervision does not take "
        "place, and agree a new date within two weeks.",
        "finding": "Supervision was the weakest domain: one in four records had no supervision "
        "in the last three months.",
        "leads": "head_of_service",
        "lead_description": "Team Managers, through their Head of Service",
        "area": True,
        "months": 2,
        "outcome": "late",
        "notes": [
            "Supervision template changed to ask for the reason and the new date.",
            "Compliance checked in the monthly performance meeting; two teams still behind.",
        ],
    },
    {
        "back": 2,
        "title": "Every child in care will have a visit recorded within timescale, checked "
        "monthly by the Head of Service.",
        "finding": "Visits to children in care were out of timescale in 6 of 20 audits.",
        "leads": "head_of_service",
        "area": True,
        "months": 2,
        "outcome": "overdue",
        "notes": ["Monthly report of visits out of timescale set up; first review held."],
    },
    {
        "back": 2,
        "title": "The QA team will run a practice workshop on writing SMART plans for each "
        "service area.",
        "finding": "Plans often said what would happen but not who would do it or by when.",
        "leads": "qa_lead",
        "months": 6,
        "outcome": "in_progress",
        "notes": ["Workshops booked; two of six held so far."],
    },
    {
        "back": 1,
        "title": "Ask for the child's and the family's feedback in every audit, and say why "
        "when it was not obtained.",
        "finding": "Feedback was obtained in fewer than half the audits, and the reason was "
        "rarely recorded.",
        "leads": "qa_lead",
        "months": 1,
        "outcome": "on_time",
        "notes": ["The audit form now asks for the reason when no feedback was obtained."],
    },
    {
        "back": 1,
        "title": "Each team will hold a learning session on hearing the voice of the child, "
        "using the audits' examples of good practice.",
        "finding": "Where practice was Good, the child's words shaped the plan; elsewhere "
        "they were rarely recorded.",
        "leads": "leader",
        "lead_description": "Senior leadership team",
        "months": 4,
        "outcome": "open",
        "notes": [],
    },
]


def _improvement_leads(today: datetime.date) -> dict[str, list[User]]:
    def active(**filters) -> list[User]:
        return list(User.objects.filter(is_active=True, **filters).distinct().order_by("pk"))

    qa_leads = active(role_assignments__role=Role.QA_LEAD)
    heads = [
        user
        for user in active(role_assignments__role=Role.HEAD_OF_SERVICE)
        if user.headed_service_areas.exists()
    ]
    demo_head = [user for user in heads if user.email == demo_email("head.of.service")]
    managers = active(job_title="service_manager")
    leaders = active(role_assignments__role=Role.LEADER)
    return {
        "qa_lead": qa_leads[:1],
        "head_of_service": (demo_head or heads)[:1],
        "service_managers": managers[:2] or heads[:1] or qa_leads[:1],
        "leader": leaders[:1] or qa_leads[:1],
    }


def _seed_improvements(today: datetime.date) -> None:
    """A year of service improvement actions, once, if there are people to lead them."""
    if ServiceImprovementAction.objects.exists():
        return
    leads = _improvement_leads(today)
    raiser = (leads["qa_lead"] or [None])[0]
    if raiser is None:
        return
    this_quarter = quarter_of(today)
    for spec in IMPROVEMENTS:
        people = leads[spec["leads"]]
        if not people:
            continue
        quarter = quarter_of(add_months(this_quarter.start, -3 * spec["back"]))
        raised = min(quarter.end + datetime.timedelta(days=12), today)
        timescale = add_months(raised, spec["months"])
        outcome = spec["outcome"]
        if outcome == "overdue":
            timescale = max(raised, min(timescale, today - datetime.timedelta(days=14)))
        elif outcome in ("in_progress", "open"):
            timescale = max(timescale, today + datetime.timedelta(days=30))
        completed = None
        if outcome == "on_time":
            completed = min(raised + (timescale - raised) * 3 // 4, today)
        elif outcome == "late":
            completed = min(timescale + datetime.timedelta(days=20), today)
        area = people[0].headed_service_areas.order_by("pk").first() if spec.get("area") else None
        improvement = ServiceImprovementAction.objects.create(
            title=spec["title"],
            finding=spec["finding"],
            lead_description=spec.get("lead_description", ""),
            service_area=area,
            raised_in=f"Quarterly report {quarter.label}",
            raised_on=raised,
            timescale=timescale,
            completed_on=completed,
            completed_by=people[0] if completed else None,
            created_by=raiser,
            created_at=_at(raised, 9),
        )
        improvement.leads.set(people)
        last = completed or today
        notes = spec["notes"]
        for index, note in enumerate(notes, start=1):
            day = raised + (last - raised) * index // (len(notes) + 1)
            ServiceImprovementUpdate.objects.create(
                action=improvement, note=note, created_by=people[0], created_at=_at(day, 15)
            )
