"""/programme/: the QA Lead's monthly audit programme, ad hoc allocation and exemptions."""

from django.urls import path

from .views import programme

app_name = "programme"

urlpatterns = [
    path("", programme.index, name="index"),
    path("rounds/new/", programme.round_new, name="round_new"),
    path("rounds/<int:pk>/", programme.round_detail, name="round_detail"),
    path(
        "rounds/<int:pk>/audits/<int:audit_pk>/",
        programme.round_audit_change,
        name="round_audit_change",
    ),
    path("rounds/<int:pk>/publish/", programme.round_publish, name="round_publish"),
    path("ad-hoc/", programme.adhoc, name="adhoc"),
    path("case-list/", programme.case_list, name="case_list"),
    path("exemptions/", programme.exemption_index, name="exemptions"),
    path("exemptions/new/", programme.exemption_new, name="exemption_new"),
    path("exemptions/<int:pk>/decide/", programme.exemption_decide, name="exemption_decide"),
    path("exemptions/<int:pk>/end/", programme.exemption_end, name="exemption_end"),
]
