"""Headers every response gets from the project, whichever app's view made it."""

from django.utils.cache import add_never_cache_headers


class NoStoreWhenSignedInMiddleware:
    """Nothing shown to a signed-in person is kept by a browser or a proxy.

    Pages, API answers and downloads for a signed-in person hold children's information:
    after signing out on a shared computer, the Back button or the browser's cache must
    not bring them back. The user is read after the view has run, because the API signs
    people in inside the view (HTTP Basic). Public pages and static files (served before
    this middleware by WhiteNoise) may still be cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
