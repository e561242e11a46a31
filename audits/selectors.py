"""Scoped reads of audits. ``audits_visible_to`` mirrors the rule audits.view_audit_record."""

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Value

from accounts.models import Team, User
from accounts.permissions import is_qa_lead

from .models import Audit, AuditStatus, AuditTemplate, Child, Domain, GradeDescriptor
from .rules import SERVICE_STATUSES, SHARED_STATUSES


def _scope_ids(user: User) -> dict[str, list[int]]:
    """The teams whose service area the user heads, the teams they manage and the
    children they are social worker for, in one query."""
    kinds = {"area": 1, "team": 2, "child": 3}
    rows = (
        Team.objects.filter(service_area__head_of_service=user)
        .order_by()
        .values_list("pk", Value(kinds["area"], output_field=IntegerField()))
        .union(
            Team.objects.filter(manager=user)
            .order_by()
            .values_list("pk", Value(kinds["team"], output_field=IntegerField())),
            Child.objects.filter(social_worker=user)
            .order_by()
            .values_list("pk", Value(kinds["child"], output_field=IntegerField())),
            all=True,
        )
    )
    ids: dict[str, list[int]] = {kind: [] for kind in kinds}
    names = {number: kind for kind, number in kinds.items()}
    for pk, kind in rows:
        ids[names[kind]].append(pk)
    return ids


def audits_visible_to(user: User) -> QuerySet[Audit]:
    """One query first resolves the user's teams and children into ids, so that each
    route into the audits is a plain column test an index can serve (an OR across
    joined tables cannot be)."""
    audits = Audit.objects.select_related(
        "child", "team__service_area", "auditor", "template", "allocation_round"
    )
    if not user.is_authenticated or not user.is_active:
        return audits.none()
    if is_qa_lead(user):
        return audits
    ids = _scope_ids(user)
    visible = Q(auditor=user) & ~Q(status=AuditStatus.PROPOSED)
    if ids["area"]:
        visible |= Q(team_id__in=ids["area"], status__in=SERVICE_STATUSES)
    if ids["team"]:
        visible |= Q(team_id__in=ids["team"], status__in=SHARED_STATUSES)
    if ids["child"]:
        visible |= Q(child_id__in=ids["child"], status__in=SHARED_STATUSES)
    return audits.filter(visible)


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
