"""The audits API's viewset (audits.api)."""

from dataclasses import asdict

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import Pagination

from ..models import (
    Answer,
    Audit,
    DomainGrading,
)
from ..selectors import audits_visible_to
from ..services.allocation import adhoc_allocate
from ..services.audit import (
    EDITED_ELSEWHERE,
    NOT_EDITABLE,
    AuditIncompleteError,
    ConcurrentEditError,
    audit_save_draft,
    audit_submit,
)
from ..viewlog import ApiViewLogMixin
from .serializers import (
    AUDIT_INCOMPLETE,
    NOT_THE_AUDITOR,
    ONLY_QA_LEAD,
    AuditCreateSerializer,
    AuditDetailSerializer,
    AuditDraftSerializer,
    AuditFilter,
    AuditListSerializer,
    ConflictSerializer,
    ErrorSerializer,
    IncompleteSerializer,
    adhoc_api_errors,
)

# The viewset -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Audits you can see",
        description="Paginated and filterable. Each audit on the page is recorded in its "
        "history as viewed.",
    ),
    retrieve=extend_schema(
        summary="One audit, with its gradings, answers and participation",
        description="Each read is recorded in the audit's history.",
    ),
)
class AuditViewSet(
    ApiViewLogMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = AuditFilter
    pagination_class = Pagination
    serializer_class = AuditDetailSerializer

    def get_queryset(self):
        audits = audits_visible_to(self.request.user).order_by("-month", "due_date", "pk")
        if self.action == "list":
            return audits
        return audits.prefetch_related(
            Prefetch("gradings", queryset=DomainGrading.objects.select_related("domain")),
            Prefetch("answers", queryset=Answer.objects.select_related("question")),
            "proposed_actions",
        )

    def get_serializer_class(self):
        if self.action == "list":
            return AuditListSerializer
        return AuditDetailSerializer

    def _detail(self, audit: Audit) -> dict:
        return AuditDetailSerializer(self.get_queryset().get(pk=audit.pk)).data

    @extend_schema(
        summary="Allocate an ad hoc audit (QA Lead)",
        request=AuditCreateSerializer,
        responses={
            201: AuditDetailSerializer,
            400: OpenApiResponse(
                description="Field errors, keyed by field. A child audited within the last "
                "12 months, or a closed case, is refused under confirm_recent until the "
                "request is sent again with confirm_recent true."
            ),
            403: ErrorSerializer,
        },
    )
    def create(self, request):
        if not request.user.has_perm("audits.manage_programme"):
            raise exceptions.PermissionDenied(ONLY_QA_LEAD)
        serializer = AuditCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            created = adhoc_allocate(
                references=[data["case_reference"]],
                auditor=data["auditor_email"],
                due_date=data.get("due_date"),
                template=data["template"],
                reason=data.get("allocation_note", ""),
                user=request.user,
                today=timezone.localdate(),
                month=data["month"],
                confirmed=data["confirm_recent"],
            )
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(ONLY_QA_LEAD) from error
        except DjangoValidationError as error:
            raise serializers.ValidationError(adhoc_api_errors(error)) from error
        return Response(self._detail(created[0]), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Save a draft (the audit's auditor)",
        request=AuditDraftSerializer,
        responses={
            200: AuditDetailSerializer,
            400: OpenApiResponse(description="Field errors, keyed by field."),
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: ConflictSerializer,
        },
    )
    def partial_update(self, request, pk=None):
        audit = self.get_object()
        self._check_auditor(request.user, audit, "audits.edit_audit")
        serializer = AuditDraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            audit = audit_save_draft(
                audit=audit,
                user=request.user,
                data=serializer.service_data(),
                expected_version=serializer.validated_data["lock_version"],
            )
        except ConcurrentEditError:
            current = Audit.objects.values_list("lock_version", flat=True).get(pk=audit.pk)
            return Response(
                {"detail": EDITED_ELSEWHERE, "lock_version": current},
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(NOT_THE_AUDITOR) from error
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise serializers.ValidationError(error.message_dict) from error
            raise serializers.ValidationError({"non_field_errors": error.messages}) from error
        return Response(self._detail(audit))

    @extend_schema(
        summary="Submit the audit (the audit's auditor)",
        request=None,
        responses={
            200: AuditDetailSerializer,
            400: IncompleteSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        audit = self.get_object()
        self._check_auditor(request.user, audit, "audits.submit_audit")
        try:
            audit = audit_submit(audit=audit, user=request.user)
        except AuditIncompleteError as error:
            return Response(
                {
                    "detail": AUDIT_INCOMPLETE,
                    "missing_items": [asdict(item) for item in error.items],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(NOT_THE_AUDITOR) from error
        except DjangoValidationError as error:
            raise exceptions.PermissionDenied(NOT_EDITABLE) from error
        return Response(self._detail(audit))

    @staticmethod
    def _check_auditor(user, audit, perm):
        if user.has_perm(perm, audit):
            return
        if audit.auditor_id == user.pk and not audit.is_editable:
            raise exceptions.PermissionDenied(NOT_EDITABLE)
        raise exceptions.PermissionDenied(NOT_THE_AUDITOR)
