"""Who may see and do what with actions, Cases of Concern and re-audits.

Mirrored by the scoped querysets in actions/selectors (``actions_visible_to``,
``cases_visible_to``): an object outside them is 404; inside, these rules decide.
An action belongs to its owner, the manager of the child's team and the Head of Service
of that team's service area (the child's team now, so a child who moves team takes
their actions with them); the QA Lead sees and may update every action.

Service improvement actions are about the service, not a child: the QA Lead and the
Administrator raise and change them; leaders, the QA Lead and the Administrator see them
all; a Head of Service sees those of their service area and the whole organisation's;
each lead sees those they lead. Progress is recorded, and an action marked done, by its
leads, the Head of Service of its service area and the QA Lead.
"""

import rules

from accounts.permissions import (
    grant_model_permissions,
    is_administrator,
    is_head_of_service,
    is_qa_lead,
    is_team_manager,
    sees_whole_organisation,
)


@rules.predicate
def owns_action(user, action):
    return action is not None and action.owner_id == user.pk


@rules.predicate
def manages_team_of_action(user, action):
    return action is not None and action.child.team.manager_id == user.pk


@rules.predicate
def heads_service_of_action(user, action):
    return action is not None and action.child.team.service_area.head_of_service_id == user.pk


@rules.predicate
def owns_any_action(user):
    from .models import Action

    return user.is_authenticated and Action.objects.filter(owner=user).exists()


@rules.predicate
def holds_case(user, case):
    return case is not None and (
        case.head_of_service_id == user.pk or case.service_area.head_of_service_id == user.pk
    )


@rules.predicate
def case_is_open(user, case):
    return case is not None and case.resolved_on is None


@rules.predicate
def heads_service_of_proposal(user, proposal):
    return proposal is not None and proposal.team.service_area.head_of_service_id == user.pk


@rules.predicate
def leads_improvement(user, improvement):
    return improvement is not None and any(lead.pk == user.pk for lead in improvement.leads.all())


@rules.predicate
def heads_service_of_improvement(user, improvement):
    area = improvement.service_area if improvement is not None else None
    return user.is_authenticated and area is not None and area.head_of_service_id == user.pk


@rules.predicate
def improvement_is_organisation_wide(user, improvement):
    return improvement is not None and improvement.service_area_id is None


@rules.predicate
def leads_any_improvement(user):
    return user.is_authenticated and user.led_improvement_actions.exists()


follows_action = owns_action | manages_team_of_action | heads_service_of_action

rules.add_perm(
    "actions.view_tracker", is_qa_lead | is_head_of_service | is_team_manager | owns_any_action
)
rules.add_perm("actions.view_action", is_qa_lead | follows_action)
rules.add_perm("actions.update_action", is_qa_lead | follows_action)
# Owner and team manager may reword or reassign; only the Head of Service and the QA
# Lead may move a due date (an agreed extension), so "on time" keeps its meaning.
rules.add_perm("actions.edit_action", is_qa_lead | manages_team_of_action | heads_service_of_action)
rules.add_perm("actions.change_due_date", is_qa_lead | heads_service_of_action)

rules.add_perm("actions.view_cases", is_qa_lead | is_head_of_service)
rules.add_perm("actions.view_case", is_qa_lead | holds_case)
rules.add_perm("actions.update_case", holds_case & case_is_open)
rules.add_perm("actions.resolve_case", holds_case & case_is_open)

rules.add_perm("actions.view_reaudits", is_qa_lead | is_head_of_service)
rules.add_perm("actions.manage_reaudits", is_qa_lead)
rules.add_perm("actions.view_reaudit", is_qa_lead | heads_service_of_proposal)

rules.add_perm(
    "actions.view_improvement_list",
    sees_whole_organisation | is_head_of_service | leads_any_improvement,
)
rules.add_perm(
    "actions.view_improvement",
    sees_whole_organisation
    | leads_improvement
    | heads_service_of_improvement
    | (is_head_of_service & improvement_is_organisation_wide),
)
rules.add_perm("actions.manage_improvements", is_qa_lead | is_administrator)
rules.add_perm(
    "actions.update_improvement", is_qa_lead | leads_improvement | heads_service_of_improvement
)


grant_model_permissions(
    "actions", ["actionsettings"], is_qa_lead | is_administrator, ("change", "view")
)
grant_model_permissions(
    "actions",
    [
        "action",
        "actionupdate",
        "caseofconcern",
        "caseaudit",
        "caseupdate",
        "reauditproposal",
        "trackerrun",
        "trackeremail",
    ],
    is_qa_lead,
    actions=("view",),
)
grant_model_permissions(
    "actions",
    ["serviceimprovementaction", "serviceimprovementupdate"],
    is_qa_lead | is_administrator,
    actions=("view",),
)
