"""Who may see the leaders' figures: Leaders, QA Leads and Administrators see the whole
organisation; a Head of Service sees their own service area (reporting.filters keeps
them inside it)."""

import rules

from accounts.permissions import is_administrator, is_head_of_service, is_leader, is_qa_lead

rules.add_perm(
    "reporting.view_figures", is_leader | is_qa_lead | is_administrator | is_head_of_service
)

#: the targets figures are rated against: set by the QA Lead
rules.add_perm("reporting.change_targets", is_qa_lead)
