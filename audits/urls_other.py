"""/other-audits/: dip samples, thematic and multi-agency audits, observations."""

from django.urls import path

from .views import other

app_name = "other_audits"

urlpatterns = [
    path("", other.index, name="index"),
    path("samples/new/", other.sample_new, name="sample_new"),
    path("samples/<int:pk>/", other.sample_detail, name="sample_detail"),
    path("multi-agency/new/", other.multi_agency_new, name="multi_agency_new"),
    path("multi-agency/<int:pk>/", other.multi_agency_detail, name="multi_agency_detail"),
    path("observations/new/", other.observation_new, name="observation_new"),
    path("observations/<int:pk>/", other.observation_detail, name="observation_detail"),
]
