"""Figures the other apps compute, asked of their own selectors for a slice."""

from __future__ import annotations

from accounts.models import ServiceArea, Team
from actions.selectors.figures import (
    action_status_counts,
    actions_backlog,
    actions_completed_within_timescale,
    cases_of_concern_figures,
    reaudit_outcomes,
)
from audits.models import Grade
from audits.selectors_other import other_audits_counts
from feedback.selectors import Scope as FeedbackScope
from feedback.selectors import feedback_figures
from moderation.statistics import Scope as ModerationScope
from moderation.statistics import moderation_figures

from .slice import Slice


def moderation(s: Slice) -> dict:
    """Moderation of the audits completed in the slice (moderation.statistics)."""
    figures = moderation_figures(
        s.period,
        ModerationScope(
            service_area=s.service_area,
            team=s.team,
            auditor=s.auditor,
            legal_status=s.legal_status,
            audit_type=s.audit_type,
        ),
    )
    return {
        "moderated": figures.moderated,
        "agreed": figures.agreed,
        "upgraded": figures.upgraded,
        "downgraded": figures.downgraded,
        "inadequate_identified_by_moderation": figures.inadequate_found_by_moderation,
        "final_inadequate": figures.final_inadequate,
        "transitions": [
            {"from": Grade(before).label, "to": Grade(after).label, "count": n}
            for (before, after), n in sorted(
                figures.transitions.items(), key=lambda item: (item[0][0], item[0][1])
            )
        ],
        "kappa": figures.kappa,
    }


def _actions_scope(s: Slice):
    """The actions app's scope: a Team or a ServiceArea (or the whole organisation)."""
    if s.team:
        return Team.objects.get(pk=s.team)
    if s.service_area:
        return ServiceArea.objects.get(pk=s.service_area)
    return None


def actions(s: Slice) -> dict:
    """Closing the Loop, Cases of Concern and re-audits (actions.selectors.figures), in
    the slice's service area or team; legal status, audit type and auditor do not apply."""
    scope = _actions_scope(s)
    period = s.period
    return {
        "within_timescale": actions_completed_within_timescale(period, scope),
        "by_status": action_status_counts(period, scope),
        "backlog": actions_backlog(period, scope),
        "cases_of_concern": cases_of_concern_figures(period, scope),
        "reaudits": reaudit_outcomes(period, scope),
    }


def feedback(s: Slice) -> dict:
    """Family feedback (feedback.selectors.feedback_figures), in the slice's service area
    or team, without quotes: they are free text, read on the feedback pages."""
    figures = feedback_figures(s.period, FeedbackScope(service_area=s.service_area, team=s.team))
    figures.pop("quotes", None)
    return figures


def other_audits(s: Slice) -> dict:
    """Dip samples, thematic and multi-agency audits and practice observations, counted
    apart from Child Journey Audits (audits.selectors_other), in the slice's service area
    or team."""
    return other_audits_counts(s.start, s.end, service_area=s.service_area, team=s.team)
