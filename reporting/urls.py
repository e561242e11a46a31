"""/reports/: the leaders' dashboard, the audits behind its counts, the performance
snapshot, the targets, the downloads of audit rows, and the QA reports with their
Word, PDF and Excel downloads."""

from django.urls import path

from .views import dashboard, documents, exports, performance, reports

app_name = "reporting"

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("audits/", dashboard.audits, name="audits"),
    path("performance/", performance.snapshot, name="performance"),
    path("targets/", performance.targets, name="targets"),
    path("audits.csv", exports.export_csv, name="export_csv"),
    path("audits.xlsx", exports.export_xlsx, name="export_xlsx"),
    path("", reports.report_list, name="reports"),
    path("runs/<int:pk>/", reports.run, name="run"),
    path("runs/<int:pk>/status/", reports.run_status, name="run_status"),
    path("<int:pk>/", reports.report, name="report"),
    path("<int:pk>/regenerate/", reports.report_regenerate, name="report_regenerate"),
    path("<int:pk>/versions/<int:number>/text/", reports.report_edit, name="report_edit"),
    path("<int:pk>/versions/<int:number>/publish/", reports.report_publish, name="report_publish"),
    path("<int:pk>/v<int:number>.<str:fmt>", documents.download, name="report_download"),
]
