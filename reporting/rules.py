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


@rules.predicate
def heads_report_area(user, report):
    return (
        report is not None
        and report.service_area_id is not None
        and report.service_area.head_of_service_id == user.pk
    )


#: generate, edit the draft of and publish QA reports
rules.add_perm("reporting.manage_reports", is_qa_lead | is_administrator)
#: read a report's published versions: Leaders, QA Leads and Administrators all reports;
#: a Head of Service their own service area's
rules.add_perm(
    "reporting.view_report",
    is_leader | is_qa_lead | is_administrator | (is_head_of_service & heads_report_area),
)
#: the list of reports (each then checked with view_report)
rules.add_perm(
    "reporting.view_reports", is_leader | is_qa_lead | is_administrator | is_head_of_service
)
