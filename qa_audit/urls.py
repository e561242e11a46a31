from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from accounts.urls import organisation_urlpatterns
from feedback.views import family as family_feedback

from . import health, views
from .api import router, v1_router

API_DOCS_CSP = {"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]}

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", health.health, name="health"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/", include("accounts.urls")),
    path("organisation/", include((organisation_urlpatterns, "organisation"))),
    path("audits/", include("audits.urls")),
    path("programme/import/", include("audits.urls_imports")),
    path("programme/", include("audits.urls_programme")),
    path("other-audits/", include("audits.urls_other")),
    path("actions/", include("actions.urls")),
    path("emails/", include("outbox.urls")),
    path("moderation/", include("moderation.urls")),
    path("feedback/", include("feedback.urls")),
    path("reports/", include("reporting.urls")),
    path("records/", include("governance.urls")),
    # A family's own page: short addresses, to send by text message.
    path("your-say/thank-you/", family_feedback.thanks, name="family_thanks"),
    path("your-say/<str:token>/", family_feedback.answer, name="family_feedback"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(v1_router.urls)),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # The documentation pages style themselves inline; they load nothing from elsewhere.
        csp_update(API_DOCS_CSP)(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")
        ),
        name="api-docs",
    ),
    path(
        "api/docs/swagger/",
        csp_update(API_DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-swagger",
    ),
]

handler400 = "qa_audit.errors.bad_request"
handler403 = "qa_audit.errors.permission_denied"
handler404 = "qa_audit.errors.page_not_found"
handler500 = "qa_audit.errors.server_error"
