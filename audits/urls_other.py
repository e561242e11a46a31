"""/other-audits/: dip samples, thematic and multi-agency audits, observations."""

app_name = "other_audits"

urlpatterns = []
