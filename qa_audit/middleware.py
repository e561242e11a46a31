"""Headers every response gets from the project, whichever app's view made it."""

from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

from accounts.models import Role

#: the pages every signed-in person may open
COMMON_PAGES = frozenset({"home", "accounts:logout", "accounts:login", "accessibility", "privacy"})
#: the only pages a person who is an Ambassador and nothing else may open
AMBASSADOR_PAGES = COMMON_PAGES | {"feedback:ambassador_review"}
#: the only pages a person who is a Data Protection Officer and nothing else may open
DATA_PROTECTION_OFFICER_PAGES = COMMON_PAGES | {
    "governance:records",
    "governance:records_csv",
    "governance:subject_access",
}
#: roles whose holders see only their own pages, unless another role gives them more
RESTRICTED_ROLES = {
    Role.AMBASSADOR: AMBASSADOR_PAGES,
    Role.DATA_PROTECTION_OFFICER: DATA_PROTECTION_OFFICER_PAGES,
}


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


def restricted_to(user) -> frozenset | None:
    """The pages ``user`` may open when every role they hold is a restricted one (an
    Ambassador, a Data Protection Officer); None when they are not restricted."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return None
    roles = user.role_codes
    if not roles or not roles <= RESTRICTED_ROLES.keys():
        return None
    return frozenset().union(*(RESTRICTED_ROLES[role] for role in roles))


def _allowed(pages: frozenset | None, path: str) -> bool:
    if pages is None:
        return True
    try:
        return resolve(path).view_name in pages
    except Resolver404:
        return True  # the 404 page itself


class RestrictedRolesSeeOnlyTheirPagesMiddleware:
    """A care-experienced young person reviewing audits sees their reviews, and a Data
    Protection Officer the records of views and changes, and nothing else: every other
    page and API answers 404, as if it did not exist.

    Checked before the view for a signed-in session, and again after it for the API's
    own sign-in (HTTP Basic), which happens inside the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _allowed(restricted_to(getattr(request, "user", None)), request.path_info):
            raise Http404
        response = self.get_response(request)
        if not _allowed(restricted_to(getattr(request, "user", None)), request.path_info):
            raise Http404
        return response
