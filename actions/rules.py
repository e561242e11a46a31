"""Who may see and do what with actions, Cases of Concern and re-audits.

Mirrored by the scoped querysets in actions/selectors (``actions_visible_to``,
``cases_visible_to``): an object outside them is 404; inside, these rules decide.
An action belongs to its owner, the manager of the child's team and the Head of Service
of that team's service area (the child's team now, so a child who moves team takes
their actions with them); the QA Lead sees and may update every action.
"""

import rules

from accounts.permissions import (
    grant_model_permissions,
    is_administrator,
    is_head_of_service,
    is_qa_lead,
    is_team_manager,
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
