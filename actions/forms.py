"""Forms for actions, Cases of Concern and re-audits. Validation of the rules themselves
lives in the services; these only turn input into values, with specific messages."""

import datetime

import django_filters
from crispy_forms_gds.layout import Button, Field, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role, ServiceArea, Team, User
from accounts.selectors import service_areas_visible_to, teams_visible_to
from common.dates import add_months, month_start, quarter_of
from common.filters import FilterSet
from common.forms import (
    CompactDateInput,
    GovDateField,
    TextField,
    apply_errors,
    gds_helper,
    parse_id,
)

from .models import ActionKind, ActionStatus, TransferStatus
from .selectors.scope import actions_visible_to
from .selectors.service_improvement import lead_choices
from .services import actions as action_services
from .services import concerns as concern_services
from .services import reaudits as reaudit_services
from .services import service_improvement as improvement_services

MONTH_FORMATS = ["%Y-%m", "%m/%Y", "%m %Y", "%Y-%m-%d"]
DATE_HINT = "For example, {example}. Leave today's date if it was done today."


INPUT_CLASS = "govuk-input govuk-input--width-10"
INPUT_ERROR_CLASS = "govuk-input--error"


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": INPUT_CLASS, **(attrs or {})}, format="%Y-%m")


class DateErrorsMixin:
    """Give date and month inputs with an error the GOV.UK error style (the template
    pack styles only the widgets it knows)."""

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if isinstance(widget, CompactDateInput | MonthInput):
                classes = widget.attrs.get("class", "").split()
                if INPUT_ERROR_CLASS not in classes:
                    widget.attrs["class"] = " ".join([*classes, INPUT_ERROR_CLASS])


def date_field(label: str, name: str) -> GovDateField:
    """The one date field, in its compact form: a row of the tracker offers "done on
    <date>" in one step. ``name`` is the date as its messages speak of it."""
    return GovDateField(name=name, example="2026-03-27", compact=True, label=label)


def yes_no_field(label: str, message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


# Actions ---------------------------------------------------------------------------


class CompleteForm(DateErrorsMixin, forms.Form):
    completed_on = date_field("Date done", "the date the action was done")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=action_services.NOTE_MAX_LENGTH,
        error_messages={"max_length": action_services.NOTE_TOO_LONG},
    )

    def __init__(self, *args, today=None, **kwargs):
        kwargs.setdefault("auto_id", "complete-%s")
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = today or timezone.localdate()
        self.fields["completed_on"].help_text = DATE_HINT.format(example="2026-03-27")
        self.helper = gds_helper(
            Field.text("completed_on"),
            Field.textarea("note", rows=2),
            Button("submit", "Mark as done"),
        )


class TransferForm(DateErrorsMixin, forms.Form):
    transferred_on = date_field(
        "Date put into the child's plan", "the date the action was transferred to the child's plan"
    )
    child_family_involved = forms.BooleanField(
        label="The child and family were involved", required=False
    )
    iro_involved = forms.BooleanField(label="The IRO or CP chair was involved", required=False)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=action_services.NOTE_MAX_LENGTH,
        error_messages={"max_length": action_services.NOTE_TOO_LONG},
    )

    def __init__(self, *args, today=None, **kwargs):
        kwargs.setdefault("auto_id", "transfer-%s")
        super().__init__(*args, **kwargs)
        self.fields["transferred_on"].initial = today or timezone.localdate()
        self.fields["transferred_on"].help_text = DATE_HINT.format(example="2026-03-27")
        self.helper = gds_helper(
            Field.text("transferred_on"),
            Field.checkbox("child_family_involved", small=True),
            Field.checkbox("iro_involved", small=True),
            Field.textarea("note", rows=2),
            Button("submit", "Record the transfer"),
        )


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=action_services.NOTE_MAX_LENGTH,
        error_messages={
            "required": action_services.ENTER_NOTE,
            "max_length": action_services.NOTE_TOO_LONG,
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "add-note-%s")
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("note", rows=3), Button("submit", "Add the note"))


