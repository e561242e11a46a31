"""The audit form's extension point: a section another app registers is drawn, saved by
the autosave inside the audit's own transaction and version check, listed with its
status, reported on the check page, and blocks submission while it has missing items."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits import extensions
from audits.forms.audit_form import Row, SectionForm
from audits.services.audit import MissingItem, audit_save_draft
from tests.factories import AuditFactory, ChildFactory, complete_audit, make_template

pytestmark = pytest.mark.django_db
SAVED = {}


class NoteForm(SectionForm):
    def add_fields(self):
        self.fields["note"] = forms.CharField(required=False, max_length=20)

    def initial_values(self):
        return {"note": SAVED.get(self.audit.pk, "")}

    def draft_data(self):
        return {"sections": {"extra_note": {"note": self.cleaned_data["note"]}}}

    def layout(self):
        return [self.text_field("note", "A note")]


class NoteSection(extensions.FormSection):
    key = "extra_note"
    title = "A note from another app"
    after = "findings"

    def form_class(self):
        return NoteForm

    def load(self, audit):
        return SAVED.get(audit.pk, "")

    def is_filled(self, audit_data):
        return bool(audit_data.extra["extra_note"])

    def missing_items(self, audit):
        if SAVED.get(audit.pk) == "incomplete":
            return [MissingItem("extra_note", "note", "Finish the note")]
        return []

    def save_draft(self, *, audit, user, data):
        if data["note"] == "refuse":
            raise ValidationError("Refused")
        SAVED[audit.pk] = data["note"]

    def summary_rows(self, audit_data):
        return [Row("The note", audit_data.extra["extra_note"], "note")]


@pytest.fixture
def section():
    registered = extensions.register(NoteSection())
    yield registered
    extensions.unregister("extra_note")
    SAVED.clear()


@pytest.fixture
def audit(org):
    audit = AuditFactory(
        child=ChildFactory(team=org.team_a),
        template=make_template(questions=False),
        auditor=org.users["auditor"],
    )
    return complete_audit(audit)


@pytest.mark.parametrize("key", ["check", "actions", "s1", "x", "has space", "UPPER"])
def test_a_section_key_cannot_clash_or_be_malformed(key):
    bad = NoteSection()
    bad.key = key
    with pytest.raises(ValueError):
        extensions.register(bad)


def test_a_section_must_follow_a_fixed_section():
    bad = NoteSection()
    bad.after = "check"
    with pytest.raises(ValueError):
        extensions.register(bad)


def test_the_section_is_listed_after_the_one_it_follows(client, org, audit, section):
    client.force_login(org.users["auditor"])
    page = client.get(reverse("audits:audit_section", args=[audit.pk, "extra_note"]))
    assert page.status_code == 200
    keys = [s.key for s in page.context["sections"]]
    assert keys[keys.index("findings") + 1] == "extra_note"
    assert {s.key: s.status for s in page.context["sections"]}["extra_note"] == "Optional"


def test_autosave_saves_through_the_section_and_moves_the_version_on(client, org, audit, section):
    client.force_login(org.users["auditor"])
    version = audit.lock_version
    response = client.post(
        reverse("audits:audit_autosave", args=[audit.pk]),
        {"section": "extra_note", "lock_version": str(version), "note": "Hello"},
    )
    assert response.status_code == 200
    assert response.json()["lock_version"] == version + 1
    assert SAVED[audit.pk] == "Hello"
    stale = client.post(
        reverse("audits:audit_autosave", args=[audit.pk]),
        {"section": "extra_note", "lock_version": str(version), "note": "Stale"},
    )
    assert stale.status_code == 409
    assert SAVED[audit.pk] == "Hello"


def test_a_refused_save_changes_nothing(audit, section):
    version = audit.lock_version
    with pytest.raises(ValidationError):
        audit_save_draft(
            audit=audit, user=audit.auditor, data={"sections": {"extra_note": {"note": "refuse"}}}
        )
    audit.refresh_from_db()
    assert audit.lock_version == version


def test_an_unknown_section_is_refused(audit):
    with pytest.raises(ValidationError):
        audit_save_draft(audit=audit, user=audit.auditor, data={"sections": {"nothing": {}}})


def test_missing_items_block_submission_and_rows_show_on_the_check_page(
    client, org, audit, section
):
    SAVED[audit.pk] = "incomplete"
    client.force_login(org.users["auditor"])
    response = client.post(reverse("audits:audit_submit", args=[audit.pk]))
    assert response.status_code == 400
    assert {
        "href": reverse("audits:audit_section", args=[audit.pk, "extra_note"]) + "#note",
        "text": "Finish the note",
    } in response.context["errors"]
    statuses = {s.key: s.status for s in response.context["sections"]}
    assert statuses["extra_note"] == "Incomplete"
    SAVED[audit.pk] = "Done"
    check = client.get(reverse("audits:audit_section", args=[audit.pk, "check"]))
    assert "The note" in check.content.decode() and "Done" in check.content.decode()
    assert {s.key: s.status for s in check.context["sections"]}["extra_note"] == "Completed"
