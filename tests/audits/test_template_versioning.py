"""Editing a template that has been used makes a new version; old audits keep theirs.

Shown in the admin (the rule is audits.services.templates): a used template, its sections
and questions are read-only, with the reason on the page, and "Make a new version to
edit" copies it as an editable one.
"""

import pytest
from django.urls import reverse

from audits.admin import NEW_VERSION_MADE, NEWER_VERSION_WAITING, NOT_USED_YET
from audits.models import AuditTemplate, Question, QuestionKind, TemplateSection
from audits.services.templates import TEMPLATE_IN_USE
from audits.template_library import install_standard_templates
from tests.factories import AuditFactory, ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa(client, org):
    client.force_login(org.users["qa_lead"])
    return client


@pytest.fixture
def template():
    return install_standard_templates()[0]


@pytest.fixture
def used(template, org):
    AuditFactory(
        child=ChildFactory(team=org.team_a), template=template, auditor=org.users["auditor"]
    )
    return template


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def template_form(template, **changes):
    """The template's change form, with its sections inline, as the admin posts it."""
    sections = list(template.sections.order_by("order"))
    data = {
        "name": template.name,
        "description": template.description,
        "is_active": "on" if template.is_active else "",
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(len(sections)),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for i, section in enumerate(sections):
        data.update(
            {
                f"sections-{i}-id": str(section.pk),
                f"sections-{i}-template": str(template.pk),
                f"sections-{i}-order": str(section.order),
                f"sections-{i}-title": section.title,
                f"sections-{i}-domain": str(section.domain_id or ""),
                f"sections-{i}-guidance": section.guidance,
            }
        )
    data.update(changes)
    return data


def question_form(question, **changes):
    data = {
        "section": str(question.section_id),
        "order": str(question.order),
        "text": question.text,
        "kind": question.kind,
        "required": "on" if question.required else "",
        "needs_comment": "on" if question.needs_comment else "",
        "help_text": question.help_text,
        "choices": "[]",
    }
    data.update(changes)
    return data


def snapshot(template):
    return (
        AuditTemplate.objects.filter(pk=template.pk).values_list("name", "is_active").get(),
        list(template.sections.order_by("order").values_list("title", "order", "domain")),
        list(
            Question.objects.filter(section__template=template)
            .order_by("section__order", "order")
            .values_list("text", "kind", "required")
        ),
    )


def test_a_used_template_is_shown_read_only_with_the_reason(qa, used):
    response = qa.get(change_url(used))
    assert response.status_code == 200
    html = response.content.decode()
    assert TEMPLATE_IN_USE in html
    assert "Make a new version to edit" in html
    assert 'name="_save"' not in html
    assert response.context["has_change_permission"] is False


def test_editing_a_used_template_is_refused_and_nothing_changes(qa, used):
    before = snapshot(used)
    response = qa.post(change_url(used), template_form(used, name="Renamed"))
    assert response.status_code == 403
    assert snapshot(used) == before


def test_a_section_of_a_used_template_cannot_be_changed_or_deleted(qa, used):
    section = used.sections.get(order=2)
    page = qa.get(change_url(section))
    assert page.status_code == 200
    assert TEMPLATE_IN_USE in page.content.decode()
    assert f'href="{change_url(used)}">Go to the template to make a new version' in (
        page.content.decode()
    )
    refused = qa.post(
        change_url(section),
        {"template": used.pk, "order": 2, "title": "Renamed", "domain": section.domain_id},
    )
    assert refused.status_code == 403
    delete_url = reverse("admin:audits_templatesection_delete", args=[section.pk])
    assert qa.post(delete_url, {"post": "yes"}).status_code == 403
    section.refresh_from_db()
    assert section.title == "Visits"


def test_no_question_can_be_added_to_a_section_of_a_used_template(qa, used):
    section = used.sections.get(order=2)
    count = section.questions.count()
    response = qa.post(
        reverse("admin:audits_question_add"),
        {
            "section": section.pk,
            "order": 99,
            "text": "A question added after use",
            "kind": QuestionKind.YES_NO,
            "choices": "[]",
        },
    )
    assert response.status_code == 200  # the form again, with the section refused
    assert response.context["adminform"].form.errors["section"]
    assert section.questions.count() == count
    # Nor inline on the section's own page: the inline offers no new rows.
    page = qa.get(change_url(section))
    inline = page.context["inline_admin_formsets"][0]
    assert inline.has_add_permission is False


def test_a_question_of_a_used_template_cannot_be_changed_or_deleted(qa, used):
    question = Question.objects.filter(section__template=used).first()
    assert TEMPLATE_IN_USE in qa.get(change_url(question)).content.decode()
    response = qa.post(change_url(question), question_form(question, text="Changed"))
    assert response.status_code == 403
    delete_url = reverse("admin:audits_question_delete", args=[question.pk])
    assert qa.post(delete_url, {"post": "yes"}).status_code == 403
    question.refresh_from_db()
    assert question.text != "Changed"


def test_make_a_new_version_then_edit_it_while_old_audits_keep_theirs(qa, used):
    audit = used.audits.get()
    response = qa.post(reverse("admin:audits_audittemplate_new_version", args=[used.pk]))
    new = AuditTemplate.objects.get(family=used.family, version=2)
    assert response.status_code == 302
    assert response["Location"] == change_url(new)
    assert new.is_active and not AuditTemplate.objects.get(pk=used.pk).is_active
    page = qa.get(response["Location"])
    assert NEW_VERSION_MADE.format(version=2, old=1) in page.content.decode()
    assert page.context["has_change_permission"] is True
    assert TEMPLATE_IN_USE not in page.content.decode()

    # The new version is editable, through its page and its questions' pages.
    data = template_form(new, name="Child Journey Audit 2027")
    data["sections-1-title"] = "Visits and direct work"
    saved = qa.post(change_url(new), data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    question = Question.objects.filter(section__template=new).order_by("pk").first()
    edited = qa.post(change_url(question), question_form(question, text="Reworded question"))
    assert edited.status_code == 302
    new.refresh_from_db()
    assert new.name == "Child Journey Audit 2027"
    assert new.sections.get(order=2).title == "Visits and direct work"

    # The old version and its audit are untouched.
    audit.refresh_from_db()
    assert audit.template_id == used.pk
    assert used.sections.get(order=2).title == "Visits"
    assert not Question.objects.filter(section__template=used, text="Reworded question").exists()


def test_a_new_section_can_be_added_to_an_unused_version(qa, used):
    qa.post(reverse("admin:audits_audittemplate_new_version", args=[used.pk]))
    new = AuditTemplate.objects.get(family=used.family, version=2)
    response = qa.post(
        reverse("admin:audits_templatesection_add"),
        {
            "template": new.pk,
            "order": 20,
            "title": "Family feedback",
            "domain": "",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
            "questions-0-order": "1",
            "questions-0-text": "Did the family give feedback?",
            "questions-0-kind": QuestionKind.YES_NO,
            "questions-0-required": "on",
            "questions-0-needs_comment": "on",
            "questions-0-choices": "[]",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = new.sections.get(title="Family feedback")
    assert list(added.questions.values_list("text", flat=True)) == ["Did the family give feedback?"]
    assert not used.sections.filter(title="Family feedback").exists()


def test_asking_again_on_the_old_version_goes_to_the_waiting_one(qa, used):
    url = reverse("admin:audits_audittemplate_new_version", args=[used.pk])
    qa.post(url)
    response = qa.post(url, follow=True)
    waiting = AuditTemplate.objects.get(family=used.family, version=2)
    assert response.redirect_chain[-1][0] == change_url(waiting)
    assert NEWER_VERSION_WAITING.format(version=2) in response.content.decode()
    assert AuditTemplate.objects.filter(family=used.family).count() == 2


def test_an_unused_template_is_edited_in_place(qa, template):
    page = qa.get(change_url(template))
    assert page.context["has_change_permission"] is True
    assert TEMPLATE_IN_USE not in page.content.decode()
    response = qa.post(
        reverse("admin:audits_audittemplate_new_version", args=[template.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == change_url(template)
    assert NOT_USED_YET in response.content.decode()
    assert AuditTemplate.objects.filter(family=template.family).count() == 1
    saved = qa.post(change_url(template), template_form(template, name="Renamed in place"))
    assert saved.status_code == 302
    template.refresh_from_db()
    assert template.name == "Renamed in place"


def test_the_admin_action_makes_a_new_version(qa, used):
    response = qa.post(
        reverse("admin:audits_audittemplate_changelist"),
        {"action": "make_new_version", "_selected_action": [used.pk]},
    )
    new = AuditTemplate.objects.get(family=used.family, version=2)
    assert response.status_code == 302
    assert response["Location"] == change_url(new)
    assert new.sections.count() == used.sections.count()


def test_new_version_needs_a_post(qa, used):
    url = reverse("admin:audits_audittemplate_new_version", args=[used.pk])
    assert qa.get(url).status_code == 405
    assert AuditTemplate.objects.filter(family=used.family).count() == 1


@pytest.mark.parametrize("role", ["administrator", "auditor"])
def test_only_the_qa_lead_makes_versions(client, org, used, role):
    client.force_login(org.users[role])
    url = reverse("admin:audits_audittemplate_new_version", args=[used.pk])
    response = client.post(url)
    assert response.status_code in (302, 403)
    if response.status_code == 302:  # not an admin user at all: sent to sign in
        assert "login" in response["Location"]
    assert AuditTemplate.objects.filter(family=used.family).count() == 1


def test_the_used_flag_shows_in_the_list(qa, used):
    install_standard_templates()
    response = qa.get(reverse("admin:audits_audittemplate_changelist"))
    assert response.status_code == 200
    rows = {t.pk: t._used for t in response.context["cl"].result_list}
    assert rows[used.pk] is True
    assert sum(rows.values()) == 1
    assert TemplateSection.objects.filter(template=used).exists()
