"""What the tracker emails sent, to whom and when; and, in the demo, their text.

Reading an email's content is for administrators in the demo only (DEBUG, or the
SHOW_SENT_EMAILS setting): the text version is shown in a <pre>, and the HTML version
in a sandboxed frame served by its own view under a policy that allows no script, no
network and no form, so the email is seen exactly as sent and can do nothing.
"""

from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from ..models import RunKind, TrackerEmail

PAGE_SIZE = 50

#: the policy of a sent email's HTML: inline styles (emails need them) and nothing else
EMAIL_FRAME_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
    "script-src": ["'none'"],
    "font-src": ["'none'"],
    "connect-src": ["'none'"],
    "form-action": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'self'"],
    "sandbox": True,
}


@login_required
@require_GET
def sent_emails(request):
    if not request.user.has_perm("actions.view_sent_emails"):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    qs = TrackerEmail.objects.select_related("run", "recipient").order_by(
        "-run__period_start", "run__kind", "recipient__last_name", "pk"
    )
    if kind in RunKind.values:
        qs = qs.filter(run__kind=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "actions/sent_emails.html",
        {
            "page": page,
            "kind": kind,
            "kinds": RunKind.choices,
            "can_read": request.user.has_perm("actions.read_sent_email"),
        },
    )


def _readable_email(request, pk) -> TrackerEmail:
    if not request.user.has_perm("actions.read_sent_email"):
        raise PermissionDenied
    return get_object_or_404(
        TrackerEmail.objects.select_related("run", "recipient"), pk=pk, sent_at__isnull=False
    )


@login_required
@require_GET
def email_detail(request, pk):
    email = _readable_email(request, pk)
    return render(request, "actions/email_detail.html", {"email": email})


@login_required
@require_GET
@xframe_options_sameorigin
@csp_replace(EMAIL_FRAME_CSP)
def email_html(request, pk):
    email = _readable_email(request, pk)
    return HttpResponse(email.body_html, content_type="text/html; charset=utf-8")