class ActionEditForm(DateErrorsMixin, forms.Form):
    text = TextField(
        name="what must happen",
        label="What must happen",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": action_services.ENTER_TEXT},
    )
    kind = forms.ChoiceField(
        label="Kind of action",
        choices=[
            (ActionKind.CARE_PLANNING, "Care planning: it belongs in the child's plan"),
            (ActionKind.OTHER, "Other"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of action"},
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody",
        error_messages={"invalid_choice": "Choose an owner from the list"},
    )
    due_date = date_field("Due date", "the due date")
    reason = TextField(
        name="the reason for the change",
        label="Why are you changing it?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": action_services.ENTER_REASON},
    )

    def __init__(self, *args, action, owners, can_change_due_date, **kwargs):
        initial = {
            "text": action.text,
            "kind": action.kind,
            "owner": action.owner_id,
            "due_date": action.due_date,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["owner"].queryset = owners
        fields = [
            Field.textarea("text", rows=4),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.select("owner"),
        ]
        if can_change_due_date:
            fields.append(Field.text("due_date"))
        else:
            del self.fields["due_date"]
        fields += [Field.textarea("reason", rows=3), Button("submit", "Save the changes")]
        self.helper = gds_helper(*fields)


# Cases of Concern ------------------------------------------------------------------


class CaseUpdateForm(forms.Form):
    child_safe = yes_no_field("Is the child safe?", concern_services.ANSWER_CHILD_SAFE)
    plan_progressing = yes_no_field(
        "Is an appropriate plan in place and progressing with grip?",
        concern_services.ANSWER_PLAN,
    )
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=concern_services.NOTES_MAX_LENGTH,
        help_text="What you found, what is happening next and who is doing it. "
        "Use the case reference only: no names.",
        error_messages={
            "required": concern_services.ENTER_NOTES,
            "max_length": concern_services.NOTES_TOO_LONG,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("child_safe", legend_size=Size.MEDIUM, inline=True),
            Field.radios("plan_progressing", legend_size=Size.MEDIUM, inline=True),
            Field.textarea("notes", rows=6),
            Button("submit", "Save the update"),
        )


class CaseResolveForm(forms.Form):
    confirm = forms.BooleanField(
        label="I confirm the child is safe and an appropriate plan is in place and "
        "progressing with grip, so this case no longer needs monthly updates",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.checkbox("confirm"), Button.secondary("submit", "Resolve the case")
        )


# Re-audits -------------------------------------------------------------------------


class ReauditAllocateForm(DateErrorsMixin, forms.Form):
    auditor = forms.ModelChoiceField(
        label="Auditor",
        queryset=User.objects.none(),
        empty_label="Choose an auditor",
        error_messages={
            "required": reaudit_services.CHOOSE_AUDITOR,
            "invalid_choice": reaudit_services.NOT_AN_AUDITOR,
        },
    )
    month = forms.DateField(
        label="Month of the re-audit",
        input_formats=MONTH_FORMATS,
        widget=MonthInput(),
        help_text="For example, 2026-05",
        error_messages={
            "required": reaudit_services.CHOOSE_MONTH,
            "invalid": "The month of the re-audit must be a real month, like 2026-05",
        },
    )

    def __init__(self, *args, proposal, **kwargs):
        this_month = month_start(timezone.localdate())
        super().__init__(*args, initial={"month": max(proposal.due_month, this_month)}, **kwargs)
        self.fields["auditor"].queryset = (
            User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR)
            .exclude(pk=proposal.child.social_worker_id or 0)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.helper = gds_helper(
            Field.select("auditor"),
            Field.text("month"),
            Button("submit", "Allocate the re-audit"),
        )


class ReauditDismissForm(forms.Form):
    reason = TextField(
        name="the reason no re-audit is needed",
        label="Why is no re-audit needed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": reaudit_services.ENTER_DISMISS_REASON},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("reason", rows=3), Button.warning("submit", "Dismiss the re-audit")
        )


# Service improvement actions -------------------------------------------------------


class IdModelChoiceField(forms.ModelChoiceField):
    """A choice of one row by id: anything but an id the database can hold is refused
    before the query (SQLite raises OverflowError past 64 bits)."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class LeadChoiceField(IdModelChoiceField):
    def label_from_instance(self, obj):
        title = obj.get_job_title_display()
        return f"{obj}, {title}" if title else str(obj)


LEAD_FIELDS = [f"lead_{n}" for n in range(1, improvement_services.MAX_LEADS + 1)]


def last_quarter_report(today: datetime.date) -> str:
    """Where an action raised now most likely comes from: the last quarter's report."""
    return f"Quarterly report {quarter_of(add_months(today, -3)).label}"


class ServiceImprovementForm(DateErrorsMixin, forms.Form):
    title = TextField(
        name="what will happen",
        label="What will happen",
        max_length=improvement_services.TITLE_MAX_LENGTH,
        help_text="For example, Service Managers will agree what a good chronology looks like.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": improvement_services.ENTER_TITLE},
    )
    finding = TextField(
        name="the finding",
        label="The finding it responds to (optional)",
        max_length=improvement_services.FINDING_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lead_1 = LeadChoiceField(
        label="Lead",
        queryset=User.objects.none(),
        empty_label="Choose a lead",
        error_messages={
            "required": improvement_services.CHOOSE_LEAD,
            "invalid_choice": "Choose the lead from the list",
        },
    )
    lead_2 = LeadChoiceField(
        label="Second lead (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose the second lead from the list"},
    )
    lead_3 = LeadChoiceField(
        label="Third lead (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose the third lead from the list"},
    )
    lead_description = forms.CharField(
        label="The lead as the report names them (optional)",
        help_text="For a group, for example Service Managers. The people chosen above are "
        "named beside it.",
        required=False,
        max_length=improvement_services.LEAD_DESCRIPTION_MAX_LENGTH,
        error_messages={"max_length": improvement_services.LEAD_DESCRIPTION_TOO_LONG},
    )
    service_area = IdModelChoiceField(
        label="Service area",
        queryset=ServiceArea.objects.all(),
        required=False,
        empty_label="The whole organisation",
        error_messages={"invalid_choice": improvement_services.CHOOSE_SERVICE_AREA},
    )
    timescale = GovDateField(
        name="the timescale",
        example="30 9 2026",
        label="Timescale",
        help_text="The date by which it will be done. For example, 30 9 2026",
    )
    raised_in = forms.CharField(
        label="Raised in",
        help_text="The report or meeting whose findings it answers.",
        max_length=improvement_services.RAISED_IN_MAX_LENGTH,
        error_messages={
            "required": improvement_services.ENTER_RAISED_IN,
            "max_length": improvement_services.RAISED_IN_TOO_LONG,
        },
    )

    def __init__(self, *args, improvement=None, today=None, **kwargs):
        today = today or timezone.localdate()
        leads = list(improvement.leads.all()) if improvement else []
        if improvement is not None:
            initial = {
                "title": improvement.title,
                "finding": improvement.finding,
                "lead_description": improvement.lead_description,
                "service_area": improvement.service_area_id,
                "timescale": improvement.timescale,
                "raised_in": improvement.raised_in,
            }
            initial |= {name: lead.pk for name, lead in zip(LEAD_FIELDS, leads, strict=False)}
        else:
            initial = {"raised_in": last_quarter_report(today)}
        super().__init__(*args, initial=initial, **kwargs)
        choices = lead_choices(leads)
        for name in LEAD_FIELDS:
            self.fields[name].queryset = choices
        self.helper = gds_helper(
            Field.textarea("title", rows=3),
            Field.textarea("finding", rows=3),
            *(Field.select(name) for name in LEAD_FIELDS),
            Field.text("lead_description"),
            Field.select("service_area"),
            Field("timescale"),
            Field.text("raised_in"),
            Button("submit", "Save the action" if improvement else "Raise the action"),
        )

    @property
    def leads(self) -> list[User]:
        return [self.cleaned_data[name] for name in LEAD_FIELDS if self.cleaned_data.get(name)]

    def apply_errors(self, error: ValidationError) -> None:
        """A service's errors on their fields; those about the leads on the first lead."""
        if hasattr(error, "error_dict") and "leads" in error.error_dict:
            error.error_dict["lead_1"] = error.error_dict.pop("leads")
        apply_errors(self, error)


