"""/audits/: the auditor's audits, the audit form, the QA Lead's decision, replies."""

from django.urls import path

from .views import form

app_name = "audits"

urlpatterns = [
    path("<int:pk>/edit/", form.audit_form, name="audit_form"),
]
