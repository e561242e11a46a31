"""Feedback records: the rows of the audit form's section, and feedback recorded on its
own (a QA officer's call, a survey)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audits.models import Audit

from ..models import (
    AgeBand,
    Answer,
    Channel,
    Feedback,
    NotObtainedReason,
    Outcome,
    Respondent,
    Source,
    age_band_for,
)
from ..questions import QUESTION_FIELDS

#: rows of feedback one audit form may hold
MAX_ROWS = 20

# Messages, as constants the tests assert on. {n} is the row's number on the page.
NEEDS_RESPONDENT = "Select who gave feedback {n}, or who you tried to reach"
NEEDS_CHANNEL = "Select how feedback {n} was asked for"
NEEDS_DATE = "Enter the date of feedback {n}"
NEEDS_OUTCOME = "Select whether they gave feedback {n}"
NEEDS_REASON = "Select why no feedback was obtained for feedback {n}"
NEEDS_ATTEMPTS = "Enter how many attempts were made to reach them for feedback {n}"
NEEDS_OTHER_REASON = "Enter the other reason no feedback was obtained for feedback {n}"
NEEDS_SOMETHING = (
    "Feedback {n} has no answers: answer a question, give a score or write their comments"
)
DATE_IN_FUTURE = "The date of feedback {n} must be today or in the past"
CANNOT_RECORD = "You cannot record feedback for this audit."
CANNOT_RECORD_STATUS = "Feedback cannot be recorded for an audit that is {status}."
TOO_MANY_ROWS = f"An audit can hold at most {MAX_ROWS} rows of feedback."

#: statuses of an audit that take no feedback
CLOSED_STATUSES = ("proposed", "cancelled", "exempted")


@dataclass(frozen=True)
class Problem:
    field: str  # the row's field the message is about
    message: str


def row_problems(values: dict, n: int, *, today: datetime.date | None = None) -> list[Problem]:
    """What stops a row of feedback being complete, in page order. ``values`` holds the
    Feedback fields (``given_on`` a date or None)."""
    today = today or timezone.localdate()
    problems = []
    if not values.get("respondent"):
        problems.append(Problem("respondent", NEEDS_RESPONDENT.format(n=n)))
    if not values.get("channel"):
        problems.append(Problem("channel", NEEDS_CHANNEL.format(n=n)))
    given_on = values.get("given_on")
    if given_on is None:
        problems.append(Problem("date", NEEDS_DATE.format(n=n)))
    elif given_on > today:
        problems.append(Problem("date", DATE_IN_FUTURE.format(n=n)))
    outcome = values.get("outcome")
    if not outcome:
        problems.append(Problem("outcome", NEEDS_OUTCOME.format(n=n)))
    elif outcome == Outcome.NOT_OBTAINED:
        reason = values.get("not_obtained_reason")
        if not reason:
            problems.append(Problem("reason", NEEDS_REASON.format(n=n)))
        elif reason == NotObtainedReason.UNREACHABLE and not values.get("attempts"):
            problems.append(Problem("attempts", NEEDS_ATTEMPTS.format(n=n)))
        elif reason == NotObtainedReason.OTHER and not (values.get("reason_other") or "").strip():
            problems.append(Problem("reason_other", NEEDS_OTHER_REASON.format(n=n)))
    elif not _has_answers(values):
        problems.append(Problem("listened", NEEDS_SOMETHING.format(n=n)))
    return problems


def _has_answers(values: dict) -> bool:
    answered = any(values.get(f) not in (None, "", Answer.NOT_ANSWERED) for f in QUESTION_FIELDS)
    return (
        answered or values.get("score") is not None or bool((values.get("comments") or "").strip())
    )


def _check_choice(name: str, value, choices) -> None:
    if value not in ("", None) and value not in choices:
        raise ValidationError(f"'{value}' is not a choice for {name}.")


def normalised(values: dict, *, audit: Audit | None) -> dict:
    """The values of a row as they are stored: choices checked, and whatever the answers
    make meaningless cleared (no reasons for feedback given, no answers or consent for
    none, attempts only for the unreachable). A child's age band comes from the case's
    date of birth where it is known."""
    v = {
        "respondent": values.get("respondent") or "",
        "age_band": values.get("age_band") or "",
        "channel": values.get("channel") or "",
        "given_on": values.get("given_on"),
        "outcome": values.get("outcome") or "",
        "not_obtained_reason": values.get("not_obtained_reason") or "",
        "attempts": values.get("attempts"),
        "reason_other": (values.get("reason_other") or "").strip(),
        "score": values.get("score"),
        "comments": (values.get("comments") or "").strip(),
        "consent_to_quote": bool(values.get("consent_to_quote")),
    }
    for field in QUESTION_FIELDS:
        v[field] = values.get(field) or Answer.NOT_ANSWERED
        _check_choice(field, v[field], Answer.values)
    _check_choice("respondent", v["respondent"], Respondent.values)
    _check_choice("age band", v["age_band"], AgeBand.values)
    _check_choice("channel", v["channel"], Channel.values)
    _check_choice("outcome", v["outcome"], Outcome.values)
    _check_choice("reason", v["not_obtained_reason"], NotObtainedReason.values)
    if v["given_on"] is not None and not isinstance(v["given_on"], datetime.date):
        raise ValidationError("The date of feedback must be a date.")
    score = v["score"]
    if score is not None and (
        isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10
    ):
        raise ValidationError("A score is a whole number from 0 to 10.")
    attempts = v["attempts"]
    if attempts is not None and (
        isinstance(attempts, bool) or not isinstance(attempts, int) or not 1 <= attempts <= 99
    ):
        raise ValidationError("Attempts are a whole number from 1 to 99.")
    if len(v["comments"]) > 5000 or len(v["reason_other"]) > 500:
        raise ValidationError("The text is too long.")

    if v["respondent"] != Respondent.CHILD:
        v["age_band"] = ""
    elif audit is not None and audit.child.date_of_birth and v["given_on"]:
        v["age_band"] = age_band_for(audit.child.age_on(v["given_on"]))
    if v["outcome"] != Outcome.GIVEN:
        for field in QUESTION_FIELDS:
            v[field] = Answer.NOT_ANSWERED
        v.update(score=None, comments="", consent_to_quote=False)
    if v["outcome"] != Outcome.NOT_OBTAINED:
        v.update(not_obtained_reason="", attempts=None, reason_other="")
    if v["not_obtained_reason"] != NotObtainedReason.UNREACHABLE:
        v["attempts"] = None
    if v["not_obtained_reason"] != NotObtainedReason.OTHER:
        v["reason_other"] = ""
    return v


def _apply(feedback: Feedback, values: dict) -> None:
    """Set the row's values, keeping the consent key in step with consent: a new key when
    consent is given, and when it is withdrawn, the quotes picked from it go first."""
    for name, value in values.items():
        if name != "consent_to_quote":
            setattr(feedback, name, value)
    consent = values["consent_to_quote"]
    if consent and feedback.quote_key is None:
        feedback.quote_key = uuid.uuid4()
    elif not consent and feedback.quote_key is not None:
        feedback.quotes.all().delete()
        feedback.quote_key = None
    feedback.consent_to_quote = consent


def feedback_save_audit_rows(*, audit: Audit, user: User, rows: dict) -> None:
    """Save the rows of the audit form's feedback section: ``rows`` maps a row's position
    to its values, or to None for a row cleared on the page (which is deleted, with any
    quotes picked from it). Rows are drafts: they may be incomplete until the audit is
    submitted. Called by the audit form's save, inside its transaction, with the audit
    locked and checked editable by ``user``."""
    if len(rows) > MAX_ROWS:
        raise ValidationError(TOO_MANY_ROWS)
    existing = {f.position: f for f in audit.feedback.filter(source=Source.AUDIT_FORM)}
    for position, values in rows.items():
        position = int(position)
        if not 0 <= position < MAX_ROWS:
            raise ValidationError(TOO_MANY_ROWS)
        row = existing.get(position)
        if values is None:
            if row is not None:
                row.delete()
            continue
        clean = normalised(values, audit=audit)
        if row is None:
            row = Feedback(
                source=Source.AUDIT_FORM, audit=audit, position=position, team_id=audit.team_id
            )
        _apply(row, clean)
        row.recorded_by = user
        row.save()


def audit_rows(audit: Audit) -> list[Feedback]:
    return list(audit.feedback.filter(source=Source.AUDIT_FORM).order_by("position"))


def may_record(user: User, audit: Audit) -> bool:
    return user.has_perm("feedback.record_feedback", audit)


@transaction.atomic
def feedback_record(*, audit: Audit, user: User, values: dict) -> Feedback:
    """Record feedback on its own (a call or a survey) against an audit. It must be
    complete; problems are raised as a ValidationError keyed by field."""
    audit = Audit.objects.select_related("child", "team").get(pk=audit.pk)
    if not user.has_perm("feedback.record_feedback", audit):
        if audit.status in CLOSED_STATUSES:
            raise ValidationError(
                CANNOT_RECORD_STATUS.format(status=audit.get_status_display().lower())
            )
        raise PermissionDenied(CANNOT_RECORD)
    clean = normalised(values, audit=audit)
    problems = row_problems(clean, 1)
    if problems:
        raise ValidationError({p.field: p.message for p in problems})
    feedback = Feedback(
        source=Source.RECORDED, audit=audit, team_id=audit.team_id, recorded_by=user
    )
    _apply(feedback, clean)
    feedback.save()
    return feedback


@transaction.atomic
def feedback_withdraw_consent(*, feedback: Feedback, user: User) -> Feedback:
    """The family no longer agrees to be quoted: the quotes picked from their words are
    deleted and no quote can be picked again."""
    locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if not user.has_perm("feedback.manage_quotes"):
        raise PermissionDenied
    if locked.consent_to_quote:
        locked.quotes.all().delete()
        locked.consent_to_quote = False
        locked.quote_key = None
        locked.save(update_fields=["consent_to_quote", "quote_key", "updated_at"])
    return locked
