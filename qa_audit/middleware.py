"""Headers every response gets from the project, whichever app's view made it."""

from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

from accounts.models import Role

#: the only pages a person who is an Ambassador and nothing else may open
AMBASSADOR_PAGES = frozenset(
    {
        "home",
        "feedback:ambassador_review",
        "accounts:logout",
        "accounts:login",
        "accessibility",
        "privacy",
    }
)


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


def _only_an_ambassador(user) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and not user.is_superuser
        and user.role_codes == frozenset({Role.AMBASSADOR})
    )


def _ambassador_page(path: str) -> bool:
    try:
        return resolve(path).view_name in AMBASSADOR_PAGES
    except Resolver404:
        return True  # the 404 page itself


class AmbassadorsSeeOnlyTheirReviewsMiddleware:
    """A care-experienced young person reviewing audits sees their reviews and nothing
    else: every other page and API answers 404, as if it did not exist.

    Checked before the view for a signed-in session, and again after it for the API's
    own sign-in (HTTP Basic), which happens inside the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _only_an_ambassador(getattr(request, "user", None)) and not _ambassador_page(
            request.path_info
        ):
            raise Http404
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if _only_an_ambassador(user) and not _ambassador_page(request.path_info):
            raise Http404
        return response
