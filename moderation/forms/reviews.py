"""The review screen and unlocking a final review."""

from __future__ import annotations

from django import forms

from audits.models import GRADED, Grade
from common.forms import TextField

from ..models import DowngradeReason
from ..services import CHOOSE_DOMAIN, CHOOSE_OVERALL, REASON_NEEDED
from .common import ErrorLinksMixin


def grade_label(grade: str) -> str:
    return Grade(grade).label if grade in Grade.values else "Not recorded"


class ReviewForm(forms.Form):
    """The moderator's grades, rationales, feedback and reasons.

    Field names match the ids the error summary links to: ``moderated_grade``,
    ``rationale``, ``domain-<id>``, ``domain-<id>-rationale``, ``reasons``. Whether a
    change needs a rationale is the service's rule (review_problems) on "Mark as done".
    """

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    moderated_grade = forms.ChoiceField(
        choices=[(g.value, g.label) for g in GRADED],
        required=False,
        error_messages={"invalid_choice": CHOOSE_OVERALL},
    )
    rationale = TextField(name="the rationale for the overall grade", required=False)
    feedback = TextField(name="the feedback for the auditor", required=False)
    reasons = forms.MultipleChoiceField(
        choices=DowngradeReason.choices,
        required=False,
        error_messages={"invalid_choice": REASON_NEEDED},
    )

    def __init__(self, *args, review, domains: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        self.domains = domains
        for entry in domains:
            domain = entry["domain"]
            self.fields[f"domain-{domain.pk}"] = forms.ChoiceField(
                choices=[(g.value, g.label) for g in Grade],
                required=False,
                error_messages={"invalid_choice": CHOOSE_DOMAIN.format(domain=domain.name)},
            )
            self.fields[f"domain-{domain.pk}-rationale"] = TextField(
                name=f"the rationale for {domain.name}", required=False
            )

    @classmethod
    def initial_for(cls, review, domains: list[dict]) -> dict:
        """The saved values; where nothing is saved yet, the auditor's grades (agree)."""
        initial = {
            "lock_version": review.lock_version,
            "moderated_grade": review.moderated_grade or review.original_grade,
            "rationale": review.rationale,
            "feedback": review.feedback,
        }
        for entry in domains:
            row = entry["row"]
            initial[f"domain-{row.domain_id}"] = row.moderated_grade or row.original_grade
            initial[f"domain-{row.domain_id}-rationale"] = row.rationale
        return initial

    def domain_grades(self) -> dict[int, tuple[str, str]]:
        return {
            entry["domain"].pk: (
                self.cleaned_data.get(f"domain-{entry['domain'].pk}", ""),
                self.cleaned_data.get(f"domain-{entry['domain'].pk}-rationale", ""),
            )
            for entry in self.domains
        }

    def value(self, name: str):
        """The value to show in the input: what was typed, else the initial value."""
        if self.is_bound:
            if name == "reasons":
                return self.data.getlist("reasons")
            return self.data.get(name, "")
        return self.initial.get(name, [] if name == "reasons" else "")


class UnlockForm(ErrorLinksMixin, forms.Form):
    reason = TextField(
        name="the reason for unlocking",
        label="Why are you unlocking this review?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
