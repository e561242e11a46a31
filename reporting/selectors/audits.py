"""Child Journey Audit figures for a slice, each counted in the database in one query.

Grades: the final grade is the moderated grade where a moderation review is final, else
the auditor's (``final_overall_grade``); the auditor's own grade is ``overall_grade``.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, F, FilteredRelation, Q, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, TruncMonth

from accounts.models import ServiceArea
from audits.models import (
    GRADED,
    Audit,
    AuditStatus,
    DomainGrading,
    Exemption,
    ExemptionKind,
    ExemptionStatus,
    Grade,
    Involvement,
    LegalStatus,
    RIBand,
)
from audits.models.audit import COMPLETED_STATUSES
from audits.selectors_programme import exemption_applies
from common.dates import add_months, month_start
from moderation.models import ReviewStatus

from .slice import Slice, display_reference, final_overall_grade, grade_counts

#: the youngest age at which a child is expected to be spoken to
CHILD_AGE = 4
#: participation: the audit's field, and the key figures give it
PARTICIPANTS = {
    "social_worker": "social_worker_involved",
    "team_manager": "team_manager_involved",
    "iro_cp_chair": "iro_involved",
    "child": "child_spoken_to",
    "family": "parent_carer_spoken_to",
}
NOT_GRADED = "Not graded"


def share(part: int, whole: int) -> float | None:
    """A share from 0 to 1, to four places; None when there is nothing to divide."""
    return round(part / whole, 4) if whole else None


def shares(counts: dict[str, int]) -> dict[str, float | None]:
    """Each count as a share of them all (0 to 1): for grades, of the audits counted."""
    whole = sum(counts.values())
    return {key: share(n, whole) for key, n in counts.items()}


def _ymd(field: str):
    """A date as the number YYYYMMDD: two such numbers differ by 10000 a year of age."""
    return ExtractYear(field) * 10000 + ExtractMonth(field) * 100 + ExtractDay(field)


def completed_audits(s: Slice):
    return Audit.objects.filter(s.completed_q())


def _exempted_open_audits(s: Slice) -> Q:
    """Audits not completed whose auditor has an approved exemption covering the audit's
    month (granted after the audit was allocated): one query for the period's
    exemptions; audits' own rule (``exemption_applies``) decides each month."""
    months = _months(s.start, s.end)
    exemptions = list(
        Exemption.objects.filter(status=ExemptionStatus.APPROVED).filter(
            Q(kind=ExemptionKind.SINGLE_MONTH, month__gte=months[0], month__lte=s.end)
            | Q(
                Q(ends_on__isnull=True) | Q(ends_on__gte=months[0]),
                kind=ExemptionKind.STANDING,
                starts_on__lte=s.end,
            )
        )
    )
    exempt = Q(pk__in=[])
    for month in months:
        auditors = {e.auditor_id for e in exemptions if exemption_applies(e, month)}
        if auditors:
            exempt |= Q(month=month, auditor__in=auditors)
    return exempt & ~Q(status__in=COMPLETED_STATUSES)


def audit_counts(s: Slice) -> dict:
    """Allocated (audits of the period's months; proposed, cancelled and exempted left
    out, and those an approved exemption covers unless they were completed anyway),
    completed in the period, completed to the accepted standard (accepted), and the
    completion rate: the allocated audits completed by the period's end."""
    allocated = s.allocated_q() & ~_exempted_open_audits(s)
    completed = s.completed_q()
    totals = Audit.objects.filter(allocated | completed).aggregate(
        allocated=Count("pk", filter=allocated),
        allocated_completed=Count(
            "pk",
            filter=allocated & Q(status__in=COMPLETED_STATUSES, completed_on__lte=s.end),
        ),
        completed=Count("pk", filter=completed),
        accepted=Count("pk", filter=completed & Q(status=AuditStatus.ACCEPTED)),
    )
    totals["completion_rate"] = share(totals["allocated_completed"], totals["allocated"])
    return totals


