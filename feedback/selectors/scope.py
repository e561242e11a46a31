"""Scoped reads of feedback for pages and the API."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import ServiceArea, Team, User
from accounts.permissions import sees_whole_organisation
from accounts.selectors import figure_service_areas
from audits.models import Audit
from audits.selectors import audits_visible_to

from ..models import FamilyLink, Feedback, Quote


def audit_for_feedback(user: User, pk: int, perm: str = "feedback.view_audit_feedback") -> Audit:
    """The audit, if this user may read (or, with ``perm``, change) its feedback: 404
    otherwise, whether it is outside their scope or only outside this permission."""
    audit = get_object_or_404(audits_visible_to(user).select_related("child__team"), pk=pk)
    if not user.has_perm(perm, audit):
        raise Http404
    return audit


def audit_feedback(audit: Audit) -> list[Feedback]:
    """Every record of feedback on the audit, with its link and quotes, in 2 queries."""
    return list(
        Feedback.objects.filter(audit=audit)
        .select_related("family_link", "recorded_by")
        .prefetch_related(Prefetch("quotes", queryset=Quote.objects.order_by("pk")))
        .order_by("given_on", "created_at", "pk")
    )


def audit_links(audit: Audit) -> list[FamilyLink]:
    return list(FamilyLink.objects.filter(audit=audit).select_related("created_by"))


def figures_service_areas(user: User) -> QuerySet[ServiceArea]:
    """The service areas whose figures the user may see."""
    return figure_service_areas(user, "feedback.view_figures")


def figures_teams(user: User) -> QuerySet[Team]:
    if not user.has_perm("feedback.view_figures"):
        return Team.objects.none()
    teams = Team.objects.select_related("service_area")
    if sees_whole_organisation(user):
        return teams
    return teams.filter(service_area__head_of_service=user)
