"""Request logging to standard output: who asked for which path, never case content.

Only the path is logged (no query string, no body), with the user's numeric id.
"""

import contextvars
import logging
import time

_user_id = contextvars.ContextVar("user_id", default="-")
_path = contextvars.ContextVar("request_path", default="-")

logger = logging.getLogger("qa_audit.requests")


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        record.user_id = _user_id.get()
        record.request_path = _path.get()
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        user_tok = _user_id.set(str(user.pk) if user is not None and user.is_authenticated else "-")
        path_tok = _path.set(request.path)
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
            _user_id.reset(user_tok)
            _path.reset(path_tok)
