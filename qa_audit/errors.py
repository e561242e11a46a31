"""Error pages in the service's own layout."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    # Views refuse with a message for the person (reporting.filters.AREA_NOT_YOURS);
    # a bare PermissionDenied gets the general explanation.
    reason = str(exception).strip() if exception is not None else ""
    if reason and reason[-1] not in ".!?":
        reason += "."
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def page_not_found(request, exception=None):
    # The API answers in JSON, also for an address it does not have.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: the failure may be in a context processor or the database.
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({"SERVICE_NAME": None}))
