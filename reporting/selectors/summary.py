"""The leaders' figures for a slice, gathered once for the dashboard, the API and reports."""

from __future__ import annotations

from .. import data_version
from . import audits, other_apps
from .slice import Slice


def summary(s: Slice) -> dict:
    """Every figure of the summary, counted once for each version of the data
    (``reporting.data_version``)."""
    return data_version.remember("summary", (s,), lambda: count_summary(s))


def count_summary(s: Slice) -> dict:
    """Every figure of the summary, each from its one selector. The number of queries
    does not grow with the number of audits."""
    grades = audits.grade_figures(s)
    counts = audits.audit_counts(s)
    return {
        "period": {"start": s.start, "end": s.end},
        "filters": {
            "service_area": s.service_area,
            "team": s.team,
            "legal_status": s.legal_status,
            "audit_type": s.audit_type,
        },
        "audits": {
            "completed": counts["completed"],
            "allocated": counts["allocated"],
            "completed_of_allocated": counts["allocated_completed"],
            "accepted": counts["accepted"],
            "completion_rate": counts["completion_rate"],
        },
        "overall": grades["overall"],
        "overall_original": grades["overall_original"],
        "overall_shares": audits.shares(grades["overall"]),
        "overall_original_shares": audits.shares(grades["overall_original"]),
        "lower_ri": grades["lower_ri"],
        "by_month": audits.grades_by_month(s),
        "by_service_area": audits.grades_by_service_area(s),
        "domains": audits.domain_grades(s),
        "moderation": other_apps.moderation(s),
        "participation": grades["participation"],
        "participation_counts": grades["participation_counts"],
        "actions": other_apps.actions(s),
        "feedback": other_apps.feedback(s),
        "other_audits": other_apps.other_audits(s),
    }
