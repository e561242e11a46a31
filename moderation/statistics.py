"""How accurate is grading? Moderation figures for any period and scope.

Selectors that reports reuse. Counting happens in the database; only the 4 x 4
transition table is brought into Python, to compute kappa. A review counts in a period
when its audit was completed in that period, so a quarter's moderation figures match
the quarter's audits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from audits.models import GRADED, Audit, AuditStatus, Grade
from common.dates import Period

from .models import ModerationReview, Outcome, ReviewDomainGrade, ReviewReason, ReviewStatus

COMPLETED = (AuditStatus.SUBMITTED, AuditStatus.ACCEPTED)


@dataclass(frozen=True)
class Scope:
    """Narrow the figures to a service area, team, auditor or moderator (ids), a legal
    status (the child's) or an audit type."""

    service_area: int | None = None
    team: int | None = None
    auditor: int | None = None
    moderator: int | None = None
    legal_status: str | None = None
    audit_type: str | None = None

    def audit_filter(self, prefix: str = "") -> Q:
        q = Q()
        if self.service_area:
            q &= Q(**{f"{prefix}team__service_area": self.service_area})
        if self.team:
            q &= Q(**{f"{prefix}team": self.team})
        if self.auditor:
            q &= Q(**{f"{prefix}auditor": self.auditor})
        if self.legal_status:
            q &= Q(**{f"{prefix}child__legal_status": self.legal_status})
        if self.audit_type:
            q &= Q(**{f"{prefix}audit_type": self.audit_type})
        return q


def pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def completed_audits(period: Period, scope: Scope = Scope()) -> QuerySet[Audit]:
    """Audits completed in the period; for a moderator, those they moderated."""
    audits = Audit.objects.filter(
        scope.audit_filter(),
        status__in=COMPLETED,
        completed_on__gte=period.start,
        completed_on__lte=period.end,
    )
    if scope.moderator:
        audits = audits.filter(moderation_review__moderator=scope.moderator)
    return audits


def final_reviews(period: Period, scope: Scope = Scope()) -> QuerySet[ModerationReview]:
    reviews = ModerationReview.objects.filter(
        scope.audit_filter("audit__"),
        status=ReviewStatus.FINAL,
        audit__status__in=COMPLETED,
        audit__completed_on__gte=period.start,
        audit__completed_on__lte=period.end,
    )
    if scope.moderator:
        reviews = reviews.filter(moderator=scope.moderator)
    return reviews


@dataclass
class ModerationFigures:
    period: Period
    completed: int
    moderated: int
    agreed: int
    upgraded: int
    downgraded: int
    #: (auditor's grade, grade after moderation) -> count, over the four grades
    transitions: dict[tuple[str, str], int]
    final_inadequate: int
    inadequate_found_by_moderation: int
    domain_agreement: list[dict] = field(default_factory=list)
    kappa: float | None = None
    kappa_pairs: int = 0
    downgrade_reasons: list[dict] = field(default_factory=list)

    @property
    def moderated_share(self):
        return pct(self.moderated, self.completed)

    @property
    def agreed_pct(self):
        return pct(self.agreed, self.moderated)

    @property
    def upgraded_pct(self):
        return pct(self.upgraded, self.moderated)

    @property
    def downgraded_pct(self):
        return pct(self.downgraded, self.moderated)

    @property
    def inadequate_found_by_moderation_pct(self):
        return pct(self.inadequate_found_by_moderation, self.final_inadequate)

    def transition_rows(self) -> list[dict]:
        """The transition table as rows (auditor's grade) of counts per moderated grade."""
        return [
            {
                "grade": Grade(before).label,
                "cells": [self.transitions.get((before, after), 0) for after in GRADED],
                "total": sum(self.transitions.get((before, after), 0) for after in GRADED),
            }
            for before in GRADED
        ]


def weighted_kappa(matrix: list[list[int]], weights: str = "quadratic") -> tuple[float | None, int]:
    """Cohen's weighted kappa for a square table of counts (rows: first rater).

    Disagreement weights: quadratic ((i-j)^2) or linear (|i-j|). Returns (kappa, pairs);
    kappa is None when it is undefined (no pairs, or no expected disagreement).
    """
    k = len(matrix)
    n = sum(sum(row) for row in matrix)
    if n == 0:
        return None, 0
    rows = [sum(row) for row in matrix]
    cols = [sum(matrix[i][j] for i in range(k)) for j in range(k)]

    def w(i, j):
        return (i - j) ** 2 if weights == "quadratic" else abs(i - j)

    observed = sum(w(i, j) * matrix[i][j] for i in range(k) for j in range(k)) / n
    expected = sum(w(i, j) * rows[i] * cols[j] for i in range(k) for j in range(k)) / (n * n)
    if expected == 0:
        return None, n
    return round(1 - observed / expected, 3), n


def moderation_figures(period: Period, scope: Scope = Scope()) -> ModerationFigures:
    """Four queries whatever the period: the completed audits' counts in one aggregate,
    the final reviews grouped by outcome and grades in one, then domains and reasons."""
    reviews = final_reviews(period, scope)
    audit_counts = _audit_counts(period, scope)
    outcomes: dict[str, int] = {}
    transitions: dict[tuple[str, str], int] = {}
    found = 0
    for outcome, before, after, n in (
        reviews.values_list("outcome", "original_grade", "moderated_grade")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        outcomes[outcome] = outcomes.get(outcome, 0) + n
        if before in GRADED and after in GRADED:
            transitions[(before, after)] = transitions.get((before, after), 0) + n
        if after == Grade.INADEQUATE and before in WORSE_THAN_INADEQUATE:
            found += n
    matrix = [[transitions.get((a, b), 0) for b in GRADED] for a in GRADED]
    kappa, pairs = weighted_kappa(matrix)
    return ModerationFigures(
        period=period,
        completed=audit_counts["completed"],
        moderated=sum(outcomes.values()),
        agreed=outcomes.get(Outcome.AGREED, 0),
        upgraded=outcomes.get(Outcome.UPGRADED, 0),
        downgraded=outcomes.get(Outcome.DOWNGRADED, 0),
        transitions=transitions,
        final_inadequate=audit_counts["final_inadequate"],
        inadequate_found_by_moderation=found,
        domain_agreement=domain_agreement(reviews),
        kappa=kappa,
        kappa_pairs=pairs,
        downgrade_reasons=downgrade_reasons(reviews),
    )


#: the grades better than Inadequate: a review that moved one of them to Inadequate found it
WORSE_THAN_INADEQUATE = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT]


def _audit_counts(period: Period, scope: Scope) -> dict[str, int]:
    """Completed audits, and those whose final grade is Inadequate, in one query."""
    moderated = Q(moderation_review__status=ReviewStatus.FINAL)
    counts = completed_audits(period, scope).aggregate(
        completed=Count("pk", distinct=True),
        by_moderation=Count(
            "pk",
            distinct=True,
            filter=moderated & Q(moderation_review__moderated_grade=Grade.INADEQUATE),
        ),
        by_auditor=Count(
            "pk",
            distinct=True,
            filter=Q(overall_grade=Grade.INADEQUATE)
            & (Q(moderation_review__isnull=True) | ~moderated),
        ),
    )
    return {
        "completed": counts["completed"],
        "final_inadequate": counts["by_moderation"] + counts["by_auditor"],
    }


def domain_agreement(reviews: QuerySet[ModerationReview]) -> list[dict]:
    rows = (
        ReviewDomainGrade.objects.filter(
            review__in=reviews, original_grade__in=GRADED, moderated_grade__in=GRADED
        )
        .values("domain__name")
        .annotate(
            pairs=Count("pk"),
            agreed=Count("pk", filter=Q(original_grade=F("moderated_grade"))),
        )
        .order_by("domain__name")
    )
    return [
        {
            "domain": row["domain__name"],
            "pairs": row["pairs"],
            "agreed": row["agreed"],
            "agreed_pct": pct(row["agreed"], row["pairs"]),
        }
        for row in rows
    ]


def downgrade_reasons(reviews: QuerySet[ModerationReview]) -> list[dict]:
    from .models import DowngradeReason

    rows = (
        ReviewReason.objects.filter(review__in=reviews)
        .values("reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason")
    )
    return [{"reason": DowngradeReason(r["reason"]).label, "count": r["n"]} for r in rows]


BREAKDOWNS = {
    "service_area": ("audit__team__service_area", ["audit__team__service_area__name"]),
    "team": ("audit__team", ["audit__team__name"]),
    "auditor": ("audit__auditor", ["audit__auditor__first_name", "audit__auditor__last_name"]),
    "moderator": ("moderator", ["moderator__first_name", "moderator__last_name"]),
}


def moderation_breakdown(period: Period, by: str, scope: Scope = Scope()) -> list[dict]:
    """Moderated, agreed, upgraded and downgraded per service area, team, auditor or
    moderator, in one query."""
    key, labels = BREAKDOWNS[by]
    rows = (
        final_reviews(period, scope)
        .values(key, *labels)
        .annotate(
            moderated=Count("pk"),
            agreed=Count("pk", filter=Q(outcome=Outcome.AGREED)),
            upgraded=Count("pk", filter=Q(outcome=Outcome.UPGRADED)),
            downgraded=Count("pk", filter=Q(outcome=Outcome.DOWNGRADED)),
        )
        .order_by(*labels, key)
    )
    return [
        {
            "id": row[key],
            "name": " ".join(row[label] or "" for label in labels).strip() or "Not recorded",
            "moderated": row["moderated"],
            "agreed": row["agreed"],
            "upgraded": row["upgraded"],
            "downgraded": row["downgraded"],
            "regraded_pct": pct(row["upgraded"] + row["downgraded"], row["moderated"]),
        }
        for row in rows
    ]


def most_regraded_auditors(period: Period, scope: Scope = Scope(), limit: int = 10) -> list[dict]:
    """Auditors whose audits moderation changed most often: for development support.
    Visible to the QA Lead only."""
    rows = moderation_breakdown(period, "auditor", scope)
    rows = [r for r in rows if r["upgraded"] + r["downgraded"] > 0]
    rows.sort(
        key=lambda r: (-(r["upgraded"] + r["downgraded"]), -(r["regraded_pct"] or 0), r["name"])
    )
    return rows[:limit]
