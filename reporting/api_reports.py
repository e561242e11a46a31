"""The reports API: the stored QA reports a person may read, for Power BI and other tools.

Routes (registered in qa_audit/api.py under ``/api/v1/``): ``reports`` (ReportViewSet),
answering ``GET /api/v1/reports/`` and ``GET /api/v1/reports/{id}/`` (optionally
``?version=N``). Scoped like the pages (reporting.selectors.reports): a report the user
may not read is 404. The keys are a public contract (docs/api.md): add to them, never
rename.
"""

from __future__ import annotations

from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from accounts.models import ServiceArea
from common.api import Pagination
from common.filters import FilterSet
from common.forms import parse_id

from .api import ERROR_SCHEMA, SUMMARY_SCHEMA
from .filters import AREA_UNKNOWN
from .models import Report, ReportKind, ReportStatus, ReportVersion
from .selectors.reports import reports_visible_to, versions_visible_to

# Messages, as constants the tests assert on.
VERSION_INVALID = "version must be a version's number, a whole number from 1, like 2"
NO_SUCH_VERSION = "This report has no version {number} that you can read"
NO_SUCH_REPORT = "There is no report with this id that you can read"
NOT_ALLOWED = "Only Leaders, QA Leads, Administrators and Heads of Service can read QA reports"

#: the formats each version can be downloaded in
DOWNLOAD_FORMATS = ("docx", "pdf", "xlsx")
#: the largest version number worth looking up
VERSION_MAX = 2**31 - 1


def download_urls(request, version: ReportVersion) -> dict[str, str]:
    """The absolute address of the version's Word, PDF and Excel documents."""
    return {
        fmt: request.build_absolute_uri(
            reverse("reporting:report_download", args=[version.report_id, version.number, fmt])
        )
        for fmt in DOWNLOAD_FORMATS
    }


# The schema of the stored figures ------------------------------------------------------

