"""The family's own page, reached from a one-use link: no account, no links into the
rest of the service, nothing sent to the browser that identifies anyone.

The page takes no cookies: it is exempt from CSRF because the link's secret is itself
the proof that the request comes from the person it was sent to.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from ..forms.family import FamilyForm
from ..models import Audience
from ..services.links import LinkState, link_answer, link_open

STATUS = {
    LinkState.UNKNOWN: 404,
    LinkState.USED: 410,
    LinkState.EXPIRED: 410,
    LinkState.THROTTLED: 429,
}


def _private(response):
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _kind_page(request, state: str):
    return _private(
        render(request, "feedback/family/closed.html", {"state": state}, status=STATUS[state])
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    state, link = link_open(token, address=request.META.get("REMOTE_ADDR", ""))
    if state != LinkState.OPEN:
        return _kind_page(request, state)
    child = link.audience == Audience.CHILD
    form = FamilyForm(request.POST if request.method == "POST" else None, audience=link.audience)
    if request.method == "POST" and form.is_valid():
        try:
            feedback = link_answer(link=link, values=form.values())
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            if feedback is None:
                return _kind_page(request, LinkState.USED)
            return redirect("family_thanks")
    return _private(
        render(
            request,
            "feedback/family/answer.html",
            {"form": form, "child": child},
            status=400 if form.errors else 200,
        )
    )


@never_cache
@require_GET
def thanks(request):
    return _private(render(request, "feedback/family/thanks.html", {}))
