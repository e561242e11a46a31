"""The home page, "My work": what needs this person now.

Each app contributes providers: functions taking the user and returning a list of
sections ({"title", "items": [{"text", "url"}], "empty"?}). Providers run their own
scoped, constant-count queries and return nothing for people it does not concern.
"""

from django.urls import reverse

from accounts.models import Role
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


#: what each role is here to do, in a sentence, and the page it mostly works from
ROLE_PURPOSES = {
    Role.AUDITOR: (
        "You complete the audits allocated to you each month, and read the moderation "
        "and families' feedback on them.",
        "My audits",
        "audits:my_audits",
    ),
    Role.MODERATOR: (
        "You moderate audits for the monthly panel: review each audit's grades and give "
        "its auditor feedback.",
        "Moderation",
        "moderation:panels",
    ),
    Role.TEAM_MANAGER: (
        "You close the loop: keep the actions audits raise for your team's children up to "
        "date, each week.",
        "Actions",
        "actions:tracker",
    ),
    Role.HEAD_OF_SERVICE: (
        "You follow your service area's audit figures and actions, and update its Cases of "
        "Concern each month.",
        "Dashboard",
        "reporting:dashboard",
    ),
    Role.QA_LEAD: (
        "You run the audit programme: allocate audits, accept them, chair moderation, and "
        "publish the QA reports.",
        "Audit programme",
        "programme:index",
    ),
    Role.LEADER: (
        "You read the quality of practice across the service: the dashboard and the "
        "quarterly QA reports.",
        "Reports",
        "reporting:reports",
    ),
    Role.AMBASSADOR: (
        "You bring the voice of children and families: review the audits sampled for you "
        "each month, listed below.",
        None,
        None,
    ),
    Role.ADMINISTRATOR: (
        "You keep the organisation in step: people, their teams and roles.",
        "Organisation",
        "organisation:index",
    ),
    Role.DATA_PROTECTION_OFFICER: (
        "You check who viewed or changed children's records, and answer subject access requests.",
        "Records",
        "governance:records",
    ),
}


def purposes_for(user) -> list[dict]:
    """What the person is here to do: a sentence for each of their roles, with a link to
    the page it works from."""
    purposes = []
    for role in Role:
        if role.value in user.role_codes:
            text, label, url_name = ROLE_PURPOSES[role]
            purposes.append(
                {"text": text, "label": label, "url": reverse(url_name) if url_name else None}
            )
    return purposes


def my_work_for(user) -> list[dict]:
    sections = []
    for provider in PROVIDERS:
        sections.extend(provider(user))
    return sections
