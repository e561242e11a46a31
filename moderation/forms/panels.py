"""Panels: creating one, adding and reassigning its audits."""

from __future__ import annotations

import datetime

from crispy_forms_gds.layout import Button, Field
from django import forms

from accounts.models import Role
from common.dates import add_months, month_start
from common.forms import GovDateField, date_messages, gds_helper, month_choices

from ..models import ModerationSettings
from ..selectors import active_with_role
from .common import ErrorLinksMixin, UserChoiceField, clean_month

PANEL_DATE = {"name": "the date the panel meets", "example": "12 5 2026"}
CHOOSE_MONTH = "Choose the month the panel moderates"
ENTER_PANEL_DATE = date_messages(**PANEL_DATE)["required"]
PANEL_DATE_INVALID = date_messages(**PANEL_DATE)["invalid"]
CHOOSE_CHAIR = "Choose the chair from the list"
ENTER_TARGET = "Enter the target share as a whole number from 0 to 100"
CHOOSE_AUDIT = "Choose an audit to add to the panel"
CHOOSE_MODERATOR = "Choose a moderator from the panel"


class PanelForm(ErrorLinksMixin, forms.Form):
    month = forms.TypedChoiceField(
        label="Month moderated",
        help_text="The month whose accepted audits the panel moderates.",
        coerce=clean_month,
        error_messages={"required": CHOOSE_MONTH, "invalid_choice": CHOOSE_MONTH},
    )
    date = GovDateField(**PANEL_DATE, label="Date the panel meets")
    chair = UserChoiceField(
        label="Chair",
        queryset=None,
        required=False,
        empty_label="No chair yet",
        error_messages={"invalid_choice": CHOOSE_CHAIR},
    )
    target_share = forms.IntegerField(
        label="Target share of accepted audits to moderate (%)",
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": ENTER_TARGET,
            "invalid": ENTER_TARGET,
            "min_value": ENTER_TARGET,
            "max_value": ENTER_TARGET,
        },
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(today, back=12, ahead=1, newest_first=True)
        self.fields["date"].help_text = f"For example, {today.day} {today.month} {today.year}"
        self.fields["chair"].queryset = active_with_role(Role.MODERATOR, Role.QA_LEAD)
        self.initial.setdefault("month", add_months(month_start(today), -1).isoformat())
        self.initial.setdefault("target_share", ModerationSettings.load().target_share)
        self.helper = gds_helper(
            Field.select("month"),
            Field("date"),
            Field.select("chair"),
            Field.text("target_share", field_width=3),
            Button("submit", "Create the panel"),
        )


class AddAuditForm(ErrorLinksMixin, forms.Form):
    audit = forms.TypedChoiceField(
        label="Audit", coerce=int, error_messages={"required": CHOOSE_AUDIT}
    )
    moderator = forms.TypedChoiceField(
        label="Moderator",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": CHOOSE_MODERATOR},
    )

    def __init__(self, *args, candidates: list[dict], moderators: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {c["audit"].pk: c["audit"] for c in candidates}
        self.fields["audit"].choices = [("", "Choose an audit")] + [
            (
                c["audit"].pk,
                f"{c['audit'].child.case_reference}, {c['audit'].team.name}, "
                f"{c['audit'].auditor or 'no auditor'}, {c['audit'].get_overall_grade_display()}"
                + (" (endorsed auditor)" if c["endorsed"] else ""),
            )
            for c in candidates
        ]
        self.fields["audit"].error_messages["invalid_choice"] = CHOOSE_AUDIT
        self.moderators = {m.pk: m for m in moderators}
        self.fields["moderator"].choices = [("", "Choose automatically")] + [
            (m.pk, str(m)) for m in moderators
        ]
        self.helper = gds_helper(
            Field.select("audit"), Field.select("moderator"), Button("submit", "Add to the panel")
        )

    def clean_audit(self):
        return self.candidates[self.cleaned_data["audit"]]

    def clean_moderator(self):
        pk = self.cleaned_data.get("moderator")
        return self.moderators[pk] if pk else None


class ReassignForm(ErrorLinksMixin, forms.Form):
    moderator = forms.TypedChoiceField(
        label="Reassign to",
        coerce=int,
        error_messages={"required": CHOOSE_MODERATOR, "invalid_choice": CHOOSE_MODERATOR},
    )

    def __init__(self, *args, moderators: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.moderators = {m.pk: m for m in moderators}
        self.fields["moderator"].choices = [("", "Choose a moderator")] + [
            (m.pk, str(m)) for m in moderators
        ]

    def clean_moderator(self):
        return self.moderators[self.cleaned_data["moderator"]]
