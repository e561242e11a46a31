"""Read-only figures for leaders: each computed once, in the database, for any slice."""

from .audits import (
    audit_counts,
    domain_grades,
    grade_figures,
    grades_by_month,
    grades_by_service_area,
    share,
    shares,
)
from .other_apps import actions, feedback, moderation, other_audits
from .slice import Slice, final_overall_grade
from .summary import summary

__all__ = [
    "Slice",
    "actions",
    "audit_counts",
    "domain_grades",
    "feedback",
    "final_overall_grade",
    "grade_figures",
    "grades_by_month",
    "grades_by_service_area",
    "moderation",
    "other_audits",
    "share",
    "shares",
    "summary",
]
