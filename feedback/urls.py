from django.urls import path

from .views import ambassadors, audit, figures, quotes

app_name = "feedback"

urlpatterns = [
    path("", figures.overview, name="overview"),
    path("audits/<int:pk>/", audit.audit_feedback_page, name="audit_feedback"),
    path("audits/<int:pk>/record/", audit.record, name="record"),
    path("audits/<int:pk>/link/", audit.link_create, name="link_create"),
    path("ambassadors/", ambassadors.sample_list, name="ambassador_samples"),
    path("ambassadors/samples/<int:pk>/", ambassadors.sample_detail, name="ambassador_sample"),
    path("ambassadors/hide/<int:pk>/", ambassadors.review_hide, name="ambassador_hide"),
    path("reviews/<int:pk>/", ambassadors.review, name="ambassador_review"),
    path("quotes/", quotes.quotes, name="quotes"),
    path("quotes/themes/", quotes.themes, name="themes"),
    path("quotes/pick/<int:pk>/", quotes.pick, name="quote_pick"),
    path("quotes/<int:pk>/", quotes.quote_edit, name="quote_edit"),
    path("quotes/<int:pk>/remove/", quotes.quote_remove, name="quote_remove"),
    path("records/<int:pk>/withdraw-consent/", quotes.withdraw_consent, name="withdraw_consent"),
]
