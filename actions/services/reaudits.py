"""Re-audits: proposed some months after a final Inadequate (or, by setting, RI) grade,
allocated or dismissed by the QA Lead, compared with the earlier audit once graded."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from audits.models import (
    Audit,
    AuditEventKind,
    AuditStatus,
    AuditTemplate,
    AuditType,
    Child,
    Grade,
    ProgrammeSettings,
    grade_rank,
)
from audits.services.audit import audit_log_event
from common.dates import add_months, month_end, month_start
from common.history import record_objects
from outbox.services import email_plan

from ..models import (
    ActionSettings,
    CaseAudit,
    CaseOfConcern,
    Comparison,
    ReauditProposal,
    ReauditStatus,
)
from .concerns import concern_record_final_grade

# Messages, as constants the tests assert on.
ALREADY_DECIDED = "This re-audit has already been {status}. Nothing has changed."
CHOOSE_AUDITOR = "Choose the auditor for the re-audit"
NOT_AN_AUDITOR = "Choose someone with the Auditor role who can still sign in"
AUDITOR_IS_SOCIAL_WORKER = "Choose an auditor who is not the child's social worker"
CHOOSE_MONTH = "Enter the month of the re-audit"
MONTH_IN_PAST = "The month of the re-audit must be this month or later"
ENTER_DISMISS_REASON = "Enter why no re-audit is needed"


def compare_grades(earlier: str, later: str) -> str:
    """Improved, same or worse, by grade rank; "" when either is not a graded judgement."""
    before, after = grade_rank(earlier), grade_rank(later)
    if before is None or after is None:
        return ""
    if after > before:
        return Comparison.IMPROVED
    if after < before:
        return Comparison.WORSE
    return Comparison.SAME


def _triggers_reaudit(grade: str, settings: ActionSettings) -> bool:
    return grade == Grade.INADEQUATE or (
        settings.reaudit_requires_improvement and grade == Grade.REQUIRES_IMPROVEMENT
    )


def _known_final_grade(audit: Audit) -> str:
    """The earlier audit's final grade as this app last heard it, else the auditor's."""
    link = CaseAudit.objects.filter(audit=audit).order_by("-pk").first()
    return link.final_grade if link else audit.overall_grade


@transaction.atomic
def final_grades_record(*, grades: list[tuple[Audit, str, datetime.date]]) -> None:
    """``concern_record_final_grade`` and ``reaudit_record_final_grade`` for many final
    grades, (audit, grade, day) in order, as an import gives them: a grade that only
    opens or joins a case and proposes a re-audit for an audit in no case and with no
    proposal, on an earlier day (so nobody is emailed), is written with bulk inserts;
    any other grade that can change something goes through the two services. Grades
    that change nothing (most of an import) cost nothing."""
    audits = [audit for audit, _, _ in grades]
    ids = [audit.pk for audit in audits]
    linked = set(CaseAudit.objects.filter(audit_id__in=ids).values_list("audit_id", flat=True))
    linked |= set(
        ReauditProposal.objects.filter(audit_id__in=ids).values_list("audit_id", flat=True)
    )
    settings = None
    triggers = {Grade.INADEQUATE}
    # Loaded as reaudit_record_final_grade loads it (which creates it the first time).
    if any(grade == Grade.REQUIRES_IMPROVEMENT for _, grade, _ in grades):
        settings = ActionSettings.load()
        if _triggers_reaudit(Grade.REQUIRES_IMPROVEMENT, settings):
            triggers.add(Grade.REQUIRES_IMPROVEMENT)
    children = {audit.child_id for audit, grade, _ in grades if grade == Grade.INADEQUATE}
    child_of = Child.objects.select_related("team__service_area__head_of_service").in_bulk(children)

    def open_cases():
        return {
            case.child_id: case
            for case in CaseOfConcern.objects.filter(
                child_id__in=children, resolved_on__isnull=True
            )
        }

    cases = open_cases() if children else {}
    new_cases: list[CaseOfConcern] = []
    links: list[CaseAudit] = []
    proposals: list[ReauditProposal] = []

    def flush():
        CaseOfConcern.objects.bulk_create(new_cases)
        CaseAudit.objects.bulk_create(links)
        record_objects(CaseOfConcern, new_cases, change="+")
        record_objects(CaseAudit, links, change="+")
        ReauditProposal.objects.bulk_create(proposals)
        new_cases.clear()
        links.clear()
        proposals.clear()

    today = timezone.localdate()
    seen: set[int] = set()
    simple = not any(audit.reaudit_of_id for audit in audits)
    for audit, grade, day in grades:
        acts = grade in triggers or audit.pk in linked or audit.pk in seen
        fresh = simple and audit.pk not in linked and audit.pk not in seen and day != today
        seen.add(audit.pk)
        if not acts and simple:
            continue
        if not fresh:
            flush()
            concern_record_final_grade(audit=audit, grade=grade, today=day)
            reaudit_record_final_grade(audit=audit, grade=grade, today=day)
            linked.add(audit.pk)
            cases = open_cases() if children else {}
            continue
        if grade == Grade.INADEQUATE:
            case = cases.get(audit.child_id)
            if case is None:
                child = child_of[audit.child_id]
                area = child.team.service_area
                case = CaseOfConcern(
                    child=child,
                    service_area=area,
                    team=child.team,
                    head_of_service=area.head_of_service,
                    opened_on=day,
                )
                new_cases.append(case)
                cases[audit.child_id] = case
            links.append(CaseAudit(case=case, audit=audit, final_grade=grade, linked_on=day))
        settings = settings or ActionSettings.load()
        proposals.append(
            ReauditProposal(
                audit=audit,
                child_id=audit.child_id,
                team_id=audit.team_id,
                earlier_grade=grade,
                due_month=month_start(add_months(day, settings.reaudit_months)),
            )
        )
    flush()


@transaction.atomic
def reaudit_record_final_grade(
    *, audit: Audit, grade: str, today: datetime.date | None = None
) -> ReauditProposal | None:
    """Keep re-audit proposals in step with an audit's final overall grade.

    As an earlier audit: a final Inadequate grade (or Requires Improvement, if the
    setting says so) proposes a re-audit of the child for the month ``reaudit_months``
    after; a proposal made earlier keeps the latest grade. As a re-audit: its grade is
    compared with the earlier audit's (improved, same or worse). Returns the proposal
    made or updated for ``audit`` as an earlier audit, if any.
    """
    if today is None:
        today = timezone.localdate(audit.accepted_at) if audit.accepted_at else timezone.localdate()
    proposal = ReauditProposal.objects.select_for_update().filter(audit=audit).first()
    if proposal is not None:
        if proposal.earlier_grade != grade:
            proposal.earlier_grade = grade
            if proposal.reaudit_grade:
                proposal.outcome = compare_grades(grade, proposal.reaudit_grade)
            proposal.save(update_fields=["earlier_grade", "outcome"])
    elif grade in (Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT):
        settings = ActionSettings.load()
        if _triggers_reaudit(grade, settings):
            proposal, _ = ReauditProposal.objects.get_or_create(
                audit=audit,
                defaults={
                    "child_id": audit.child_id,
                    "team_id": audit.team_id,
                    "earlier_grade": grade,
                    "due_month": month_start(add_months(today, settings.reaudit_months)),
                },
            )
    if audit.reaudit_of_id:
        _record_reaudit_grade(audit, grade, today)
    return proposal


def _record_reaudit_grade(reaudit: Audit, grade: str, today: datetime.date) -> None:
    source = ReauditProposal.objects.select_for_update().filter(reaudit=reaudit).first()
    if source is None:
        source = (
            ReauditProposal.objects.select_for_update()
            .filter(audit_id=reaudit.reaudit_of_id)
            .first()
        )
        if source is not None and source.reaudit_id not in (None, reaudit.pk):
            return  # a second re-audit of the same audit: the first one is compared
        if source is None:
            earlier = Audit.objects.get(pk=reaudit.reaudit_of_id)
            source = ReauditProposal(
                audit=earlier,
                child_id=earlier.child_id,
                team_id=earlier.team_id,
                earlier_grade=_known_final_grade(earlier),
                due_month=reaudit.month,
            )
        source.reaudit = reaudit
        source.status = ReauditStatus.ALLOCATED
    source.reaudit_grade = grade
    source.outcome = compare_grades(source.earlier_grade, grade)
    source.compared_on = today
    source.save()


def _lock_undecided(proposal: ReauditProposal, user: User) -> ReauditProposal:
    if not user.has_perm("actions.manage_reaudits"):
        raise PermissionDenied
    locked = (
        ReauditProposal.objects.select_for_update()
        .select_related("audit__template", "child")
        .get(pk=proposal.pk)
    )
    if locked.status != ReauditStatus.PROPOSED:
        raise ValidationError(
            ALREADY_DECIDED.format(status=ReauditStatus(locked.status).label.lower())
        )
    return locked


@transaction.atomic
def reaudit_allocate(
    *,
    proposal: ReauditProposal,
    user: User,
    auditor: User | None,
    month: datetime.date | None,
    today: datetime.date | None = None,
    notify: bool = True,
) -> Audit:
    """Allocate the proposed re-audit to an auditor in one step: creates the re-audit
    (type re-audit, of the earlier audit) on the current version of the earlier audit's
    template, due as the programme settings say for that month, and emails the auditor
    (unless ``notify`` is off, for records built in bulk such as the demo)."""
    today = today or timezone.localdate()
    locked = _lock_undecided(proposal, user)
    errors = {}
    if auditor is None:
        errors["auditor"] = CHOOSE_AUDITOR
    elif not auditor.is_active or not auditor.has_role(Role.AUDITOR):
        errors["auditor"] = NOT_AN_AUDITOR
    elif auditor.pk == locked.child.social_worker_id:
        errors["auditor"] = AUDITOR_IS_SOCIAL_WORKER
    if month is None:
        errors["month"] = CHOOSE_MONTH
    elif month_start(month) < month_start(today):
        errors["month"] = MONTH_IN_PAST
    if errors:
        raise ValidationError(errors)
    month = month_start(month)
    earlier = locked.audit
    template = (
        AuditTemplate.objects.filter(family=earlier.template.family, is_active=True).first()
        or earlier.template
    )
    settings = ProgrammeSettings.load()
    grade_label = Grade(locked.earlier_grade).label if locked.earlier_grade else "low"
    reaudit = Audit.objects.create(
        audit_type=AuditType.RE_AUDIT,
        reaudit_of=earlier,
        child=locked.child,
        template=template,
        auditor=auditor,
        team=locked.child.team,
        month=month,
        due_date=month_end(month) + datetime.timedelta(days=settings.days_to_complete),
        status=AuditStatus.ALLOCATED,
        allocated_by=user,
        allocation_note=f"Re-audit after a final {grade_label} grade",
    )
    audit_log_event(audit=reaudit, user=user, kind=AuditEventKind.ALLOCATED, note="Re-audit")
    locked.status = ReauditStatus.ALLOCATED
    locked.reaudit = reaudit
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "reaudit", "decided_by", "decided_at"])
    if notify and auditor.email:
        path = reverse("audits:audit_form", args=[reaudit.pk])
        email_plan(
            "reaudit-allocated",
            [auditor.email],
            {"audit": reaudit, "auditor": auditor, "path": path},
        )
    return reaudit


@transaction.atomic
def reaudit_dismiss(*, proposal: ReauditProposal, user: User, reason: str) -> ReauditProposal:
    """Decide that no re-audit is needed, saying why."""
    locked = _lock_undecided(proposal, user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ENTER_DISMISS_REASON})
    locked.status = ReauditStatus.DISMISSED
    locked.dismiss_reason = reason
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "dismiss_reason", "decided_by", "decided_at"])
    return locked
