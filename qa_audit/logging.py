"""Request logging to standard output: who asked for which path, never case content.

Only the path is logged (no query string, no body), with the user's numeric id.

The user is read from the request each time a line is logged, not once when the request
arrives: the API authenticates inside the view (HTTP Basic, or the session through Django
REST framework), after the middleware has run, and then sets ``request.user``.
"""

import contextvars
import logging
import time

_request = contextvars.ContextVar("request", default=None)

logger = logging.getLogger("qa_audit.requests")


def _user_id(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return str(user.pk)
    return "-"


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        request = _request.get()
        record.user_id = _user_id(request) if request is not None else "-"
        record.request_path = request.path if request is not None else "-"
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Resolve the session's user now, so that logging never has to query for it.
        _user_id(request)
        token = _request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            logger.info(
                "%s %s %s %.0fms",
                request.method,
                request.path,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            return response
        finally:
            _request.reset(token)