def grade_figures(s: Slice) -> dict:
    """Final and auditors' overall grades, the lower RI band and participation, for the
    audits completed in the slice, in one query."""
    child_old_enough = Q(child__date_of_birth__isnull=True) | Q(age_gap__gte=CHILD_AGE * 10000)
    counts = {"completed": Count("pk")}
    for grade in GRADED:
        counts[f"final__{grade}"] = Count("pk", filter=Q(final=grade))
        counts[f"original__{grade}"] = Count("pk", filter=Q(overall_grade=grade))
    # The band is the auditor's: it stands while the final grade is still their RI.
    counts["lower_ri"] = Count(
        "pk",
        filter=Q(
            final=Grade.REQUIRES_IMPROVEMENT,
            overall_grade=Grade.REQUIRES_IMPROVEMENT,
            overall_ri_band=RIBand.LOWER,
        ),
    )
    for key, field in PARTICIPANTS.items():
        applies = Q(**{f"{field}__in": [Involvement.YES, Involvement.NO]})
        if key == "child":
            applies &= child_old_enough
        counts[f"{key}__applies"] = Count("pk", filter=applies)
        counts[f"{key}__yes"] = Count("pk", filter=applies & Q(**{field: Involvement.YES}))
    totals = (
        completed_audits(s)
        .annotate(final=final_overall_grade(), age_gap=_ymd("month") - _ymd("child__date_of_birth"))
        .aggregate(**counts)
    )
    return {
        "completed": totals["completed"],
        "overall": {Grade(g).label: totals[f"final__{g}"] for g in GRADED},
        "overall_original": {Grade(g).label: totals[f"original__{g}"] for g in GRADED},
        "lower_ri": totals["lower_ri"],
        "participation": {
            key: share(totals[f"{key}__yes"], totals[f"{key}__applies"]) for key in PARTICIPANTS
        },
        "participation_counts": {
            key: {"yes": totals[f"{key}__yes"], "applies": totals[f"{key}__applies"]}
            for key in PARTICIPANTS
        },
    }


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], month_start(start)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def grades_by_month(s: Slice) -> dict[str, dict[str, int]]:
    """Final overall grades by the month each audit was completed ("YYYY-MM"), every
    month of the period shown, in one query."""
    rows = (
        completed_audits(s)
        .annotate(completed_month=TruncMonth("completed_on"), grade=final_overall_grade())
        .values("completed_month", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_month: dict[str, list[dict]] = {f"{m:%Y-%m}": [] for m in _months(s.start, s.end)}
    for row in rows:
        by_month[f"{row['completed_month']:%Y-%m}"].append(row)
    return {month: grade_counts(month_rows) for month, month_rows in by_month.items()}


def grades_by_service_area(s: Slice) -> dict[str, dict[str, int]]:
    """Completed audits and final overall grades in each service area (of the audit's
    team at allocation), every area in the slice shown, in two queries."""
    rows = (
        completed_audits(s)
        .annotate(grade=final_overall_grade())
        .values("team__service_area__name", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    areas = ServiceArea.objects.order_by("name")
    if s.service_area:
        areas = areas.filter(pk=s.service_area)
    if s.team:
        areas = areas.filter(teams=s.team)
    grouped: dict[str, list[dict]] = {name: [] for name in areas.values_list("name", flat=True)}
    for row in rows:
        grouped.setdefault(row["team__service_area__name"], []).append(row)
    return {
        name: {"completed": sum(r["n"] for r in area_rows)} | grade_counts(area_rows)
        for name, area_rows in grouped.items()
    }


def final_domain_gradings(s: Slice):
    """The domain gradings of the audits completed in the slice, each annotated with its
    ``final`` grade: the moderator's where the audit's moderation review is final and
    gives one (blank is agreement), else the auditor's."""
    return (
        DomainGrading.objects.filter(s.completed_q("audit__"))
        .alias(
            final_review=FilteredRelation(
                "audit__moderation_review",
                condition=Q(audit__moderation_review__status=ReviewStatus.FINAL),
            ),
            regrade=FilteredRelation(
                "final_review__domain_grades",
                condition=Q(final_review__domain_grades__domain=F("domain")),
            ),
        )
        .annotate(
            final=Case(
                When(
                    regrade__moderated_grade__in=[*GRADED, Grade.NOT_GRADED],
                    then=F("regrade__moderated_grade"),
                ),
                default=F("grade"),
            )
        )
    )


def domain_grades(s: Slice) -> dict[str, dict[str, int]]:
    """Each domain's final grades in the audits completed in the slice, with "Not
    graded" (graded not graded, or left blank): the moderator's grade where the audit's
    moderation review is final and gives one (blank is agreement), else the auditor's.
    One query."""
    rows = (
        final_domain_gradings(s)
        .values("domain__name", "final")
        .annotate(n=Count("pk"))
        .order_by("domain__name")
    )
    result: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = result.setdefault(
            row["domain__name"], {Grade(g).label: 0 for g in GRADED} | {NOT_GRADED: 0}
        )
        key = Grade(row["final"]).label if row["final"] in GRADED else NOT_GRADED
        counts[key] += row["n"]
    return result


def grades_by_legal_status(s: Slice) -> dict[str, dict[str, int]]:
    """Completed audits and final overall grades by the child's legal status (level of
    need), every status shown, in one query."""
    rows = (
        completed_audits(s)
        .annotate(grade=final_overall_grade())
        .values("child__legal_status", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    grouped: dict[str, list[dict]] = {value: [] for value, _ in LegalStatus.choices}
    for row in rows:
        grouped.setdefault(row["child__legal_status"], []).append(row)
    labels = dict(LegalStatus.choices)
    return {
        labels.get(status, status or "Not recorded"): {"completed": sum(r["n"] for r in group)}
        | grade_counts(group)
        for status, group in grouped.items()
    }


def audit_basis(s: Slice) -> dict[str, list]:
    """The audits completed in the slice, by reference: [final grade, completed on,
    submitted at], so a report can say later which audits moved its figures. One query."""
    rows = (
        completed_audits(s)
        .annotate(grade=final_overall_grade(), ref=display_reference())
        .values_list("ref", "grade", "completed_on", "submitted_at")
    )
    return {
        ref: [grade or "", completed.isoformat(), submitted.isoformat() if submitted else None]
        for ref, grade, completed, submitted in rows
    }
