"""/actions/: the tracker, Cases of Concern, re-audits and service improvement actions
(their emails: /emails/)."""

from django.urls import path

from .views import cases, reaudits, service_improvement, tracker

app_name = "actions"

urlpatterns = [
    path("", tracker.tracker, name="tracker"),
    path("<int:pk>/", tracker.action_detail, name="action_detail"),
    path("<int:pk>/done/", tracker.action_complete, name="action_complete"),
    path("<int:pk>/transferred/", tracker.action_transfer, name="action_transfer"),
    path("<int:pk>/note/", tracker.action_note, name="action_note"),
    path("<int:pk>/change/", tracker.action_edit, name="action_edit"),
    path("link/<str:token>/", tracker.follow_link, name="link"),
    path("cases/", cases.cases, name="cases"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/update/", cases.case_update, name="case_update"),
    path("cases/<int:pk>/resolve/", cases.case_resolve, name="case_resolve"),
    path("re-audits/", reaudits.reaudits, name="reaudits"),
    path("re-audits/<int:pk>/", reaudits.reaudit_detail, name="reaudit_detail"),
    path("re-audits/<int:pk>/allocate/", reaudits.reaudit_allocate, name="reaudit_allocate"),
    path("re-audits/<int:pk>/dismiss/", reaudits.reaudit_dismiss, name="reaudit_dismiss"),
    path("service-improvement/", service_improvement.improvement_list, name="improvement_list"),
    path("service-improvement/new/", service_improvement.improvement_new, name="improvement_new"),
    path(
        "service-improvement/<int:pk>/",
        service_improvement.improvement_detail,
        name="improvement_detail",
    ),
    path(
        "service-improvement/<int:pk>/change/",
        service_improvement.improvement_edit,
        name="improvement_edit",
    ),
    path(
        "service-improvement/<int:pk>/progress/",
        service_improvement.improvement_progress,
        name="improvement_progress",
    ),
    path(
        "service-improvement/<int:pk>/done/",
        service_improvement.improvement_done,
        name="improvement_done",
    ),
]
