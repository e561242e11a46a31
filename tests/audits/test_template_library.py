"""The standard templates: what they contain, and that installing is idempotent."""

import re

import pytest
from django.core.management import call_command

from audits.models import (
    GRADED,
    AuditStatus,
    AuditTemplate,
    Domain,
    GradeDescriptor,
    Question,
    QuestionKind,
    TemplateSection,
)
from audits.services.audit import audit_missing_items, audit_submit
from audits.template_library import (
    CASE_FILE_AUDIT,
    CHILD_JOURNEY_AUDIT,
    LEAVING_CARE_AUDIT,
    STANDARD_TEMPLATES,
    install_standard_templates,
)
from audits.template_library.help import QUESTION_HELP
from tests.factories import AuditFactory, ChildFactory, complete_audit

pytestmark = pytest.mark.django_db

CJA_DOMAINS = ["Visits", "Assessments", "Supervision", "Plans & Planning", "Meetings & Reviews"]
CFA_DOMAINS = [
    "Seeing and hearing the child",
    "Quality of assessment",
    "Quality of plans",
    "Decision making and management oversight",
    "Meetings and reviews",
    "Supervision",
    "Consideration of the impact of diversity",
]
LCA_DOMAINS = [
    "Pathway planning",
    "Accommodation and staying put",
    "Education, employment and training",
    "Health and wellbeing",
    "Relationships and the young person's voice",
]


def counts():
    return tuple(
        model.objects.count()
        for model in (AuditTemplate, TemplateSection, Question, Domain, GradeDescriptor)
    )


def domains_of(template):
    return [s.domain.name for s in template.sections.order_by("order") if s.domain_id]


def test_three_templates_with_their_families_names_and_domains():
    installed = install_standard_templates()
    assert [(t.family, t.name, t.version, t.is_active) for t in installed] == [
        (CHILD_JOURNEY_AUDIT, "Child Journey Audit", 1, True),
        (CASE_FILE_AUDIT, "Case File Audit", 1, True),
        (LEAVING_CARE_AUDIT, "Leaving Care Audit", 1, True),
    ]
    cja, cfa, lca = installed
    assert domains_of(cja) == CJA_DOMAINS
    assert domains_of(cfa) == CFA_DOMAINS
    assert domains_of(lca) == LCA_DOMAINS
    # Supervision is one domain shared by two templates, so reports see it once.
    assert Domain.objects.count() == 16
    assert Domain.objects.get(name="Supervision").sections.count() == 2


def test_child_journey_audit_starts_with_the_childs_journey():
    cja = install_standard_templates()[0]
    first = cja.sections.order_by("order").first()
    assert (first.order, first.title, first.domain) == (1, "The child's journey", None)
    questions = {q.text: q.kind for q in first.questions.all()}
    assert questions["Summary of the child's journey so far"] == QuestionKind.LONG_TEXT
    assert questions["What is life like for this child?"] == QuestionKind.LONG_TEXT
    assert questions["Was the child's voice evident throughout the record?"] == (
        QuestionKind.YES_NO
    )


def test_every_domain_section_asks_three_to_five_questions():
    for template in install_standard_templates():
        for section in template.sections.filter(domain__isnull=False):
            assert 3 <= section.questions.count() <= 5, (template.name, section.title)


def test_the_templates_use_every_kind_of_question_the_form_offers():
    cja = install_standard_templates()[0]
    kinds = set(Question.objects.filter(section__template=cja).values_list("kind", flat=True))
    assert {
        QuestionKind.YES_NO,
        QuestionKind.LONG_TEXT,
        QuestionKind.NUMBER,
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.MULTIPLE_CHOICE,
    } <= kinds
    tools = Question.objects.get(
        section__template=cja,
        kind=QuestionKind.MULTIPLE_CHOICE,
        section__domain__name="Assessments",
    )
    assert "Genogram" in tools.choices and "Chronology" in tools.choices
    yes_no = Question.objects.filter(section__template=cja, kind=QuestionKind.YES_NO)
    assert yes_no.filter(needs_comment=True).count() >= 15


def test_each_domain_has_a_descriptor_for_each_grade_of_two_to_four_sentences():
    install_standard_templates()
    for domain in Domain.objects.all():
        descriptors = {d.grade: d.text for d in domain.descriptors.all()}
        assert set(descriptors) == set(GRADED), domain.name
        for grade, text in descriptors.items():
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
            assert 2 <= len(sentences) <= 4, (domain.name, grade, len(sentences))
    # Specific to the domain: no two domains share a descriptor.
    texts = list(GradeDescriptor.objects.values_list("text", flat=True))
    assert len(texts) == len(set(texts)) == 64


