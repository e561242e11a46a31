"""Error pages in the service's own layout."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: the failure may be in a context processor or the database.
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({"SERVICE_NAME": None}))
