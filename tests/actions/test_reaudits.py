"""Re-audits: proposed after a final Inadequate grade, allocated or dismissed, compared."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from actions.models import ActionSettings, Comparison, ReauditProposal, ReauditStatus
from actions.selectors import reaudit_comparison
from actions.services import (
    compare_grades,
    reaudit_allocate,
    reaudit_dismiss,
    reaudit_record_final_grade,
)
from actions.services import reaudits as messages
from audits.models import Audit, AuditStatus, AuditType, Grade
from audits.services.audit import audit_accept, audit_submit
from tests.factories import UserFactory, complete_audit

pytestmark = pytest.mark.django_db

ACCEPTED = datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("earlier", "later", "expected"),
    [
        (Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT, Comparison.IMPROVED),
        (Grade.INADEQUATE, Grade.INADEQUATE, Comparison.SAME),
        (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE, Comparison.WORSE),
        (Grade.INADEQUATE, Grade.NOT_GRADED, ""),
    ],
)
def test_compare_grades(earlier, later, expected):
    assert compare_grades(earlier, later) == expected


@time_machine.travel(ACCEPTED, tick=False)
def test_a_final_inadequate_grade_proposes_a_re_audit_three_months_later(accept):
    audit = accept(grade=Grade.INADEQUATE)
    proposal = ReauditProposal.objects.get()
    assert (proposal.audit, proposal.child, proposal.team) == (audit, audit.child, audit.team)
    assert (proposal.due_month, proposal.status, proposal.earlier_grade) == (
        datetime.date(2026, 4, 1),
        ReauditStatus.PROPOSED,
        Grade.INADEQUATE,
    )


@time_machine.travel(ACCEPTED, tick=False)
def test_requires_improvement_proposes_one_only_if_the_setting_says_so(accept):
    accept(grade=Grade.REQUIRES_IMPROVEMENT)
    assert not ReauditProposal.objects.exists()
    ActionSettings.objects.update_or_create(
        pk=1, defaults={"reaudit_requires_improvement": True, "reaudit_months": 2}
    )
    accept(grade=Grade.REQUIRES_IMPROVEMENT)
    assert ReauditProposal.objects.get().due_month == datetime.date(2026, 3, 1)


@time_machine.travel(ACCEPTED, tick=False)
def test_proposing_is_idempotent(accept):
    audit = accept(grade=Grade.INADEQUATE)
    reaudit_record_final_grade(audit=audit, grade=Grade.INADEQUATE)
    assert ReauditProposal.objects.count() == 1


@pytest.fixture
def proposal(accept):
    with time_machine.travel(ACCEPTED, tick=False):
        accept(grade=Grade.INADEQUATE, domain_grades={"Visits": Grade.INADEQUATE})
    return ReauditProposal.objects.get()


TODAY = datetime.date(2026, 4, 2)


def test_qa_lead_allocates_in_one_step(proposal, org, template, django_capture_on_commit_callbacks):
    auditor = UserFactory(email="rita@council.example", roles=[Role.AUDITOR])
    with django_capture_on_commit_callbacks(execute=True):
        reaudit = reaudit_allocate(
            proposal=proposal,
            user=org.users["qa_lead"],
            auditor=auditor,
            month=datetime.date(2026, 4, 1),
            today=TODAY,
        )
    assert (reaudit.audit_type, reaudit.reaudit_of, reaudit.child, reaudit.auditor) == (
        AuditType.RE_AUDIT,
        proposal.audit,
        proposal.child,
        auditor,
    )
    assert (reaudit.status, reaudit.month, reaudit.due_date, reaudit.template) == (
        AuditStatus.ALLOCATED,
        datetime.date(2026, 4, 1),
        datetime.date(2026, 4, 30),
        template,
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reaudit, proposal.decided_by) == (
        ReauditStatus.ALLOCATED,
        reaudit,
        org.users["qa_lead"],
    )
    assert [m.to for m in mail.outbox] == [["rita@council.example"]]
    assert proposal.child.case_reference in mail.outbox[0].subject


def test_allocation_checks_the_auditor_and_month(proposal, org):
    kwargs = {"proposal": proposal, "user": org.users["qa_lead"], "today": TODAY}
    with pytest.raises(ValidationError) as excinfo:
        reaudit_allocate(auditor=None, month=None, **kwargs)
    assert excinfo.value.message_dict == {
        "auditor": [messages.CHOOSE_AUDITOR],
        "month": [messages.CHOOSE_MONTH],
    }
    with pytest.raises(ValidationError) as excinfo:
        reaudit_allocate(auditor=org.users["no_role"], month=datetime.date(2026, 3, 1), **kwargs)
    assert excinfo.value.message_dict == {
        "auditor": [messages.NOT_AN_AUDITOR],
        "month": [messages.MONTH_IN_PAST],
    }
    social_worker = proposal.child.social_worker
    social_worker.role_assignments.create(role=Role.AUDITOR)
    social_worker.__dict__.pop("role_codes", None)
    with pytest.raises(ValidationError) as excinfo:
        reaudit_allocate(auditor=social_worker, month=TODAY, **kwargs)
    assert excinfo.value.message_dict == {"auditor": [messages.AUDITOR_IS_SOCIAL_WORKER]}
    assert not Audit.objects.filter(audit_type=AuditType.RE_AUDIT).exists()


def test_only_the_qa_lead_allocates(proposal, org):
    with pytest.raises(PermissionDenied):
        reaudit_allocate(
            proposal=proposal,
            user=org.users["head_of_service"],
            auditor=org.users["auditor"],
            month=TODAY,
            today=TODAY,
        )


def test_dismissing_needs_a_reason_and_happens_once(proposal, org):
    with pytest.raises(ValidationError) as excinfo:
        reaudit_dismiss(proposal=proposal, user=org.users["qa_lead"], reason="")
    assert excinfo.value.message_dict == {"reason": [messages.ENTER_DISMISS_REASON]}
    reaudit_dismiss(proposal=proposal, user=org.users["qa_lead"], reason="Case closed")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.dismiss_reason) == (ReauditStatus.DISMISSED, "Case closed")
    with pytest.raises(ValidationError) as excinfo:
        reaudit_allocate(
            proposal=proposal,
            user=org.users["qa_lead"],
            auditor=org.users["auditor"],
            month=TODAY,
            today=TODAY,
        )
    assert excinfo.value.messages == [
        "This re-audit has already been dismissed. Nothing has changed."
    ]


def test_accepting_the_re_audit_compares_it_with_the_earlier_one(proposal, org):
    reaudit = reaudit_allocate(
        proposal=proposal,
        user=org.users["qa_lead"],
        auditor=org.users["auditor"],
        month=TODAY,
        today=TODAY,
    )
    complete_audit(
        reaudit,
        grade=Grade.REQUIRES_IMPROVEMENT,
        domain_grades={"Visits": Grade.GOOD, "Assessments": Grade.INADEQUATE},
    )
    with time_machine.travel(datetime.datetime(2026, 4, 28, 10, tzinfo=datetime.UTC), tick=False):
        audit_submit(audit=reaudit, user=org.users["auditor"])
        audit_accept(audit=Audit.objects.get(pk=reaudit.pk), user=org.users["qa_lead"])
    proposal.refresh_from_db()
    assert (proposal.reaudit_grade, proposal.outcome, proposal.compared_on) == (
        Grade.REQUIRES_IMPROVEMENT,
        Comparison.IMPROVED,
        datetime.date(2026, 4, 28),
    )
    comparison = reaudit_comparison(proposal)
    assert (comparison["earlier"], comparison["later"], comparison["outcome"]) == (
        "Inadequate",
        "Requires Improvement",
        Comparison.IMPROVED,
    )
    assert [
        (d["domain"].name, d["earlier"], d["later"], d["outcome"]) for d in comparison["domains"]
    ] == [
        ("Assessments", "Inadequate", "Inadequate", Comparison.SAME),
        ("Visits", "Inadequate", "Good", Comparison.IMPROVED),
    ]
    # The re-audit is Requires Improvement, not Inadequate: no further re-audit.
    assert ReauditProposal.objects.count() == 1


def test_a_re_audit_allocated_elsewhere_is_still_compared(org, make_action):
    earlier = make_action().audit
    earlier.overall_grade = Grade.INADEQUATE
    earlier.save()
    later = make_action(child=earlier.child).audit
    later.audit_type = AuditType.RE_AUDIT
    later.reaudit_of = earlier
    later.save()
    reaudit_record_final_grade(audit=later, grade=Grade.INADEQUATE, today=TODAY)
    source = ReauditProposal.objects.get(audit=earlier)
    assert (source.reaudit, source.outcome, source.status) == (
        later,
        Comparison.SAME,
        ReauditStatus.ALLOCATED,
    )
    # The re-audit, Inadequate again, proposes its own re-audit.
    assert ReauditProposal.objects.get(audit=later).status == ReauditStatus.PROPOSED


def test_moderating_the_earlier_grade_updates_the_comparison(org, make_action):
    earlier = make_action().audit
    reaudit_record_final_grade(audit=earlier, grade=Grade.INADEQUATE, today=TODAY)
    later = make_action(child=earlier.child).audit
    later.reaudit_of = earlier
    later.audit_type = AuditType.RE_AUDIT
    later.save()
    reaudit_record_final_grade(audit=later, grade=Grade.REQUIRES_IMPROVEMENT, today=TODAY)
    reaudit_record_final_grade(audit=earlier, grade=Grade.REQUIRES_IMPROVEMENT, today=TODAY)
    proposal = ReauditProposal.objects.get(audit=earlier)
    assert (proposal.earlier_grade, proposal.outcome) == (
        Grade.REQUIRES_IMPROVEMENT,
        Comparison.SAME,
    )
