"""/programme/import/: uploading past audits from CSV or Excel."""

app_name = "imports"

urlpatterns = []
