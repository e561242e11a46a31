"""Who may see and do what in moderation."""

import rules

from accounts.permissions import (
    grant_model_permissions,
    is_auditor,
    is_head_of_service,
    is_leader,
    is_moderator,
    is_qa_lead,
)


@rules.predicate
def moderates_review(user, review):
    return review is not None and review.moderator_id == user.pk


@rules.predicate
def review_is_final(user, review):
    return review is not None and review.status == "final"


@rules.predicate
def audited_reviewed_audit(user, review):
    return review is not None and review.audit.auditor_id == user.pk


@rules.predicate
def sits_on_panel(user, panel):
    if panel is None:
        return False
    return panel.chair_id == user.pk or panel.moderators.filter(pk=user.pk).exists()


@rules.predicate
def observes_panel(user, panel):
    return panel is not None and panel.observers.filter(pk=user.pk).exists()


@rules.predicate
def audited_in_loop(user, loop):
    return loop is not None and user.pk in (loop.first.auditor_id, loop.second.auditor_id)


@rules.predicate
def loop_both_submitted(user, loop):
    from .services import loop_both_submitted as both

    return loop is not None and both(loop)


rules.add_perm("moderation.manage_panels", is_qa_lead)
rules.add_perm("moderation.use_panels", is_qa_lead | is_moderator)
rules.add_perm("moderation.view_panel", is_qa_lead | sits_on_panel | observes_panel)
rules.add_perm(
    "moderation.view_review",
    is_qa_lead | moderates_review | (audited_reviewed_audit & review_is_final),
)
may_moderate = is_qa_lead | (is_moderator & moderates_review)
rules.add_perm("moderation.moderate_review", may_moderate)
rules.add_perm("moderation.edit_review", ~review_is_final & may_moderate)
rules.add_perm("moderation.unlock_review", is_qa_lead & review_is_final)
rules.add_perm("moderation.view_feedback", audited_reviewed_audit & review_is_final)
rules.add_perm("moderation.view_statistics", is_qa_lead | is_leader | is_head_of_service)
rules.add_perm("moderation.view_regraded_auditors", is_qa_lead)
rules.add_perm("moderation.manage_endorsement", is_qa_lead)
rules.add_perm("moderation.manage_pairings", is_qa_lead)
rules.add_perm("moderation.view_loop", is_qa_lead | (audited_in_loop & loop_both_submitted))
rules.add_perm("moderation.record_loop_outcome", is_qa_lead)
rules.add_perm("moderation.view_my_feedback", is_auditor)

grant_model_permissions("moderation", ["moderationsettings", "moderatorcapacity"], is_qa_lead)
grant_model_permissions(
    "moderation",
    ["panel", "moderationreview", "loopedaudit", "pairing", "endorsementoverride"],
    is_qa_lead,
    actions=("view",),
)
