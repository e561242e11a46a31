"""The QA Lead's targets form, and the performance page's choice of period and area."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Fieldset, Size
from django import forms

from common.forms import gds_helper

from .models import Targets

PERCENT_FIELDS = [
    "completion_rate",
    "good_or_better",
    "inadequate_at_most",
    "actions_within_timescale",
    "child_spoken_to",
    "parent_carer_spoken_to",
    "social_worker_involved",
    "team_manager_involved",
    "iro_involved",
]
ENTER_PERCENT = "Enter the target for {label} as a whole number from 0 to 100"
ENTER_BASELINE = "Enter the baseline as a whole number of audits a month, from 0 to 10000"
ENTER_STRETCH = "Enter the stretch as a whole number of audits a month per team, from 0 to 100"
ENTER_MARGIN = "Enter the amber margin as a whole number of percentage points, from 0 to 50"


def _whole_number(message: str, low: int, high: int) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), message),
    )


class TargetsForm(forms.ModelForm):
    class Meta:
        model = Targets
        fields = [
            "audits_baseline",
            "audits_stretch_per_team",
            *PERCENT_FIELDS,
            "amber_points",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_fields = {f.name: f for f in Targets._meta.fields}
        limits = {
            "audits_baseline": (ENTER_BASELINE, 0, 10000),
            "audits_stretch_per_team": (ENTER_STRETCH, 0, 100),
            "amber_points": (ENTER_MARGIN, 0, 50),
        }
        for name in PERCENT_FIELDS:
            label = model_fields[name].verbose_name
            limits[name] = (ENTER_PERCENT.format(label=label), 0, 100)
        for name, (message, low, high) in limits.items():
            field = _whole_number(message, low, high)
            model_field = model_fields[name]
            suffix = " (%)" if name in PERCENT_FIELDS else ""
            field.label = model_field.verbose_name[:1].upper() + model_field.verbose_name[1:]
            field.label += suffix
            field.help_text = model_field.help_text
            self.fields[name] = field
        self.helper = gds_helper(
            Fieldset(
                Field.text("audits_baseline", field_width=5),
                Field.text("audits_stretch_per_team", field_width=5),
                legend="Audits completed",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                *(Field.text(name, field_width=3) for name in PERCENT_FIELDS),
                legend="Percentages",
                legend_size=Size.MEDIUM,
            ),
            Field.text("amber_points", field_width=3),
            Button("submit", "Save targets"),
        )
