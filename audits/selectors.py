"""Scoped reads of audits. ``audits_visible_to`` mirrors the rule audits.view_audit_record."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import User
from accounts.permissions import is_qa_lead

from .models import Audit, AuditStatus, AuditTemplate, Domain, GradeDescriptor
from .rules import SERVICE_STATUSES, SHARED_STATUSES


def audits_visible_to(user: User) -> QuerySet[Audit]:
    audits = Audit.objects.select_related(
        "child", "team__service_area", "auditor", "template", "allocation_round"
    )
    if not user.is_authenticated or not user.is_active:
        return audits.none()
    if is_qa_lead(user):
        return audits
    return audits.filter(
        (Q(auditor=user) & ~Q(status=AuditStatus.PROPOSED))
        | Q(team__service_area__head_of_service=user, status__in=SERVICE_STATUSES)
        | Q(team__manager=user, status__in=SHARED_STATUSES)
        | Q(child__social_worker=user, status__in=SHARED_STATUSES)
    )


def audits_for_auditor(user: User) -> QuerySet[Audit]:
    """The auditor's own audits, published ones only."""
    return (
        Audit.objects.filter(auditor=user)
        .exclude(status__in=[AuditStatus.PROPOSED, AuditStatus.CANCELLED])
        .select_related("child", "team", "template")
    )


def unused_templates() -> QuerySet[AuditTemplate]:
    """Templates no audit has been done on: the only ones that may still be edited."""
    return AuditTemplate.objects.filter(~Exists(Audit.objects.filter(template=OuterRef("pk"))))


def template_structure(template: AuditTemplate) -> AuditTemplate:
    """The template with sections, questions, domains and descriptors, in 4 queries."""
    from django.db.models import Prefetch

    return (
        AuditTemplate.objects.filter(pk=template.pk)
        .prefetch_related(
            Prefetch(
                "sections__domain__descriptors",
                queryset=GradeDescriptor.objects.order_by("grade"),
            ),
            "sections__questions",
        )
        .get()
    )


def descriptors_by_domain(domains: list[Domain]) -> dict[int, dict[str, str]]:
    result: dict[int, dict[str, str]] = {d.pk: {} for d in domains}
    for descriptor in GradeDescriptor.objects.filter(domain__in=domains):
        result[descriptor.domain_id][descriptor.grade] = descriptor.text
    return result
