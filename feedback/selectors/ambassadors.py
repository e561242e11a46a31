"""Reads for the Ambassadors' reviews: an Ambassador's open reviews, the anonymised
audit they read, the QA Lead's samples, and the monthly results per question."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import Role, User
from audits.models import Audit, Involvement, LegalStatus
from common.dates import add_months, month_label

from .. import masking
from ..models import (
    AMBASSADOR_QUESTIONS,
    AmbassadorReview,
    AmbassadorSample,
    Feedback,
    Respondent,
    ReviewAnswer,
    ReviewStatus,
)
from .figures import Scope

WHOLE_ORGANISATION = Scope()

#: what an Ambassador is told about who gave feedback: the kind of person, no more
_RESPONDENTS = {Respondent.CHILD: "The child or young person"}


def open_reviews_for(user: User) -> QuerySet[AmbassadorReview]:
    """The Ambassador's reviews still to do, oldest month first."""
    return AmbassadorReview.objects.filter(ambassador=user, status=ReviewStatus.OPEN).order_by(
        "month", "pk"
    )


def open_review_for(user: User, pk: int) -> AmbassadorReview:
    """One of the user's open reviews, or 404: an Ambassador reads nothing else, and an
    audit no longer once their review is in."""
    review = (
        open_reviews_for(user)
        .filter(pk=pk)
        .select_related("audit__template", "audit__child")
        .first()
    )
    if review is None or not user.has_perm("feedback.view_ambassador_review", review):
        raise Http404
    return review


def _names(review: AmbassadorReview) -> list[masking.KnownName]:
    audit = masking.audit_for_masking(review.audit_id)
    names = masking.names_for_audit(audit)
    # The lists on this review count even before they are saved to the child's others.
    for line in masking.lines(review.hidden_names):
        first, _, last = line.partition(" ")
        names += masking.person(first, last)
    for line in masking.lines(review.hidden_places):
        names += masking.place(line)
    return names


def _answer_text(value, question) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    options = dict(question.options)
    return str(options.get(value, value))


def anonymised_audit(review: AmbassadorReview) -> dict:
    """What an Ambassador reads of the review's audit: every text field passed through
    the masking step (the names the product holds for the case and the ones listed on
    the review; postcodes, phone numbers, emails and dates), and no name, reference,
    date of birth, address, team or date at all outside the text."""
    audit: Audit = review.audit
    names = _names(review)

    def clean(text) -> str:
        return masking.mask(str(text or ""), names, patterns=masking.ALL_PATTERNS)

    child = audit.child
    age = child.age_on(audit.month)
    gradings = {
        g.domain_id: g for g in audit.gradings.select_related("domain").order_by("domain__name")
    }
    answers = {a.question_id: a for a in audit.answers.all()}
    sections = []
    for section in audit.template.sections.prefetch_related("questions").order_by("order"):
        items = []
        for question in section.questions.all():
            answer = answers.get(question.pk)
            if answer is None:
                continue
            value = clean(_answer_text(answer.value, question))
            comment = clean(answer.comment)
            if value or comment:
                items.append({"question": question.text, "answer": value, "comment": comment})
        grading = gradings.pop(section.domain_id, None) if section.domain_id else None
        evidence = clean(grading.evidence) if grading else ""
        if items or evidence:
            sections.append({"title": section.title, "evidence": evidence, "items": items})
    for grading in gradings.values():  # graded domains the template no longer lists
        if grading.evidence:
            sections.append(
                {"title": grading.domain.name, "evidence": clean(grading.evidence), "items": []}
            )
    feedback = [
        {
            "who": _RESPONDENTS.get(f.respondent, f.get_respondent_display() or "Someone"),
            "comments": clean(f.comments),
        }
        for f in Feedback.objects.filter(audit=audit).exclude(comments="").order_by("pk")
    ]
    return {
        "legal_status": LegalStatus(child.legal_status).label if child.legal_status else "",
        "age": age,
        "child_spoken_to": Involvement(audit.child_spoken_to).label
        if audit.child_spoken_to
        else "",
        "summary": [
            {"title": title, "text": clean(text)}
            for title, text in (
                ("Why the audit came to its view", audit.overall_rationale),
                ("What is working well", audit.strengths),
                ("What could be better", audit.areas_for_development),
            )
            if text.strip()
        ],
        "sections": sections,
        "actions": [clean(a.text) for a in audit.proposed_actions.order_by("order", "pk")],
        "feedback": feedback,
    }


def ambassadors() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role_assignments__role=Role.AMBASSADOR).distinct()


def samples() -> QuerySet[AmbassadorSample]:
    return AmbassadorSample.objects.annotate(
        review_count=Count("reviews"),
        submitted_count=Count("reviews", filter=Q(reviews__status=ReviewStatus.SUBMITTED)),
    ).order_by("-month")


def sample_reviews(sample: AmbassadorSample) -> QuerySet[AmbassadorReview]:
    return sample.reviews.select_related("audit__child", "ambassador").order_by("pk")


def ambassador_results(
    last_month: datetime.date, months: int = 12, scope: Scope = WHOLE_ORGANISATION
) -> list[dict]:
    """Submitted answers per question for each of the ``months`` months up to
    ``last_month`` (by the sample's month), on audits of teams in ``scope`` (the team
    the audit was allocated to), counted in the database, with each month's
    share answering yes and its change from the last month before it with answers (the
    trend)."""
    last_month = last_month.replace(day=1)
    first_month = add_months(last_month, -(months - 1))
    counts = {
        f"{question}__{answer}": Count("pk", filter=Q(**{question: answer}))
        for question, _text in AMBASSADOR_QUESTIONS
        for answer in ReviewAnswer.values
    }
    rows = {
        row["month"]: row
        for row in AmbassadorReview.objects.filter(
            scope.q("audit__team"),
            status=ReviewStatus.SUBMITTED,
            month__gte=first_month,
            month__lte=last_month,
        )
        .values("month")
        .annotate(total=Count("pk"), **counts)
        .order_by("month")
    }
    result = []
    for question, text in AMBASSADOR_QUESTIONS:
        previous = None
        by_month = []
        for n in range(months):
            month = add_months(first_month, n)
            row = rows.get(month)
            tally = {a: (row[f"{question}__{a}"] if row else 0) for a in ReviewAnswer.values}
            total = sum(tally.values())
            yes_pct = round(100 * tally["yes"] / total) if total else None
            change = yes_pct - previous if yes_pct is not None and previous is not None else None
            by_month.append(
                {
                    "month": month,
                    "label": month_label(month),
                    "total": total,
                    **tally,
                    "yes_pct": yes_pct,
                    "change": change,
                    "trend": _trend(change),
                }
            )
            if yes_pct is not None:
                previous = yes_pct
        result.append({"name": question, "question": text, "months": by_month})
    return result


def _trend(change: int | None) -> str:
    if change is None:
        return ""
    if change > 0:
        return "up"
    if change < 0:
        return "down"
    return "same"
