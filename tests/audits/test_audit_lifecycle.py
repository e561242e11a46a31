"""Drafting, submission, acceptance and return: the rules of audits.services.audit."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from audits.models import (
    AuditEvent,
    AuditStatus,
    DomainGrading,
    Grade,
    GradeChange,
    Involvement,
    NotSpokenReason,
    ProgrammeSettings,
)
from audits.services.audit import (
    EDITED_ELSEWHERE,
    NOT_EDITABLE,
    RETURN_NEEDS_COMMENTS,
    AuditIncompleteError,
    ConcurrentEditError,
    audit_accept,
    audit_missing_items,
    audit_reply,
    audit_return,
    audit_save_draft,
    audit_submit,
)
from tests.factories import AuditFactory, ChildFactory, UserFactory, complete_audit, make_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(org):
    template = make_template()
    child = ChildFactory(team=org.team_a, social_worker=org.users["no_role"])
    return AuditFactory(child=child, template=template, auditor=org.users["auditor"])


def domain_ids(audit):
    return {s.domain.name: s.domain_id for s in audit.template.sections.all() if s.domain_id}


def test_first_draft_save_starts_the_audit_and_keeps_partial_data(audit, org):
    ids = domain_ids(audit)
    saved = audit_save_draft(
        audit=audit,
        user=org.users["auditor"],
        data={"gradings": {ids["Visits"]: {"grade": Grade.GOOD, "evidence": "Half written"}}},
    )
    assert saved.status == AuditStatus.IN_PROGRESS
    assert saved.lock_version == 1
    grading = DomainGrading.objects.get(audit=audit, domain_id=ids["Visits"])
    assert (grading.grade, grading.evidence) == (Grade.GOOD, "Half written")


def test_draft_save_changes_only_what_it_is_given(audit, org):
    user = org.users["auditor"]
    audit_save_draft(audit=audit, user=user, data={"fields": {"strengths": "Warm"}})
    audit_save_draft(audit=audit, user=user, data={"fields": {"areas_for_development": "Plans"}})
    audit.refresh_from_db()
    assert (audit.strengths, audit.areas_for_development) == ("Warm", "Plans")


def test_stale_version_is_refused_and_nothing_changes(audit, org):
    user = org.users["auditor"]
    audit_save_draft(
        audit=audit, user=user, data={"fields": {"strengths": "First"}}, expected_version=0
    )
    with pytest.raises(ConcurrentEditError) as error:
        audit_save_draft(
            audit=audit, user=user, data={"fields": {"strengths": "Second"}}, expected_version=0
        )
    assert error.value.message == EDITED_ELSEWHERE
    audit.refresh_from_db()
    assert audit.strengths == "First"


def test_only_the_auditor_may_save_a_draft(audit, org):
    with pytest.raises(PermissionDenied):
        audit_save_draft(
            audit=audit, user=org.users["qa_lead"], data={"fields": {"strengths": "x"}}
        )


def test_invalid_grade_is_refused(audit, org):
    ids = domain_ids(audit)
    with pytest.raises(ValidationError):
        audit_save_draft(
            audit=audit,
            user=org.users["auditor"],
            data={"gradings": {ids["Visits"]: {"grade": "great"}}},
        )
    assert not DomainGrading.objects.exists()


def test_domain_outside_the_template_is_refused(audit, org):
    from tests.factories import DomainFactory

    other = DomainFactory(name="Not in this template")
    with pytest.raises(ValidationError):
        audit_save_draft(
            audit=audit, user=org.users["auditor"], data={"gradings": {other.pk: {"grade": "good"}}}
        )


def test_empty_audit_lists_every_missing_item_with_its_field(audit):
    items = audit_missing_items(audit)
    fields = [item.field for item in items]
    ids = domain_ids(audit)
    for domain_id in ids.values():
        assert f"grade-{domain_id}" in fields
        assert f"evidence-{domain_id}" in fields
    for name in (
        "overall_grade",
        "overall_rationale",
        "social_worker_involved",
        "team_manager_involved",
        "iro_involved",
        "child_spoken_to",
        "parent_carer_spoken_to",
        "strengths",
        "areas_for_development",
    ):
        assert name in fields
    messages = [item.message for item in items]
    assert "Choose a grade for Visits" in messages
    assert "Answer: Is the child's plan up to date?" in messages


def test_evidence_shorter_than_the_minimum_is_explained(audit):
    complete_audit(audit)
    ProgrammeSettings.objects.update_or_create(pk=1, defaults={"evidence_min_length": 200})
    messages = [i.message for i in audit_missing_items(audit)]
    assert any(
        m.startswith("The evidence for Visits must be at least 200 characters") for m in messages
    )


def test_yes_no_answer_needs_a_comment(audit):
    complete_audit(audit)
    audit.answers.update(comment="")
    messages = [i.message for i in audit_missing_items(audit)]
    assert "Give the evidence for your answer to: Is the child's plan up to date?" in messages


def test_child_aged_four_or_more_must_be_spoken_to_or_a_reason_given(audit):
    complete_audit(audit)
    audit.child.date_of_birth = datetime.date(2015, 1, 1)
    audit.child.save()
    audit.child_spoken_to = Involvement.NOT_APPLICABLE
    audit.save()
    assert [i.field for i in audit_missing_items(audit)] == ["child_spoken_to"]
    audit.child_spoken_to = Involvement.NO
    audit.save()
    assert [i.field for i in audit_missing_items(audit)] == ["child_not_spoken_reason"]
    audit.child_not_spoken_reason = NotSpokenReason.DECLINED
    audit.save()
    assert audit_missing_items(audit) == []


def test_child_under_four_may_be_not_applicable(audit):
    complete_audit(audit)
    audit.child.date_of_birth = datetime.date(2024, 1, 1)
    audit.child.save()
    audit.child_spoken_to = Involvement.NOT_APPLICABLE
    audit.save()
    assert audit_missing_items(audit) == []


def test_incomplete_audit_cannot_be_submitted_and_nothing_changes(audit, org):
    with pytest.raises(AuditIncompleteError) as error:
        audit_submit(audit=audit, user=org.users["auditor"])
    assert error.value.items
    audit.refresh_from_db()
    assert audit.status == AuditStatus.ALLOCATED
    assert not GradeChange.objects.exists()


def test_submission_records_the_grades_and_locks_the_audit(audit, org):
    complete_audit(audit)
    submitted = audit_submit(
        audit=audit, user=org.users["auditor"], today=datetime.date(2026, 11, 20)
    )
    assert submitted.status == AuditStatus.SUBMITTED
    assert submitted.completed_on == datetime.date(2026, 11, 20)
    assert GradeChange.objects.filter(audit=audit).count() == 3  # overall + 2 domains
    with pytest.raises(ValidationError) as error:
        audit_save_draft(
            audit=audit, user=org.users["auditor"], data={"fields": {"strengths": "x"}}
        )
    assert NOT_EDITABLE in error.value.messages
    assert AuditEvent.objects.filter(audit=audit, kind="submitted").exists()


def test_qa_lead_returns_with_comments_and_the_auditor_is_emailed(audit, org):
    complete_audit(audit)
    audit_submit(audit=audit, user=org.users["auditor"])
    with pytest.raises(ValidationError) as error:
        audit_return(audit=audit, user=org.users["qa_lead"], comments="  ")
    assert RETURN_NEEDS_COMMENTS in error.value.messages
    with pytest.raises(PermissionDenied):
        audit_return(audit=audit, user=org.users["auditor"], comments="Please add evidence")
    with django_capture_on_commit():
        returned = audit_return(
            audit=audit, user=org.users["qa_lead"], comments="Add the IRO's view"
        )
    assert returned.status == AuditStatus.RETURNED
    assert len(mail.outbox) == 1
    assert "Add the IRO's view" in mail.outbox[0].body
    assert audit.child.case_reference in mail.outbox[0].body
    # Returned audits can be edited and submitted again.
    audit_save_draft(audit=audit, user=org.users["auditor"], data={"fields": {"strengths": "More"}})
    assert audit_submit(audit=audit, user=org.users["auditor"]).status == AuditStatus.SUBMITTED


def test_only_a_submitted_audit_can_be_accepted(audit, org):
    with pytest.raises(ValidationError):
        audit_accept(audit=audit, user=org.users["qa_lead"])
    complete_audit(audit)
    audit_submit(audit=audit, user=org.users["auditor"])
    with pytest.raises(PermissionDenied):
        audit_accept(audit=audit, user=org.users["head_of_service"])
    accepted = audit_accept(audit=audit, user=org.users["qa_lead"])
    assert accepted.status == AuditStatus.ACCEPTED
    assert accepted.accepted_by == org.users["qa_lead"]


def test_childs_social_worker_replies_once_accepted(audit, org):
    worker = org.users["no_role"]
    complete_audit(audit)
    audit_submit(audit=audit, user=org.users["auditor"])
    with pytest.raises(PermissionDenied):
        audit_reply(audit=audit, user=worker, stance="agree", text="Thanks")
    audit_accept(audit=audit, user=org.users["qa_lead"])
    with pytest.raises(ValidationError):
        audit_reply(audit=audit, user=worker, stance="", text="")
    with pytest.raises(PermissionDenied):
        audit_reply(audit=audit, user=UserFactory(), stance="agree", text="Not my case")
    reply = audit_reply(audit=audit, user=worker, stance="disagree", text="The plan was updated")
    assert reply.audit == audit


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
