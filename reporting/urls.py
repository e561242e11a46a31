from django.urls import path

from .views import exports

app_name = "reporting"

urlpatterns = [
    path("audits.csv", exports.export_csv, name="export_csv"),
    path("audits.xlsx", exports.export_xlsx, name="export_xlsx"),
]
