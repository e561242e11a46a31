"""A row of feedback as form fields: the audit form's section and the page for feedback
recorded on its own draw the same inputs, with the same ids and messages.

Inputs of row ``n`` are named ``fb-<n>-<field>``; ``row_values`` reads them back as the
values ``feedback.services.records`` takes.
"""

from __future__ import annotations

import datetime

from django import forms

from audits.forms.audit_form import Field, SectionForm
from common.forms import is_digits

from ..models import AgeBand, Answer, Channel, NotObtainedReason, Outcome, Respondent
from ..questions import QUESTIONS

RESPONDENT_OPTIONS = [("", "Select who")] + Respondent.choices
CHANNEL_OPTIONS = [(c.value, c.label) for c in Channel if c != Channel.FAMILY_LINK]
OUTCOME_OPTIONS = [
    (Outcome.GIVEN, "Yes, they gave feedback"),
    (Outcome.NOT_OBTAINED, "No, none was obtained"),
]
CONSENT_OPTIONS = [("yes", "Yes"), ("no", "No")]
AGE_OPTIONS = [("", "Not known")] + AgeBand.choices


def _text(max_length: int, label: str) -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=max_length,
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _choice(options, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=options,
        required=False,
        error_messages={"invalid_choice": f"Choose one of the options for: {label}"},
    )


