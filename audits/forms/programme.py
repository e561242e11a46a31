"""Forms of the audit programme pages. Every message names its field."""

from __future__ import annotations

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import (
    Button,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fixed,
    Size,
)
from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Team, User
from common.dates import add_months, month_start
from common.forms import GovDateField, TextField, gds_helper, month_choices

from ..models import AuditTemplate, ExemptionStatus, StandingReason
from ..selectors_programme import (
    active_templates,
    auditors,
    auditors_in_scope_of,
    default_template,
    exempt_auditor_ids,
)
from ..services.allocation import (
    ADHOC_NO_REFERENCES,
    ADHOC_REASON_MAX_LENGTH,
    UNKNOWN_REFERENCE,
    find_children,
    parse_references,
)
from ..services.exemptions import (
    APPROVAL_NEEDS_REASON,
    CHOOSE_DECISION,
    REJECTION_NEEDS_REASON,
)

MONTHS_AHEAD = 12


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or the form, if unnamed)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class AuditorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} ({obj.team.name})" if obj.team else obj.get_full_name()


# Allocation rounds ------------------------------------------------------------------


class RoundNewForm(forms.Form):
    PER_TEAM = "per_team"
    TOTAL = "total"
    PER_TEAM_LABEL = "A number of audits for each team"
    TOTAL_LABEL = "A total number of audits, spread over the teams"

    month = forms.ChoiceField(
        label="Month to allocate",
        error_messages={
            "required": "Choose the month to allocate",
            "invalid_choice": "Choose the month to allocate from the list",
        },
    )
    basis = forms.ChoiceField(
        label="How many audits to propose",
        widget=forms.RadioSelect,
        choices=[(PER_TEAM, PER_TEAM_LABEL), (TOTAL, TOTAL_LABEL)],
        error_messages={"required": "Choose how many audits to propose"},
    )
    per_team = forms.IntegerField(
        label="Audits for each team",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        min_value=1,
        max_value=50,
        error_messages={
            "invalid": "The number of audits for each team must be a whole number, like 2",
            "min_value": "The number of audits for each team must be 1 or more",
            "max_value": "The number of audits for each team must be 50 or fewer",
        },
    )
    total = forms.IntegerField(
        label="Total number of audits",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        min_value=1,
        max_value=1000,
        error_messages={
            "invalid": "The total number of audits must be a whole number, like 25",
            "min_value": "The total number of audits must be 1 or more",
            "max_value": "The total number of audits must be 1000 or fewer",
        },
    )
    template = forms.ModelChoiceField(
        label="Audit template",
        queryset=AuditTemplate.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the audit template",
            "invalid_choice": "Choose an active audit template from the list",
        },
    )
    replace_draft = forms.BooleanField(
        label="Replace the draft allocation for this month if there is one, losing any "
        "changes made to it",
        required=False,
    )

    def __init__(self, *args, today: datetime.date, settings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(today, ahead=MONTHS_AHEAD)
        self.fields["month"].initial = add_months(month_start(today), 1).isoformat()
        self.fields["basis"].initial = self.PER_TEAM
        self.fields["per_team"].initial = settings.default_per_team
        self.fields["total"].initial = settings.default_total
        self.fields["template"].queryset = active_templates()
        self.fields["template"].initial = default_template()
        self.helper = gds_helper(
            Field.select("month"),
            ConditionalRadios(
                "basis",
                ConditionalQuestion(self.PER_TEAM_LABEL, Field.text("per_team", field_width=4)),
                ConditionalQuestion(self.TOTAL_LABEL, Field.text("total", field_width=4)),
            ),
            Field.select("template"),
            Field.checkbox("replace_draft"),
            Button("submit", "Propose the allocation"),
        )

    def clean(self):
        data = super().clean()
        basis = data.get("basis")
        if (
            basis == self.PER_TEAM
            and data.get("per_team") is None
            and "per_team" not in (self.errors)
        ):
            self.add_error("per_team", "Enter the number of audits for each team")
        if basis == self.TOTAL and data.get("total") is None and "total" not in self.errors:
            self.add_error("total", "Enter the total number of audits")
        return data

    @property
    def month_value(self) -> datetime.date:
        return datetime.date.fromisoformat(self.cleaned_data["month"])

    @property
    def numbers(self) -> dict:
        if self.cleaned_data["basis"] == self.TOTAL:
            return {"per_team": None, "total": self.cleaned_data["total"]}
        return {"per_team": self.cleaned_data["per_team"], "total": None}


def _auditor_field(label="Auditor", **kwargs) -> AuditorChoiceField:
    return AuditorChoiceField(
        label=label,
        queryset=User.objects.none(),
        error_messages={
            "required": "Choose an auditor",
            "invalid_choice": "Choose an auditor from the list",
        },
        **kwargs,
    )


def _available_auditor_queryset(month: datetime.date, exclude=()):
    return (
        auditors()
        .exclude(pk__in=exempt_auditor_ids(month))
        .exclude(pk__in=[pk for pk in exclude if pk])
        .order_by("last_name", "first_name", "pk")
    )


class ChangeAuditorForm(forms.Form):
    auditor = _auditor_field(label="New auditor", empty_label="Choose an auditor")

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["auditor"]
        field.queryset = _available_auditor_queryset(audit.month, [audit.child.social_worker_id])
        team_id = audit.team_id

        def label(user):
            name = f"{user.get_full_name()} ({user.team.name})" if user.team else str(user)
            return f"{name}: works in this team" if user.team_id == team_id else name

        field.label_from_instance = label
        field.help_text = (
            "Auditors exempt this month and the child's social worker are not listed. "
            "Choose someone from another team where you can."
        )
        self.helper = gds_helper(Field.select("auditor"), Button("submit", "Change the auditor"))


class SwapChildForm(forms.Form):
    case_reference = forms.CharField(
        label="Case reference of the child to audit instead",
        max_length=40,
        error_messages={
            "required": "Enter the case reference of the child to audit instead",
            "max_length": "A case reference is 40 characters or fewer",
        },
    )

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "case_reference"
        ].help_text = f"An open case of {audit.team.name} that has not been audited recently."
        self.helper = gds_helper(
            Field.text("case_reference", field_width=Fixed.TEN),
            Button.secondary("submit", "Swap the child"),
        )


