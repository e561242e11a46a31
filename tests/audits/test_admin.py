"""The audits admin: who reaches what, descriptor history, the single settings row, and
read-only audits, events and imports."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from audits.models import (
    AuditEvent,
    AuditEventKind,
    AuditStatus,
    Domain,
    GradeDescriptor,
    ImportJob,
    MultiAgencyAudit,
    PracticeObservation,
    ProgrammeSettings,
    SampleAudit,
    SampleKind,
)
from audits.template_library import install_standard_templates
from tests.factories import AuditFactory, ChildFactory, complete_audit

pytestmark = pytest.mark.django_db

QA_LEAD_MODELS = [
    "domain",
    "gradedescriptor",
    "audittemplate",
    "templatesection",
    "question",
    "audit",
    "importjob",
    "auditevent",
]


def changelist(model):
    return reverse(f"admin:audits_{model}_changelist")


@pytest.fixture
def qa(client, org):
    client.force_login(org.users["qa_lead"])
    return client


@pytest.fixture
def audit(org):
    template = install_standard_templates()[0]
    audit = AuditFactory(
        child=ChildFactory(team=org.team_a, case_reference="NC424242"),
        template=template,
        auditor=org.users["auditor"],
    )
    complete_audit(audit)
    audit.status = AuditStatus.SUBMITTED
    audit.save()
    return audit


@pytest.mark.parametrize("model", QA_LEAD_MODELS)
def test_the_qa_lead_reaches_the_audit_programme_models(qa, model):
    install_standard_templates()
    assert qa.get(changelist(model)).status_code == 200


@pytest.mark.parametrize("model", ["child", "audit", "auditevent", "domain", "audittemplate"])
def test_administrators_do_not_see_case_records_or_templates(client, org, model):
    client.force_login(org.users["administrator"])
    assert client.get(changelist(model)).status_code == 403


def test_a_descriptor_edited_in_its_domain_keeps_its_history(qa, org):
    install_standard_templates()
    domain = Domain.objects.get(name="Visits")
    descriptors = list(domain.descriptors.order_by("pk"))
    data = {
        "name": domain.name,
        "description": domain.description,
        "is_active": "on",
        "descriptors-TOTAL_FORMS": "4",
        "descriptors-INITIAL_FORMS": "4",
        "descriptors-MIN_NUM_FORMS": "0",
        "descriptors-MAX_NUM_FORMS": "4",
    }
    for i, descriptor in enumerate(descriptors):
        data[f"descriptors-{i}-id"] = descriptor.pk
        data[f"descriptors-{i}-domain"] = domain.pk
        data[f"descriptors-{i}-grade"] = descriptor.grade
        data[f"descriptors-{i}-text"] = descriptor.text
    good = next(i for i, d in enumerate(descriptors) if d.grade == "good")
    data[f"descriptors-{good}-text"] = "Visits are timely and purposeful. The child is seen alone."
    response = qa.post(reverse("admin:audits_domain_change", args=[domain.pk]), data)
    assert response.status_code == 302

    changed = GradeDescriptor.objects.get(domain=domain, grade="good")
    assert changed.text.startswith("Visits are timely")
    latest = changed.history.order_by("-history_date").first()
    assert (latest.history_type, latest.history_user) == ("~", org.users["qa_lead"])
    assert changed.history.count() == 2
    assert changed.history.earliest("history_date").text != changed.text

    # Visible on the domain's page and on the descriptor's own history page.
    page = qa.get(reverse("admin:audits_domain_change", args=[domain.pk])).content.decode()
    assert "Good changed by" in page
    history = qa.get(reverse("admin:audits_gradedescriptor_history", args=[changed.pk]))
    assert history.status_code == 200
    assert str(org.users["qa_lead"]) in history.content.decode()


def test_programme_settings_is_one_row_to_change(qa, org):
    settings = ProgrammeSettings.load()
    assert qa.get(reverse("admin:audits_programmesettings_add")).status_code == 403
    delete_url = reverse("admin:audits_programmesettings_delete", args=[settings.pk])
    assert qa.post(delete_url, {"post": "yes"}).status_code == 403
    response = qa.get(changelist("programmesettings"))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:audits_programmesettings_change", args=[settings.pk]
    )
    saved = qa.post(
        response["Location"],
        {
            "evidence_min_length": 80,
            "default_per_team": 2,
            "default_total": 25,
            "no_repeat_months": 12,
            "days_to_complete": 5,
            "reminder_days_before": 5,
        },
    )
    assert saved.status_code == 302
    settings.refresh_from_db()
    assert (settings.evidence_min_length, settings.days_to_complete) == (80, 5)
    assert settings.history.first().history_user == org.users["qa_lead"]
    assert ProgrammeSettings.objects.count() == 1


def test_programme_settings_are_the_qa_leads(client, org):
    ProgrammeSettings.load()
    client.force_login(org.users["administrator"])
    assert client.get(changelist("programmesettings")).status_code == 403


def test_an_audit_is_view_only_and_viewing_it_is_logged(qa, org, audit):
    url = reverse("admin:audits_audit_change", args=[audit.pk])
    response = qa.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "NC424242" in html
    assert "Visits are regular and purposeful" in html  # a domain grading's evidence
    assert 'name="_save"' not in html
    viewed = AuditEvent.objects.get(audit=audit, kind=AuditEventKind.VIEWED)
    assert viewed.user == org.users["qa_lead"]

    assert qa.post(url, {"status": AuditStatus.ACCEPTED}).status_code == 403
    assert qa.get(reverse("admin:audits_audit_add")).status_code == 403
    delete_url = reverse("admin:audits_audit_delete", args=[audit.pk])
    assert qa.post(delete_url, {"post": "yes"}).status_code == 403
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED


def test_the_audit_list_filters_by_status(qa, audit):
    other = AuditFactory(child=ChildFactory(), template=audit.template)
    response = qa.get(changelist("audit"), {"status__exact": AuditStatus.SUBMITTED})
    assert [a.pk for a in response.context["cl"].result_list] == [audit.pk]
    response = qa.get(changelist("audit"), {"status__exact": AuditStatus.ALLOCATED})
    assert [a.pk for a in response.context["cl"].result_list] == [other.pk]


def test_events_and_imports_are_view_only(qa, org, audit):
    event = AuditEvent.objects.create(audit=audit, user=org.users["auditor"], kind="saved")
    job = ImportJob.objects.create(
        created_by=org.users["qa_lead"], file="imports/past.csv", original_name="past.csv"
    )
    for model, obj in (("auditevent", event), ("importjob", job)):
        url = reverse(f"admin:audits_{model}_change", args=[obj.pk])
        assert qa.get(url).status_code == 200
        assert qa.post(url, {}).status_code == 403
        assert qa.get(reverse(f"admin:audits_{model}_add")).status_code == 403


@pytest.mark.parametrize(
    "model", ["sampleaudit", "multiagencyaudit", "practiceobservation"], ids=str
)
def test_other_audit_types_have_admin_pages(client, org, model):
    superuser = User.objects.create_superuser(
        email="root@council.example", password="x", first_name="R", last_name="Oot"
    )
    lead = org.users["qa_lead"]
    month = datetime.date(2026, 4, 1)
    SampleAudit.objects.create(
        kind=SampleKind.DIP_SAMPLE,
        topic="Visits",
        month=month,
        records_sampled=20,
        lead=lead,
        findings="Mostly timely.",
    )
    MultiAgencyAudit.objects.create(
        topic="Neglect",
        month=month,
        agencies="Police\nHealth",
        families_considered=5,
        lead=lead,
        findings="Good sharing.",
    )
    PracticeObservation.objects.create(
        practitioner=org.users["no_role"],
        observer=org.users["team_manager"],
        team=org.team_a,
        observed_on=month,
        setting="home_visit",
        grade="good",
        strengths="Warm.",
    )
    client.force_login(superuser)
    response = client.get(changelist(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert client.get(reverse(f"admin:audits_{model}_add")).status_code == 200
