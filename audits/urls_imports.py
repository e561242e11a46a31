"""/programme/import/: uploading past audits from CSV or Excel."""

from django.urls import path

from .views import imports

app_name = "imports"

urlpatterns = [
    path("", imports.upload, name="upload"),
    path("<int:pk>/", imports.job, name="job"),
    path("<int:pk>/status/", imports.job_status, name="job_status"),
    path("history/", imports.history, name="history"),
    path("example.csv", imports.example, name="example"),
]
