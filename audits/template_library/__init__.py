"""The standard audit templates, their domains and grade descriptors, ready to install.

``install_standard_templates`` is idempotent: a family that exists (any version) is left
alone but for questions with no help, which get the library's (``help.py``); a domain's
existing descriptors are never overwritten, so a council's own edits survive running it
again.
"""

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from common.history import record_rows

from ..models import AuditTemplate, Domain, GradeDescriptor, Question, TemplateSection
from .descriptors import DOMAINS
from .structures import (
    CASE_FILE_AUDIT,
    CHILD_JOURNEY_AUDIT,
    LEAVING_CARE_AUDIT,
    STANDARD_TEMPLATES,
    QuestionSpec,
    SectionSpec,
    TemplateSpec,
)

__all__ = [
    "CASE_FILE_AUDIT",
    "CHILD_JOURNEY_AUDIT",
    "DOMAINS",
    "LEAVING_CARE_AUDIT",
    "STANDARD_TEMPLATES",
    "QuestionSpec",
    "SectionSpec",
    "TemplateSpec",
    "install_standard_templates",
]


def _install_domains(names: list[str]) -> dict[str, Domain]:
    domains = {}
    for name in names:
        description, descriptors = DOMAINS[name]
        domain, _ = Domain.objects.get_or_create(name=name, defaults={"description": description})
        domains[name] = domain
        have = set(domain.descriptors.values_list("grade", flat=True))
        bulk_create_with_history(
            [
                GradeDescriptor(domain=domain, grade=grade, text=text)
                for grade, text in descriptors.items()
                if grade not in have
            ],
            GradeDescriptor,
        )
    return domains


def _install_template(spec: TemplateSpec, domains: dict[str, Domain], user) -> AuditTemplate:
    template = AuditTemplate.objects.create(
        family=spec.family,
        version=1,
        name=spec.name,
        description=spec.description,
        is_active=True,
        created_by=user,
    )
    for order, section_spec in enumerate(spec.sections, start=1):
        section = TemplateSection.objects.create(
            template=template,
            order=order,
            title=section_spec.title,
            domain=domains[section_spec.domain] if section_spec.domain else None,
            guidance=section_spec.guidance,
        )
        Question.objects.bulk_create(
            Question(
                section=section,
                order=q_order,
                text=q.text,
                kind=q.kind,
                required=q.required,
                needs_comment=q.needs_comment,
                help_text=q.help_text,
                choices=list(q.choices),
            )
            for q_order, q in enumerate(section_spec.questions, start=1)
        )
        record_rows(Question.objects.filter(section=section), change="+", user=user)
    return template


@transaction.atomic
def install_standard_templates(user: User | None = None) -> list[AuditTemplate]:
    """Install the standard templates that are missing, with their domains and grade
    descriptors. Returns each family's active version (or latest, if none is active),
    in the order of STANDARD_TEMPLATES. Running it again creates nothing."""
    installed = []
    for spec in STANDARD_TEMPLATES:
        existing = (
            AuditTemplate.objects.filter(family=spec.family)
            .order_by("-is_active", "-version")
            .first()
        )
        if existing is None:
            domains = _install_domains(spec.domain_names)
            existing = _install_template(spec, domains, user)
        else:
            _add_missing_help(spec, user)
        installed.append(existing)
    return installed


def _add_missing_help(spec: TemplateSpec, user) -> None:
    """Give the family's questions the library's help where they have none, matched by
    their section's title and their text: a question the council has reworded, or whose
    help it has written, is left as it is."""
    wanted = {
        (section.title, question.text): question.help_text
        for section in spec.sections
        for question in section.questions
        if question.help_text
    }
    missing = [
        question
        for question in Question.objects.filter(
            section__template__family=spec.family, help_text=""
        ).select_related("section")
        if (question.section.title, question.text) in wanted
    ]
    for question in missing:
        question.help_text = wanted[(question.section.title, question.text)]
    if missing:
        Question.objects.bulk_update(missing, ["help_text"])
        record_rows(Question.objects.filter(pk__in=[q.pk for q in missing]), change="~", user=user)
