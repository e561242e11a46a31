"""The site's addresses plus one page that only the benchmark uses: the floor, a signed-in
page on the same stack (middleware, session, base layout) that reads nothing of its own.
The benchmark's in-process requests use this URLconf; the site never does."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_GET

from qa_audit.urls import handler400, handler403, handler404, handler500  # noqa: F401
from qa_audit.urls import urlpatterns as site_urlpatterns

FLOOR_PATH = "/benchmark/floor/"
_FLOOR_TEMPLATE = (
    '{% extends "base.html" %}{% block title %}Benchmark floor{% endblock %}'
    '{% block content %}<h1 class="govuk-heading-l">Benchmark floor</h1>{% endblock %}'
)


@login_required
@require_GET
def floor(request):
    template = engines["django"].from_string(_FLOOR_TEMPLATE)
    return HttpResponse(template.render({}, request))


urlpatterns = [path(FLOOR_PATH.strip("/") + "/", floor, name="benchmark_floor"), *site_urlpatterns]