_GRADES = SUMMARY_SCHEMA["properties"]["overall"]
_SHARE = {"type": "number", "nullable": True, "minimum": 0, "maximum": 1}
_MONTHS = {"type": "object", "description": "Keyed by month, YYYY-MM."}
FIGURES_SCHEMA = {
    "type": "object",
    "description": "The figures as they were computed when the version was generated, "
    "never recomputed: the summary API's keys for the report's period and scope, with "
    "the same meanings, and the report's own sections beside them.",
    "required": [*SUMMARY_SCHEMA["required"], "report", "programme", "previous", "performance"],
    "properties": {
        **SUMMARY_SCHEMA["properties"],
        "report": {
            "type": "object",
            "description": "What the report covers.",
            "properties": {
                "kind": {"type": "string", "enum": ReportKind.values},
                "label": {"type": "string"},
                "start": {"type": "string", "format": "date"},
                "end": {"type": "string", "format": "date"},
                "service_area": {
                    "type": "string",
                    "nullable": True,
                    "description": "Null: the whole organisation.",
                },
            },
        },
        "programme": {
            "type": "object",
            "description": "The audit programme month by month, and the grades by the "
            "child's legal status.",
            "properties": {
                "by_month": {
                    **_MONTHS,
                    "additionalProperties": {
                        "type": "object",
                        "properties": {
                            "allocated": {"type": "integer"},
                            "completed_of_allocated": {"type": "integer"},
                            "completed": {"type": "integer"},
                            "completion_rate": _SHARE,
                        },
                    },
                },
                "by_legal_status": {
                    "type": "object",
                    "description": "Keyed by legal status: completed and the four grades.",
                    "additionalProperties": {"type": "object"},
                },
            },
        },
        "domains_by_month": {
            **_MONTHS,
            "description": "Each month's domain grades, YYYY-MM: as ``domains``.",
            "additionalProperties": {"type": "object"},
        },
        "previous": {
            "type": "object",
            "description": "The period before (the quarter or year before), to compare "
            "with: its label, start, end, audits completed, final grades and domains.",
            "properties": {
                "label": {"type": "string"},
                "start": {"type": "string", "format": "date"},
                "end": {"type": "string", "format": "date"},
                "completed": {"type": "integer"},
                "overall": _GRADES,
                "domains": {"type": "object"},
            },
        },
        "quarters": {
            "type": "object",
            "description": "Annual reports only: each quarter of the year by its label "
            "(Q1 2025/26): start, end, completed, overall and overall_shares.",
            "additionalProperties": {"type": "object"},
        },
        "performance": {
            "type": "array",
            "description": "The performance snapshot: each measure against its target.",
            "items": {
                "type": "object",
                "properties": {
                    "measure": {"type": "string"},
                    "value": {
                        "description": "The figure: a number, or as the page words it.",
                        "anyOf": [{"type": "number"}, {"type": "string"}],
                        "nullable": True,
                    },
                    "target": {
                        "description": "The target: a number, or as the page words it.",
                        "anyOf": [{"type": "number"}, {"type": "string"}],
                        "nullable": True,
                    },
                    "rag": {"type": "string"},
                    "rag_label": {"type": "string"},
                    "direction": {"type": "string"},
                    "sentence": {"type": "string"},
                    "earlier": {"type": "array", "items": {"type": "array"}},
                    "small_sample": {"type": "boolean"},
                    "interval": {"type": "array", "nullable": True, "items": {"type": "number"}},
                },
            },
        },
        "quotes": {
            "type": "array",
            "description": "Families' words the QA team made ready for reports.",
            "items": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "attribution": {"type": "string"},
                    "theme": {"type": "string"},
                },
            },
        },
    },
}
CHANGES_SCHEMA = {
    "type": "object",
    "description": "What moved since the version before, and the audits why; empty for "
    "a first version.",
    "properties": {
        "from_version": {"type": "integer", "description": "The version compared with."},
        "figures": {
            "type": "array",
            "description": "Each figure whose value differs.",
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string", "description": "Its path, like overall.Good."},
                    "label": {"type": "string"},
                    "before": {"type": "number", "nullable": True},
                    "after": {"type": "number", "nullable": True},
                },
            },
        },
        "audits": {
            "type": "object",
            "description": "Audit references: late returns (submitted after the version "
            "before was generated), others newly counted, those no longer counted, and "
            "those regraded.",
            "properties": {
                "late": {"type": "array", "items": {"type": "string"}},
                "added": {"type": "array", "items": {"type": "string"}},
                "removed": {"type": "array", "items": {"type": "string"}},
                "regraded": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "reference": {"type": "string"},
                            "before": {"type": "string"},
                            "after": {"type": "string"},
                        },
                    },
                },
            },
        },
        "reasons": {"type": "string", "description": "In words: two late returns, ..."},
    },
}


@extend_schema_field(FIGURES_SCHEMA)
class FiguresField(serializers.JSONField):
    pass


@extend_schema_field(CHANGES_SCHEMA)
class ChangesField(serializers.JSONField):
    pass


@extend_schema_field(
    {
        "type": "object",
        "description": "Where to download this version, as absolute addresses.",
        "properties": {fmt: {"type": "string", "format": "uri"} for fmt in DOWNLOAD_FORMATS},
        "required": list(DOWNLOAD_FORMATS),
    }
)
class DownloadsField(serializers.Field):
    def to_representation(self, version):
        return download_urls(self.context["request"], version)


# Serializers: a report with the version shown (``report.shown``) ------------------------


@extend_schema_field({"type": "string", "enum": ReportKind.values}, component_name="ReportKind")
class KindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ReportKind.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": ReportStatus.values}, component_name="ReportStatus")
class StatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ReportStatus.choices, **kwargs)


class ReportPeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class VersionItemSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="number")
    status = StatusField()
    generated_at = serializers.DateTimeField()


class ReportListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = KindField()
    label = serializers.CharField(help_text="The period as written in the report.")
    service_area = serializers.CharField(
        source="service_area.name",
        allow_null=True,
        default=None,
        help_text="Null: the whole organisation.",
    )
    period = ReportPeriodSerializer(source="*")
    version = serializers.IntegerField(source="shown.number")
    status = StatusField(source="shown.status")
    generated_at = serializers.DateTimeField(source="shown.generated_at")
    generated_by = serializers.SerializerMethodField(
        help_text="Who generated the version; null for the schedule."
    )
    published_at = serializers.DateTimeField(source="shown.published_at", allow_null=True)
    url = serializers.SerializerMethodField(help_text="The report's address in this API.")

    def get_generated_by(self, report) -> str | None:
        person = report.shown.generated_by
        return str(person) if person is not None else None

    def get_url(self, report) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("report-detail", args=[report.pk])
        )


class ReportDetailSerializer(ReportListSerializer):
    url = None
    figures = FiguresField(source="shown.figures")
    changes = ChangesField(source="shown.changes")
    versions = serializers.SerializerMethodField()
    downloads = DownloadsField(source="shown")

    @extend_schema_field(VersionItemSerializer(many=True))
    def get_versions(self, report):
        return VersionItemSerializer(report.readable_versions, many=True).data


# Filters -------------------------------------------------------------------------------


class ServiceAreaFormField(forms.CharField):
    """A service area by its name (any case) or id."""

    def to_python(self, value):
        text = " ".join((super().to_python(value) or "").split())
        if not text:
            return None
        if len(text) > ServiceArea._meta.get_field("name").max_length:
            raise forms.ValidationError(AREA_UNKNOWN, code="invalid")
        pk = parse_id(text)
        found = ServiceArea.objects.filter(**({"pk": pk} if pk else {"name__iexact": text}))
        area = found.first()
        if area is None:
            raise forms.ValidationError(AREA_UNKNOWN, code="invalid")
        return area


@extend_schema_field(OpenApiTypes.STR)
class ServiceAreaFilter(filters.Filter):
    field_class = ServiceAreaFormField


class ReportFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=ReportKind.choices, help_text="quarterly, annual or range.")
    service_area = ServiceAreaFilter(
        field_name="service_area",
        help_text="A service area's name as shown in the product (any case), or its id: "
        "that service area's reports.",
    )
    status = filters.ChoiceFilter(
        choices=ReportStatus.choices,
        method="filter_status",
        help_text="The status of the latest version you can read.",
    )

    class Meta:
        model = Report
        fields = ["kind", "service_area", "status"]

    def filter_status(self, reports, name, value):
        """Only those who manage reports read drafts; their latest version is a draft
        where no version follows it."""
        if not self.request.user.has_perm("reporting.manage_reports"):
            return reports if value == ReportStatus.PUBLISHED else reports.none()
        newer = ReportVersion.objects.filter(
            report=OuterRef("report"), number__gt=OuterRef("number")
        )
        latest_drafts = ReportVersion.objects.filter(status=ReportStatus.DRAFT).filter(
            ~Exists(newer)
        )
        drafts = Q(pk__in=latest_drafts.values("report"))
        return reports.filter(drafts if value == ReportStatus.DRAFT else ~drafts)


# The viewset ---------------------------------------------------------------------------


class CanViewReports(permissions.BasePermission):
    message = NOT_ALLOWED

    def has_permission(self, request, view):
        return request.user.has_perm("reporting.view_reports")


def _version_number(text: str | None) -> int | None:
    """``?version=``: None for the latest, else a positive whole number (400 otherwise)."""
    text = (text or "").strip()
    if not text:
        return None
    digits = text.isascii() and text.isdigit() and len(text) <= len(str(VERSION_MAX))
    if not digits or not 1 <= int(text) <= VERSION_MAX:
        raise ValidationError({"version": [VERSION_INVALID]})
    return int(text)