class ImprovementProgressForm(forms.Form):
    note = TextField(
        name="the progress",
        label="Progress",
        help_text="What has happened since the last update, and what happens next.",
        max_length=improvement_services.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": improvement_services.ENTER_NOTE},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "progress-%s")
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("note", rows=4), Button("submit", "Add the update"))


class ImprovementDoneForm(DateErrorsMixin, forms.Form):
    completed_on = date_field("Date done", "the date the action was done")
    note = TextField(
        name="the note",
        label="Note (optional)",
        help_text="What was done, and how you know it made a difference.",
        max_length=improvement_services.NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, today=None, **kwargs):
        kwargs.setdefault("auto_id", "done-%s")
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = today or timezone.localdate()
        self.fields["completed_on"].help_text = DATE_HINT.format(example="2026-03-27")
        self.helper = gds_helper(
            Field.text("completed_on"),
            Field.textarea("note", rows=2),
            Button.secondary("submit", "Mark as done"),
        )


# The tracker's filters -------------------------------------------------------------

STATUS_FILTERS = [
    ("open", "Open (not yet due or overdue)"),
    (ActionStatus.OVERDUE.value, "Overdue"),
    (ActionStatus.NOT_YET_DUE.value, "Not yet due"),
    ("no_update", "No update recently"),
    ("completed", "Completed"),
    (ActionStatus.COMPLETED_ON_TIME.value, "Completed on time"),
    (ActionStatus.COMPLETED_LATE.value, "Completed late"),
    (TransferStatus.NOT_TRANSFERRED.value, "Care planning: not yet in the plan"),
]