class FeedbackRowsMixin:
    """For a form with ``fields``; adds and reads rows of feedback."""

    # Drawing helpers borrowed from the audit form's pages, so the inputs look alike.
    choices_field = SectionForm.choices_field
    text_field = SectionForm.text_field
    _value = SectionForm._value
    _error = SectionForm._error

    def add_row_fields(self, n: int, number: int) -> None:
        p = f"fb-{n}"
        f = self.fields
        f[f"{p}-respondent"] = _choice(RESPONDENT_OPTIONS, f"who gave feedback {number}")
        f[f"{p}-age_band"] = _choice(AGE_OPTIONS, f"the age of the child in feedback {number}")
        f[f"{p}-channel"] = _choice(CHANNEL_OPTIONS, f"how feedback {number} was asked for")
        for part in ("day", "month", "year"):
            f[f"{p}-date-{part}"] = forms.CharField(required=False, max_length=4, strip=True)
        f[f"{p}-outcome"] = _choice(OUTCOME_OPTIONS, f"whether they gave feedback {number}")
        f[f"{p}-reason"] = _choice(NotObtainedReason.choices, f"why none was obtained ({number})")
        f[f"{p}-attempts"] = _text(2, f"The attempts for feedback {number}")
        f[f"{p}-reason_other"] = _text(500, f"The other reason for feedback {number}")
        for q in QUESTIONS:
            f[f"{p}-{q.field}"] = _choice(Answer.choices, f"{q.staff.lower()} ({number})")
        f[f"{p}-score"] = _text(2, f"The score for feedback {number}")
        f[f"{p}-comments"] = _text(5000, f"The comments in feedback {number}")
        f[f"{p}-consent"] = _choice(CONSENT_OPTIONS, f"consent to quote feedback {number}")

    @staticmethod
    def row_initial(n: int, feedback) -> dict:
        p = f"fb-{n}"
        if feedback is None:
            return {}
        given = feedback.given_on
        initial = {
            f"{p}-respondent": feedback.respondent,
            f"{p}-age_band": feedback.age_band,
            f"{p}-channel": feedback.channel,
            f"{p}-date-day": str(given.day) if given else "",
            f"{p}-date-month": str(given.month) if given else "",
            f"{p}-date-year": str(given.year) if given else "",
            f"{p}-outcome": feedback.outcome,
            f"{p}-reason": feedback.not_obtained_reason,
            f"{p}-attempts": "" if feedback.attempts is None else str(feedback.attempts),
            f"{p}-reason_other": feedback.reason_other,
            f"{p}-score": "" if feedback.score is None else str(feedback.score),
            f"{p}-comments": feedback.comments,
            f"{p}-consent": "yes" if feedback.consent_to_quote else "",
        }
        for q in QUESTIONS:
            value = getattr(feedback, q.field)
            initial[f"{p}-{q.field}"] = "" if value == Answer.NOT_ANSWERED else value
        if feedback.outcome == Outcome.GIVEN and not feedback.consent_to_quote:
            initial[f"{p}-consent"] = "no"
        return initial

    def row_is_empty(self, n: int) -> bool:
        data = self.cleaned_data
        return not any(v for k, v in data.items() if k.startswith(f"fb-{n}-"))

    def _number(self, name: str, low: int, high: int, message: str) -> int | None:
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            return None
        if not is_digits(text) or len(text) > 6 or not low <= int(text) <= high:
            self.add_error(name, message)
            return None
        return int(text)

    def _date(self, n: int, number: int) -> datetime.date | None:
        p = f"fb-{n}-date"
        parts = [self.cleaned_data.get(f"{p}-{x}") or "" for x in ("day", "month", "year")]
        if not any(parts):
            return None
        label = f"The date of feedback {number}"
        missing = [x for x, v in zip(("day", "month", "year"), parts, strict=True) if not v]
        if missing:
            self.add_error(f"{p}-day", f"{label} must include a {missing[0]}")
            return None
        try:
            day, month, year = (int(x) for x in parts)
            if not 2000 <= year <= 2999:
                raise ValueError
            return datetime.date(year, month, day)
        except ValueError:
            self.add_error(f"{p}-day", f"{label} must be a real date")
            return None

    def row_values(self, n: int, number: int) -> dict:
        """The row's values as the services take them (call after is_valid's clean)."""
        p = f"fb-{n}"
        data = self.cleaned_data
        values = {
            "respondent": data.get(f"{p}-respondent", ""),
            "age_band": data.get(f"{p}-age_band", ""),
            "channel": data.get(f"{p}-channel", ""),
            "given_on": self._date(n, number),
            "outcome": data.get(f"{p}-outcome", ""),
            "not_obtained_reason": data.get(f"{p}-reason", ""),
            "attempts": self._number(
                f"{p}-attempts",
                1,
                99,
                f"Enter the attempts to reach them for feedback {number} as a number from 1 to 99",
            ),
            "reason_other": data.get(f"{p}-reason_other", ""),
            "score": self._number(
                f"{p}-score",
                0,
                10,
                f"Enter the score for feedback {number} as a number from 0 to 10",
            ),
            "comments": data.get(f"{p}-comments", ""),
            "consent_to_quote": data.get(f"{p}-consent") == "yes",
        }
        for q in QUESTIONS:
            values[q.field] = data.get(f"{p}-{q.field}") or Answer.NOT_ANSWERED
        return values

    def row_layout(self, n: int, number: int, *, legend: str = "") -> Field:
        p = f"fb-{n}"
        respondent = self.choices_field(f"{p}-respondent", "Who", RESPONDENT_OPTIONS)
        respondent.kind = "select"
        respondent.value = str(self._value(f"{p}-respondent"))
        respondent.hint = "The person who gave feedback, or who you tried to reach."
        age = self.choices_field(f"{p}-age_band", "Age of a child or young person", AGE_OPTIONS)
        age.kind = "select"
        age.value = str(self._value(f"{p}-age_band"))
        age.hint = "Filled in from the child's date of birth when the case record has it."
        channel = self.choices_field(f"{p}-channel", "How was it asked for?", CHANNEL_OPTIONS)
        date = Field(
            kind="date",
            id=f"{p}-date",
            label="Date",
            hint="The day they gave feedback, or the last attempt. For example, 27 3 2026",
            error=self._error(f"{p}-date-day"),
            children=[
                Field(
                    kind="input",
                    id=f"{p}-date-{part}",
                    name=f"{p}-date-{part}",
                    label=part.capitalize(),
                    value=self._value(f"{p}-date-{part}"),
                    width=4 if part == "year" else 2,
                )
                for part in ("day", "month", "year")
            ],
        )
        attempts = self.text_field(f"{p}-attempts", "How many attempts?", kind="number")
        other = self.text_field(f"{p}-reason_other", "What was the reason?", kind="input")
        reason = self.choices_field(
            f"{p}-reason",
            "Why was no feedback obtained?",
            NotObtainedReason.choices,
            conditionals={
                NotObtainedReason.UNREACHABLE: [attempts],
                NotObtainedReason.OTHER: [other],
            },
        )
        answers = [
            self.choices_field(f"{p}-{q.field}", q.staff, Answer.choices, small=True)
            for q in QUESTIONS
        ]
        for field in answers:
            field.kind = "radios"
        score = self.text_field(
            f"{p}-score",
            "Score out of 10 (optional)",
            kind="number",
            hint="0 is worst, 10 is best.",
        )
        comments = self.text_field(
            f"{p}-comments",
            "Their comments (optional)",
            hint="In their own words where you can.",
            rows=4,
        )
        consent = self.choices_field(
            f"{p}-consent",
            "Did they agree to be quoted anonymously?",
            CONSENT_OPTIONS,
            small=True,
        )
        outcome = self.choices_field(
            f"{p}-outcome",
            "Did they give feedback?",
            OUTCOME_OPTIONS,
            conditionals={
                Outcome.GIVEN: [*answers, score, comments, consent],
                Outcome.NOT_OBTAINED: [reason],
            },
        )
        return Field(
            kind="group",
            id=p,
            label=legend or f"Feedback {number}",
            size="m",
            children=[respondent, age, channel, date, outcome],
        )
