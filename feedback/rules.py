"""Who may see and do what with feedback.

Mirrored by the scoped reads in feedback/selectors (``figures_scopes``,
``audit_for_feedback``): what is outside them is 404; inside, these rules decide.
Feedback on an audit is read by the QA Lead, the audit's auditor and the Head of Service
of the audit's service area (once submitted), and recorded by the QA Lead or the auditor.
Figures are for the QA Lead and leaders (the whole organisation) and Heads of Service
(their service areas). Quotes are the QA Lead's.
"""

import rules

from accounts.permissions import (
    grant_model_permissions,
    is_ambassador,
    is_head_of_service,
    is_leader,
    is_qa_lead,
)
from audits.rules import heads_service_of_audit, is_audits_auditor

#: audit statuses that take feedback
TAKES_FEEDBACK = ("allocated", "in_progress", "submitted", "returned", "accepted")


@rules.predicate
def audit_takes_feedback(user, audit):
    return audit is not None and audit.status in TAKES_FEEDBACK


rules.add_perm("feedback.view_figures", is_qa_lead | is_leader | is_head_of_service)
rules.add_perm(
    "feedback.view_audit_feedback", is_qa_lead | is_audits_auditor | heads_service_of_audit
)
rules.add_perm("feedback.record_feedback", (is_qa_lead | is_audits_auditor) & audit_takes_feedback)
rules.add_perm("feedback.send_family_link", (is_qa_lead | is_audits_auditor) & audit_takes_feedback)
rules.add_perm("feedback.manage_quotes", is_qa_lead)

grant_model_permissions("feedback", ["quotetheme", "feedbacksettings"], is_qa_lead)
grant_model_permissions(
    "feedback", ["feedback", "quote", "familylink"], is_qa_lead, actions=("view",)
)


@rules.predicate
def is_reviews_ambassador(user, review):
    return review is not None and review.ambassador_id == user.pk


rules.add_perm("feedback.manage_ambassador_samples", is_qa_lead)
rules.add_perm("feedback.review_as_ambassador", is_ambassador)
rules.add_perm("feedback.view_ambassador_review", is_ambassador & is_reviews_ambassador)
