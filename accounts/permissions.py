"""Who may see or do what, to which object: the one place every view, the API and
the admin ask, through ``user.has_perm(name, obj)``.

Permissions are ``rules`` predicates over the user's roles and place in the
organisation. Each app adds its own rules in its ``rules.py`` using the predicates
defined here, so a role's reach is decided in one module per app and nowhere else.
"""

import rules

from .models import Role


def _role(role):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user):
        return user.is_authenticated and user.has_role(role)

    return predicate


is_auditor = _role(Role.AUDITOR)
is_moderator = _role(Role.MODERATOR)
is_team_manager = _role(Role.TEAM_MANAGER)
is_head_of_service = _role(Role.HEAD_OF_SERVICE)
is_qa_lead = _role(Role.QA_LEAD)
is_leader = _role(Role.LEADER)
is_ambassador = _role(Role.AMBASSADOR)
is_administrator = _role(Role.ADMINISTRATOR)
is_data_protection_officer = _role(Role.DATA_PROTECTION_OFFICER)

#: people who see every team and service area
sees_whole_organisation = is_qa_lead | is_leader | is_administrator


@rules.predicate
def heads_service_area_of_team(user, team):
    return team is not None and team.service_area.head_of_service_id == user.pk


@rules.predicate
def manages_team(user, team):
    return team is not None and team.manager_id == user.pk


@rules.predicate
def is_member_of_team(user, team):
    return team is not None and user.team_id == team.pk


@rules.predicate
def heads_service_area(user, service_area):
    return service_area is not None and service_area.head_of_service_id == user.pk


def _extend_perm(name, predicate):
    if rules.perm_exists(name):
        rules.set_perm(name, rules.permissions.permissions[name] | predicate)
    else:
        rules.add_perm(name, predicate)


def grant_model_permissions(
    app_label, model_names, predicate, actions=("add", "change", "delete", "view")
):
    """Give ``predicate`` the admin permissions on each model, and on the app itself."""
    _extend_perm(app_label, predicate)
    for model_name in model_names:
        for action in actions:
            _extend_perm(f"{app_label}.{action}_{model_name}", predicate)
