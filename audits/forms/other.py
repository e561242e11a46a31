"""Forms for the other audit types: dip samples and thematic audits, multi-agency audits
and direct observations of practice. Every message names its field."""

import datetime
import re

from crispy_forms_gds.layout import Button, Field, Fieldset, Fluid, Size
from django import forms
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, ServiceArea, Team, User
from accounts.permissions import is_head_of_service, is_leader, is_qa_lead
from common.forms import (
    MAX_YEAR,
    MIN_YEAR,
    GovDateField,
    date_messages,
    gds_helper,
    limited_text_formfield,
)

from ..models import (
    Grade,
    MultiAgencyAudit,
    ObservationSetting,
    PracticeObservation,
    SampleAudit,
    SampleKind,
)

# Messages, as constants the tests assert on.
ENTER_MONTH = "Enter the month and year, like 4 2026"
MONTH_NOT_REAL = "Enter the month as a real month, like 4 2026"
YEAR_NOT_REAL = "Enter the year as 4 numbers, like 2026"
YEAR_OUT_OF_RANGE = date_messages("the month")["year_range"]
MONTH_IN_FUTURE = "The month must be this month or earlier"
CHOOSE_KIND = "Select whether this is a dip sample or a thematic audit"
ENTER_TOPIC = "Enter the topic"
ENTER_RECORDS = "Enter the number of records sampled"
RECORDS_WHOLE = "Enter the number of records sampled as a whole number, like 20"
RECORDS_MIN = "The number of records sampled must be 1 or more"
CHOOSE_LEAD = "Select who led the audit"
CHOOSE_OWN_AREA = "Select your own service area, or leave it as council-wide"
ENTER_FINDINGS = "Enter the findings"
ENTER_AGENCIES = "Enter the agencies that took part, one on each line"
ENTER_FAMILIES = "Enter the number of families considered"
FAMILIES_WHOLE = "Enter the number of families considered as a whole number, like 6"
FAMILIES_MIN = "The number of families considered must be 1 or more"
CHOOSE_PRACTITIONER = "Select the practitioner who was observed"
CHOOSE_OBSERVER = "Select who observed the practice"
CHOOSE_TEAM = "Select the practitioner's team"
TEAM_OUTSIDE_AREA = "Select a team in your service area"
OBSERVED_ON = {"name": "the date of the observation", "example": "14 4 2026"}
ENTER_OBSERVED_ON = date_messages(**OBSERVED_ON)["required"]
OBSERVED_ON_NOT_REAL = date_messages(**OBSERVED_ON)["invalid"]
OBSERVED_ON_FUTURE = "The date of the observation must be today or in the past"
CHOOSE_SETTING = "Select where the observation took place"
CHOOSE_GRADE = "Select a grade for the observation"
ENTER_STRENGTHS = "Enter the strengths you observed"

LEAD_ROLES = [Role.AUDITOR, Role.QA_LEAD, Role.LEADER, Role.HEAD_OF_SERVICE]


class MonthInputWidget(forms.MultiWidget):
    """The GOV.UK date input with two boxes: month and year."""

    template_name = "gds/widgets/date.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                    "label": "Month",
                    "inputmode": "numeric",
                }
            ),
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                    "label": "Year",
                    "inputmode": "numeric",
                }
            ),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if value:
            return [value.month, value.year]
        return [None, None]


class MonthField(forms.MultiValueField):
    """A month and year, cleaned to the first day of the month; not in the future."""

    widget = MonthInputWidget

    def __init__(self, **kwargs):
        fields = (forms.CharField(), forms.CharField())
        super().__init__(
            fields=fields,
            require_all_fields=False,
            error_messages={"required": ENTER_MONTH, "incomplete": ENTER_MONTH},
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list or not all(data_list):
            if data_list and any(data_list):
                raise forms.ValidationError(ENTER_MONTH)
            return None
        month, year = (value.strip() for value in data_list)
        if not re.fullmatch(r"[0-9]{1,2}", month) or not 1 <= int(month) <= 12:
            raise forms.ValidationError(MONTH_NOT_REAL)
        if not re.fullmatch(r"[0-9]{4}", year):
            raise forms.ValidationError(YEAR_NOT_REAL)
        if not MIN_YEAR <= int(year) <= MAX_YEAR:
            raise forms.ValidationError(YEAR_OUT_OF_RANGE)
        first = datetime.date(int(year), int(month), 1)
        if first > timezone.localdate():
            raise forms.ValidationError(MONTH_IN_FUTURE)
        return first


def _people(roles):
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=roles)
        .distinct()
        .order_by("last_name", "first_name")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} ({obj.email})"


