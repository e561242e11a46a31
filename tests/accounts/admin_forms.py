"""The admin's forms as a browser posts them: every field the page shows, as it is now,
with the changes a test makes."""

from django.urls import reverse

ROLES = "role_assignments"
TEAMS = "teams"


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def user_form(person, *, add_roles=(), remove_roles=(), change_role=None, **changes):
    """The person's change form with the roles inline. ``change_role`` is (old, new):
    that row's role is changed in place."""
    rows = list(person.role_assignments.order_by("pk"))
    data = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "is_part_time": "on" if person.is_part_time else "",
        "team": person.team_id or "",
        "line_manager": person.line_manager_id or "",
        "is_active": "on" if person.is_active else "",
        "is_superuser": "on" if person.is_superuser else "",
        **_management(ROLES, len(rows) + len(add_roles), len(rows)),
    }
    for i, row in enumerate(rows):
        role = row.role
        if change_role and change_role[0] == role:
            role = change_role[1]
        data[f"{ROLES}-{i}-id"] = str(row.pk)
        data[f"{ROLES}-{i}-user"] = str(person.pk)
        data[f"{ROLES}-{i}-role"] = role
        if row.role in remove_roles:
            data[f"{ROLES}-{i}-DELETE"] = "on"
    for j, role in enumerate(add_roles, start=len(rows)):
        data[f"{ROLES}-{j}-user"] = str(person.pk)
        data[f"{ROLES}-{j}-role"] = role
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def new_user_form(*, email, roles=(), **changes):
    data = {
        "email": email,
        "first_name": "Nia",
        "last_name": "Newcomer",
        "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
        **_management(ROLES, len(roles), 0),
    }
    for i, role in enumerate(roles):
        data[f"{ROLES}-{i}-role"] = role
    data.update(changes)
    return data


def team_form(team, **changes):
    data = {
        "name": team.name,
        "service_area": str(team.service_area_id),
        "manager": str(team.manager_id or ""),
        "is_active": "on" if team.is_active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def service_area_form(area, *, team_managers=None, **changes):
    """The service area with its teams inline; ``team_managers`` maps a team's pk to the
    manager to choose for it."""
    teams = list(area.teams.order_by("pk"))
    team_managers = team_managers or {}
    data = {
        "name": area.name,
        "head_of_service": str(area.head_of_service_id or ""),
        "is_active": "on" if area.is_active else "",
        **_management(TEAMS, len(teams), len(teams)),
    }
    for i, team in enumerate(teams):
        manager = team_managers.get(team.pk, team.manager)
        data[f"{TEAMS}-{i}-id"] = str(team.pk)
        data[f"{TEAMS}-{i}-service_area"] = str(area.pk)
        data[f"{TEAMS}-{i}-name"] = team.name
        data[f"{TEAMS}-{i}-manager"] = str(manager.pk) if manager else ""
        data[f"{TEAMS}-{i}-is_active"] = "on" if team.is_active else ""
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def child_form(child, **changes):
    data = {
        "case_reference": child.case_reference,
        "team": str(child.team_id),
        "legal_status": child.legal_status,
        "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else "",
        "social_worker": str(child.social_worker_id or ""),
        "is_open": "on" if child.is_open else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}
