"""Forms for the moderation pages. Each error message names its field."""

from __future__ import annotations

import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Button, Field, Fluid, Size
from django import forms

from accounts.models import Role
from audits.models import GRADED, AuditTemplate, Child, Grade
from common.dates import (
    Period,
    add_months,
    financial_year,
    financial_year_start,
    month_period,
    month_start,
    quarter,
    quarter_of,
)
from common.forms import gds_helper

from .models import DowngradeReason, ModerationSettings
from .selectors import (
    active_auditors,
    active_with_role,
    sees_all_statistics,
    statistics_auditors,
    statistics_moderators,
    statistics_service_areas,
    statistics_teams,
)
from .services import CHOOSE_DOMAIN, CHOOSE_OVERALL, REASON_NEEDED

CHOOSE_MONTH = "Choose the month the panel moderates"
ENTER_PANEL_DATE = "Enter the date the panel meets"
PANEL_DATE_INVALID = "The date the panel meets must be a real date, like 12 5 2026"
DUE_DATE_INVALID = "The due date must be a real date, like 30 6 2026"
START_DATE_INVALID = "The start date must be a real date, like 1 6 2026"
CHOOSE_CHAIR = "Choose the chair from the list"
ENTER_TARGET = "Enter the target share as a whole number from 0 to 100"
CHOOSE_AUDIT = "Choose an audit to add to the panel"
CHOOSE_MODERATOR = "Choose a moderator from the panel"
CHOOSE_LOOP_FIRST = "Choose the first auditor"
CHOOSE_LOOP_SECOND = "Choose the second auditor"
ENTER_CASE_REFERENCE = "Enter the child's case reference"
UNKNOWN_CASE_REFERENCE = "No child has the case reference {reference}: check it and enter it again"
CHOOSE_TEMPLATE = "Choose the audit template"
CHOOSE_LOOP_MONTH = "Choose the month of the audits"
ENTER_START_DATE = "Enter the date the pairings start"
CHOOSE_AUDITOR = "Choose an auditor"
CHOOSE_DECISION = "Choose whether this auditor is endorsed"
ENTER_OVERRIDE_REASON = "Enter the reason for this decision"
CHOOSE_PERIOD = "Choose a month, a quarter or a financial year"
CHOOSE_YEAR = "Choose a financial year from the list"
CHOOSE_QUARTER = "Choose a quarter from 1 to 4"
CHOOSE_MONTH_NUMBER = "Choose a month from the list"
CHOOSE_AREA = "Choose a service area from the list"
CHOOSE_TEAM = "Choose a team from the list"
CHOOSE_STAT_AUDITOR = "Choose an auditor from the list"
CHOOSE_STAT_MODERATOR = "Choose a moderator from the list"
CHOOSE_BREAKDOWN = "Choose how to break the figures down"
TEAM_OUTSIDE_AREA = "Choose a team in the service area you chose"


class ErrorLinksMixin:
    """Links for the error summary that reach the first input of each field: the first
    radio or checkbox (``id_<name>_1`` in the GOV.UK template pack) or the day box of
    a date."""

    def field_anchor(self, name: str) -> str:
        bound = self[name]
        widget = bound.field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"id_{bound.html_name}_1"
        if isinstance(widget, forms.MultiWidget):
            return f"{bound.auto_id}_0"
        return bound.auto_id

    def error_links(self) -> list[tuple[str, str]]:
        links = []
        visible = [f.name for f in self.visible_fields()]
        first = self.field_anchor(visible[0]) if visible else ""
        for error in self.non_field_errors():
            links.append((first, error))
        for name in visible:
            for error in self.errors.get(name, []):
                links.append((self.field_anchor(name), error))
        return links


class GDSDateField(DateInputField):
    """A GOV.UK date input whose errors name the date: one message when it is missing,
    one when it is not a real date."""

    def __init__(self, *, missing: str, invalid: str, **kwargs):
        super().__init__(**kwargs)
        self.error_messages.update({"required": missing, "incomplete": missing})
        self.invalid_message = invalid

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError as error:
            if getattr(error, "code", None) == "required":
                raise
            raise forms.ValidationError(self.invalid_message, code="invalid") from error


