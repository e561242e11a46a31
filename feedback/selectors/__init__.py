"""Reads of the feedback app: figures for any period and scope, and scoped pages."""

from .figures import (
    Scope,
    agreement_by_grade,
    feedback_figures,
    feedback_in_period,
    quote_candidates,
    quotes_for_period,
    reach,
)
from .scope import (
    audit_feedback,
    audit_for_feedback,
    audit_links,
    figures_service_areas,
    figures_teams,
)

__all__ = [
    "Scope",
    "agreement_by_grade",
    "audit_feedback",
    "audit_for_feedback",
    "audit_links",
    "feedback_figures",
    "feedback_in_period",
    "figures_service_areas",
    "figures_teams",
    "quote_candidates",
    "quotes_for_period",
    "reach",
]
