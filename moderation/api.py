"""Read-only API: moderation reviews and figures, scoped like the pages.

Routes (registered in qa_audit/api.py):
``moderation/reviews`` (ReviewViewSet) and ``moderation/statistics`` (StatisticsViewSet).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from audits.api import choice
from audits.models import Grade
from audits.viewlog import ApiViewLogMixin
from common.schema import OneObjectSchema

from . import selectors
from .forms import StatisticsForm
from .models import ModerationReview, Outcome, ReviewDomainGrade, ReviewStatus
from .statistics import moderation_figures
from .views.statistics import scope_from

# Reviews ---------------------------------------------------------------------------------


class ReviewDomainGradeSerializer(serializers.ModelSerializer):
    domain = serializers.CharField(source="domain.name", read_only=True)
    domain_id = serializers.IntegerField(read_only=True)
    original_grade = choice(Grade, read_only=True)
    moderated_grade = choice(Grade, read_only=True)

    class Meta:
        model = ReviewDomainGrade
        fields = ["domain_id", "domain", "original_grade", "moderated_grade", "rationale"]


class ReviewSerializer(serializers.ModelSerializer):
    audit = serializers.IntegerField(source="audit_id", read_only=True)
    case_reference = serializers.CharField(source="audit.child.case_reference", read_only=True)
    team = serializers.CharField(source="audit.team.name", read_only=True)
    auditor = serializers.SerializerMethodField()
    moderator = serializers.SerializerMethodField()
    panel_month = serializers.DateField(source="panel.month", read_only=True, allow_null=True)
    status = choice(ReviewStatus, read_only=True)
    original_grade = choice(Grade, read_only=True)
    moderated_grade = choice(Grade, read_only=True)
    outcome = choice(Outcome, read_only=True)
    reasons = serializers.SerializerMethodField()
    domain_grades = ReviewDomainGradeSerializer(many=True, read_only=True)

    class Meta:
        model = ModerationReview
        fields = [
            "id",
            "audit",
            "case_reference",
            "team",
            "auditor",
            "moderator",
            "panel_month",
            "status",
            "original_grade",
            "moderated_grade",
            "outcome",
            "rationale",
            "feedback",
            "reasons",
            "domain_grades",
            "finalised_at",
        ]
        read_only_fields = fields

    @staticmethod
    def _person(user) -> str | None:
        return user.get_full_name() if user is not None else None

    def get_auditor(self, review) -> str | None:
        return self._person(review.audit.auditor)

    def get_moderator(self, review) -> str | None:
        return self._person(review.moderator)

    def get_reasons(self, review) -> list[str]:
        return [r.reason for r in review.reasons.all()]


class ReviewViewSet(ApiViewLogMixin, viewsets.ReadOnlyModelViewSet):
    """Moderation reviews: the QA Lead sees all; a moderator the reviews assigned to them;
    an auditor the final reviews of their own audits. Each review read, alone or on a
    page of the list, is recorded as a view of its audit."""

    serializer_class = ReviewSerializer
    filterset_fields = ["status", "outcome", "panel"]

    def audits_shown(self, review):
        return [review.audit_id]

    def get_queryset(self):
        return (
            selectors.reviews_visible_to(self.request.user)
            .prefetch_related(
                Prefetch(
                    "domain_grades",
                    queryset=ReviewDomainGrade.objects.select_related("domain").order_by(
                        "domain__name"
                    ),
                ),
                "reasons",
            )
            .order_by("-created_at", "-pk")
        )


# Figures ---------------------------------------------------------------------------------


class CanViewStatistics(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("moderation.view_statistics")


class PeriodSerializer(serializers.Serializer):
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class ScopeSerializer(serializers.Serializer):
    service_area = serializers.IntegerField(allow_null=True)
    team = serializers.IntegerField(allow_null=True)
    auditor = serializers.IntegerField(allow_null=True)
    moderator = serializers.IntegerField(allow_null=True)


class TransitionSerializer(serializers.Serializer):
    auditor_grade = serializers.CharField()
    moderated_grade = serializers.CharField()
    count = serializers.IntegerField()


class DomainAgreementSerializer(serializers.Serializer):
    domain = serializers.CharField()
    pairs = serializers.IntegerField()
    agreed = serializers.IntegerField()
    agreed_pct = serializers.FloatField(allow_null=True)


class ReasonCountSerializer(serializers.Serializer):
    reason = serializers.CharField()
    count = serializers.IntegerField()


class ModerationFiguresSerializer(serializers.Serializer):
    period = PeriodSerializer()
    scope = ScopeSerializer()
    completed = serializers.IntegerField()
    moderated = serializers.IntegerField()
    moderated_share = serializers.FloatField(allow_null=True)
    agreed = serializers.IntegerField()
    upgraded = serializers.IntegerField()
    downgraded = serializers.IntegerField()
    agreed_pct = serializers.FloatField(allow_null=True)
    upgraded_pct = serializers.FloatField(allow_null=True)
    downgraded_pct = serializers.FloatField(allow_null=True)
    transitions = TransitionSerializer(many=True)
    final_inadequate = serializers.IntegerField()
    inadequate_found_by_moderation = serializers.IntegerField()
    inadequate_found_by_moderation_pct = serializers.FloatField(allow_null=True)
    domain_agreement = DomainAgreementSerializer(many=True)
    kappa = serializers.FloatField(allow_null=True)
    kappa_pairs = serializers.IntegerField()
    downgrade_reasons = ReasonCountSerializer(many=True)


def figures_data(figures, scope) -> dict:
    return {
        "period": {
            "label": figures.period.label,
            "start": figures.period.start,
            "end": figures.period.end,
        },
        "scope": {
            "service_area": scope.service_area,
            "team": scope.team,
            "auditor": scope.auditor,
            "moderator": scope.moderator,
        },
        "completed": figures.completed,
        "moderated": figures.moderated,
        "moderated_share": figures.moderated_share,
        "agreed": figures.agreed,
        "upgraded": figures.upgraded,
        "downgraded": figures.downgraded,
        "agreed_pct": figures.agreed_pct,
        "upgraded_pct": figures.upgraded_pct,
        "downgraded_pct": figures.downgraded_pct,
        "transitions": [
            {"auditor_grade": before, "moderated_grade": after, "count": count}
            for (before, after), count in sorted(figures.transitions.items())
        ],
        "final_inadequate": figures.final_inadequate,
        "inadequate_found_by_moderation": figures.inadequate_found_by_moderation,
        "inadequate_found_by_moderation_pct": figures.inadequate_found_by_moderation_pct,
        "domain_agreement": figures.domain_agreement,
        "kappa": figures.kappa,
        "kappa_pairs": figures.kappa_pairs,
        "downgrade_reasons": figures.downgrade_reasons,
    }


#: the form's fields, as the API names them
API_FIELDS = {"quarter": "number", "month": "number"}


class StatisticsViewSet(viewsets.ViewSet):
    """Moderation figures for a period and scope. A Head of Service sees their own
    service area only; a filter outside the user's scope is refused (400)."""

    permission_classes = [permissions.IsAuthenticated, CanViewStatistics]
    serializer_class = ModerationFiguresSerializer
    schema = OneObjectSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                enum=["month", "quarter", "year"],
                description="Default: quarter (the last complete quarter).",
            ),
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                description="The first calendar year of the financial year.",
            ),
            OpenApiParameter(
                "number",
                OpenApiTypes.INT,
                description="The month (1 to 12) or the quarter (1 to 4; Q1 is April to June).",
            ),
            OpenApiParameter("service_area", OpenApiTypes.INT),
            OpenApiParameter("team", OpenApiTypes.INT),
            OpenApiParameter("auditor", OpenApiTypes.INT),
            OpenApiParameter("moderator", OpenApiTypes.INT),
        ],
        responses=ModerationFiguresSerializer,
    )
    def list(self, request, format=None):
        form = StatisticsForm(request.query_params, user=request.user, today=timezone.localdate())
        if not form.has_scope():
            raise PermissionDenied
        if not form.is_valid():
            raise ValidationError(
                {API_FIELDS.get(field, field): errors for field, errors in form.errors.items()}
            )
        data = form.cleaned_data
        scope = scope_from(data)
        figures = moderation_figures(form.period_of(data), scope)
        return Response(ModerationFiguresSerializer(figures_data(figures, scope)).data)
