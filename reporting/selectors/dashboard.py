"""The dashboard's own reads: the teams table and the audits behind a count."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from audits.models import GRADED, Audit, DomainGrading, Grade, RIBand
from common.dates import add_months, month_end, month_start

from .. import data_version
from ..targets import TEAMS_MONTHS, TeamTargets
from .audits import NOT_GRADED, final_domain_gradings, share
from .slice import Slice, final_overall_grade

GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)


def last_months(
    today: datetime.date, months: int = TEAMS_MONTHS
) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the ``months`` months ending with today's month."""
    return add_months(month_start(today), 1 - months), month_end(today)


def team_figures(s: Slice, targets: TeamTargets) -> list[dict]:
    """``count_team_figures``, counted once for each version of the data
    (``reporting.data_version``)."""
    return data_version.remember("teams", (s, targets), lambda: count_team_figures(s, targets))


def count_team_figures(s: Slice, targets: TeamTargets) -> list[dict]:
    """Each team with audits completed in the slice: completed, Good or better,
    Inadequate and weaker practice (final Inadequate, plus final Requires Improvement in
    the auditor's lower band), as counts and shares, and whether the team meets both the
    Good and the Inadequate targets or its weaker practice is a concern. One query."""
    lower_ri = Q(
        final=Grade.REQUIRES_IMPROVEMENT,
        overall_grade=Grade.REQUIRES_IMPROVEMENT,
        overall_ri_band=RIBand.LOWER,
    )
    rows = (
        Audit.objects.filter(s.completed_q())
        .annotate(final=final_overall_grade())
        .values("team", "team__name", "team__service_area__name")
        .annotate(
            completed=Count("pk", filter=Q(final__in=GRADED)),
            good=Count("pk", filter=Q(final__in=GOOD_OR_BETTER)),
            inadequate=Count("pk", filter=Q(final=Grade.INADEQUATE)),
            weaker=Count("pk", filter=Q(final=Grade.INADEQUATE) | lower_ri),
        )
        .order_by("team__service_area__name", "team__name")
    )
    teams = []
    for row in rows:
        n = row["completed"]
        if not n:
            continue
        good, inadequate = share(row["good"], n), share(row["inadequate"], n)
        weaker = share(row["weaker"], n)
        teams.append(
            {
                "team": row["team"],
                "name": row["team__name"],
                "service_area": row["team__service_area__name"],
                "completed": n,
                "good": row["good"],
                "inadequate": row["inadequate"],
                "weaker": row["weaker"],
                "meets_targets": good >= targets.good_or_better
                and inadequate <= targets.inadequate_at_most,
                "weaker_concern": weaker >= targets.weaker_practice_concern,
            }
        )
    return teams


def audits_behind(
    s: Slice,
    *,
    grade: str | None = None,
    original: bool = False,
    domain: str | None = None,
    month: datetime.date | None = None,
    weaker: bool = False,
    good_or_better: bool = False,
) -> QuerySet[Audit]:
    """The completed audits a count of the slice is made of: with a final (or, with
    ``original``, the auditor's) overall grade, or a domain's final grade ("Not graded"
    included), completed in a month, or of weaker practice / Good or better."""
    audits = (
        Audit.objects.filter(s.completed_q())
        .annotate(final=final_overall_grade())
        .select_related("team__service_area")
    )
    if month is not None:
        audits = audits.filter(completed_on__gte=month, completed_on__lte=month_end(month))
    if weaker:
        audits = audits.filter(
            Q(final=Grade.INADEQUATE)
            | Q(
                final=Grade.REQUIRES_IMPROVEMENT,
                overall_grade=Grade.REQUIRES_IMPROVEMENT,
                overall_ri_band=RIBand.LOWER,
            )
        )
    if good_or_better:
        audits = audits.filter(final__in=GOOD_OR_BETTER)
    if domain is not None:
        gradings = DomainGrading.objects.filter(audit=OuterRef("pk"), domain__name=domain)
        audits = audits.filter(Exists(gradings))
        if grade is not None:
            audits = audits.filter(pk__in=_domain_graded(s, domain, grade))
    elif grade is not None:
        audits = audits.filter(**{"overall_grade" if original else "final": grade})
    return audits.order_by("completed_on", "pk")


def _domain_graded(s: Slice, domain: str, grade: str):
    """Ids of the slice's audits whose final grade for ``domain`` is ``grade`` (a grade
    value or ``NOT_GRADED``), as ``domain_grades`` counts them."""
    rows = final_domain_gradings(s).filter(domain__name=domain)
    rows = rows.exclude(final__in=GRADED) if grade == NOT_GRADED else rows.filter(final=grade)
    return rows.values("audit_id")