def month_choices(today: datetime.date, back: int = 12, ahead: int = 1) -> list[tuple[str, str]]:
    this_month = month_start(today)
    months = [add_months(this_month, n) for n in range(ahead, -back - 1, -1)]
    return [(m.isoformat(), m.strftime("%B %Y")) for m in months]


def _clean_month(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


# Panels ----------------------------------------------------------------------------------


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class PanelForm(ErrorLinksMixin, forms.Form):
    month = forms.TypedChoiceField(
        label="Month moderated",
        help_text="The month whose accepted audits the panel moderates.",
        coerce=_clean_month,
        error_messages={"required": CHOOSE_MONTH, "invalid_choice": CHOOSE_MONTH},
    )
    date = GDSDateField(
        label="Date the panel meets",
        missing=ENTER_PANEL_DATE,
        invalid=PANEL_DATE_INVALID,
    )
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
        self.fields["month"].choices = month_choices(today)
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


class LoopOutcomeForm(ErrorLinksMixin, forms.Form):
    outcome = forms.CharField(
        label="What the panel concluded",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


# Reviews ---------------------------------------------------------------------------------


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
    rationale = forms.CharField(required=False, widget=forms.Textarea)
    feedback = forms.CharField(required=False, widget=forms.Textarea)
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
            self.fields[f"domain-{domain.pk}-rationale"] = forms.CharField(
                required=False, widget=forms.Textarea
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
    reason = forms.CharField(
        label="Why are you unlocking this review?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


# Looped audits ---------------------------------------------------------------------------


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
        coerce=_clean_month,
        error_messages={"required": CHOOSE_LOOP_MONTH, "invalid_choice": CHOOSE_LOOP_MONTH},
    )
    due_date = GDSDateField(
        label="Due date",
        missing=DUE_DATE_INVALID,
        invalid=DUE_DATE_INVALID,
        required=False,
        help_text="Leave empty for the last day of the month.",
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        auditors = active_auditors()
        self.fields["first_auditor"].queryset = auditors
        self.fields["second_auditor"].queryset = auditors
        self.fields["template"].queryset = AuditTemplate.objects.filter(is_active=True)
        self.fields["month"].choices = month_choices(today, back=0, ahead=3)
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


# Pairings and endorsement ----------------------------------------------------------------


class PairingsForm(ErrorLinksMixin, forms.Form):
    starts_on = GDSDateField(
        label="Start date of the next period",
        missing=ENTER_START_DATE,
        invalid=START_DATE_INVALID,
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
    reason = forms.CharField(
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


# Statistics ------------------------------------------------------------------------------

PERIODS = [("month", "Month"), ("quarter", "Quarter"), ("year", "Financial year")]
FY_MONTHS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
BREAKDOWN_CHOICES = [
    ("service_area", "Service area"),
    ("team", "Team"),
    ("moderator", "Moderator"),
]


def last_complete_quarter(today: datetime.date):
    return quarter_of(add_months(quarter_of(today).start, -1))


class StatisticsForm(ErrorLinksMixin, forms.Form):
    """The period and scope of the figures, limited to what the user may see.

    The period is ``period`` (month, quarter or year), ``year`` (the financial year's
    first calendar year) and ``number`` (the month 1 to 12 or the quarter 1 to 4). The page
    offers separate ``quarter`` and ``month`` lists so that it works without JavaScript;
    either fills ``number``.
    """

    period = forms.ChoiceField(
        label="Period",
        choices=PERIODS,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": CHOOSE_PERIOD},
    )
    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": CHOOSE_YEAR},
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[
            (1, "Quarter 1: April to June"),
            (2, "Quarter 2: July to September"),
            (3, "Quarter 3: October to December"),
            (4, "Quarter 4: January to March"),
        ],
        error_messages={"invalid_choice": CHOOSE_QUARTER},
    )
    month = forms.TypedChoiceField(
        label="Month",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[(m, datetime.date(2000, m, 1).strftime("%B")) for m in FY_MONTHS],
        error_messages={"invalid_choice": CHOOSE_MONTH_NUMBER},
    )
    number = forms.IntegerField(required=False, widget=forms.HiddenInput)
    service_area = forms.ModelChoiceField(
        label="Service area",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": CHOOSE_AREA},
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": CHOOSE_TEAM},
    )
    auditor = UserChoiceField(
        label="Auditor",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": CHOOSE_STAT_AUDITOR},
    )
    moderator = UserChoiceField(
        label="Moderator",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": CHOOSE_STAT_MODERATOR},
    )
    breakdown = forms.ChoiceField(
        label="Break the figures down by",
        choices=BREAKDOWN_CHOICES,
        required=False,
        error_messages={"invalid_choice": CHOOSE_BREAKDOWN},
    )

    def __init__(self, data=None, *, user, today: datetime.date, **kwargs):
        default = last_complete_quarter(today)
        self.default_year = financial_year_start(default.start)
        self.default_quarter = (default.start.month - 4) % 12 // 3 + 1
        self.default_month = add_months(month_start(today), -1).month
        if data is not None:
            data = data.copy()
            period = data.get("period") or "quarter"
            number = data.get("number")
            if number and period in ("quarter", "month") and not data.get(period):
                data[period] = number
        super().__init__(data, **kwargs)
        self.user = user
        self.restricted = not sees_all_statistics(user)
        this_year = financial_year_start(today)
        self.fields["year"].choices = [
            (y, f"{y}/{str(y + 1)[-2:]}") for y in range(this_year, this_year - 6, -1)
        ]
        self.fields["service_area"].queryset = statistics_service_areas(user)
        self.fields["service_area"].empty_label = None if self.restricted else "All service areas"
        self.fields["team"].queryset = statistics_teams(user)
        self.fields["team"].empty_label = "All teams"
        self.fields["auditor"].queryset = statistics_auditors(user)
        self.fields["auditor"].empty_label = "All auditors"
        self.fields["moderator"].queryset = statistics_moderators(user)
        self.fields["moderator"].empty_label = "All moderators"
        self.initial.update(
            {
                "period": "quarter",
                "year": self.default_year,
                "quarter": self.default_quarter,
                "month": self.default_month,
                "breakdown": "team" if self.restricted else "service_area",
            }
        )

    def clean(self):
        data = super().clean()
        period = data.get("period") or "quarter"
        data["period"] = period
        if data.get("year") is None and "year" not in self.errors:
            data["year"] = self.default_year
        if period == "quarter":
            data["number"] = data.get("quarter") or self.default_quarter
        elif period == "month":
            data["number"] = data.get("month") or self.default_month
        else:
            data["number"] = None
        area, team = data.get("service_area"), data.get("team")
        if self.restricted and area is None and "service_area" not in self.errors:
            area = data["service_area"] = self.fields["service_area"].queryset.first()
        if area is not None and team is not None and team.service_area_id != area.pk:
            self.add_error("team", TEAM_OUTSIDE_AREA)
        data["breakdown"] = data.get("breakdown") or self.initial["breakdown"]
        return data

    def has_scope(self) -> bool:
        """False for a Head of Service who heads no service area: nothing to show."""
        return not self.restricted or self.fields["service_area"].queryset.exists()

    def period_of(self, data: dict) -> Period:
        return statistics_period(data["period"], data["year"], data["number"])


def statistics_period(kind: str, year: int, number: int | None) -> Period:
    if kind == "year":
        return financial_year(year)
    if kind == "month":
        calendar_year = year if number >= 4 else year + 1
        return month_period(datetime.date(calendar_year, number, 1))
    return quarter(year, number)
