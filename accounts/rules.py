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

grant_model_permissions("accounts", ["user", "userrole", "team", "servicearea"], is_administrator)
grant_model_permissions(
    "django_celery_beat",
    ["periodictask", "crontabschedule", "intervalschedule", "clockedschedule", "solarschedule"],
    is_administrator,
)
grant_model_permissions(
    "axes", ["accessattempt", "accessfailurelog", "accesslog"], is_administrator
)
