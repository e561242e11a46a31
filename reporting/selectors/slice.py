"""What a figure is about: a period and, optionally, a part of the organisation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, LPad, NullIf

from audits.models import GRADED, AuditStatus, AuditType, Grade
from audits.models.audit import COMPLETED_STATUSES
from common.dates import Period, month_start
from moderation.models import ReviewStatus

#: allocated audits that never happened, or never reached the auditor, are not counted
NOT_ALLOCATED = (AuditStatus.PROPOSED, AuditStatus.CANCELLED, AuditStatus.EXEMPTED)


@dataclass(frozen=True)
class Slice:
    """A period (start and end inclusive, by the day each audit was completed) and the
    audits in it: a service area, team, legal status (the child's), audit type and
    auditor, each optional (ids and stored values). ``audit_type`` None means every type.
    """

    start: datetime.date
    end: datetime.date
    service_area: int | None = None
    team: int | None = None
    legal_status: str | None = None
    audit_type: str | None = AuditType.CHILD_JOURNEY
    auditor: int | None = None

    @classmethod
    def of(cls, period: Period, **filters) -> Slice:
        """A slice of a month, quarter or financial year (common.dates)."""
        return cls(period.start, period.end, **filters)

    @property
    def period(self) -> Period:
        return Period(self.start, self.end, f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}")

    def audits_q(self, prefix: str = "") -> Q:
        """Audits in this part of the organisation, whatever their dates."""
        wanted = {
            "team__service_area": self.service_area,
            "team": self.team,
            "child__legal_status": self.legal_status,
            "audit_type": self.audit_type,
            "auditor": self.auditor,
        }
        return Q(**{f"{prefix}{field}": value for field, value in wanted.items() if value})

    def completed_q(self, prefix: str = "") -> Q:
        """Audits completed in the period: submitted or accepted, by ``completed_on``."""
        return self.audits_q(prefix) & Q(
            **{
                f"{prefix}status__in": COMPLETED_STATUSES,
                f"{prefix}completed_on__gte": self.start,
                f"{prefix}completed_on__lte": self.end,
            }
        )

    def allocated_q(self) -> Q:
        """Audits allocated for a month of the period (the month an audit belongs to)."""
        return (
            self.audits_q()
            & Q(month__gte=month_start(self.start), month__lte=self.end)
            & ~Q(status__in=NOT_ALLOCATED)
        )


def final_overall_grade(prefix: str = "") -> Case:
    """The audit's final overall grade: the moderated grade once a moderation review is
    final, else the auditor's. ``Audit.overall_grade`` always keeps the auditor's grade
    (moderation records its regrade on the review and in the grade history)."""
    review = f"{prefix}moderation_review__"
    return Case(
        When(
            Q(**{f"{review}status": ReviewStatus.FINAL, f"{review}moderated_grade__in": GRADED}),
            then=F(f"{review}moderated_grade"),
        ),
        default=F(f"{prefix}overall_grade"),
    )


def grade_counts(rows, key: str = "grade", count: str = "n") -> dict[str, int]:
    """{"Outstanding": n, "Good": n, "Requires Improvement": n, "Inadequate": n} from
    grouped rows; grades outside the four are left out."""
    counts = {Grade(g).label: 0 for g in GRADED}
    for row in rows:
        if row[key] in GRADED:
            counts[Grade(row[key]).label] += row[count]
    return counts


def display_reference():
    """The audit's reference as people see it (Audit.display_reference): the earlier
    system's, else A and the id in six digits."""
    return Coalesce(
        NullIf("reference", Value("")),
        Concat(Value("A"), LPad(Cast("pk", CharField()), 6, Value("0"))),
        output_field=CharField(),
    )
