"""/audits/: the auditor's audits, the audit form, the QA Lead's decision, replies."""

from django.urls import path

from .views import form, review

app_name = "audits"

urlpatterns = [
    path("", form.my_audits, name="my_audits"),
    path("review/", review.review_queue, name="review_queue"),
    path("<int:pk>/", review.audit_detail, name="audit_detail"),
    path("<int:pk>/reason/", review.audit_reason, name="audit_reason"),
    path("<int:pk>/edit/", form.audit_form, name="audit_form"),
    path("<int:pk>/edit/<slug:section>/", form.audit_section, name="audit_section"),
    path("<int:pk>/autosave/", form.audit_autosave, name="audit_autosave"),
    path("<int:pk>/submit/", form.audit_submit, name="audit_submit"),
    path("<int:pk>/decide/", review.audit_decide, name="audit_decide"),
    path("<int:pk>/reply/", review.audit_reply, name="audit_reply"),
]
