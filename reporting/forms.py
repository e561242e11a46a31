"""The QA Lead's targets form, and the QA reports' forms: generating a report and
writing its draft's text."""

from __future__ import annotations

import datetime

from crispy_forms_gds.layout import (
    Button,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fieldset,
    Size,
)
from django import forms
from django.db.models import Min

from accounts.models import ServiceArea
from audits.models import Audit
from common.dates import financial_year, financial_year_start, quarter, quarter_of
from common.forms import GovDateField, TextField, gds_helper

from . import services
from .models import ReportKind, Targets

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


# QA reports -------------------------------------------------------------------------

#: the furthest back the choice of quarters and years goes, in financial years
YEARS_OFFERED = 10
CHOOSE_KIND = "Choose the kind of report: quarterly, annual or a date range"
CHOOSE_QUARTER = "Choose the quarter to report on"
CHOOSE_QUARTER_LISTED = "Choose a quarter from the list"
CHOOSE_YEAR = "Choose the financial year to report on"
CHOOSE_YEAR_LISTED = "Choose a financial year from the list"
CHOOSE_SCOPE = "Choose the whole organisation or a service area from the list"
WHOLE_ORGANISATION = "The whole organisation"
#: the fields that belong to each kind of report (the others are hidden and ignored)
PERIOD_FIELDS = {
    ReportKind.QUARTERLY: ("quarter",),
    ReportKind.ANNUAL: ("year",),
    ReportKind.RANGE: ("start", "end"),
}
NARRATIVE_FIELDS = ("strengths", "areas_for_learning", "our_response")


def _year_name(start_year: int) -> str:
    """The name services.parse_period reads: 2026-27."""
    return f"{start_year}-{str(start_year + 1)[-2:]}"


def period_choices(today: datetime.date) -> tuple[list, list]:
    """(quarters, years) that have started, latest first, as (name, label), from the
    financial year of the first audit (at most YEARS_OFFERED years back). One query."""
    this_year = financial_year_start(today)
    first_month = Audit.objects.aggregate(first=Min("month"))["first"]
    first_year = financial_year_start(first_month) if first_month else this_year
    first_year = max(min(first_year, this_year), this_year - YEARS_OFFERED + 1)
    quarters, years = [], []
    current = quarter_of(today)
    for start_year in range(this_year, first_year - 1, -1):
        years.append((_year_name(start_year), financial_year(start_year).label))
        for number in (4, 3, 2, 1):
            q = quarter(start_year, number)
            if q.start <= current.start:
                quarters.append((f"{_year_name(start_year)}-Q{number}", q.label))
    return quarters, years


class GenerateReportForm(forms.Form):
    """The QA Lead's "Generate a report": its kind, period and scope. The period is
    checked by the services' own rules (parse_period, range_period), so the form and
    the command refuse the same things in the same words."""

    kind = forms.ChoiceField(
        label="Kind of report",
        widget=forms.RadioSelect,
        choices=ReportKind.choices,
        error_messages={"required": CHOOSE_KIND, "invalid_choice": CHOOSE_KIND},
    )
    quarter = forms.ChoiceField(
        label="Quarter",
        required=False,
        error_messages={"invalid_choice": CHOOSE_QUARTER_LISTED},
    )
    year = forms.ChoiceField(
        label="Financial year",
        required=False,
        help_text="April to March.",
        error_messages={"invalid_choice": CHOOSE_YEAR_LISTED},
    )
    start = GovDateField(
        name="the start date", label="Start date", required=False, help_text="For example, 1 4 2026"
    )
    end = GovDateField(
        name="the end date", label="End date", required=False, help_text="For example, 30 9 2026"
    )
    scope = forms.ChoiceField(
        label="Covering",
        required=False,
        error_messages={"invalid_choice": CHOOSE_SCOPE},
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        quarters, years = period_choices(today)
        self.fields["quarter"].choices = quarters
        self.fields["year"].choices = years
        ended = [name for name, _ in quarters[1:2]] or [name for name, _ in quarters[:1]]
        self.fields["quarter"].initial = ended[0] if ended else None
        self.fields["kind"].initial = ReportKind.QUARTERLY
        self.fields["scope"].choices = [
            ("", WHOLE_ORGANISATION),
            *(
                (str(pk), name)
                for pk, name in ServiceArea.objects.order_by("name").values_list("pk", "name")
            ),
        ]
        self.period = None
        self.helper = gds_helper(
            ConditionalRadios(
                "kind",
                ConditionalQuestion(ReportKind.QUARTERLY.label, Field.select("quarter")),
                ConditionalQuestion(ReportKind.ANNUAL.label, Field.select("year")),
                ConditionalQuestion(ReportKind.RANGE.label, Field("start"), Field("end")),
            ),
            Field.select("scope"),
            Button("generate", "Generate the report"),
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        for other, names in PERIOD_FIELDS.items():
            if other != kind:
                for name in names:
                    self._errors.pop(name, None)
        try:
            if kind == ReportKind.QUARTERLY and "quarter" not in self.errors:
                if not data.get("quarter"):
                    self.add_error("quarter", CHOOSE_QUARTER)
                else:
                    self.period = services.parse_period(kind, data["quarter"])
            elif kind == ReportKind.ANNUAL and "year" not in self.errors:
                if not data.get("year"):
                    self.add_error("year", CHOOSE_YEAR)
                else:
                    self.period = services.parse_period(kind, data["year"])
            elif kind == ReportKind.RANGE:
                start, end = data.get("start"), data.get("end")
                if start is None and "start" not in self.errors:
                    self.add_error("start", "Enter the start date")
                if end is None and "end" not in self.errors:
                    self.add_error("end", "Enter the end date")
                if start and end:
                    self.period = services.range_period(start, end)
        except services.ReportError as error:
            self.add_error(self.period_field, str(error))
        return data

    @property
    def period_field(self) -> str:
        """The field a problem with the period belongs to."""
        return {ReportKind.QUARTERLY: "quarter", ReportKind.ANNUAL: "year"}.get(
            self.cleaned_data.get("kind"), "end"
        )

    @property
    def service_area(self) -> ServiceArea | None:
        pk = self.cleaned_data.get("scope")
        return ServiceArea.objects.get(pk=pk) if pk else None


NARRATIVE_HINT = "One point a line. Each line is a bullet in the report."


class ReportTextForm(forms.Form):
    """A draft's words: strengths, areas for learning and our response. ``lock_version``
    is the version's as the page was opened, so a save over someone else's is refused."""

    strengths = TextField(
        name="the strengths", label="Strengths", required=False, help_text=NARRATIVE_HINT
    )
    areas_for_learning = TextField(
        name="the areas for learning",
        label="Areas for learning",
        required=False,
        help_text=NARRATIVE_HINT,
    )
    our_response = TextField(
        name="our response",
        label="Our response",
        required=False,
        help_text="What the service will do, who leads it and by when. " + NARRATIVE_HINT,
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("strengths", rows=8),
            Field.textarea("areas_for_learning", rows=8),
            Field.textarea("our_response", rows=8),
            Field("lock_version"),
        )

    @property
    def words(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in NARRATIVE_FIELDS}
