from django.urls import path

from .views import exports, performance

app_name = "reporting"

urlpatterns = [
    path("performance/", performance.snapshot, name="performance"),
    path("targets/", performance.targets, name="targets"),
    path("audits.csv", exports.export_csv, name="export_csv"),
    path("audits.xlsx", exports.export_xlsx, name="export_xlsx"),
]
