import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import JobTitle, ServiceArea, Team, User, UserRole
from audits.models import Child, LegalStatus

PASSWORD = "correct-horse-battery"


class ServiceAreaFactory(DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Service area {n}")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    service_area = factory.SubFactory(ServiceAreaFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@council.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    job_title = JobTitle.SOCIAL_WORKER
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            UserRole.objects.bulk_create(UserRole(user=self, role=role) for role in extracted)
            self.__dict__.pop("role_codes", None)


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    case_reference = factory.Sequence(lambda n: f"NC{100000 + n}")
    team = factory.SubFactory(TeamFactory)
    legal_status = LegalStatus.CHILD_IN_NEED
    date_of_birth = datetime.date(2015, 6, 1)


# Audits ------------------------------------------------------------------------------

from audits.models import (  # noqa: E402
    Audit,
    AuditStatus,
    AuditTemplate,
    Domain,
    DomainGrading,
    Grade,
    GradeDescriptor,
    Involvement,
    Question,
    QuestionKind,
    TemplateSection,
)

EVIDENCE = (
    "Visits are regular and purposeful; the child's wishes are recorded in their own words "
    "and acted on in the plan."
)


class DomainFactory(DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Domain {n}")

    @factory.post_generation
    def descriptors(self, create, extracted, **kwargs):
        if create and extracted is not False:
            for grade in (
                Grade.OUTSTANDING,
                Grade.GOOD,
                Grade.REQUIRES_IMPROVEMENT,
                Grade.INADEQUATE,
            ):
                GradeDescriptor.objects.get_or_create(
                    domain=self,
                    grade=grade,
                    defaults={"text": f"{grade.label} practice in {self.name}."},
                )


def make_template(domains=("Visits", "Assessments"), questions=True, family="cja", **kwargs):
    """A template with one section per domain and, if asked, a general section with
    one question of each kind."""
    template = AuditTemplate.objects.create(
        family=family, name=kwargs.pop("name", "Child Journey Audit"), **kwargs
    )
    order = 1
    if questions:
        general = TemplateSection.objects.create(template=template, order=order, title="The child")
        order += 1
        Question.objects.create(
            section=general,
            order=1,
            text="Is the child's plan up to date?",
            kind=QuestionKind.YES_NO,
        )
        Question.objects.create(
            section=general,
            order=2,
            text="How many visits in the last 3 months?",
            kind=QuestionKind.NUMBER,
            required=False,
        )
        Question.objects.create(
            section=general,
            order=3,
            text="Which tools were used?",
            kind=QuestionKind.MULTIPLE_CHOICE,
            choices=["Genogram", "Chronology", "Ecomap"],
            required=False,
        )
    for name in domains:
        TemplateSection.objects.create(
            template=template, order=order, title=name, domain=DomainFactory(name=name)
        )
        order += 1
    return template


class AuditFactory(DjangoModelFactory):
    class Meta:
        model = Audit

    child = factory.SubFactory(ChildFactory)
    template = factory.LazyFunction(
        lambda: AuditTemplate.objects.filter(is_active=True).first() or make_template()
    )
    auditor = factory.SubFactory(UserFactory)
    team = factory.SelfAttribute("child.team")
    month = datetime.date(2026, 11, 1)
    due_date = datetime.date(2026, 11, 30)
    status = AuditStatus.ALLOCATED


def complete_audit(audit, grade=Grade.GOOD, domain_grades=None):
    """Fill every item the audit needs to be submitted (as a draft; not submitted)."""
    domain_grades = domain_grades or {}
    for section in audit.template.sections.all():
        if section.domain_id:
            DomainGrading.objects.update_or_create(
                audit=audit,
                domain=section.domain,
                defaults={
                    "grade": domain_grades.get(section.domain.name, grade),
                    "evidence": EVIDENCE,
                },
            )
        for question in section.questions.all():
            value = {
                QuestionKind.YES_NO: "yes",
                QuestionKind.NUMBER: 3,
                QuestionKind.MULTIPLE_CHOICE: [question.choices[0]] if question.choices else [],
                QuestionKind.SINGLE_CHOICE: question.choices[0] if question.choices else "",
            }.get(question.kind, "Some text")
            audit.answers.update_or_create(
                question=question, defaults={"value": value, "comment": "Seen on the file."}
            )
    audit.overall_grade = grade
    audit.overall_rationale = EVIDENCE
    audit.strengths = "Strong relationships with the family."
    audit.areas_for_development = "Plans need SMART outcomes."
    for name in ("social_worker_involved", "team_manager_involved", "iro_involved"):
        setattr(audit, name, Involvement.YES)
    audit.child_spoken_to = Involvement.YES
    audit.parent_carer_spoken_to = Involvement.YES
    audit.status = AuditStatus.IN_PROGRESS
    audit.save()
    return audit
