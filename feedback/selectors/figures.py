"""Feedback figures for any period and scope, counted in the database.

A period is a ``common.dates.Period`` (start and end inclusive); a scope is the whole
organisation, a service area or a team (``Scope``).

- **Reach** (families asked and answered) is a share of the audits completed (submitted
  or accepted) in the period where feedback applies: for children, audits in which the
  child was spoken to and was 4 or over in the month audited (or has no date of birth
  recorded); for parents and carers, audits in which a parent or carer was spoken to.
  Such an audit counts as *asked* when it has feedback of any outcome from that group
  (or a family link sent to it), and *answered* when it has feedback given by them.
  Audits count in the team they were allocated to.
- **Feedback** figures count the records whose date falls in the period, in the team
  they were recorded for: every family link answer and record made on its own, and rows
  of the audit form once their audit is completed.
- **Agreement** sets a family's answers beside the audit's final grade (the last grade
  recorded for it after submission, moderated or not; else the auditor's).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, NullIf

from audits.models import GRADED, Audit, DomainGrading, Grade, GradeChange, Involvement
from common.dates import Period

from ..models import (
    PARENT_OR_CARER,
    RESPONDENT_GROUP,
    Answer,
    Audience,
    Channel,
    Feedback,
    NotObtainedReason,
    Outcome,
    Quote,
    QuoteStatus,
    Respondent,
    RespondentGroup,
)
from ..questions import QUESTIONS

COMPLETED = ("submitted", "accepted")
#: the youngest age at which a child's own feedback is sought
CHILD_FEEDBACK_AGE = 4
SCORES = range(0, 11)


@dataclass(frozen=True)
class Scope:
    """The whole organisation, or a service area or a team (ids)."""

    service_area: int | None = None
    team: int | None = None

    def q(self, team_field: str = "team") -> Q:
        q = Q()
        if self.service_area:
            q &= Q(**{f"{team_field}__service_area": self.service_area})
        if self.team:
            q &= Q(**{team_field: self.team})
        return q


def pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _ymd(field: str):
    """A date as the number YYYYMMDD: two such numbers differ by 10000 a year of age."""
    return ExtractYear(field) * 10000 + ExtractMonth(field) * 100 + ExtractDay(field)


# Reach ------------------------------------------------------------------------------


def completed_audits(period: Period, scope: Scope = Scope()) -> QuerySet[Audit]:
    return Audit.objects.filter(
        scope.q(),
        status__in=COMPLETED,
        completed_on__gte=period.start,
        completed_on__lte=period.end,
    )


def reach(period: Period, scope: Scope = Scope()) -> dict:
    """Families asked and answered, as shares of the audits where it applies.

    Each audit's feedback and family links are counted by one pass over them, joined and
    grouped by audit (an EXISTS for each audit and question probed an index half a
    million times at national size)."""
    parents = list(PARENT_OR_CARER)
    given = Q(feedback__outcome=Outcome.GIVEN)
    audits = (
        completed_audits(period, scope)
        .annotate(
            age_gap=_ymd("month") - _ymd("child__date_of_birth"),
            child_feedback=Count("feedback", filter=Q(feedback__respondent=Respondent.CHILD)),
            child_given=Count("feedback", filter=given & Q(feedback__respondent=Respondent.CHILD)),
            child_links=Count("family_links", filter=Q(family_links__audience=Audience.CHILD)),
            parent_feedback=Count("feedback", filter=Q(feedback__respondent__in=parents)),
            parent_given=Count("feedback", filter=given & Q(feedback__respondent__in=parents)),
            parent_links=Count("family_links", filter=Q(family_links__audience=Audience.ADULT)),
        )
        .order_by()
    )
    child_applies = Q(child_spoken_to=Involvement.YES) & (
        Q(child__date_of_birth__isnull=True) | Q(age_gap__gte=CHILD_FEEDBACK_AGE * 10000)
    )
    parent_applies = Q(parent_carer_spoken_to=Involvement.YES)
    child_asked = Q(child_feedback__gt=0) | Q(child_links__gt=0)
    parent_asked = Q(parent_feedback__gt=0) | Q(parent_links__gt=0)
    totals = audits.aggregate(
        completed=Count("pk"),
        child_applies=Count("pk", filter=child_applies),
        child_asked=Count("pk", filter=child_applies & child_asked),
        child_answered=Count("pk", filter=child_applies & Q(child_given__gt=0)),
        parent_applies=Count("pk", filter=parent_applies),
        parent_asked=Count("pk", filter=parent_applies & parent_asked),
        parent_answered=Count("pk", filter=parent_applies & Q(parent_given__gt=0)),
    )
    result = {"completed_audits": totals["completed"]}
    for key, prefix in (("children", "child"), ("parents_carers", "parent")):
        applies = totals[f"{prefix}_applies"]
        asked = totals[f"{prefix}_asked"]
        answered = totals[f"{prefix}_answered"]
        result[key] = {
            "audits": applies,
            "asked": asked,
            "answered": answered,
            "asked_pct": pct(asked, applies),
            "answered_pct": pct(answered, applies),
            "answered_of_asked_pct": pct(answered, asked),
        }
    return result


# Feedback ---------------------------------------------------------------------------


def feedback_in_period(period: Period, scope: Scope = Scope()) -> QuerySet[Feedback]:
    return Feedback.objects.counted().filter(
        scope.q(), given_on__gte=period.start, given_on__lte=period.end
    )


def _median(distribution: dict[int, int]) -> float | None:
    total = sum(distribution.values())
    if not total:
        return None
    ordered = [score for score in SCORES for _ in range(distribution[score])]
    middle = total // 2
    if total % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def _feedback_counts(period: Period, scope: Scope) -> dict:
    given = Q(outcome=Outcome.GIVEN)
    none = Q(outcome=Outcome.NOT_OBTAINED)
    counts = {"total": Count("pk"), "given": Count("pk", filter=given)}
    counts["not_obtained"] = Count("pk", filter=none)
    for group in RespondentGroup:
        members = [r for r, g in RESPONDENT_GROUP.items() if g == group]
        counts[f"group_given__{group.value}"] = Count(
            "pk", filter=given & Q(respondent__in=members)
        )
        counts[f"group_none__{group.value}"] = Count("pk", filter=none & Q(respondent__in=members))
    for channel in Channel:
        counts[f"channel__{channel.value}"] = Count("pk", filter=given & Q(channel=channel))
    for question in QUESTIONS:
        for answer in Answer:
            counts[f"q__{question.field}__{answer.value}"] = Count(
                "pk", filter=given & Q(**{question.field: answer})
            )
    for score in SCORES:
        counts[f"score__{score}"] = Count("pk", filter=given & Q(score=score))
    for reason in NotObtainedReason:
        counts[f"reason__{reason.value}"] = Count("pk", filter=none & Q(not_obtained_reason=reason))
    return feedback_in_period(period, scope).aggregate(**counts)


def feedback_figures(period: Period, scope: Scope = Scope()) -> dict:
    """Every feedback figure for the period and scope (Ambassadors' results apart)."""
    c = _feedback_counts(period, scope)
    distribution = {score: c[f"score__{score}"] for score in SCORES}
    scored = sum(distribution.values())
    questions = []
    for question in QUESTIONS:
        n = {a.value: c[f"q__{question.field}__{a.value}"] for a in Answer}
        answered = n[Answer.YES] + n[Answer.PARTLY] + n[Answer.NO]
        questions.append(
            {
                "question": question.field,
                "label": question.staff,
                "yes": n[Answer.YES],
                "partly": n[Answer.PARTLY],
                "no": n[Answer.NO],
                "not_answered": n[Answer.NOT_ANSWERED],
                "answered": answered,
                "yes_pct": pct(n[Answer.YES], answered),
            }
        )
    not_obtained = c["not_obtained"]
    quotes = quotes_for_period(period, scope)
    return {
        "period": {"label": period.label, "start": period.start, "end": period.end},
        "scope": {"service_area": scope.service_area, "team": scope.team},
        "reach": reach(period, scope),
        "records": c["total"],
        "given": c["given"],
        "not_obtained": not_obtained,
        "by_respondent": [
            {
                "respondent": group.value,
                "label": group.label,
                "given": c[f"group_given__{group.value}"],
                "not_obtained": c[f"group_none__{group.value}"],
            }
            for group in RespondentGroup
        ],
        "by_channel": [
            {
                "channel": channel.value,
                "label": channel.label,
                "count": c[f"channel__{channel.value}"],
            }
            for channel in Channel
        ],
        "questions": questions,
        "scores": {
            "scored": scored,
            "median": _median(distribution),
            "distribution": [{"score": s, "count": distribution[s]} for s in SCORES],
        },
        "reasons": [
            {
                "reason": reason.value,
                "label": reason.label,
                "count": c[f"reason__{reason.value}"],
                "pct": pct(c[f"reason__{reason.value}"], not_obtained),
            }
            for reason in NotObtainedReason
        ],
        "agreement": agreement_by_grade(period, scope),
        "quotes": [
            {
                "text": q.text,
                "attribution": q.attribution,
                "tone": q.tone,
                "theme": q.theme.name if q.theme else "",
            }
            for q in quotes
        ],
    }


# Agreement with the grade ---------------------------------------------------------


def _final_grade(domain_id: int | None):
    changes = GradeChange.objects.filter(audit=OuterRef("audit")).order_by("-changed_at", "-pk")
    if domain_id is None:
        changes = changes.filter(domain__isnull=True)
        fallback = F("audit__overall_grade")
    else:
        changes = changes.filter(domain=domain_id)
        fallback = Subquery(
            DomainGrading.objects.filter(audit=OuterRef("audit"), domain=domain_id).values("grade")[
                :1
            ]
        )
    return Coalesce(NullIf(Subquery(changes.values("new_grade")[:1]), Value("")), fallback)


def agreement_by_grade(
    period: Period, scope: Scope = Scope(), domain_id: int | None = None
) -> list[dict]:
    """For each question, the answers of those who gave feedback on completed audits, by
    the audit's final overall grade (or its final grade for one domain): do families who
    felt listened to have audits graded better?"""
    counts = {"feedback": Count("pk")}
    for question in QUESTIONS:
        for answer in (Answer.YES, Answer.PARTLY, Answer.NO):
            counts[f"{question.field}__{answer.value}"] = Count(
                "pk", filter=Q(**{question.field: answer})
            )
    rows = (
        feedback_in_period(period, scope)
        .filter(outcome=Outcome.GIVEN, audit__status__in=COMPLETED)
        .annotate(final_grade=_final_grade(domain_id))
        .values("final_grade")
        .annotate(**counts)
        .order_by("final_grade")
    )
    by_grade = {row["final_grade"]: row for row in rows}
    result = []
    for question in QUESTIONS:
        grades = []
        for grade in GRADED:
            row = by_grade.get(grade.value)
            yes = row[f"{question.field}__yes"] if row else 0
            partly = row[f"{question.field}__partly"] if row else 0
            no = row[f"{question.field}__no"] if row else 0
            grades.append(
                {
                    "grade": grade.value,
                    "label": Grade(grade).label,
                    "feedback": row["feedback"] if row else 0,
                    "yes": yes,
                    "partly": partly,
                    "no": no,
                    "yes_pct": pct(yes, yes + partly + no),
                }
            )
        result.append({"question": question.field, "label": question.staff, "grades": grades})
    return result


# Quotes -----------------------------------------------------------------------------


def quotes_for_period(
    period: Period, scope: Scope = Scope(), *, ready_only: bool = True
) -> list[Quote]:
    """Quotes of feedback given in the period (ready for reports, unless asked)."""
    quotes = Quote.objects.filter(
        scope.q("feedback__team"),
        feedback__given_on__gte=period.start,
        feedback__given_on__lte=period.end,
    ).select_related("theme", "feedback")
    if ready_only:
        quotes = quotes.filter(status=QuoteStatus.READY)
    return list(quotes.order_by("feedback__given_on", "pk"))


def quote_candidates(period: Period, scope: Scope = Scope()) -> QuerySet[Feedback]:
    """Comments given with consent in the period, with how many quotes each has."""
    return (
        feedback_in_period(period, scope)
        .filter(outcome=Outcome.GIVEN, consent_to_quote=True)
        .exclude(comments="")
        .select_related("audit__child", "team")
        .annotate(quote_count=Count("quotes", output_field=IntegerField()))
        .order_by("given_on", "pk")
    )
