"""Auditor-moderator pairings and endorsed auditors."""

from __future__ import annotations

import datetime

from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from common.dates import add_months, month_start
from common.forms import GovDateField, TextField, date_messages, gds_helper

from ..selectors import active_auditors
from .common import ErrorLinksMixin, UserChoiceField

PAIRINGS_START = {"name": "the date the pairings start", "example": "1 6 2026"}
ENTER_START_DATE = date_messages(**PAIRINGS_START)["required"]
START_DATE_INVALID = date_messages(**PAIRINGS_START)["invalid"]
CHOOSE_AUDITOR = "Choose an auditor"
CHOOSE_DECISION = "Choose whether this auditor is endorsed"
ENTER_OVERRIDE_REASON = "Enter the reason for this decision"


class PairingsForm(ErrorLinksMixin, forms.Form):
    starts_on = GovDateField(
        **PAIRINGS_START,
        label="Start date of the next period",
        help_text="Usually the first day of a month. Generating again for the same start "
        "date replaces that period's pairings.",
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("starts_on", add_months(month_start(today), 1))
        self.helper = gds_helper(Field("starts_on"), Button("submit", "Generate pairings"))


class EndorsementForm(ErrorLinksMixin, forms.Form):
    ENDORSE, NOT_ENDORSED, CLEAR = "endorse", "not_endorsed", "clear"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (ENDORSE, "Endorse: exempt from routine moderation"),
            (NOT_ENDORSED, "Do not endorse: always moderate"),
            (CLEAR, "Clear my decision: follow the run of agreed reviews"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_DECISION, "invalid_choice": CHOOSE_DECISION},
    )
    reason = TextField(
        name="the reason",
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        error_messages={"required": ENTER_OVERRIDE_REASON},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("reason", rows=3),
            Button("submit", "Save the decision"),
        )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") in (self.ENDORSE, self.NOT_ENDORSED)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", ENTER_OVERRIDE_REASON)
        return data


class ChooseAuditorForm(ErrorLinksMixin, forms.Form):
    auditor = UserChoiceField(
        label="Auditor",
        queryset=None,
        empty_label="Choose an auditor",
        error_messages={"required": CHOOSE_AUDITOR, "invalid_choice": CHOOSE_AUDITOR},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = active_auditors()
