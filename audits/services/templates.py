"""Audit templates: a used template is never edited; a new version is made.

The rule, for the admin and any other path: once audits have been done on a version,
that version, its sections and its questions are read-only (``template_is_used`` says
so, ``template_check_editable`` refuses a change), and the version to edit is the one
``template_version_to_edit`` gives: the template itself while unused, else a newer
unused version already waiting, else a new copy.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max

from accounts.models import User
from common.history import record_rows

from ..models import Audit, AuditTemplate, Question, TemplateSection
from ..selectors import unused_templates

TEMPLATE_IN_USE = (
    "This version has been used for audits, so it cannot be changed. "
    "Make a new version to edit; audits already done keep this one."
)

_USED = "_is_used"  # where a template's answer is kept for the rest of the request


def template_is_used(template: AuditTemplate | None) -> bool:
    """Whether audits were done on the template (so it is read-only); asked once per
    object, or not at all when a query annotated it (``template_mark_used``)."""
    if template is None or template.pk is None:
        return False
    if _USED not in template.__dict__:
        template.__dict__[_USED] = template.is_used
    return template.__dict__[_USED]


def template_mark_used(template: AuditTemplate, used: bool) -> None:
    """Record what a query already found, so ``template_is_used`` asks nothing."""
    template.__dict__[_USED] = used


def template_check_editable(template: AuditTemplate | None) -> None:
    """Refuse a change to the template, or to its sections or questions, once audits
    have been done on it. Asks the database afresh: an audit may have just started."""
    if template is None or template.pk is None:
        return
    if Audit.objects.filter(template_id=template.pk).exists():
        template_mark_used(template, True)
        raise ValidationError(TEMPLATE_IN_USE, code="template_in_use")


class VersionOutcome(models.TextChoices):
    UNUSED = "unused", "The template has not been used: edit it"
    WAITING = "waiting", "A newer version has not been used: edit that"
    MADE = "made", "A new version was made to edit"


@dataclass(frozen=True)
class VersionToEdit:
    template: AuditTemplate
    outcome: VersionOutcome


@transaction.atomic
def template_version_to_edit(*, template: AuditTemplate, user: User | None) -> VersionToEdit:
    """The version of the template's family to edit: the template itself while no audit
    has been done on it; a newer version nobody has used yet, if there is one (never a
    second copy); otherwise a new version, made now (``template_new_version``)."""
    if not template_is_used(template):
        return VersionToEdit(template, VersionOutcome.UNUSED)
    # The family's versions, locked: two people asking at once get one new version.
    list(AuditTemplate.objects.select_for_update().filter(family=template.family))
    waiting = (
        unused_templates()
        .filter(family=template.family, version__gt=template.version)
        .order_by("-version")
        .first()
    )
    if waiting is not None:
        return VersionToEdit(waiting, VersionOutcome.WAITING)
    return VersionToEdit(template_new_version(template=template, user=user), VersionOutcome.MADE)


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
    active = AuditTemplate.objects.filter(family=template.family, is_active=True)
    deactivated = list(active.values_list("pk", flat=True))
    active.update(is_active=False)
    record_rows(AuditTemplate.objects.filter(pk__in=deactivated), change="~", user=user)
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
        record_rows(Question.objects.filter(section=new_section), change="+", user=user)
    return new
