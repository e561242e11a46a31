"""Looped (double) audits: creating one, and the panel's conclusion."""

from __future__ import annotations

import datetime

from crispy_forms_gds.layout import Button, Field, Fluid
from django import forms

from audits.models import AuditTemplate, Child
from common.dates import month_start
from common.forms import GovDateField, TextField, date_messages, gds_helper, month_choices

from ..selectors import active_auditors
from .common import ErrorLinksMixin, UserChoiceField, clean_month

LOOP_DUE_DATE = {"name": "the due date", "example": "30 6 2026"}
CHOOSE_LOOP_FIRST = "Choose the first auditor"
CHOOSE_LOOP_SECOND = "Choose the second auditor"
ENTER_CASE_REFERENCE = "Enter the child's case reference"
UNKNOWN_CASE_REFERENCE = "No child has the case reference {reference}: check it and enter it again"
CHOOSE_TEMPLATE = "Choose the audit template"
CHOOSE_LOOP_MONTH = "Choose the month of the audits"
DUE_DATE_INVALID = date_messages(**LOOP_DUE_DATE)["invalid"]


class LoopOutcomeForm(ErrorLinksMixin, forms.Form):
    outcome = TextField(
        name="what the panel concluded",
        label="What the panel concluded",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class LoopForm(ErrorLinksMixin, forms.Form):
    case_reference = forms.CharField(
        label="Child's case reference",
        max_length=40,
        error_messages={"required": ENTER_CASE_REFERENCE},
    )
    first_auditor = UserChoiceField(
        label="First auditor",
        queryset=None,
        empty_label="Choose an auditor",
        error_messages={"required": CHOOSE_LOOP_FIRST, "invalid_choice": CHOOSE_LOOP_FIRST},
    )
    second_auditor = UserChoiceField(
        label="Second auditor",
        queryset=None,
        empty_label="Choose an auditor",
        error_messages={"required": CHOOSE_LOOP_SECOND, "invalid_choice": CHOOSE_LOOP_SECOND},
    )
    template = forms.ModelChoiceField(
        label="Audit template",
        queryset=None,
        empty_label="Choose a template",
        error_messages={"required": CHOOSE_TEMPLATE, "invalid_choice": CHOOSE_TEMPLATE},
    )
    month = forms.TypedChoiceField(
        label="Month of the audits",
        coerce=clean_month,
        error_messages={"required": CHOOSE_LOOP_MONTH, "invalid_choice": CHOOSE_LOOP_MONTH},
    )
    due_date = GovDateField(
        **LOOP_DUE_DATE,
        label="Due date",
        required=False,
        help_text="Leave empty for the last day of the month.",
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        auditors = active_auditors()
        self.fields["first_auditor"].queryset = auditors
        self.fields["second_auditor"].queryset = auditors
        self.fields["template"].queryset = AuditTemplate.objects.filter(is_active=True)
        self.fields["month"].choices = month_choices(today, ahead=3, newest_first=True)
        self.initial.setdefault("month", month_start(today).isoformat())
        self.helper = gds_helper(
            Field.text("case_reference", field_width=Fluid.ONE_THIRD),
            Field.select("first_auditor"),
            Field.select("second_auditor"),
            Field.select("template"),
            Field.select("month"),
            Field("due_date"),
            Button("submit", "Create the looped audit"),
        )

    def clean_case_reference(self):
        reference = self.cleaned_data["case_reference"].strip().upper()
        child = Child.objects.filter(case_reference__iexact=reference).first()
        if child is None:
            raise forms.ValidationError(UNKNOWN_CASE_REFERENCE.format(reference=reference))
        self.child = child
        return reference
