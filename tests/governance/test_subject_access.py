"""A subject access export: everything held about one child, and nothing about anyone
else, as a zip of JSON and a readable PDF, for the QA Lead and the Data Protection
Officer only, and recorded."""

import io
import json
import zipfile

import pytest

from accounts.models import Role
from actions.models import Action, CaseOfConcern
from audits.models import Audit, ChildViewEvent, Grade, ProposedAction
from audits.services.audit import audit_accept, audit_submit
from audits.services.viewing import audits_log_viewed
from feedback.models import FamilyLink
from feedback.services.links import link_create
from governance.models import RecordSearch
from governance.subject_access import child_paths
from tests.factories import AuditFactory, ChildFactory, UserFactory, complete_audit, make_template

pytestmark = pytest.mark.django_db

URL = "/records/subject-access/"


def accepted_audit(org, child, grade, template):
    audit = AuditFactory(child=child, template=template, auditor=org.users["auditor"])
    complete_audit(audit, grade=grade)
    ProposedAction.objects.create(audit=audit, order=0, text="Update the plan")
    audit_submit(audit=audit, user=org.users["auditor"])
    return audit_accept(audit=Audit.objects.get(pk=audit.pk), user=org.users["qa_lead"])


@pytest.fixture
def children(org):
    """Child A: an Inadequate audit (an action, a Case of Concern), a family link and a
    view; child B: a Good audit."""
    a = ChildFactory(team=org.team_a, case_reference="SAR-A")
    b = ChildFactory(team=org.team_a, case_reference="SAR-B")
    template = make_template()
    audit_a = accepted_audit(org, a, Grade.INADEQUATE, template)
    accepted_audit(org, b, Grade.GOOD, template)
    link_create(audit=audit_a, user=org.users["auditor"], audience="adult")
    audits_log_viewed(user=org.users["team_manager"], audits=[audit_a], note="Tracker")
    return a, b


def export(client, reference):
    response = client.get(URL, {"child": reference})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def read(archive, name):
    return json.loads(archive.read(name))


def test_the_records_about_children_are_found_from_the_models():
    paths = {model._meta.label_lower: path for model, path in child_paths().items()}
    assert paths["audits.child"] == "pk"
    assert paths["audits.audit"] == "child"
    assert paths["audits.domaingrading"] == "audit__child"
    assert paths["moderation.reviewdomaingrade"] == "review__audit__child"
    for label in (
        "audits.answer",
        "audits.auditevent",
        "audits.childviewevent",
        "audits.gradechange",
        "audits.socialworkerreply",
        "moderation.moderationreview",
        "actions.action",
        "actions.actionupdate",
        "actions.caseofconcern",
        "actions.caseupdate",
        "feedback.feedback",
        "feedback.quote",
        "feedback.familylink",
        "feedback.ambassadorreview",
    ):
        assert label in paths, label
    assert not any(label.startswith("accounts.") for label in paths)


def test_everything_about_the_child_and_nothing_about_another(client, org, children):
    a, b = children
    client.force_login(org.users["qa_lead"])
    archive = export(client, "sar-a")
    names = set(archive.namelist())
    assert {
        "audits_child.json",
        "audits_audit.json",
        "audits_domaingrading.json",
        "audits_answer.json",
        "actions_action.json",
        "actions_caseofconcern.json",
        "feedback_familylink.json",
        "history.json",
        "views.json",
        "subject-access.pdf",
    } <= names
    [child] = read(archive, "audits_child.json")
    assert child["case_reference"] == "SAR-A"
    audits = read(archive, "audits_audit.json")
    assert {row["id"] for row in audits} == set(
        Audit.objects.filter(child=a).values_list("pk", flat=True)
    )
    assert [row["child"] for row in read(archive, "actions_action.json")] == list(
        Action.objects.filter(child=a).values_list("child", flat=True)
    )
    assert CaseOfConcern.objects.filter(child=a).count() == len(
        read(archive, "actions_caseofconcern.json")
    )
    everything = b"".join(archive.read(name) for name in names if name.endswith(".json"))
    assert b"SAR-B" not in everything
    b_audits = set(Audit.objects.filter(child=b).values_list("pk", flat=True))
    assert not b_audits & {row["id"] for row in audits}


def test_people_are_named_and_secrets_left_out(client, org, children):
    client.force_login(org.users["qa_lead"])
    archive = export(client, "SAR-A")
    [link] = read(archive, "feedback_familylink.json")
    assert "verifier_hash" not in link and "selector" not in link
    stored = FamilyLink.objects.get()
    everything = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".json"))
    assert stored.verifier_hash.encode() not in everything
    assert stored.selector.encode() not in everything
    [audit] = read(archive, "audits_audit.json")
    assert audit["auditor"].endswith("(auditor@council.example)")


def test_the_history_and_the_views_are_in_it(client, org, children):
    client.force_login(org.users["qa_lead"])
    archive = export(client, "SAR-A")
    history = read(archive, "history.json")
    records = {change["record"].rsplit(" ", 1)[0] for change in history}
    assert {"Audit", "Domain grading", "Action", "Case of concern"} <= records
    assert all(change["action"] in {"Created", "Changed", "Deleted"} for change in history)
    views = read(archive, "views.json")
    assert any(
        view["note"] == "Tracker" and "tom@council.example" in view["person"] for view in views
    )


def test_the_pdf_is_a_pdf_naming_the_child(client, org, children):
    client.force_login(org.users["qa_lead"])
    pdf = export(client, "SAR-A").read("subject-access.pdf")
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 2000


def test_the_export_is_recorded(client, org, children):
    a, _ = children
    client.force_login(org.users["qa_lead"])
    export(client, "SAR-A")
    assert ChildViewEvent.objects.filter(
        child=a, user=org.users["qa_lead"], note="Subject access export"
    ).exists()
    assert RecordSearch.objects.filter(
        user=org.users["qa_lead"], exported=True, criteria="subject access export: child SAR-A"
    ).exists()


def test_a_data_protection_officer_may_export(client, org, children):
    dpo = UserFactory(email="dpo@council.example", roles=[Role.DATA_PROTECTION_OFFICER])
    client.force_login(dpo)
    export(client, "SAR-A")


@pytest.mark.parametrize(
    "role", ["auditor", "team_manager", "head_of_service", "leader", "administrator"]
)
def test_nobody_else_may_export_and_nothing_is_recorded(client, org, children, role):
    client.force_login(org.users[role])
    assert client.get(URL, {"child": "SAR-A"}).status_code == 403
    assert not RecordSearch.objects.exists()


def test_an_unknown_child_answers_404_and_nothing_is_recorded(client, org, children):
    client.force_login(org.users["qa_lead"])
    assert client.get(URL, {"child": "NO-SUCH"}).status_code == 404
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, "/records/")
    assert not RecordSearch.objects.exists()


def test_the_records_page_offers_the_export_for_a_child(client, org, children):
    client.force_login(org.users["qa_lead"])
    page = client.get("/records/", {"child": "SAR-A"}).content.decode()
    assert f'href="{URL}?child=SAR-A"' in page
    assert "download everything held about child SAR-A" in page
