"""common.history: a history row for every real change, none for a save that changes
nothing, and the same rows from bulk writes (record_rows, record_objects)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Answer, Audit, DomainGrading
from audits.services.audit import audit_save_draft
from common.history import historical_model, record_objects, record_rows
from governance.selectors import CHILD_PATHS, tracked_models
from tests.factories import AuditFactory, ChildFactory, make_template

pytestmark = pytest.mark.django_db

#: what the record of changes must cover, by model
MUST_BE_TRACKED = {
    "audits.audit",
    "audits.domaingrading",
    "audits.answer",
    "audits.child",
    "audits.audittemplate",
    "audits.templatesection",
    "audits.question",
    "audits.domain",
    "moderation.moderationreview",
    "moderation.reviewdomaingrade",
    "actions.action",
    "actions.actionupdate",
    "actions.caseofconcern",
    "actions.caseaudit",
    "actions.caseupdate",
    "feedback.feedback",
    "feedback.quote",
    "feedback.familylink",
    "reporting.report",
    "reporting.reportversion",
    "accounts.userrole",
}


def test_every_model_the_records_must_cover_has_a_history():
    tracked = {model._meta.label_lower for model in tracked_models()}
    assert tracked >= MUST_BE_TRACKED, MUST_BE_TRACKED - tracked


def test_every_tracked_model_says_how_its_rows_lead_to_a_child():
    """A model given a history without a row in CHILD_PATHS fails here."""
    assert {model._meta.label_lower for model in tracked_models()} == set(CHILD_PATHS)


@pytest.fixture
def draft(org):
    template = make_template(domains=("Visits",))
    return AuditFactory(
        child=ChildFactory(team=org.team_a), template=template, auditor=org.users["auditor"]
    )


def history_of(obj):
    return list(obj.history.order_by("history_id"))


def test_a_save_that_changes_nothing_records_nothing(org, draft):
    user = org.users["auditor"]
    domain = draft.template.sections.get(domain__isnull=False).domain_id
    question = draft.template.sections.first().questions.first()
    data = {
        "fields": {"strengths": "Warm relationship"},
        "gradings": {domain: {"grade": "good", "evidence": "Seen alone"}},
        "answers": {question.pk: {"value": "yes", "comment": "On file"}},
    }
    audit_save_draft(audit=draft, user=user, data=data)
    audit = Audit.objects.get(pk=draft.pk)
    counts = (audit.history.count(), DomainGrading.history.count(), Answer.history.count())
    audit_save_draft(audit=audit, user=user, data=data)  # the autosave, a second later
    assert (audit.history.count(), DomainGrading.history.count(), Answer.history.count()) == (
        counts
    )
    data["gradings"][domain]["grade"] = "requires_improvement"
    audit_save_draft(audit=Audit.objects.get(pk=draft.pk), user=user, data=data)
    grading = DomainGrading.objects.get(audit=draft)
    versions = history_of(grading)
    assert [v.history_type for v in versions] == ["+", "~"]
    assert [v.grade for v in versions] == ["good", "requires_improvement"]
    assert Answer.history.count() == counts[2]


def test_a_change_through_a_page_records_who_made_it(client, org):
    audit = AuditFactory(
        child=ChildFactory(team=org.team_a), template=make_template(), auditor=org.users["auditor"]
    )
    visits = audit.template.sections.get(domain__name="Visits").domain_id
    client.force_login(org.users["auditor"])
    response = client.post(
        reverse("audits:audit_autosave", args=[audit.pk]),
        {"section": "s2", "lock_version": "0", f"evidence-{visits}": "Half written"},
    )
    assert response.json()["saved"] is True
    [created] = history_of(DomainGrading.objects.get(audit=audit, domain_id=visits))
    assert (created.history_type, created.history_user, created.evidence) == (
        "+",
        org.users["auditor"],
        "Half written",
    )


def test_record_rows_writes_one_row_per_row_with_who_when_and_what(org, draft):
    at = timezone.make_aware(datetime.datetime(2026, 5, 1, 9, 30))
    rows = Audit.objects.filter(pk=draft.pk)
    rows.update(strengths="Changed in bulk")
    assert record_rows(rows, change="~", user=org.users["qa_lead"], at=at) == 1
    latest = draft.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.history_date) == (
        "~",
        org.users["qa_lead"],
        at,
    )
    assert latest.strengths == "Changed in bulk"
    assert latest.child_id == draft.child_id


def test_record_objects_reads_back_every_object_in_batches(org):
    children = ChildFactory.create_batch(3, team=org.team_a)
    historical = historical_model(type(children[0]))
    before = historical.objects.count()
    assert record_objects(type(children[0]), children, change="+", user=None) == 3
    assert historical.objects.count() == before + 3
    assert record_objects(type(children[0]), [], change="+") == 0


def test_each_save_is_compared_with_the_one_before(org):
    child = ChildFactory(team=org.team_a, case_reference="SAVE-1")
    child.case_reference = "SAVE-2"
    child.save()
    child.save()  # nothing changed since the last save
    child.case_reference = "SAVE-3"
    child.save()
    versions = list(child.history.order_by("history_id").values_list("case_reference", flat=True))
    assert versions == ["SAVE-1", "SAVE-2", "SAVE-3"]
