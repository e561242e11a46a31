"""The actions API: a person's actions, scoped like the tracker and filtered the same
way, and recording an update (done, transferred to the plan, note) through the same
services and validation as the pages.

Register in qa_audit/api.py: ``router.register("actions", ActionViewSet, basename="action")``.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from audits.viewlog import ApiViewLogMixin
from common import api as common_api

from . import selectors, services
from .forms import TrackerFilter
from .models import Action, ActionStatus, ActionUpdate, ActionUpdateKind, TransferStatus
from .services.actions import NOTE_MAX_LENGTH, NOTE_TOO_LONG


# Described rather than enumerated: an enum of a field named "status" collides with
# the audits API's in the schema's component names.
@extend_schema_field(
    {
        "type": "string",
        "description": "Today's status, from the action's dates and updates: "
        + ", ".join(ActionStatus.values)
        + ".",
    }
)
class StatusField(serializers.CharField):
    pass


@extend_schema_field(
    {
        "type": "string",
        "enum": ["", *TransferStatus.values],
        "description": "For a care-planning action, whether it is in the child's plan; "
        '"" for other actions.',
    }
)
class TransferStatusField(serializers.CharField):
    pass


class ActionSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="child.case_reference", read_only=True)
    status = StatusField(read_only=True)
    no_update = serializers.BooleanField(read_only=True)
    transfer_status = TransferStatusField(read_only=True)
    completed_on = serializers.DateField(read_only=True, allow_null=True)
    transferred_on = serializers.DateField(read_only=True, allow_null=True)
    closed_on = serializers.DateField(read_only=True, allow_null=True)
    last_activity_on = serializers.DateField(read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "audit",
            "child",
            "case_reference",
            "team",
            "text",
            "kind",
            "owner",
            "raised_on",
            "due_date",
            "status",
            "no_update",
            "transfer_status",
            "completed_on",
            "transferred_on",
            "closed_on",
            "last_activity_on",
        ]
        read_only_fields = fields


class ActionUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionUpdate
        fields = [
            "id",
            "action",
            "kind",
            "happened_on",
            "recorded_on",
            "note",
            "child_family_involved",
            "iro_involved",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


#: the service's field names, as the API calls them
API_FIELDS = {"completed_on": "happened_on", "transferred_on": "happened_on"}

UPDATE_KINDS = [
    (ActionUpdateKind.COMPLETED.value, "Done"),
    (ActionUpdateKind.TRANSFERRED.value, "Transferred to the child's plan"),
    (ActionUpdateKind.NOTE.value, "Note"),
]


class NewUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=UPDATE_KINDS,
        error_messages={"invalid_choice": "Choose completed, transferred or note"},
    )
    happened_on = common_api.DateField(
        name="the date it was done or transferred",
        required=False,
        allow_null=True,
        help_text="The day it was done or transferred (completed and transferred only).",
    )
    note = common_api.TextField(
        name="the note",
        max_length=NOTE_MAX_LENGTH,
        error_messages={"max_length": NOTE_TOO_LONG},
        required=False,
        allow_blank=True,
        default="",
    )
    child_family_involved = serializers.BooleanField(required=False, default=False)
    iro_involved = serializers.BooleanField(required=False, default=False)


class ActionViewSet(ApiViewLogMixin, viewsets.ReadOnlyModelViewSet):
    """Actions the signed-in person may see, each with its status today. Each action
    read, alone or on a page of the list, is recorded as a view of its audit."""

    serializer_class = ActionSerializer
    filterset_class = TrackerFilter
    queryset = Action.objects.none()

    def audits_shown(self, action):
        return [action.audit_id]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Action.objects.none()
        user = self.request.user
        if not user.has_perm("actions.view_tracker"):
            raise ApiPermissionDenied
        return selectors.with_today_status(selectors.actions_visible_to(user)).order_by(
            "due_date", "pk"
        )

    @extend_schema(request=NewUpdateSerializer, responses={201: ActionUpdateSerializer})
    @route(detail=True, methods=["post"], url_path="updates")
    def add_update(self, request, pk=None):
        """Record that the action was done, transferred to the child's plan, or a note."""
        action = self.get_object()
        if not request.user.has_perm("actions.update_action", action):
            raise ApiPermissionDenied
        incoming = NewUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            update = self._record(action, data)
        except PermissionDenied:
            raise ApiPermissionDenied from None
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(
                    {
                        API_FIELDS.get(field, field): messages
                        for field, messages in error.message_dict.items()
                    }
                ) from None
            raise ValidationError({"non_field_errors": error.messages}) from None
        return Response(ActionUpdateSerializer(update).data, status=status.HTTP_201_CREATED)

    def _record(self, action, data):
        user = self.request.user
        kind = data["kind"]
        if kind == ActionUpdateKind.COMPLETED:
            return services.action_complete(
                action=action, user=user, completed_on=data.get("happened_on"), note=data["note"]
            )
        if kind == ActionUpdateKind.TRANSFERRED:
            return services.action_transfer(
                action=action,
                user=user,
                transferred_on=data.get("happened_on"),
                child_family_involved=data["child_family_involved"],
                iro_involved=data["iro_involved"],
                note=data["note"],
            )
        return services.action_add_note(action=action, user=user, note=data["note"])
