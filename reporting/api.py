"""The summary API for Power BI and other tools: the leaders' figures for a period.

Route (registered in qa_audit/api.py under ``/api/v1/``): ``reports/summary``
(SummaryViewSet), answering ``GET /api/v1/reports/summary/?start=YYYY-MM-DD&end=YYYY-MM-DD``
with optional ``service_area``, ``team``, ``legal_status`` and ``audit_type``. The keys are
a public contract (docs/api.md): add to them, never rename.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from audits.models import GRADED, Grade
from common.schema import OneObjectSchema

from .filters import slice_from
from .selectors import summary

GRADE_NAMES = [Grade(g).label for g in GRADED]


def _counts(extra: dict | None = None, description: str = "") -> dict:
    properties = {name: {"type": "integer"} for name in GRADE_NAMES} | (extra or {})
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
    }


_SHARE = {"type": "number", "nullable": True, "minimum": 0, "maximum": 1}
SUMMARY_SCHEMA = {
    "type": "object",
    "required": [
        "audits",
        "overall",
        "overall_original",
        "by_month",
        "by_service_area",
        "domains",
        "moderation",
        "participation",
        "actions",
        "feedback",
    ],
    "properties": {
        "period": {
            "type": "object",
            "properties": {
                "start": {"type": "string", "format": "date"},
                "end": {"type": "string", "format": "date"},
            },
        },
        "filters": {
            "type": "object",
            "description": "The filters applied (ids and stored values).",
        },
        "audits": {
            "type": "object",
            "properties": {
                "completed": {"type": "integer", "description": "Completed in the period."},
                "allocated": {
                    "type": "integer",
                    "description": "Allocated for the period's months.",
                },
                "completed_of_allocated": {"type": "integer"},
                "accepted": {
                    "type": "integer",
                    "description": "Completed to the accepted standard.",
                },
                "completion_rate": _SHARE,
            },
        },
        "overall": _counts(description="Final overall grades (moderated where moderated)."),
        "overall_original": _counts(description="The auditors' overall grades."),
        "overall_shares": {
            "type": "object",
            "description": "Final overall grades as shares from 0 to 1.",
            "properties": dict.fromkeys(GRADE_NAMES, _SHARE),
        },
        "overall_original_shares": {
            "type": "object",
            "description": "The auditors' overall grades as shares from 0 to 1.",
            "properties": dict.fromkeys(GRADE_NAMES, _SHARE),
        },
        "lower_ri": {"type": "integer", "description": "Final Requires Improvement, lower band."},
        "by_month": {
            "type": "object",
            "description": "Final overall grades by the month of completion, YYYY-MM.",
            "additionalProperties": _counts(),
        },
        "by_service_area": {
            "type": "object",
            "additionalProperties": _counts({"completed": {"type": "integer"}}),
        },
        "domains": {
            "type": "object",
            "description": "Each domain's final grades.",
            "additionalProperties": _counts({"Not graded": {"type": "integer"}}),
        },
        "moderation": {
            "type": "object",
            "properties": {
                key: {"type": "integer"}
                for key in (
                    "moderated",
                    "agreed",
                    "upgraded",
                    "downgraded",
                    "inadequate_identified_by_moderation",
                )
            }
            | {
                "transitions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "from": {"type": "string", "enum": GRADE_NAMES},
                            "to": {"type": "string", "enum": GRADE_NAMES},
                            "count": {"type": "integer"},
                        },
                    },
                }
            },
        },
        "participation": {
            "type": "object",
            "description": "Shares of the audits where each applies (not applicable left out).",
            "properties": dict.fromkeys(
                ("social_worker", "team_manager", "iro_cp_chair", "child", "family"), _SHARE
            ),
        },
        "actions": {
            "type": "object",
            "description": "Closing the Loop, Cases of Concern, re-audits.",
        },
        "feedback": {
            "type": "object",
            "description": "Family feedback, as /api/feedback/figures/.",
        },
        "other_audits": {
            "type": "object",
            "description": "Dip samples, thematic and multi-agency audits, observations.",
        },
    },
}
ERROR_SCHEMA = {
    "type": "object",
    "description": "Each wrong parameter, with what is wrong.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


class CanViewFigures(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("reporting.view_figures")


def _text(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, description=description)


class SummaryViewSet(viewsets.ViewSet):
    """The leaders' figures for a period, start and end inclusive, by the day each audit
    was completed. Leaders, QA Leads and Administrators see the whole organisation; a
    Head of Service their own service area."""

    permission_classes = [permissions.IsAuthenticated, CanViewFigures]
    schema = OneObjectSchema()

    @extend_schema(
        operation_id="reports_summary",
        parameters=[
            OpenApiParameter(
                "start", OpenApiTypes.DATE, required=True, description="The first day, YYYY-MM-DD."
            ),
            OpenApiParameter(
                "end", OpenApiTypes.DATE, required=True, description="The last day, YYYY-MM-DD."
            ),
            _text("service_area", "A service area's name (or id)."),
            _text("team", "A team's name (or id)."),
            _text("legal_status", "A legal status as shown, e.g. Child in Need."),
            _text("audit_type", "Child Journey Audit (the default), Re-audit, or All."),
        ],
        responses={
            200: OpenApiResponse(SUMMARY_SCHEMA, description="The figures."),
            400: OpenApiResponse(ERROR_SCHEMA, description="A missing or wrong parameter."),
            403: OpenApiResponse(
                description="Not a Leader, QA Lead, Administrator or Head of Service; or "
                "another service area than a Head of Service's own."
            ),
        },
        examples=[
            OpenApiExample(
                "Bad dates",
                value={"start": ["start must be a real date written YYYY-MM-DD, like 2026-04-01"]},
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def list(self, request, format=None):
        reading = slice_from(request.user, request.query_params)
        if reading.errors:
            raise ValidationError({name: [message] for name, message in reading.errors.items()})
        if reading.denied:
            raise PermissionDenied(reading.denied)
        return Response(summary(reading.slice))
