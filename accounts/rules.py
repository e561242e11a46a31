import rules

from .permissions import (
    grant_model_permissions,
    heads_service_area,
    heads_service_area_of_team,
    is_administrator,
    is_head_of_service,
    is_member_of_team,
    is_qa_lead,
    is_team_manager,
    manages_team,
    sees_whole_organisation,
)

# The Django admin: administrators manage people and schedules; the QA Lead uses it
# for the audit programme's reference data (granted by the audits app).
rules.add_perm("accounts.access_admin", is_administrator | is_qa_lead)

# The organisation pages.
rules.add_perm(
    "accounts.view_organisation",
    sees_whole_organisation | is_head_of_service | is_team_manager,
)
rules.add_perm(
    "accounts.view_team_detail",
    sees_whole_organisation | heads_service_area_of_team | manages_team | is_member_of_team,
)
rules.add_perm("accounts.view_service_area_detail", sees_whole_organisation | heads_service_area)


@rules.predicate
def is_superuser_account(user, person):
    return person is not None and person.is_superuser


#: Administrators manage people, but a superuser's account only a superuser changes.
manages_account = is_administrator & ~is_superuser_account

grant_model_permissions("accounts", ["userrole", "team", "servicearea"], is_administrator)
# The case list's departments and the teams they are: the QA Lead keeps them.
grant_model_permissions("accounts", ["departmentteam"], is_administrator | is_qa_lead)
grant_model_permissions("accounts", ["user"], is_administrator, actions=("add", "view"))
grant_model_permissions("accounts", ["user"], manages_account, actions=("change", "delete"))
# Who may give people roles (never their own: accounts.services). Superuser status is a
# superuser's to give.
rules.add_perm("accounts.change_roles", manages_account)
rules.add_perm("accounts.change_superuser", rules.is_superuser)
# Who was given which access, by whom: for the QA Lead, who answers for who reads audits.
rules.add_perm("accounts.view_access_changes", is_qa_lead)


@rules.predicate
def has_an_unrestricted_role(user):
    """A role beyond those kept to their own pages (Ambassador, Data Protection
    Officer)."""
    from qa_audit.middleware import RESTRICTED_ROLES

    return user.is_authenticated and bool(user.role_codes - RESTRICTED_ROLES.keys())


# Personal API tokens (Power BI): anyone with a role that reaches the API; a token reads
# only what its owner may read.
rules.add_perm("accounts.use_api_tokens", has_an_unrestricted_role)
grant_model_permissions(
    "django_celery_beat",
    ["periodictask", "crontabschedule", "intervalschedule", "clockedschedule", "solarschedule"],
    is_administrator,
)
grant_model_permissions(
    "axes", ["accessattempt", "accessfailurelog", "accesslog"], is_administrator
)
