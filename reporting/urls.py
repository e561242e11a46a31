"""/reports/: the leaders' dashboard and the audits behind its counts."""

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("audits/", views.audits, name="audits"),
]
