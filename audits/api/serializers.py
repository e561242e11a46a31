"""The audits API's messages, serializers, filters and pagination (audits.api)."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from accounts.models import User
from common import api as common_api
from common.filters import FilterSet, IdFilter
from common.forms import DATE_YEAR_RANGE, MAX_YEAR, MIN_YEAR, TEXT_MAX_LENGTH, parse_id

from ..models import (
    Answer,
    Audit,
    AuditStatus,
    AuditTemplate,
    AuditType,
    DomainGrading,
    Grade,
    Involvement,
    NotSpokenReason,
    ProposedAction,
    RIBand,
)
from ..services.allocation import ADHOC_REASON_MAX_LENGTH
from ..services.audit import (
    DRAFT_FIELDS,
    MAX_PROPOSED_ACTIONS,
    TOO_MANY_ACTIONS,
)

# Messages, as constants the tests assert on.
NO_SUCH_AUDITOR = "No active auditor has the email address {email}"
CONFIRM_RECENT_NEEDED = (
    "To allocate it anyway, send the request again with confirm_recent set to true"
)
NOT_THE_AUDITOR = "Only the audit's auditor can change or submit it"
ONLY_QA_LEAD = "Only the QA Lead can allocate audits"
AUDIT_INCOMPLETE = "The audit is not complete: see missing_items"
KEY_NOT_ID = "Use the id (a whole number) as the key"
UNKNOWN_FIELD = "Unknown field: {name}"
NO_SUCH_PERSON = "No person has the id {id}"
MONTH_FORMAT = "Enter the month as YYYY-MM, like 2026-04"
ANSWER_NOT_JSON = (
    "Send the answer as text, a number (not too big to store), or a list of option keys"
)
MONTH_YEAR_RANGE = DATE_YEAR_RANGE.format(Name="The month", min_year=MIN_YEAR, max_year=MAX_YEAR)

#: the ad hoc allocation service's field names, as the API calls them
ADHOC_API_FIELDS = {
    "references": "case_reference",
    "auditor": "auditor_email",
    "reason": "allocation_note",
    "confirm": "confirm_recent",
}

PARTICIPATION_FIELDS = (
    "social_worker_involved",
    "team_manager_involved",
    "iro_involved",
    "child_spoken_to",
    "child_not_spoken_reason",
    "parent_carer_spoken_to",
    "parent_not_spoken_reason",
)


_VOCABULARY_FIELDS: dict[type, type] = {}


def choice(vocabulary, **kwargs) -> serializers.ChoiceField:
    """A choice field whose schema is the vocabulary's own component (Grade, RIBand,
    Involvement, NotSpokenReason): shared vocabularies appear under many field names,
    which would otherwise each name the same enum."""
    if vocabulary not in _VOCABULARY_FIELDS:
        values = [value for value, _ in vocabulary.choices]
        schema = {"type": "string", "enum": [*values, ""]}
        _VOCABULARY_FIELDS[vocabulary] = extend_schema_field(
            schema, component_name=vocabulary.__name__
        )(type(f"{vocabulary.__name__}Field", (serializers.ChoiceField,), {}))
    return _VOCABULARY_FIELDS[vocabulary](choices=vocabulary.choices, **kwargs)


# Reading -----------------------------------------------------------------------------


class GradingSerializer(serializers.ModelSerializer):
    domain_name = serializers.CharField(source="domain.name", read_only=True)
    grade = choice(Grade, read_only=True)
    ri_band = choice(RIBand, read_only=True)

    class Meta:
        model = DomainGrading
        fields = ["domain", "domain_name", "grade", "ri_band", "evidence"]


class AnswerSerializer(serializers.ModelSerializer):
    question_text = serializers.CharField(source="question.text", read_only=True)
    value = serializers.JSONField(allow_null=True)

    class Meta:
        model = Answer
        fields = ["question", "question_text", "value", "comment"]


class ProposedActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposedAction
        fields = ["text", "for_child_plan", "suggested_owner", "suggested_due"]


class ParticipationSerializer(serializers.ModelSerializer):
    social_worker_involved = choice(Involvement, read_only=True)
    team_manager_involved = choice(Involvement, read_only=True)
    iro_involved = choice(Involvement, read_only=True)
    child_spoken_to = choice(Involvement, read_only=True)
    child_not_spoken_reason = choice(NotSpokenReason, read_only=True)
    parent_carer_spoken_to = choice(Involvement, read_only=True)
    parent_not_spoken_reason = choice(NotSpokenReason, read_only=True)

    class Meta:
        model = Audit
        fields = list(PARTICIPATION_FIELDS)


class AuditListSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="display_reference", read_only=True)
    case_reference = serializers.CharField(source="child.case_reference", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    auditor_email = serializers.EmailField(
        source="auditor.email", read_only=True, allow_null=True, default=None
    )
    overall_grade = choice(Grade, read_only=True)
    overall_ri_band = choice(RIBand, read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "reference",
            "audit_type",
            "status",
            "month",
            "due_date",
            "case_reference",
            "team",
            "team_name",
            "auditor",
            "auditor_email",
            "template",
            "overall_grade",
            "overall_ri_band",
            "completed_on",
            "lock_version",
        ]
        read_only_fields = fields


class AuditDetailSerializer(AuditListSerializer):
    gradings = GradingSerializer(many=True, read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)
    actions = ProposedActionSerializer(source="proposed_actions", many=True, read_only=True)
    participation = ParticipationSerializer(source="*", read_only=True)

    class Meta(AuditListSerializer.Meta):
        fields = [
            *AuditListSerializer.Meta.fields,
            "overall_rationale",
            "strengths",
            "areas_for_development",
            "participation",
            "gradings",
            "answers",
            "actions",
            "reaudit_of",
            "submitted_at",
            "accepted_at",
            "returned_at",
            "return_comments",
        ]
        read_only_fields = fields


class MonthFormField(forms.CharField):
    """A month as YYYY-MM (or its first day, YYYY-MM-DD), in a year from MIN_YEAR to
    MAX_YEAR, cleaned to its first day."""

    PATTERN = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])(-01)?")

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = self.PATTERN.fullmatch(value)
        if match is None:
            raise forms.ValidationError(MONTH_FORMAT, code="invalid")
        year, month = int(match[1]), int(match[2])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise forms.ValidationError(MONTH_YEAR_RANGE, code="year_range")
        return datetime.date(year, month, 1)


class MonthFilter(filters.Filter):
    field_class = MonthFormField


DAY_FORMAT = "{name} must be a real date written YYYY-MM-DD, like 2026-04-01"


class DayFormField(forms.DateField):
    """A day written YYYY-MM-DD; ``name`` is the parameter, named in the message."""

    def __init__(self, *, name: str, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)
        self.error_messages["invalid"] = DAY_FORMAT.format(name=name)


class DayFilter(filters.Filter):
    field_class = DayFormField


class AuditFilter(FilterSet):
    status = filters.ChoiceFilter(choices=AuditStatus.choices)
    audit_type = filters.ChoiceFilter(choices=AuditType.choices)
    team = IdFilter(field_name="team_id", what="team", help_text="The team's id.")
    month = MonthFilter(field_name="month", help_text="The month audited, as YYYY-MM.")
    completed_on_after = DayFilter(
        field_name="completed_on",
        lookup_expr="gte",
        name="completed_on_after",
        help_text="Completed on or after this day (YYYY-MM-DD).",
    )
    completed_on_before = DayFilter(
        field_name="completed_on",
        lookup_expr="lte",
        name="completed_on_before",
        help_text="Completed on or before this day (YYYY-MM-DD).",
    )

    class Meta:
        model = Audit
        fields = ["status", "audit_type", "team", "month"]


# Writing -----------------------------------------------------------------------------


class AuditCreateSerializer(serializers.Serializer):
    """What an ad hoc allocation needs; the rules are the page's
    (audits.services.allocation.adhoc_allocate)."""

    case_reference = serializers.CharField(
        max_length=40, error_messages={"max_length": "A case reference is 40 characters or fewer"}
    )
    auditor_email = serializers.EmailField(
        max_length=254,
        error_messages={
            "invalid": "Enter the auditor's email address, like name@council.example",
            "max_length": "An email address is 254 characters or fewer",
        },
    )
    template = serializers.PrimaryKeyRelatedField(
        queryset=AuditTemplate.objects.all(), pk_field=common_api.IdField(what="template")
    )
    month = common_api.DateField(
        name="the month",
        example="2026-04",
        input_formats=["%Y-%m-%d", "%Y-%m"],
        error_messages={"invalid": MONTH_FORMAT},
        help_text="The month audited: YYYY-MM, or any day in it as YYYY-MM-DD. This month "
        "or one of the next 12.",
    )
    due_date = common_api.DateField(
        name="the due date",
        required=False,
        allow_null=True,
        help_text="Empty: the last day of the month. Not in the past, nor before the month.",
    )
    allocation_note = common_api.TextField(
        name="the reason",
        max_length=ADHOC_REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="Why it was allocated (required); the auditor sees it.",
    )
    confirm_recent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True to allocate a child audited within the last 12 months, or whose "
        "case is closed; without it such a child is refused (400, under confirm_recent).",
    )

    def validate_auditor_email(self, value):
        auditor = User.objects.filter(email__iexact=value.strip()).first()
        if auditor is None:
            raise serializers.ValidationError(NO_SUCH_AUDITOR.format(email=value))
        return auditor


def adhoc_api_errors(error: DjangoValidationError) -> dict:
    """The service's errors under the API's field names; a child that needs confirming
    also says how to confirm."""
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": error.messages}
    errors = {
        ADHOC_API_FIELDS.get(field, field): messages
        for field, messages in error.message_dict.items()
    }
    if "confirm_recent" in errors:
        errors["confirm_recent"] = [*errors["confirm_recent"], CONFIRM_RECENT_NEEDED]
    return errors


class DraftFieldsSerializer(serializers.Serializer):
    overall_grade = choice(Grade, required=False, allow_blank=True)
    overall_ri_band = choice(RIBand, required=False, allow_blank=True)
    overall_rationale = common_api.TextField(
        name="the reasons for the overall grade", required=False, allow_blank=True
    )
    strengths = common_api.TextField(name="the strengths", required=False, allow_blank=True)
    areas_for_development = common_api.TextField(
        name="the areas for development", required=False, allow_blank=True
    )
    social_worker_involved = choice(Involvement, required=False, allow_blank=True)
    team_manager_involved = choice(Involvement, required=False, allow_blank=True)
    iro_involved = choice(Involvement, required=False, allow_blank=True)
    child_spoken_to = choice(Involvement, required=False, allow_blank=True)
    child_not_spoken_reason = choice(NotSpokenReason, required=False, allow_blank=True)
    parent_carer_spoken_to = choice(Involvement, required=False, allow_blank=True)
    parent_not_spoken_reason = choice(NotSpokenReason, required=False, allow_blank=True)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(DRAFT_FIELDS))
            if unknown:
                raise serializers.ValidationError(
                    {name: [UNKNOWN_FIELD.format(name=name)] for name in unknown}
                )
        return super().to_internal_value(data)


class DraftGradingSerializer(serializers.Serializer):
    grade = choice(Grade, required=False, allow_blank=True)
    ri_band = choice(RIBand, required=False, allow_blank=True)
    evidence = common_api.TextField(
        name="the evidence", required=False, allow_blank=True, trim_whitespace=False
    )


@extend_schema_field(
    {
        "description": "Text (at most 1000 characters), a number, one option's key, or a "
        "list of option keys, as the question asks; null to clear it.",
        "oneOf": [
            {"type": "string", "maxLength": TEXT_MAX_LENGTH},
            {"type": "number"},
            {"type": "array", "items": {"type": "string", "maxLength": 200}},
        ],
        "nullable": True,
    }
)
class AnswerValueField(serializers.JSONField):
    """Any JSON here; its shape is checked against the question by the service."""

    default_error_messages = {"invalid": ANSWER_NOT_JSON}


class DraftAnswerSerializer(serializers.Serializer):
    value = AnswerValueField(required=False, allow_null=True)
    comment = common_api.TextField(
        name="the evidence for the answer", required=False, allow_blank=True
    )


class DraftActionSerializer(serializers.Serializer):
    text = common_api.TextField(
        name="what must happen for the proposed action", required=False, allow_blank=True
    )
    for_child_plan = serializers.BooleanField(required=False, default=False)
    suggested_owner_id = common_api.IdField(what="suggested owner", required=False, allow_null=True)
    suggested_due = common_api.DateField(name="the suggested date", required=False, allow_null=True)


def _id_keys(value: dict) -> dict:
    ids = {key: parse_id(key) for key in value}
    bad = [key for key, id_ in ids.items() if id_ is None]
    if bad:
        raise serializers.ValidationError({key: [KEY_NOT_ID] for key in bad})
    return {ids[key]: item for key, item in value.items()}


class AuditDraftSerializer(serializers.Serializer):
    """The shape audits.services.audit.audit_save_draft takes, plus ``lock_version``."""

    lock_version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text="The audit's lock_version when you read it.",
    )
    fields = DraftFieldsSerializer(required=False)
    gradings = serializers.DictField(
        child=DraftGradingSerializer(), required=False, help_text="Keyed by domain id."
    )
    answers = serializers.DictField(
        child=DraftAnswerSerializer(), required=False, help_text="Keyed by question id."
    )
    actions = serializers.ListField(
        child=DraftActionSerializer(),
        required=False,
        max_length=MAX_PROPOSED_ACTIONS,
        error_messages={"max_length": TOO_MANY_ACTIONS},
        help_text="The whole list of proposed actions; replaces the saved list. "
        f"At most {MAX_PROPOSED_ACTIONS}.",
    )

    def to_internal_value(self, data):
        # Counted before each action is read: 10,000 of them are refused at once.
        if isinstance(data, dict):
            actions = data.get("actions")
            if isinstance(actions, list) and len(actions) > MAX_PROPOSED_ACTIONS:
                raise serializers.ValidationError({"actions": [TOO_MANY_ACTIONS]})
        return super().to_internal_value(data)

    def validate_gradings(self, value):
        return _id_keys(value)

    def validate_answers(self, value):
        return _id_keys(value)

    def validate_actions(self, value):
        owners = {a["suggested_owner_id"] for a in value if a.get("suggested_owner_id")}
        known = set(User.objects.filter(pk__in=owners).values_list("pk", flat=True))
        if owners - known:
            missing = min(owners - known)
            raise serializers.ValidationError(NO_SUCH_PERSON.format(id=missing))
        return value

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        data.pop("lock_version")
        return data


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class MissingItemSerializer(serializers.Serializer):
    section = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()


class IncompleteSerializer(serializers.Serializer):
    detail = serializers.CharField()
    missing_items = MissingItemSerializer(many=True)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    lock_version = serializers.IntegerField()
