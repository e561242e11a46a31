"""The life of an audit: drafting, submission, acceptance or return, replies.

Every function here is one transaction. Views, the API, tasks and commands call these
and nothing else to change an audit.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from common.bulk import insert_rows
from common.forms import TEXT_MAX_LENGTH, text_too_long
from outbox.services import email_plan

from ..extensions import form_section, form_sections
from ..models import (
    Answer,
    Audit,
    AuditEvent,
    AuditEventKind,
    AuditStatus,
    DomainGrading,
    Grade,
    GradeChange,
    GradeChangeStage,
    Involvement,
    NotSpokenReason,
    ProgrammeSettings,
    ProposedAction,
    QuestionKind,
    ReplyStance,
    SocialWorkerReply,
)
from ..models.audit import EDITABLE_STATUSES
from ..selectors import template_structure
from ..signals import audit_accepted, audit_submitted, final_grade_set

CHILD_SPEAKING_AGE = 4

# Messages, as constants the tests assert on.
NOT_EDITABLE = "This audit has been submitted and can no longer be changed."
EDITED_ELSEWHERE = (
    "This audit was changed in another window or by someone else since you opened it. "
    "Reload the page to see the latest version; your last changes were not saved."
)
RETURN_NEEDS_COMMENTS = "Enter comments for the auditor saying what needs to change"
NOT_SUBMITTED = "Only a submitted audit can be accepted or returned."
REPLY_NEEDS_TEXT = "Enter your reply"
REPLY_NEEDS_STANCE = "Select whether you agree, disagree or want to comment"

#: the most proposed actions one audit may have
MAX_PROPOSED_ACTIONS = 60
TOO_MANY_ACTIONS = (
    f"An audit can have at most {MAX_PROPOSED_ACTIONS} proposed actions: combine or remove some"
)
#: the most characters in the answer to a short-text question (long text: TEXT_MAX_LENGTH)
SHORT_ANSWER_MAX_LENGTH = 1000
ANSWER_NOT_AN_OPTION = "'{value}' is not an option for: {question}"
ANSWER_ONE_OPTION = "Give one option, as text, for: {question}"
ANSWER_OPTIONS_LIST = "Give a list of options, each as text, for: {question}"
ANSWER_ONLY_OPTIONS = "Choose only from the options for: {question}"
ANSWER_NUMBER = "Enter a number for: {question}"
ANSWER_TEXT = "Enter text for: {question}"

FIELD_LABELS = {
    "social_worker_involved": "whether the social worker took part",
    "team_manager_involved": "whether the team manager took part",
    "iro_involved": "whether the IRO or CP chair took part",
    "child_spoken_to": "whether the child was spoken to",
    "parent_carer_spoken_to": "whether a parent or carer was spoken to",
}

#: Audit fields that a draft may set directly
DRAFT_FIELDS = (
    "overall_grade",
    "overall_ri_band",
    "overall_rationale",
    "strengths",
    "areas_for_development",
    "social_worker_involved",
    "team_manager_involved",
    "iro_involved",
    "child_spoken_to",
    "child_not_spoken_reason",
    "parent_carer_spoken_to",
    "parent_not_spoken_reason",
)


class ConcurrentEditError(Exception):
    """The audit changed since the editor loaded it."""

    message = EDITED_ELSEWHERE


class AuditIncompleteError(Exception):
    def __init__(self, items: list[MissingItem]):
        super().__init__(f"{len(items)} items are missing")
        self.items = items


@dataclass(frozen=True)
class MissingItem:
    """Something the auditor must complete before submitting.

    ``section`` names the form page ("s<order>" for a template section, or one of
    "overall", "participation", "findings", "actions"); ``field`` is the HTML id of the
    input to link to.
    """

    section: str
    field: str
    message: str


def audit_log_event(*, audit: Audit, user: User | None, kind: str, note: str = "") -> None:
    AuditEvent.objects.create(audit=audit, user=user, kind=kind, note=note[:200])


def _lock(audit: Audit) -> Audit:
    return Audit.objects.select_for_update().get(pk=audit.pk)


# Drafting --------------------------------------------------------------------------


@transaction.atomic
def audit_save_draft(
    *, audit: Audit, user: User, data: dict, expected_version: int | None = None
) -> Audit:
    """Save part or all of a draft. Only the keys present in ``data`` change.

    ``data`` may hold ``fields`` (Audit fields in DRAFT_FIELDS), ``gradings``
    ({domain_id: {"grade", "ri_band", "evidence"}}), ``answers`` ({question_id:
    {"value", "comment"}}) and ``actions`` (the whole list of proposed actions, each
    {"text", "for_child_plan", "suggested_owner_id", "suggested_due"}) and ``sections``
    ({key: data} for sections other apps add, each saved by its ``save_draft``).
    Values are checked for type, not completeness: a draft may be incomplete.
    Raises ConcurrentEditError if ``expected_version`` is given and stale.
    """
    locked = _lock(audit)
    if locked.auditor_id != user.pk:
        raise PermissionDenied
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(NOT_EDITABLE)
    if expected_version is not None and expected_version != locked.lock_version:
        raise ConcurrentEditError
    template = template_structure(locked.template)
    domain_ids = {s.domain_id for s in template.sections.all() if s.domain_id}
    questions = {q.pk: q for s in template.sections.all() for q in s.questions.all()}

    fields = data.get("fields") or {}
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        if value:
            Audit._meta.get_field(name).clean(value, locked)
        setattr(locked, name, value or "")

    for domain_id, grading in (data.get("gradings") or {}).items():
        domain_id = int(domain_id)
        if domain_id not in domain_ids:
            raise ValidationError(
                {"gradings": f"Domain {domain_id} is not in this audit's template."}
            )
        values = {
            k: (grading.get(k) or "") for k in ("grade", "ri_band", "evidence") if k in grading
        }
        if values.get("grade"):
            DomainGrading._meta.get_field("grade").clean(values["grade"], None)
        if values.get("ri_band"):
            DomainGrading._meta.get_field("ri_band").clean(values["ri_band"], None)
        if values.get("grade") and values["grade"] != Grade.REQUIRES_IMPROVEMENT:
            values["ri_band"] = ""
        DomainGrading.objects.update_or_create(audit=locked, domain_id=domain_id, defaults=values)

    for question_id, answer in (data.get("answers") or {}).items():
        question = questions.get(int(question_id))
        if question is None:
            raise ValidationError(
                {"answers": f"Question {question_id} is not in this audit's template."}
            )
        value = answer.get("value")
        _check_answer_value(question, value)
        defaults = {"value": value}
        if "comment" in answer:
            defaults["comment"] = answer.get("comment") or ""
        Answer.objects.update_or_create(audit=locked, question=question, defaults=defaults)

    if "actions" in data:
        if len(data["actions"]) > MAX_PROPOSED_ACTIONS:
            raise ValidationError({"actions": TOO_MANY_ACTIONS})
        locked.proposed_actions.all().delete()
        ProposedAction.objects.bulk_create(
            ProposedAction(
                audit=locked,
                order=index,
                text=(action.get("text") or "").strip(),
                for_child_plan=bool(action.get("for_child_plan")),
                suggested_owner_id=action.get("suggested_owner_id") or None,
                suggested_due=action.get("suggested_due") or None,
            )
            for index, action in enumerate(data["actions"])
            if any(action.get(k) for k in ("text", "suggested_owner_id", "suggested_due"))
        )

    for key, section_data in (data.get("sections") or {}).items():
        section = form_section(key)
        if section is None:
            raise ValidationError(f"There is no '{key}' section in the audit form.")
        section.save_draft(audit=locked, user=user, data=section_data)

    first_save = locked.status == AuditStatus.ALLOCATED
    if first_save:
        locked.status = AuditStatus.IN_PROGRESS
        locked.started_at = timezone.now()
    locked.lock_version = F("lock_version") + 1
    locked.save()
    locked.refresh_from_db()
    if first_save:
        audit_log_event(audit=locked, user=user, kind=AuditEventKind.SAVED, note="First draft")
    return locked


def answer_max_length(question) -> int:
    return SHORT_ANSWER_MAX_LENGTH if question.kind == QuestionKind.SHORT_TEXT else TEXT_MAX_LENGTH


def _check_answer_value(question, value) -> None:
    """The value has the shape the question asks for: one option's key (text), a list
    of option keys, a number, or text no longer than answer_max_length."""
    if value is None or value == "" or value == []:
        return
    text = question.text
    allowed = {key for key, _ in question.options}
    if question.kind in (QuestionKind.YES_NO, QuestionKind.SINGLE_CHOICE):
        if not isinstance(value, str):
            raise ValidationError(ANSWER_ONE_OPTION.format(question=text))
        if value not in allowed:
            raise ValidationError(ANSWER_NOT_AN_OPTION.format(value=value, question=text))
    elif question.kind == QuestionKind.MULTIPLE_CHOICE:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(ANSWER_OPTIONS_LIST.format(question=text))
        if not set(value) <= allowed:
            raise ValidationError(ANSWER_ONLY_OPTIONS.format(question=text))
    elif question.kind == QuestionKind.NUMBER:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ValidationError(ANSWER_NUMBER.format(question=text))
    elif not isinstance(value, str):
        raise ValidationError(ANSWER_TEXT.format(question=text))
    elif len(value) > answer_max_length(question):
        raise ValidationError(text_too_long(f"the answer to ‘{text}’", answer_max_length(question)))


# Completeness ----------------------------------------------------------------------


def child_age_at_audit(audit: Audit) -> int | None:
    return audit.child.age_on(audit.month)


def audit_missing_items(audit: Audit) -> list[MissingItem]:
    """Everything that stops the audit being submitted, in form order."""
    settings = ProgrammeSettings.load()
    minimum = settings.evidence_min_length
    template = template_structure(audit.template)
    gradings = {g.domain_id: g for g in audit.gradings.all()}
    answers = {a.question_id: a for a in audit.answers.all()}
    items: list[MissingItem] = []

    for section in template.sections.all():
        key = f"s{section.order}"
        if section.domain_id:
            name = section.domain.name
            grading = gradings.get(section.domain_id)
            if grading is None or not grading.grade:
                items.append(
                    MissingItem(key, f"grade-{section.domain_id}", f"Choose a grade for {name}")
                )
            evidence = (grading.evidence if grading else "").strip()
            if not evidence:
                items.append(
                    MissingItem(
                        key,
                        f"evidence-{section.domain_id}",
                        f"Enter the evidence for the {name} grade",
                    )
                )
            elif len(evidence) < minimum:
                items.append(
                    MissingItem(
                        key,
                        f"evidence-{section.domain_id}",
                        f"The evidence for {name} must be at least {minimum} characters "
                        f"(it has {len(evidence)})",
                    )
                )
        for question in section.questions.all():
            answer = answers.get(question.pk)
            value = answer.value if answer else None
            if question.required and value in (None, "", []):
                items.append(MissingItem(key, f"q-{question.pk}", f"Answer: {question.text}"))
            elif (
                question.kind == QuestionKind.YES_NO
                and question.needs_comment
                and value not in (None, "", "not_applicable")
                and not (answer.comment or "").strip()
            ):
                items.append(
                    MissingItem(
                        key,
                        f"q-{question.pk}-comment",
                        f"Give the evidence for your answer to: {question.text}",
                    )
                )

    if not audit.overall_grade or audit.overall_grade == Grade.NOT_GRADED:
        items.append(MissingItem("overall", "overall_grade", "Choose the overall grade"))
    rationale = audit.overall_rationale.strip()
    if not rationale:
        items.append(
            MissingItem("overall", "overall_rationale", "Enter the reasons for the overall grade")
        )
    elif len(rationale) < minimum:
        items.append(
            MissingItem(
                "overall",
                "overall_rationale",
                f"The reasons for the overall grade must be at least {minimum} characters "
                f"(it has {len(rationale)})",
            )
        )

    items.extend(_participation_missing(audit))

    if not audit.strengths.strip():
        items.append(MissingItem("findings", "strengths", "Enter the strengths you found"))
    if not audit.areas_for_development.strip():
        items.append(
            MissingItem("findings", "areas_for_development", "Enter the areas for development")
        )

    for index, action in enumerate(audit.proposed_actions.all()):
        if not action.text:
            items.append(
                MissingItem(
                    "actions",
                    f"action-{index}-text",
                    f"Enter what must happen for proposed action {index + 1}",
                )
            )
    for section in form_sections():
        items.extend(section.missing_items(audit))
    return _in_form_order(items, template)


#: the sections of every form after the template's own, in order
FIXED_ORDER = ("overall", "participation", "findings", "actions")


def _in_form_order(items: list[MissingItem], template) -> list[MissingItem]:
    """The items ordered by the page they are on (the sections other apps add follow
    the section they name); items on one page keep their order."""
    order = [f"s{s.order}" for s in template.sections.all()]
    extensions = form_sections()
    for key in FIXED_ORDER:
        order.append(key)
        order += [e.key for e in extensions if e.after == key]
    rank = {key: index for index, key in enumerate(order)}
    return sorted(items, key=lambda item: rank.get(item.section, len(rank)))


def _participation_missing(audit: Audit) -> list[MissingItem]:
    items = []
    for name in ("social_worker_involved", "team_manager_involved", "iro_involved"):
        if not getattr(audit, name):
            items.append(MissingItem("participation", name, f"Select {FIELD_LABELS[name]}"))
    age = child_age_at_audit(audit)
    if not audit.child_spoken_to:
        items.append(
            MissingItem(
                "participation", "child_spoken_to", f"Select {FIELD_LABELS['child_spoken_to']}"
            )
        )
    elif (
        audit.child_spoken_to == Involvement.NOT_APPLICABLE
        and age is not None
        and age >= CHILD_SPEAKING_AGE
    ):
        items.append(
            MissingItem(
                "participation",
                "child_spoken_to",
                f"The child is {age}: select yes or no for whether they were spoken to, "
                "and if not, why",
            )
        )
    elif audit.child_spoken_to == Involvement.NO and not audit.child_not_spoken_reason:
        items.append(
            MissingItem(
                "participation",
                "child_not_spoken_reason",
                "Select why the child was not spoken to",
            )
        )
    if not audit.parent_carer_spoken_to:
        items.append(
            MissingItem(
                "participation",
                "parent_carer_spoken_to",
                f"Select {FIELD_LABELS['parent_carer_spoken_to']}",
            )
        )
    elif audit.parent_carer_spoken_to == Involvement.NO and not audit.parent_not_spoken_reason:
        items.append(
            MissingItem(
                "participation",
                "parent_not_spoken_reason",
                "Select why no parent or carer was spoken to",
            )
        )
    return items


# Submission and decision -----------------------------------------------------------


@transaction.atomic
def audit_submit(*, audit: Audit, user: User, today: datetime.date | None = None) -> Audit:
    """Submit a complete audit; an incomplete one raises AuditIncompleteError and
    changes nothing. The auditor's grades are recorded as the first grade changes."""
    locked = _lock(audit)
    if locked.auditor_id != user.pk:
        raise PermissionDenied
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(NOT_EDITABLE)
    missing = audit_missing_items(locked)
    if missing:
        raise AuditIncompleteError(missing)
    now = timezone.now()
    locked.status = AuditStatus.SUBMITTED
    locked.submitted_at = now
    locked.completed_on = today or timezone.localdate()
    if locked.started_at is None:
        locked.started_at = now
    locked.lock_version = F("lock_version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_record_grades(locked, user, GradeChangeStage.SUBMITTED)
    audit_log_event(audit=locked, user=user, kind=AuditEventKind.SUBMITTED)
    audit_submitted.send(sender=Audit, audit=locked, user=user)
    return locked


def audit_record_grades(audit: Audit, user: User | None, stage: str, reason: str = "") -> None:
    """Record each of the auditor's grades that differs from the last one recorded for
    them (all, the first time)."""
    audits_record_grades([audit], user, stage, reason=reason)


def audits_record_grades(
    audits: list[Audit],
    user: User | None,
    stage: str,
    reason: str = "",
    *,
    domain_grades: dict[int, dict[int, str]] | None = None,
    new: bool = False,
) -> None:
    """``audit_record_grades`` for many audits, in two queries. Their domains' grades
    are ``domain_grades`` (by audit id, then domain id) where the caller has them, else
    their prefetched gradings. ``new``: the audits were created just now, so no grade
    was recorded for them yet (one query). The changes are written without model
    instances (common.bulk)."""
    if not audits:
        return
    # Compared with the auditor's own line of grades: moderation's regrades are its own.
    last: dict[int, dict[int | None, str]] = {audit.pk: {} for audit in audits}
    changes = (
        []
        if new
        else (
            GradeChange.objects.filter(audit_id__in=list(last))
            .exclude(stage=GradeChangeStage.MODERATED)
            .order_by("audit_id", "changed_at", "pk")
            .values_list("audit_id", "domain_id", "new_grade")
        )
    )
    for audit_id, domain_id, grade in changes:
        last[audit_id][domain_id] = grade
    user_id = user.pk if user else None
    recorded = []
    for audit in audits:
        current: dict[int | None, str] = {None: audit.overall_grade}
        if domain_grades is not None:
            current.update(domain_grades[audit.pk])
        else:
            current.update({g.domain_id: g.grade for g in audit.gradings.all()})
        before = last[audit.pk]
        recorded.extend(
            {
                "audit_id": audit.pk,
                "domain_id": domain_id,
                "old_grade": before.get(domain_id, ""),
                "new_grade": grade,
                "stage": stage,
                "reason": reason,
                "changed_by_id": user_id,
            }
            for domain_id, grade in current.items()
            if before.get(domain_id) != grade
        )
    insert_rows(GradeChange, recorded)


@transaction.atomic
def audit_accept(*, audit: Audit, user: User) -> Audit:
    """The QA Lead accepts a submitted audit as completed to the accepted standard."""
    locked = _lock(audit)
    if not user.has_perm("audits.decide_audit", locked):
        if locked.status != AuditStatus.SUBMITTED:
            raise ValidationError(NOT_SUBMITTED)
        raise PermissionDenied
    locked.status = AuditStatus.ACCEPTED
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.lock_version = F("lock_version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_log_event(audit=locked, user=user, kind=AuditEventKind.ACCEPTED)
    audit_accepted.send(sender=Audit, audit=locked, user=user)
    final_grade_set.send(
        sender=Audit, audit=locked, grade=locked.overall_grade, previous_grade="", user=user
    )
    return locked


@transaction.atomic
def audit_return(*, audit: Audit, user: User, comments: str) -> Audit:
    """The QA Lead returns a submitted audit to its auditor, saying why."""
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError({"comments": RETURN_NEEDS_COMMENTS})
    locked = _lock(audit)
    if not user.has_perm("audits.decide_audit", locked):
        if locked.status != AuditStatus.SUBMITTED:
            raise ValidationError(NOT_SUBMITTED)
        raise PermissionDenied
    locked.status = AuditStatus.RETURNED
    locked.returned_at = timezone.now()
    locked.return_comments = comments
    locked.lock_version = F("lock_version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_log_event(audit=locked, user=user, kind=AuditEventKind.RETURNED)
    if locked.auditor and locked.auditor.email:
        url = reverse("audits:audit_form", args=[locked.pk])
        email_plan(
            "audit-returned",
            [locked.auditor.email],
            {"audit": locked, "auditor": locked.auditor, "path": url},
        )
    return locked


@transaction.atomic
def audit_reply(*, audit: Audit, user: User, stance: str, text: str) -> SocialWorkerReply:
    """The child's social worker replies to the findings of an accepted audit."""
    errors = {}
    if stance not in ReplyStance.values:
        errors["stance"] = REPLY_NEEDS_STANCE
    if not (text or "").strip():
        errors["text"] = REPLY_NEEDS_TEXT
    if errors:
        raise ValidationError(errors)
    audit = Audit.objects.select_related("child").get(pk=audit.pk)
    if not user.has_perm("audits.reply_to_audit", audit):
        raise PermissionDenied
    reply = SocialWorkerReply.objects.create(
        audit=audit, author=user, stance=stance, text=text.strip()
    )
    audit_log_event(audit=audit, user=user, kind=AuditEventKind.REPLIED)
    return reply


__all__ = [
    "CHILD_SPEAKING_AGE",
    "AuditIncompleteError",
    "ConcurrentEditError",
    "MissingItem",
    "NotSpokenReason",
    "audit_accept",
    "audit_log_event",
    "audit_missing_items",
    "audit_record_grades",
    "audit_reply",
    "audit_return",
    "audit_save_draft",
    "audit_submit",
]
