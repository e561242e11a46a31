from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.records, name="records"),
    path("records.csv", views.records_csv, name="records_csv"),
    path("subject-access/", views.subject_access, name="subject_access"),
]
