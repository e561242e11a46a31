"""The project's URLs plus a stand-in for ``reporting:report_download``, the address of a
report version's documents, for test runs where the project does not route it yet
(tests/reporting/test_reports_api.py uses this only then)."""

from django.http import HttpResponseNotFound
from django.urls import include, path

from qa_audit import urls as project
from reporting import urls as reporting_urls


def _no_document(request, pk, number, fmt):
    return HttpResponseNotFound()


reporting_patterns = [
    *reporting_urls.urlpatterns,
    path("<int:pk>/v<int:number>.<str:fmt>", _no_document, name="report_download"),
]
urlpatterns = [
    path("reports/", include((reporting_patterns, "reporting"))),
    *(p for p in project.urlpatterns if getattr(p, "namespace", None) != "reporting"),
]
handler400 = project.handler400
handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
