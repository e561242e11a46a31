"""The REST API's router: each app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from actions.api import ActionViewSet
from audits.api import AuditViewSet
from feedback.api import FiguresViewSet as FeedbackFiguresViewSet
from moderation.api import ReviewViewSet, StatisticsViewSet

router = DefaultRouter()
router.register("audits", AuditViewSet, basename="audit")
router.register("actions", ActionViewSet, basename="action")
router.register("moderation/reviews", ReviewViewSet, basename="moderation-review")
router.register("moderation/statistics", StatisticsViewSet, basename="moderation-statistics")
router.register("feedback/figures", FeedbackFiguresViewSet, basename="feedback-figures")