class AddAuditForm(forms.Form):
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        empty_label="Choose a team",
        error_messages={
            "required": "Choose the team of the child",
            "invalid_choice": "Choose a team from the list",
        },
    )
    case_reference = forms.CharField(
        label="Case reference",
        max_length=40,
        error_messages={
            "required": "Enter the child’s case reference",
            "max_length": "A case reference is 40 characters or fewer",
        },
    )
    auditor = _auditor_field(empty_label="Choose an auditor")

    def __init__(self, *args, allocation_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = (
            Team.objects.filter(is_active=True)
            .select_related("service_area")
            .order_by("service_area__name", "name")
        )
        self.fields["auditor"].queryset = _available_auditor_queryset(allocation_round.month)
        self.helper = gds_helper(
            Field.select("team"),
            Field.text("case_reference", field_width=Fixed.TEN),
            Field.select("auditor"),
            Button.secondary("submit", "Add the audit"),
        )


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked the allocation: publish it and email the auditors",
        error_messages={
            "required": "Confirm that you have checked the allocation before publishing it"
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.checkbox("confirm"), Button("submit", "Publish"))


# Ad hoc -----------------------------------------------------------------------------


class AdhocForm(forms.Form):
    SPREAD_LABEL = "Spread them over the available auditors"

    references = TextField(
        name="the case references",
        label="Case references",
        help_text="One per line, or separated by commas.",
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        error_messages={"required": "Enter the case references of the children to audit"},
    )
    auditor = _auditor_field(label="Auditor", required=False, empty_label=SPREAD_LABEL)
    due_date = GovDateField(
        name="the due date", label="Due date", help_text="For example, 27 3 2027"
    )
    template = forms.ModelChoiceField(
        label="Audit template",
        queryset=AuditTemplate.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the audit template",
            "invalid_choice": "Choose an active audit template from the list",
        },
    )
    reason = TextField(
        name="the reason",
        label="Reason",
        help_text="For example, the Ofsted inspection in March. The auditors will see it.",
        max_length=ADHOC_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the reason for allocating these audits"},
    )
    confirm = forms.BooleanField(
        label="Allocate them even though some have been audited recently or are closed",
        required=False,
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = _available_auditor_queryset(month_start(today))
        self.fields["template"].queryset = active_templates()
        self.fields["template"].initial = default_template()
        self.fields["auditor"].help_text = (
            "Spread: each child goes to the auditor with fewest open audits, never their "
            "social worker, from another team where possible."
        )
        self.helper = gds_helper(
            Field.textarea("references", rows=6),
            Field.select("auditor"),
            Field("due_date"),
            Field.select("template"),
            Field.textarea("reason", rows=2),
            Field.checkbox("confirm"),
            Button("submit", "Allocate the audits"),
        )

    def clean_references(self):
        """Name every unknown case reference now, with the form's other errors."""
        text = self.cleaned_data["references"]
        references = parse_references(text)
        if not references:
            raise ValidationError(ADHOC_NO_REFERENCES)
        found = find_children(references)
        unknown = [
            UNKNOWN_REFERENCE.format(reference=reference)
            for reference in references
            if reference not in found
        ]
        if unknown:
            raise ValidationError(unknown)
        return text

    @property
    def chosen_auditor(self):
        return self.cleaned_data.get("auditor")


# Exemptions -------------------------------------------------------------------------


class StandingExemptionForm(forms.Form):
    auditor = _auditor_field(empty_label="Choose an auditor")
    standing_reason = forms.ChoiceField(
        label="Why are they exempt?",
        widget=forms.RadioSelect,
        choices=[
            Choice(
                StandingReason.MODERATOR,
                StandingReason.MODERATOR.label,
                hint="Moderators review audits instead of doing them.",
            ),
            Choice(
                StandingReason.PART_TIME,
                StandingReason.PART_TIME.label,
                hint="Exempt every other month: the month after the start date, then every "
                "second month.",
            ),
            Choice(StandingReason.LONG_ABSENCE, StandingReason.LONG_ABSENCE.label),
        ],
        error_messages={"required": "Choose why the auditor is exempt"},
    )
    starts_on = GovDateField(name="the start date", label="Starts on")
    ends_on = GovDateField(
        name="the end date",
        label="Ends on (optional)",
        required=False,
        help_text="Leave empty if it lasts until you end it.",
    )
    details = TextField(
        name="the details",
        label="Details (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = auditors().order_by("last_name", "first_name", "pk")
        self.helper = gds_helper(
            Field.select("auditor"),
            Field.radios("standing_reason", legend_size=Size.SMALL),
            Field("starts_on"),
            Field("ends_on"),
            Field.textarea("details", rows=3),
            Button("submit", "Record the exemption"),
        )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return data


class ExemptionRequestForm(forms.Form):
    auditor = _auditor_field(empty_label="Choose an auditor")
    month = forms.ChoiceField(
        label="Month",
        error_messages={
            "required": "Choose the month of the exemption",
            "invalid_choice": "Choose the month of the exemption from the list",
        },
    )
    reason = TextField(
        name="the reason",
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for the exemption"},
    )

    def __init__(self, *args, user, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = auditors_in_scope_of(user).order_by(
            "last_name", "first_name", "pk"
        )
        self.fields["month"].choices = month_choices(today, ahead=MONTHS_AHEAD)
        self.fields["month"].initial = add_months(month_start(today), 1).isoformat()
        self.helper = gds_helper(
            Field.select("auditor"),
            Field.select("month"),
            Field.textarea("reason", rows=4),
            Button("submit", "Ask for the exemption"),
        )

    @property
    def month_value(self) -> datetime.date:
        return datetime.date.fromisoformat(self.cleaned_data["month"])


class ExemptionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[
            (ExemptionStatus.APPROVED, "Approve the exemption"),
            (ExemptionStatus.REJECTED, "Do not approve it"),
        ],
        error_messages={"required": CHOOSE_DECISION},
    )
    reason = TextField(
        name="the reason for your decision",
        label="Reason for your decision",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("reason", rows=4),
            Button("submit", "Save the decision"),
        )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                APPROVAL_NEEDS_REASON
                if decision == ExemptionStatus.APPROVED
                else REJECTION_NEEDS_REASON,
            )
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == ExemptionStatus.APPROVED
