"""Retention: after the council's chosen number of years, a child's records are
anonymised, and their history with them.

What is removed is what could identify a child or tell their story: the free text of
audits, gradings, answers, moderation, replies, Ambassadors' reviews, feedback, actions
and Cases of Concern; and, once a closed child's last audit has passed its period, the
child's case reference (replaced by ``ANON-<id>``) and allocated social worker. Grades,
dates, teams, choices and counts stay, so every figure, dashboard and published report
is the same before and after. The history rows of each anonymised record lose the same
text, so no older version keeps what the record no longer holds.

``apply_retention`` is idempotent: a record already anonymised is not touched again,
and a second run the same day changes nothing. Each run is recorded (``RetentionRun``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from actions.models import Action, ActionUpdate, CaseOfConcern, CaseUpdate, ReauditProposal
from audits.models import (
    Answer,
    Audit,
    AuditEvent,
    AuditEventKind,
    Child,
    DomainGrading,
    GradeChange,
    ProposedAction,
    QuestionKind,
    SocialWorkerReply,
)
from feedback.models import AmbassadorReview, Feedback
from moderation.models import LoopedAudit, ModerationReview, ReviewDomainGrade, ReviewEvent

from .models import RetentionRun, RetentionSettings

ANONYMOUS_PREFIX = "ANON-"
TEXT_QUESTIONS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


@dataclass(frozen=True)
class Rule:
    """Some fields of one model, blanked for the rows that lead to an old record."""

    model: type
    path: str  # from the model to the old record ("pk" for the record itself)
    blanks: dict
    where: Q = field(default_factory=Q)


def _years_before(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def old_audits(cutoff: datetime.date) -> QuerySet:
    """Audits completed before ``cutoff``, or never completed and of a month before it."""
    return Audit.objects.filter(
        Q(completed_on__lt=cutoff) | Q(completed_on__isnull=True, month__lt=cutoff)
    )


def old_feedback(cutoff: datetime.date) -> QuerySet:
    return Feedback.objects.filter(
        Q(given_on__lt=cutoff) | Q(given_on__isnull=True, created_at__date__lt=cutoff)
    )


def old_actions(cutoff: datetime.date) -> QuerySet:
    return Action.objects.filter(raised_on__lt=cutoff)


def old_cases(cutoff: datetime.date) -> QuerySet:
    """Cases of Concern resolved before ``cutoff`` (an open case is never old)."""
    return CaseOfConcern.objects.filter(resolved_on__lt=cutoff)


#: for each kind of record: how to find the old ones, and what each model loses
AUDIT_RULES = [
    Rule(
        Audit,
        "pk",
        {
            "allocation_note": "",
            "overall_rationale": "",
            "strengths": "",
            "areas_for_development": "",
            "return_comments": "",
        },
    ),
    Rule(DomainGrading, "audit", {"evidence": ""}),
    Rule(Answer, "audit", {"comment": ""}),
    Rule(Answer, "audit", {"value": None}, Q(question__kind__in=TEXT_QUESTIONS)),
    Rule(ProposedAction, "audit", {"text": ""}),
    Rule(SocialWorkerReply, "audit", {"text": ""}),
    Rule(GradeChange, "audit", {"reason": ""}),
    Rule(AuditEvent, "audit", {"note": ""}, ~Q(kind=AuditEventKind.VIEWED)),
    Rule(ModerationReview, "audit", {"rationale": "", "feedback": ""}),
    Rule(ReviewDomainGrade, "review__audit", {"rationale": ""}),
    Rule(ReviewEvent, "review__audit", {"reason": ""}),
    Rule(LoopedAudit, "first", {"outcome": ""}),
    Rule(ReauditProposal, "audit", {"dismiss_reason": ""}),
    Rule(
        AmbassadorReview,
        "audit",
        {
            "hidden_names": "",
            "hidden_places": "",
            "relationship_comments": "",
            "summary_comments": "",
            "views_comments": "",
            "likes_comments": "",
            "language_comments": "",
            "overall_comments": "",
        },
    ),
]
FEEDBACK_RULES = [Rule(Feedback, "pk", {"comments": "", "reason_other": ""})]
ACTION_RULES = [
    Rule(Action, "pk", {"text": ""}),
    Rule(ActionUpdate, "action", {"note": ""}),
]
CASE_RULES = [Rule(CaseUpdate, "case", {"notes": ""})]

#: (the setting giving the years, the old records, their rules), for each kind
KINDS = [
    ("audit_years", old_audits, AUDIT_RULES),
    ("feedback_years", old_feedback, FEEDBACK_RULES),
    ("action_years", old_actions, ACTION_RULES),
    ("action_years", old_cases, CASE_RULES),
]


def _not_blank(blanks: dict) -> Q:
    condition = Q()
    for name, blank in blanks.items():
        condition |= Q(**{f"{name}__isnull": False}) if blank is None else ~Q(**{name: blank})
    return condition


def _history_of(model):
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name).model if name else None


def _blank(rows: QuerySet, blanks: dict) -> int:
    """Blank the fields of ``rows``, and of every history row of them."""
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return 0
    model = rows.model
    model._base_manager.filter(pk__in=ids).update(**blanks)
    historical = _history_of(model)
    if historical is not None:
        historical.objects.filter(id__in=ids).update(**blanks)
    return len(ids)


def _anonymise_children(cutoff: datetime.date) -> int:
    """Closed children with no audit after ``cutoff`` and no open Case of Concern lose
    their case reference and social worker, here and in their history."""
    recent = Audit.objects.exclude(pk__in=old_audits(cutoff).values("pk"))
    open_cases = CaseOfConcern.objects.filter(resolved_on__isnull=True)
    children = (
        Child.objects.filter(is_open=False)
        .exclude(case_reference__startswith=ANONYMOUS_PREFIX)
        .exclude(pk__in=recent.values("child_id"))
        .exclude(pk__in=open_cases.values("child_id"))
    )
    ids = list(children.values_list("pk", flat=True))
    if not ids:
        return 0
    blanks = {
        "case_reference": Concat(Value(ANONYMOUS_PREFIX), F("id")),
        "social_worker": None,
        "sex": "",
        "ethnicity": "",
    }
    Child.objects.filter(pk__in=ids).update(**blanks)
    _history_of(Child).objects.filter(id__in=ids).update(**blanks)
    return len(ids)


@transaction.atomic
def apply_retention(*, today: datetime.date | None = None) -> RetentionRun:
    """Anonymise every record past its period; returns the run, with what it changed."""
    today = today or timezone.localdate()
    settings = RetentionSettings.load()
    counts: dict[str, int] = {}
    for setting, old, rules in KINDS:
        cutoff = _years_before(today, getattr(settings, setting))
        anchors = old(cutoff).values("pk")
        for rule in rules:
            rows = rule.model._base_manager.filter(
                Q(**{f"{rule.path}__in": anchors}) & rule.where & _not_blank(rule.blanks)
            )
            changed = _blank(rows, rule.blanks)
            if changed:
                key = rule.model._meta.label_lower
                counts[key] = counts.get(key, 0) + changed
    children = _anonymise_children(_years_before(today, settings.case_record_years))
    if children:
        counts["audits.child"] = children
    return RetentionRun.objects.create(day=today, counts=counts)
