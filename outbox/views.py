"""The Sent emails pages: every email with its state and any failure's reason (QA Lead
and Administrator), one's own emails (everyone), and one email in full.

An email's HTML is shown in a sandboxed frame served by its own view under a policy
that allows no script, no network and no form, so the email is seen exactly as sent
and can do nothing; the page sizes the frame to the whole email, and shows its plain
text in full beside it.
"""

from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from .models import OutboxStatus
from .selectors import emails_to, emails_visible_to

PAGE_SIZE = 50

#: the policy of an email's HTML: inline styles (emails need them) and nothing else
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
    # Same origin (never scripts) so that the page around it can measure its height.
    "sandbox": ["allow-same-origin"],
}


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
@require_GET
def sent_emails(request):
    if not request.user.has_perm("outbox.view_sent_emails"):
        raise PermissionDenied
    status = request.GET.get("status", "")
    qs = emails_visible_to(request.user)
    if status in OutboxStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "outbox/sent_emails.html",
        {
            "page": _page(request, qs),
            "status": status,
            "statuses": OutboxStatus.choices,
            "query": f"status={status}" if status in OutboxStatus.values else "",
            "failed": emails_visible_to(request.user).filter(status=OutboxStatus.FAILED).count(),
        },
    )


@login_required
@require_GET
def my_emails(request):
    return render(
        request, "outbox/my_emails.html", {"page": _page(request, emails_to(request.user))}
    )


def _readable_email(request, pk):
    email = emails_visible_to(request.user).filter(pk=pk).first()
    if email is None:
        raise Http404
    if not request.user.has_perm("outbox.read_email", email):
        raise PermissionDenied
    return email


@login_required
@require_GET
def email_detail(request, pk):
    email = _readable_email(request, pk)
    return render(
        request,
        "outbox/email_detail.html",
        {"email": email, "mine": email.recipient_id == request.user.pk},
    )


@login_required
@require_GET
@xframe_options_sameorigin
@csp_replace(EMAIL_FRAME_CSP)
def email_html(request, pk):
    email = _readable_email(request, pk)
    return HttpResponse(email.body_html, content_type="text/html; charset=utf-8")
