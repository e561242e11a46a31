"""Tell people when their session ended because they were idle.

A browser-session cookie marks that this browser signed in. Django drops the session
after SESSION_IDLE_MINUTES without a request; if the marker is still there but the user
is no longer signed in, the session expired, and the sign-in page says so. The marker
is cleared once that message has been shown, or at sign-out.
"""

SIGNED_IN_MARKER = "qa_signed_in"


class SessionExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        marked = request.COOKIES.get(SIGNED_IN_MARKER) == "1"
        request.session_expired = marked and not request.user.is_authenticated
        response = self.get_response(request)
        if request.user.is_authenticated:
            if not marked:
                response.set_cookie(
                    SIGNED_IN_MARKER,
                    "1",
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
        elif marked and getattr(request, "clear_signed_in_marker", False):
            response.delete_cookie(SIGNED_IN_MARKER, samesite="Lax")
        return response
