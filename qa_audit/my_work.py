"""The home page, "My work": what needs this person now.

Each app contributes providers: functions taking the user and returning a list of
sections ({"title", "items": [{"text", "url"}], "empty"?}). Providers run their own
scoped, constant-count queries and return nothing for people it does not concern.
"""

from accounts.selectors import organisation_gaps
from actions.my_work import concern_work, improvement_work, qa_lead_work, tracker_work
from audits.my_work import auditor_work, qa_lead_review_work, social_worker_work
from audits.selectors_programme import exemption_work, programme_work
from feedback.my_work import ambassador_review_work, qa_lead_quote_work
from feedback.my_work import auditor_feedback_work as family_feedback_work
from governance.my_work import records_work
from moderation.my_work import auditor_feedback_work, moderator_work, qa_lead_moderation_work
from outbox.my_work import failed_email_work
from reporting.my_work import dashboard_work, report_work

PROVIDERS = [
    dashboard_work,
    report_work,
    failed_email_work,
    auditor_work,
    moderator_work,
    auditor_feedback_work,
    social_worker_work,
    qa_lead_review_work,
    qa_lead_moderation_work,
    programme_work,
    exemption_work,
    tracker_work,
    concern_work,
    qa_lead_work,
    improvement_work,
    family_feedback_work,
    qa_lead_quote_work,
    organisation_gaps,
    ambassador_review_work,
    records_work,
]


def my_work_for(user) -> list[dict]:
    sections = []
    for provider in PROVIDERS:
        sections.extend(provider(user))
    return sections