class TrackerFilter(FilterSet):
    """Filters over a queryset annotated with each action's status."""

    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_FILTERS, method="filter_status", empty_label="Any status"
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=ActionKind.choices, empty_label="Any kind"
    )
    team = django_filters.ModelChoiceFilter(
        label="Team",
        field_name="child__team",
        queryset=Team.objects.all(),
        empty_label="Any team",
        help_text="The child's team now.",
    )
    service_area = django_filters.ModelChoiceFilter(
        label="Service area",
        field_name="child__team__service_area",
        queryset=ServiceArea.objects.all(),
        empty_label="Any service area",
    )
    owner = django_filters.ModelChoiceFilter(
        label="Owner", queryset=User.objects.all(), empty_label="Anyone"
    )
    raised = django_filters.DateFilter(
        label="Month raised",
        method="filter_raised",
        input_formats=MONTH_FORMATS,
        widget=MonthInput(),
        help_text="For example, 2026-03",
        error_messages={"invalid": "Enter the month raised as a real month, like 2026-03"},
    )

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset=queryset, request=request, **kwargs)
        user = user or request.user
        self.filters["team"].queryset = teams_visible_to(user).order_by("name")
        self.filters["service_area"].queryset = service_areas_visible_to(user)
        # people who own an action the user sees: the visible actions' owners, not the
        # whole tracker's query (its statuses and order) as a subquery
        self.filters["owner"].queryset = User.objects.filter(
            pk__in=actions_visible_to(user).order_by().values("owner").distinct()
        ).order_by("last_name", "first_name")
        self.form.helper = gds_helper(
            Field.select("status"),
            Field.select("kind"),
            Field.select("team"),
            Field.select("service_area"),
            Field.select("owner"),
            Field.text("raised"),
            Button.secondary("apply", "Apply filters"),
        )

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(closed_on__isnull=True)
        if value == "completed":
            return queryset.filter(closed_on__isnull=False)
        if value == "no_update":
            return queryset.filter(no_update=True)
        if value == TransferStatus.NOT_TRANSFERRED:
            return queryset.filter(transfer_status=value)
        return queryset.filter(status=value)

    def filter_raised(self, queryset, name, value):
        return queryset.filter(raised_on__year=value.year, raised_on__month=value.month)
