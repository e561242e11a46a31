"""Scoped reads of the organisation. Each mirrors a rule in accounts/rules.py."""

import datetime

from django.db.models import Count, Q, QuerySet

from .models import AccessChange, Role, ServiceArea, Team, User
from .permissions import sees_whole_organisation


def teams_visible_to(user: User) -> QuerySet[Team]:
    teams = Team.objects.select_related("service_area", "manager")
    if sees_whole_organisation(user):
        return teams
    return teams.filter(
        Q(service_area__head_of_service=user) | Q(manager=user) | Q(pk=user.team_id)
    ).distinct()


def service_areas_visible_to(user: User) -> QuerySet[ServiceArea]:
    areas = ServiceArea.objects.select_related("head_of_service")
    if sees_whole_organisation(user):
        return areas
    return areas.filter(head_of_service=user)


def figure_service_areas(user: User, perm: str) -> QuerySet[ServiceArea]:
    """The service areas whose figures (under ``perm``) the user may see: every area for
    those who see the whole organisation, a Head of Service's own, else none."""
    if not user.has_perm(perm):
        return ServiceArea.objects.none()
    if sees_whole_organisation(user):
        return ServiceArea.objects.all()
    return ServiceArea.objects.filter(head_of_service=user)


def organisation_overview(user: User) -> list[dict]:
    """Service areas with their visible teams and head counts, in a fixed number of
    queries. An area is ``openable`` only when the user may open its page (a team manager sees their
    team's area named, not linked)."""
    openable = set(service_areas_visible_to(user).values_list("pk", flat=True))
    teams = list(
        teams_visible_to(user)
        .filter(is_active=True)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("service_area__name", "name")
    )
    grouped: dict[int, dict] = {}
    for team in teams:
        entry = grouped.setdefault(
            team.service_area_id,
            {
                "service_area": team.service_area,
                "openable": team.service_area_id in openable,
                "teams": [],
            },
        )
        entry["teams"].append(team)
    return list(grouped.values())


def team_members(team: Team) -> QuerySet[User]:
    return (
        team.members.filter(is_active=True)
        .select_related("line_manager")
        .prefetch_related("role_assignments")
        .order_by("last_name", "first_name")
    )


def users_with_role(role: Role) -> QuerySet[User]:
    return User.objects.filter(is_active=True, role_assignments__role=role).distinct()


def organisation_gaps(user: User) -> list[dict]:
    """Gaps in the organisation that stop audits and actions reaching a person."""
    from django.urls import reverse

    from .permissions import is_administrator, is_head_of_service

    if not (is_administrator(user) or is_head_of_service(user)):
        return []
    teams = teams_visible_to(user).filter(is_active=True, manager__isnull=True)
    if not is_administrator(user):
        teams = teams.filter(service_area__head_of_service=user)
    items = [
        {
            "text": f"{team.name} ({team.service_area.name}) has no team manager",
            "url": reverse("organisation:team_detail", args=[team.pk]),
        }
        for team in teams.order_by("service_area__name", "name")
    ]
    # Without a team nobody can be allocated an audit: say so before anything else.
    if is_administrator(user) and not Team.objects.filter(is_active=True).exists():
        items.insert(
            0,
            {
                "text": "There are no service areas or teams yet: add them in Administration",
                "url": reverse("admin:accounts_servicearea_add"),
            },
        )
    return [{"title": "Organisation", "items": items}] if items else []


def access_changes(
    *,
    person: User | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AccessChange]:
    """Changes of access, newest first; ``since`` and ``until`` are days, both included.

    Every name shown is kept on the row, so a page of changes is one query whatever
    its size."""
    changes = AccessChange.objects.order_by("-changed_at", "-pk")
    if person is not None:
        changes = changes.filter(person=person)
    if since is not None:
        changes = changes.filter(changed_at__date__gte=since)
    if until is not None:
        changes = changes.filter(changed_at__date__lte=until)
    return changes


def people_with_access_changes() -> QuerySet[User]:
    return User.objects.filter(pk__in=AccessChange.objects.values("person")).order_by(
        "last_name", "first_name", "email"
    )
