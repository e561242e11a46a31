"""/health/: is the database answering, and the broker? For load balancers."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


#: What /health/ says of the broker when there is none (no REDIS_URL): tasks run in the
#: web process, so there is nothing to check, and nothing is wrong.
NO_BROKER = "not used: tasks run in the web process"


def _check_broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return NO_BROKER
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
@require_GET
def health(request):
    checks = {}
    healthy = True
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            checks[name] = check()
        except Exception as exc:  # any failure means unhealthy; say which
            checks[name] = f"error: {exc.__class__.__name__}"
            healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


class HealthCheckMiddleware:
    """Answer /health/ before host validation and the HTTPS redirect.

    Load balancers and container health checks call it by IP address over plain HTTP;
    it reveals nothing but whether the database and broker answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/health/":
            return health(request)
        return self.get_response(request)
