"""/programme/: the QA Lead's monthly audit programme, exemptions and imports."""

app_name = "programme"

urlpatterns = []