def test_descriptors_are_installed_with_their_history():
    install_standard_templates()
    descriptor = GradeDescriptor.objects.first()
    assert descriptor.history.count() == 1
    assert descriptor.history.get().history_type == "+"


def test_installing_twice_creates_nothing_new():
    first = install_standard_templates()
    before = counts()
    again = install_standard_templates()
    assert counts() == before
    assert [t.pk for t in again] == [t.pk for t in first]


def test_an_existing_family_and_edited_descriptors_are_left_alone():
    cja = install_standard_templates()[0]
    cja.name = "Our Child Journey Audit"
    cja.save()
    Question.objects.filter(section__template=cja).first().delete()
    descriptor = GradeDescriptor.objects.get(domain__name="Visits", grade="good")
    descriptor.text = "Our own words for good visits. They are purposeful."
    descriptor.save()
    before = counts()
    install_standard_templates()
    assert counts() == before
    cja.refresh_from_db()
    descriptor.refresh_from_db()
    assert cja.name == "Our Child Journey Audit"
    assert descriptor.text == "Our own words for good visits. They are purposeful."


def test_a_newer_version_is_what_install_returns():
    cja = install_standard_templates()[0]
    cja.is_active = False
    cja.save()
    newer = AuditTemplate.objects.create(
        family=CHILD_JOURNEY_AUDIT, version=2, name="Child Journey Audit", is_active=True
    )
    assert install_standard_templates()[0] == newer


def test_command_installs_then_reports_already_installed(capsys):
    call_command("install_audit_templates")
    assert "Child Journey Audit (version 1): installed" in capsys.readouterr().out
    call_command("install_audit_templates")
    out = capsys.readouterr().out
    assert "Leaving Care Audit (version 1): already installed" in out
    assert AuditTemplate.objects.count() == 3


@pytest.mark.parametrize("index", [0, 1, 2])
def test_an_audit_on_each_standard_template_can_be_completed_and_submitted(org, index):
    template = install_standard_templates()[index]
    child = ChildFactory(team=org.team_b)
    audit = AuditFactory(child=child, template=template, auditor=org.users["auditor"])
    complete_audit(audit)
    assert audit_missing_items(audit) == []
    submitted = audit_submit(audit=audit, user=org.users["auditor"])
    assert submitted.status == AuditStatus.SUBMITTED
    assert submitted.gradings.count() == len(domains_of(template))


def test_every_standard_question_has_help_saying_where_to_look():
    for template in install_standard_templates():
        questions = Question.objects.filter(section__template=template)
        assert questions.exists()
        for question in questions:
            assert len(question.help_text) >= 20, (template.family, question.text)
    assert set(QUESTION_HELP) <= {
        q.text for spec in STANDARD_TEMPLATES for s in spec.sections for q in s.questions
    }  # no help for a question that is not there


def test_an_installed_template_gets_the_help_it_lacks_and_keeps_its_own():
    cja = install_standard_templates()[0]
    questions = Question.objects.filter(section__template=cja).order_by("section__order", "order")
    blank, reworded, own, *_ = questions.filter(kind=QuestionKind.YES_NO)
    Question.objects.filter(section__template__family=CHILD_JOURNEY_AUDIT).update(help_text="")
    Question.objects.filter(pk=reworded.pk).update(text="Were visits on time this year?")
    Question.objects.filter(pk=own.pk).update(help_text="Our own help for this question.")
    history = Question.history.count()

    install_standard_templates()
    blank.refresh_from_db()
    reworded.refresh_from_db()
    own.refresh_from_db()
    spec = {
        (section.title, question.text): question.help_text
        for section in STANDARD_TEMPLATES[0].sections
        for question in section.questions
    }
    assert blank.help_text and blank.help_text == spec[(blank.section.title, blank.text)]
    assert reworded.help_text == ""  # the council's wording: no help of ours fits it
    assert own.help_text == "Our own help for this question."
    filled = Question.history.count() - history
    assert filled == questions.count() - 2  # each filled question's change is recorded
    assert not Question.objects.filter(section__template=cja, help_text="").exclude(pk=reworded.pk)
    before = Question.history.count()
    install_standard_templates()  # nothing left to fill: nothing written
    assert Question.history.count() == before