def _radios(field: forms.ChoiceField):
    field.choices = [c for c in field.choices if c[0] != ""]
    field.widget = forms.RadioSelect(choices=field.choices)


class SampleAuditForm(forms.ModelForm):
    month = MonthField(label="Month it was done", help_text="For example, 4 2026 for April 2026.")
    lead = PersonChoiceField(
        queryset=User.objects.none(),
        label="Who led it",
        error_messages={"required": CHOOSE_LEAD, "invalid_choice": CHOOSE_LEAD},
    )

    class Meta:
        model = SampleAudit
        formfield_callback = limited_text_formfield
        fields = [
            "kind",
            "topic",
            "month",
            "records_sampled",
            "lead",
            "service_area",
            "findings",
            "recommendations",
        ]
        labels = {
            "kind": "Type of audit",
            "topic": "Topic",
            "records_sampled": "Number of records sampled",
            "service_area": "Service area",
            "findings": "Findings",
            "recommendations": "Recommendations (optional)",
        }
        help_texts = {
            "topic": "For example, visits to children on child protection plans.",
            "service_area": "Leave as council-wide if the sample crossed service areas.",
        }
        error_messages = {
            "kind": {"required": CHOOSE_KIND, "invalid_choice": CHOOSE_KIND},
            "topic": {"required": ENTER_TOPIC},
            "records_sampled": {
                "required": ENTER_RECORDS,
                "invalid": RECORDS_WHOLE,
                "min_value": RECORDS_MIN,
            },
            "findings": {"required": ENTER_FINDINGS},
            "service_area": {"invalid_choice": CHOOSE_OWN_AREA},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        _radios(self.fields["kind"])
        self.fields["lead"].queryset = _people(LEAD_ROLES)
        self.fields["lead"].initial = user.pk
        records = self.fields["records_sampled"]
        records.min_value = None
        records.validators = []
        records.widget = forms.TextInput(attrs={"inputmode": "numeric"})
        areas = ServiceArea.objects.filter(is_active=True).order_by("name")
        if not (is_qa_lead(user) or is_leader(user)):
            areas = areas.filter(head_of_service=user)
        self.fields["service_area"].queryset = areas
        self.fields["service_area"].empty_label = "Council-wide"
        self.helper = gds_helper(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.text("topic", field_width=Fluid.TWO_THIRDS),
            Field("month"),
            Field.text("records_sampled", field_width=4),
            Field.select("lead"),
            Field.select("service_area"),
            Field.textarea("findings", rows=6),
            Field.textarea("recommendations", rows=4),
            Button("submit", "Save"),
        )

    def clean_records_sampled(self):
        value = self.cleaned_data["records_sampled"]
        if value is not None and value < 1:
            raise forms.ValidationError(RECORDS_MIN)
        return value


class MultiAgencyAuditForm(forms.ModelForm):
    month = MonthField(label="Month it was done", help_text="For example, 4 2026 for April 2026.")
    lead = PersonChoiceField(
        queryset=User.objects.none(),
        label="Who led it",
        error_messages={"required": CHOOSE_LEAD, "invalid_choice": CHOOSE_LEAD},
    )

    class Meta:
        model = MultiAgencyAudit
        formfield_callback = limited_text_formfield
        fields = [
            "topic",
            "month",
            "agencies",
            "families_considered",
            "lead",
            "findings",
            "recommendations",
        ]
        labels = {
            "topic": "Topic",
            "agencies": "Agencies that took part",
            "families_considered": "Number of families considered",
            "findings": "Findings",
            "recommendations": "Recommendations (optional)",
        }
        help_texts = {
            "topic": "For example, neglect, or children missing education.",
            "agencies": "One on each line, for example police, health visiting, schools.",
        }
        error_messages = {
            "topic": {"required": ENTER_TOPIC},
            "agencies": {"required": ENTER_AGENCIES},
            "families_considered": {
                "required": ENTER_FAMILIES,
                "invalid": FAMILIES_WHOLE,
                "min_value": FAMILIES_MIN,
            },
            "findings": {"required": ENTER_FINDINGS},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["lead"].queryset = _people(LEAD_ROLES)
        self.fields["lead"].initial = user.pk
        families = self.fields["families_considered"]
        families.min_value = None
        families.validators = []
        families.widget = forms.TextInput(attrs={"inputmode": "numeric"})
        self.helper = gds_helper(
            Field.text("topic", field_width=Fluid.TWO_THIRDS),
            Field("month"),
            Field.textarea("agencies", rows=5),
            Field.text("families_considered", field_width=4),
            Field.select("lead"),
            Field.textarea("findings", rows=6),
            Field.textarea("recommendations", rows=4),
            Button("submit", "Save"),
        )

    def clean_agencies(self):
        lines = [line.strip() for line in self.cleaned_data["agencies"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(ENTER_AGENCIES)
        return "\n".join(lines)

    def clean_families_considered(self):
        value = self.cleaned_data["families_considered"]
        if value is not None and value < 1:
            raise forms.ValidationError(FAMILIES_MIN)
        return value


class PracticeObservationForm(forms.ModelForm):
    practitioner = PersonChoiceField(
        queryset=User.objects.none(),
        label="Practitioner observed",
        error_messages={"required": CHOOSE_PRACTITIONER, "invalid_choice": CHOOSE_PRACTITIONER},
    )
    observer = PersonChoiceField(
        queryset=User.objects.none(),
        label="Observed by",
        error_messages={"required": CHOOSE_OBSERVER, "invalid_choice": CHOOSE_OBSERVER},
    )
    observed_on = GovDateField(
        **OBSERVED_ON, label="Date of the observation", help_text="For example, 14 4 2026."
    )
    grade = forms.ChoiceField(
        label="Grade",
        choices=[(g.value, g.label) for g in Grade if g != Grade.NOT_GRADED],
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_GRADE, "invalid_choice": CHOOSE_GRADE},
    )

    class Meta:
        model = PracticeObservation
        formfield_callback = limited_text_formfield
        fields = [
            "practitioner",
            "team",
            "observer",
            "observed_on",
            "setting",
            "grade",
            "strengths",
            "areas_for_development",
        ]
        labels = {
            "team": "Practitioner's team",
            "setting": "Where the observation took place",
            "strengths": "Strengths",
            "areas_for_development": "Areas for development (optional)",
        }
        error_messages = {
            "team": {"required": CHOOSE_TEAM, "invalid_choice": TEAM_OUTSIDE_AREA},
            "setting": {"required": CHOOSE_SETTING, "invalid_choice": CHOOSE_SETTING},
            "strengths": {"required": ENTER_STRENGTHS},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["practitioner"].queryset = (
            User.objects.filter(is_active=True, team__isnull=False)
            .filter(~Q(role_assignments__role=Role.AMBASSADOR))
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["observer"].queryset = _people(LEAD_ROLES)
        self.fields["observer"].initial = user.pk
        teams = Team.objects.filter(is_active=True).select_related("service_area")
        if not (is_qa_lead(user) or is_leader(user)) and is_head_of_service(user):
            teams = teams.filter(service_area__head_of_service=user)
        self.fields["team"].queryset = teams.order_by("service_area__name", "name")
        self.fields["team"].label_from_instance = lambda t: f"{t.name} ({t.service_area.name})"
        self.fields["team"].empty_label = "Select a team"
        _radios(self.fields["setting"])
        self.helper = gds_helper(
            Field.select("practitioner"),
            Field.select("team"),
            Field.select("observer"),
            Field("observed_on"),
            Field.radios("setting", legend_size=Size.SMALL),
            Field.radios("grade", legend_size=Size.SMALL, inline=True),
            Fieldset(
                Field.textarea("strengths", rows=5),
                Field.textarea("areas_for_development", rows=5),
            ),
            Button("submit", "Save"),
        )

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("observed_on")
        if day and day > timezone.localdate():
            self.add_error("observed_on", OBSERVED_ON_FUTURE)
        return cleaned


__all__ = [
    "MultiAgencyAuditForm",
    "ObservationSetting",
    "PracticeObservationForm",
    "SampleAuditForm",
    "SampleKind",
]