NOT_FOUND = OpenApiResponse(
    {"type": "object", "properties": {"detail": {"type": "string"}}},
    description="No such report (or version) that you can read: a Head of Service reads "
    "their own service area's reports only; drafts are for the QA Lead and Administrators.",
)
FORBIDDEN = OpenApiResponse(
    {"type": "object", "properties": {"detail": {"type": "string"}}},
    description="Not signed in, or not a Leader, QA Lead, Administrator or Head of Service.",
)


@extend_schema_view(
    list=extend_schema(
        operation_id="reports_list",
        summary="The QA reports you can read",
        description="Newest period first, each with the latest version you can read: "
        "published versions, and drafts too for the QA Lead and Administrators. A Head "
        "of Service sees their own service area's reports. Paginated (50 a page, "
        "page_size up to 200) and filterable.",
        responses={
            200: ReportListSerializer(many=True),
            400: OpenApiResponse(ERROR_SCHEMA, description="A wrong filter."),
            403: FORBIDDEN,
        },
    ),
    retrieve=extend_schema(
        operation_id="reports_retrieve",
        summary="One QA report: a version's stored figures, what changed, its versions",
        description="The latest version you can read, or the one asked for with "
        "``?version=N``. The figures are those stored when the version was generated: "
        "a published version reads the same forever.",
        parameters=[
            OpenApiParameter(
                "version",
                OpenApiTypes.INT,
                description="A version's number; the latest you can read if left out.",
            )
        ],
        responses={
            200: ReportDetailSerializer,
            400: OpenApiResponse(ERROR_SCHEMA, description="A wrong version number."),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        examples=[
            OpenApiExample(
                "Not a number",
                value={"version": [VERSION_INVALID]},
                response_only=True,
                status_codes=["400"],
            )
        ],
    ),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Stored QA reports, scoped like the report pages."""

    permission_classes = [permissions.IsAuthenticated, CanViewReports]
    filterset_class = ReportFilter
    pagination_class = Pagination
    queryset = Report.objects.none()  # for the schema: get_queryset scopes each request

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ReportDetailSerializer
        return ReportListSerializer

    def get_queryset(self) -> QuerySet[Report]:
        return reports_visible_to(self.request.user).order_by(
            "-end", "kind", F("service_area__name").asc(nulls_first=True), "pk"
        )

    def list(self, request, *args, **kwargs):
        reports = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(reports)
        _attach_latest(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        number = _version_number(request.query_params.get("version"))
        report = self.get_object()
        versions = versions_visible_to(request.user, report)
        version = versions.first() if number is None else versions.filter(number=number).first()
        if version is None:
            raise NotFound(
                NO_SUCH_REPORT if number is None else NO_SUCH_VERSION.format(number=number)
            )
        report.shown = version
        report.readable_versions = versions.select_related(None).only(
            "report", "number", "status", "generated_at"
        )
        return Response(self.get_serializer(report).data)

    def get_object(self) -> Report:
        pk = parse_id(self.kwargs["pk"])
        report = self.get_queryset().filter(pk=pk).first() if pk else None
        if report is None or not self.request.user.has_perm("reporting.view_report", report):
            raise NotFound(NO_SUCH_REPORT)
        return report


def _attach_latest(reports: list[Report]) -> None:
    """Give each report of a page the latest version the user may read, in one query
    (without the stored figures)."""
    wanted = {(report.pk, report.latest_number) for report in reports}
    rows = (
        ReportVersion.objects.filter(
            report__in=[pk for pk, _ in wanted], number__in={n for _, n in wanted}
        )
        .select_related("generated_by")
        .defer("figures", "basis", "changes")
    )
    shown = {(v.report_id, v.number): v for v in rows if (v.report_id, v.number) in wanted}
    for report in reports:
        report.shown = shown[(report.pk, report.latest_number)]
