"""Read-only API: feedback figures for a period, scoped like the pages.

Route (registered in qa_audit/api.py): ``feedback/figures`` (FiguresViewSet), answering
``GET /api/feedback/figures/?start=YYYY-MM-DD&end=YYYY-MM-DD`` with optional
``service_area`` and ``team`` ids.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from common.dates import months_between
from common.schema import OneObjectSchema

from .periods import period_from, scope_from
from .selectors import feedback_figures
from .selectors.ambassadors import ambassador_results


class CanViewFigures(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("feedback.view_figures")


class FeedbackPeriodSerializer(serializers.Serializer):
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class FeedbackScopeSerializer(serializers.Serializer):
    service_area = serializers.IntegerField(allow_null=True)
    team = serializers.IntegerField(allow_null=True)


class FeedbackReachGroupSerializer(serializers.Serializer):
    audits = serializers.IntegerField(help_text="Completed audits where it applies.")
    asked = serializers.IntegerField()
    answered = serializers.IntegerField()
    asked_pct = serializers.FloatField(allow_null=True)
    answered_pct = serializers.FloatField(allow_null=True)
    answered_of_asked_pct = serializers.FloatField(allow_null=True)


class FeedbackReachSerializer(serializers.Serializer):
    completed_audits = serializers.IntegerField()
    children = FeedbackReachGroupSerializer(
        help_text="Children aged 4 and over who were spoken to."
    )
    parents_carers = FeedbackReachGroupSerializer(help_text="Parents or carers who were spoken to.")


class FeedbackRespondentCountSerializer(serializers.Serializer):
    respondent = serializers.CharField()
    label = serializers.CharField()
    given = serializers.IntegerField()
    not_obtained = serializers.IntegerField()


class FeedbackChannelCountSerializer(serializers.Serializer):
    channel = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class FeedbackQuestionSerializer(serializers.Serializer):
    question = serializers.CharField()
    label = serializers.CharField()
    yes = serializers.IntegerField()
    partly = serializers.IntegerField()
    no = serializers.IntegerField()
    not_answered = serializers.IntegerField()
    answered = serializers.IntegerField()
    yes_pct = serializers.FloatField(allow_null=True)


class FeedbackScoreCountSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    count = serializers.IntegerField()


class FeedbackScoresSerializer(serializers.Serializer):
    scored = serializers.IntegerField()
    median = serializers.FloatField(allow_null=True)
    distribution = FeedbackScoreCountSerializer(many=True)


class FeedbackReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    pct = serializers.FloatField(allow_null=True)


class FeedbackGradeAnswersSerializer(serializers.Serializer):
    grade = serializers.CharField()
    label = serializers.CharField()
    feedback = serializers.IntegerField()
    yes = serializers.IntegerField()
    partly = serializers.IntegerField()
    no = serializers.IntegerField()
    yes_pct = serializers.FloatField(allow_null=True)


class FeedbackAgreementSerializer(serializers.Serializer):
    question = serializers.CharField()
    label = serializers.CharField()
    grades = FeedbackGradeAnswersSerializer(many=True)


class FeedbackQuoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    attribution = serializers.CharField()
    tone = serializers.CharField()
    theme = serializers.CharField()


class AmbassadorMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month sampled.")
    total = serializers.IntegerField()
    yes = serializers.IntegerField()
    partly = serializers.IntegerField()
    no = serializers.IntegerField()
    yes_pct = serializers.IntegerField(allow_null=True)
    change = serializers.IntegerField(
        allow_null=True, help_text="Points since the last earlier month with answers."
    )
    trend = serializers.CharField(help_text="up, down, same, or empty.")


class AmbassadorQuestionSerializer(serializers.Serializer):
    name = serializers.CharField()
    question = serializers.CharField()
    months = AmbassadorMonthSerializer(many=True)


class FeedbackFiguresSerializer(serializers.Serializer):
    period = FeedbackPeriodSerializer()
    scope = FeedbackScopeSerializer()
    reach = FeedbackReachSerializer()
    records = serializers.IntegerField()
    given = serializers.IntegerField()
    not_obtained = serializers.IntegerField()
    by_respondent = FeedbackRespondentCountSerializer(many=True)
    by_channel = FeedbackChannelCountSerializer(many=True)
    questions = FeedbackQuestionSerializer(many=True)
    scores = FeedbackScoresSerializer()
    reasons = FeedbackReasonSerializer(many=True)
    agreement = FeedbackAgreementSerializer(
        many=True, help_text="Answers by the audit's final overall grade, for each question."
    )
    quotes = FeedbackQuoteSerializer(many=True, help_text="Quotes ready for reports.")
    ambassadors = AmbassadorQuestionSerializer(
        many=True,
        help_text="Ambassadors' answers to each question, for each month of the period.",
    )


class FeedbackFiguresErrorSerializer(serializers.Serializer):
    start = serializers.ListField(child=serializers.CharField(), required=False)
    end = serializers.ListField(child=serializers.CharField(), required=False)
    service_area = serializers.ListField(child=serializers.CharField(), required=False)
    team = serializers.ListField(child=serializers.CharField(), required=False)


class FiguresViewSet(viewsets.ViewSet):
    """Feedback figures for a period (start and end inclusive). The QA Lead and leaders
    see the whole organisation; a Head of Service their own service area."""

    permission_classes = [permissions.IsAuthenticated, CanViewFigures]
    serializer_class = FeedbackFiguresSerializer
    schema = OneObjectSchema()

    @extend_schema(
        operation_id="feedback_figures",
        parameters=[
            OpenApiParameter(
                "start", OpenApiTypes.DATE, required=True, description="The first day, YYYY-MM-DD."
            ),
            OpenApiParameter(
                "end", OpenApiTypes.DATE, required=True, description="The last day, YYYY-MM-DD."
            ),
            OpenApiParameter("service_area", OpenApiTypes.INT),
            OpenApiParameter("team", OpenApiTypes.INT),
        ],
        responses={
            200: FeedbackFiguresSerializer,
            400: OpenApiResponse(
                FeedbackFiguresErrorSerializer, description="A missing or wrong parameter."
            ),
        },
    )
    def list(self, request, format=None):
        period, errors = period_from(
            request.query_params.get("start"), request.query_params.get("end")
        )
        scope, scope_errors = scope_from(request.user, request.query_params)
        errors.update(scope_errors)
        if errors:
            raise ValidationError({field: [message] for field, message in errors.items()})
        if scope is None:
            raise PermissionDenied
        figures = feedback_figures(period, scope)
        months = months_between(period.start, period.end) + 1
        figures["ambassadors"] = ambassador_results(period.end, months, scope)
        return Response(FeedbackFiguresSerializer(figures).data)
