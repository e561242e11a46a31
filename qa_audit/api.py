"""The REST API's routers: each app registers its viewsets here.

``router`` serves ``/api/``; ``v1_router`` serves ``/api/v1/``, the versioned public
contracts that councils' own reports are built on.
"""

from rest_framework.routers import DefaultRouter

from actions.api import ActionViewSet
from audits.api import AuditViewSet
from feedback.api import FiguresViewSet as FeedbackFiguresViewSet
from moderation.api import ReviewViewSet, StatisticsViewSet
from reporting.api import SummaryViewSet
from reporting.api_reports import ReportViewSet

router = DefaultRouter()
router.register("audits", AuditViewSet, basename="audit")
router.register("actions", ActionViewSet, basename="action")
router.register("moderation/reviews", ReviewViewSet, basename="moderation-review")
router.register("moderation/statistics", StatisticsViewSet, basename="moderation-statistics")
router.register("feedback/figures", FeedbackFiguresViewSet, basename="feedback-figures")

v1_router = DefaultRouter()
v1_router.include_root_view = False  # /api/ lists the API; /api/v1/ has no page of its own
v1_router.register("reports/summary", SummaryViewSet, basename="reports-summary")
# after the summary, so that reports/summary/ is never read as a report's id
v1_router.register("reports", ReportViewSet, basename="report")
