"""/moderation/: panels, reviews, looped audits, pairings, endorsement and figures."""

from django.urls import path

from .views import loops, panels, people, reviews, statistics

app_name = "moderation"

urlpatterns = [
    path("panels/", panels.panels, name="panels"),
    path("panels/new/", panels.panel_new, name="panel_new"),
    path("panels/<int:pk>/", panels.panel_detail, name="panel_detail"),
    path("panels/<int:pk>/add/", panels.panel_add, name="panel_add"),
    path(
        "panels/<int:pk>/reviews/<int:review_pk>/remove/",
        panels.panel_remove,
        name="panel_remove",
    ),
    path(
        "panels/<int:pk>/reviews/<int:review_pk>/reassign/",
        panels.panel_reassign,
        name="panel_reassign",
    ),
    path(
        "panels/<int:pk>/looped/<int:loop_pk>/outcome/",
        panels.loop_outcome,
        name="loop_outcome",
    ),
    path("reviews/<int:pk>/", reviews.review, name="review"),
    path("reviews/<int:pk>/unlock/", reviews.review_unlock_view, name="review_unlock"),
    path("reviews/<int:pk>/feedback/", reviews.feedback, name="feedback"),
    path("feedback/", reviews.my_feedback, name="my_feedback"),
    path("looped/", loops.loops, name="loops"),
    path("looped/<int:pk>/", loops.loop_detail, name="loop_detail"),
    path("pairings/", people.pairings, name="pairings"),
    path("endorsed/", people.endorsed, name="endorsed"),
    path("endorsed/<int:auditor_pk>/", people.endorsement, name="endorsement"),
    path("statistics/", statistics.statistics, name="statistics"),
]
