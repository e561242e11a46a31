"""Audit templates: a used template is never edited; a new version is made."""

from django.db import transaction
from django.db.models import Max

from accounts.models import User

from ..models import AuditTemplate, Question, TemplateSection

TEMPLATE_IN_USE = (
    "This version has been used for audits, so it cannot be changed. "
    "Make a new version to edit; audits already done keep this one."
)


@transaction.atomic
def template_new_version(*, template: AuditTemplate, user: User | None) -> AuditTemplate:
    """Copy the template, its sections and questions as the family's next version.

    The new version becomes the active one; the old one stays, unchanged, for the
    audits done on it.
    """
    latest = (
        AuditTemplate.objects.select_for_update()
        .filter(family=template.family)
        .aggregate(Max("version"))["version__max"]
    )
    AuditTemplate.objects.filter(family=template.family, is_active=True).update(is_active=False)
    new = AuditTemplate.objects.create(
        family=template.family,
        version=latest + 1,
        name=template.name,
        description=template.description,
        is_active=True,
        created_by=user,
    )
    for section in template.sections.prefetch_related("questions"):
        new_section = TemplateSection.objects.create(
            template=new,
            order=section.order,
            title=section.title,
            domain=section.domain,
            guidance=section.guidance,
        )
        Question.objects.bulk_create(
            Question(
                section=new_section,
                order=q.order,
                text=q.text,
                kind=q.kind,
                required=q.required,
                needs_comment=q.needs_comment,
                help_text=q.help_text,
                choices=q.choices,
            )
            for q in section.questions.all()
        )
    return new
