"""The template-in-use rule as a service, for the admin and any other path: a version
audits were done on is read-only, and the version to edit is chosen by one function."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits.models import AuditTemplate, Question
from audits.services.templates import (
    TEMPLATE_IN_USE,
    VersionOutcome,
    template_check_editable,
    template_is_used,
    template_version_to_edit,
)
from audits.template_library import install_standard_templates
from tests.factories import AuditFactory, ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def template():
    return install_standard_templates()[0]


def use(template, org):
    return AuditFactory(
        child=ChildFactory(team=org.team_a), template=template, auditor=org.users["auditor"]
    )


def test_an_unused_template_may_be_changed(template):
    assert template_is_used(template) is False
    template_check_editable(template)  # no refusal


def test_a_used_template_may_not(template, org):
    use(template, org)
    fresh = AuditTemplate.objects.get(pk=template.pk)
    assert template_is_used(fresh) is True
    with pytest.raises(ValidationError) as refused:
        template_check_editable(fresh)
    assert refused.value.messages == [TEMPLATE_IN_USE]


def test_the_check_asks_afresh_when_an_audit_started_since_the_page_was_read(template, org):
    assert template_is_used(template) is False  # what the page saw
    use(template, org)
    with pytest.raises(ValidationError):
        template_check_editable(template)


def test_the_version_to_edit_is_the_template_while_unused(template, django_user_model):
    to_edit = template_version_to_edit(template=template, user=None)
    assert (to_edit.template, to_edit.outcome) == (template, VersionOutcome.UNUSED)
    assert AuditTemplate.objects.filter(family=template.family).count() == 1


def test_then_a_new_version_then_the_one_waiting(template, org):
    use(template, org)
    made = template_version_to_edit(template=template, user=org.users["qa_lead"])
    assert made.outcome == VersionOutcome.MADE
    assert (made.template.version, made.template.created_by) == (2, org.users["qa_lead"])

    again = template_version_to_edit(
        template=AuditTemplate.objects.get(pk=template.pk), user=org.users["qa_lead"]
    )
    assert (again.template, again.outcome) == (made.template, VersionOutcome.WAITING)
    assert AuditTemplate.objects.filter(family=template.family).count() == 2


def test_a_question_of_a_used_template_cannot_be_deleted_from_the_admin_list(client, org, template):
    use(template, org)  # allocated, nothing answered yet: only the rule protects it
    question = Question.objects.filter(section__template=template).first()
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("admin:audits_question_changelist"),
        {"action": "delete_selected", "_selected_action": [question.pk], "post": "yes"},
    )
    assert response.status_code in (200, 403)
    assert Question.objects.filter(pk=question.pk).exists()


def test_a_question_of_an_unused_template_can_be(client, org, template):
    question = Question.objects.filter(section__template=template).first()
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("admin:audits_question_changelist"),
        {"action": "delete_selected", "_selected_action": [question.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
