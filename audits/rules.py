"""Who may see and do what with audits. Mirrored by audits.selectors.audits_visible_to."""

import rules

from accounts.models import JobTitle
from accounts.permissions import (
    grant_model_permissions,
    is_auditor,
    is_head_of_service,
    is_leader,
    is_qa_lead,
    is_team_manager,
)

from .models import AuditStatus

#: statuses in which people other than the auditor and the QA Lead may read an audit
SHARED_STATUSES = (AuditStatus.ACCEPTED,)
#: statuses in which a Head of Service may read audits of their service area
SERVICE_STATUSES = (AuditStatus.SUBMITTED, AuditStatus.ACCEPTED)


@rules.predicate
def is_audits_auditor(user, audit):
    return audit is not None and audit.auditor_id == user.pk and audit.status != "proposed"


@rules.predicate
def audit_is_editable(user, audit):
    return audit is not None and audit.is_editable


@rules.predicate
def audit_is_submitted(user, audit):
    return audit is not None and audit.status == AuditStatus.SUBMITTED


@rules.predicate
def audit_is_accepted(user, audit):
    return audit is not None and audit.status in SHARED_STATUSES


@rules.predicate
def heads_service_of_audit(user, audit):
    return (
        audit is not None
        and audit.status in SERVICE_STATUSES
        and audit.team.service_area.head_of_service_id == user.pk
    )


@rules.predicate
def manages_team_of_audit(user, audit):
    return audit is not None and audit.team.manager_id == user.pk


@rules.predicate
def is_childs_social_worker(user, audit):
    return audit is not None and audit.child.social_worker_id == user.pk


@rules.predicate
def is_director(user):
    return user.job_title in (JobTitle.DIRECTOR, JobTitle.ASSISTANT_DIRECTOR)


@rules.predicate
def heads_service_of_exemption(user, exemption):
    team = exemption.auditor.team if exemption is not None else None
    return team is not None and team.service_area.head_of_service_id == user.pk


@rules.predicate
def is_not_own_exemption(user, exemption):
    return exemption is not None and exemption.auditor_id != user.pk


rules.add_perm(
    "audits.view_audit_record",
    is_qa_lead
    | is_audits_auditor
    | heads_service_of_audit
    | (audit_is_accepted & (manages_team_of_audit | is_childs_social_worker)),
)
#: a Leader or a Head of Service may open any accepted audit, also outside the teams they
#: look after, once they have given a reason (audits.services.viewing)
rules.add_perm(
    "audits.open_audit_with_reason", (is_leader | is_head_of_service) & audit_is_accepted
)
rules.add_perm("audits.edit_audit", is_audits_auditor & audit_is_editable)
rules.add_perm("audits.submit_audit", is_audits_auditor & audit_is_editable)
rules.add_perm("audits.decide_audit", is_qa_lead & audit_is_submitted)
rules.add_perm("audits.reply_to_audit", is_childs_social_worker & audit_is_accepted)
rules.add_perm("audits.view_audit_events", is_qa_lead)

rules.add_perm("audits.use_my_audits", is_auditor)
rules.add_perm("audits.manage_programme", is_qa_lead)
rules.add_perm("audits.import_audits", is_qa_lead)
rules.add_perm("audits.request_exemption", is_qa_lead | is_head_of_service | is_team_manager)
rules.add_perm(
    "audits.decide_exemption",
    is_not_own_exemption
    & ((is_head_of_service & heads_service_of_exemption) | (is_leader & is_director)),
)
rules.add_perm("audits.view_other_audits", is_qa_lead | is_leader | is_head_of_service)
rules.add_perm("audits.record_other_audits", is_qa_lead | is_head_of_service)

# Case records are the QA Lead's: an Administrator manages people, not children.
grant_model_permissions("audits", ["child"], is_qa_lead)
grant_model_permissions(
    "audits",
    [
        "domain",
        "gradedescriptor",
        "audittemplate",
        "templatesection",
        "question",
        "programmesettings",
    ],
    is_qa_lead,
)
grant_model_permissions(
    "audits", ["audit", "importjob", "auditevent", "childviewevent"], is_qa_lead, actions=("view",)
)
rules.add_perm(
    "audits.view_exemptions",
    is_qa_lead | is_head_of_service | is_team_manager | (is_leader & is_director),
)
grant_model_permissions(
    "audits", ["sampleaudit", "multiagencyaudit", "practiceobservation"], is_qa_lead
)
