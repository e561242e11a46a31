"""Scoped reads of the other audit types: dip samples, thematic and multi-agency audits,
direct observations of practice, and re-audits. Each mirrors audits.view_other_audits.

A Head of Service sees the items of their own service area, and items that belong to no
service area (council-wide samples); multi-agency audits are council-wide and visible
to everyone who may see other audits.
"""

import datetime

from django.db.models import Count, Q, QuerySet, Sum

from accounts.models import User
from accounts.permissions import is_head_of_service, is_leader, is_qa_lead
from common.dates import month_start

from .models import (
    Audit,
    AuditType,
    Grade,
    MultiAgencyAudit,
    PracticeObservation,
    SampleAudit,
    SampleKind,
)
from .selectors import audits_visible_to


def _sees_everything(user: User) -> bool:
    return is_qa_lead(user) or is_leader(user)


def samples_visible_to(user: User) -> QuerySet[SampleAudit]:
    samples = SampleAudit.objects.select_related("lead", "service_area")
    if not user.is_authenticated or not user.is_active:
        return samples.none()
    if _sees_everything(user):
        return samples
    if is_head_of_service(user):
        return samples.filter(Q(service_area__isnull=True) | Q(service_area__head_of_service=user))
    return samples.none()


def multi_agency_visible_to(user: User) -> QuerySet[MultiAgencyAudit]:
    audits = MultiAgencyAudit.objects.select_related("lead")
    if not user.is_authenticated or not user.is_active:
        return audits.none()
    if _sees_everything(user) or is_head_of_service(user):
        return audits
    return audits.none()


def observations_visible_to(user: User) -> QuerySet[PracticeObservation]:
    observations = PracticeObservation.objects.select_related(
        "practitioner", "observer", "team__service_area"
    )
    if not user.is_authenticated or not user.is_active:
        return observations.none()
    if _sees_everything(user):
        return observations
    if is_head_of_service(user):
        return observations.filter(team__service_area__head_of_service=user)
    return observations.none()


def reaudits_visible_to(user: User) -> QuerySet[Audit]:
    """Re-audits: ordinary audits of type re-audit, in the user's audit scope."""
    return (
        audits_visible_to(user)
        .filter(audit_type=AuditType.RE_AUDIT)
        .select_related("reaudit_of")
        .order_by("-month", "pk")
    )


def other_audits_counts(
    period_start: datetime.date,
    period_end: datetime.date,
    *,
    service_area: int | None = None,
    team: int | None = None,
) -> dict:
    """How much of each other audit type was done in the period (both days included),
    for reports. Samples and multi-agency audits count by their month; observations by
    the day they took place.

    For a service area (id): its samples and its teams' observations; multi-agency
    audits belong to no service area, so none. For a team (id): its observations only.

    Returns {"dip_sample": {"exercises", "records_sampled"}, "thematic": {"exercises",
    "records_sampled"}, "multi_agency": {"audits", "families_considered"},
    "observation": {"observations", "by_grade": {grade: count}}}.
    """
    first_month = month_start(period_start)
    samples = SampleAudit.objects.filter(month__gte=first_month, month__lte=period_end)
    multi = MultiAgencyAudit.objects.filter(month__gte=first_month, month__lte=period_end)
    observations = PracticeObservation.objects.filter(
        observed_on__gte=period_start, observed_on__lte=period_end
    )
    if team:
        samples, multi = samples.none(), multi.none()
        observations = observations.filter(team=team)
    elif service_area:
        samples, multi = samples.filter(service_area=service_area), multi.none()
        observations = observations.filter(team__service_area=service_area)
    result = {
        kind: {"exercises": 0, "records_sampled": 0}
        for kind in (SampleKind.DIP_SAMPLE, SampleKind.THEMATIC)
    }
    for row in samples.values("kind").annotate(
        exercises=Count("pk"), records_sampled=Sum("records_sampled")
    ):
        result[row["kind"]] = {
            "exercises": row["exercises"],
            "records_sampled": row["records_sampled"] or 0,
        }
    multi = multi.aggregate(audits=Count("pk"), families_considered=Sum("families_considered"))
    by_grade = {g.value: 0 for g in Grade if g != Grade.NOT_GRADED}
    by_grade[""] = 0
    for row in observations.values("grade").annotate(n=Count("pk")):
        by_grade[row["grade"]] = row["n"]
    return {
        "dip_sample": result[SampleKind.DIP_SAMPLE],
        "thematic": result[SampleKind.THEMATIC],
        "multi_agency": {
            "audits": multi["audits"],
            "families_considered": multi["families_considered"] or 0,
        },
        "observation": {"observations": sum(by_grade.values()), "by_grade": by_grade},
    }
