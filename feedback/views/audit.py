"""Feedback on one audit: the records and links, feedback recorded on its own, and
making a family's link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ..forms.staff import LinkForm, RecordForm
from ..models import FamilyLink
from ..selectors import audit_feedback, audit_for_feedback, audit_links
from ..services import links as link_services
from ..services import records as record_services
from .common import log_views

RECORDED = "The feedback has been recorded."


@never_cache
@login_required
@require_GET
def audit_feedback_page(request, pk):
    audit = audit_for_feedback(request.user, pk)
    log_views(request.user, [audit.pk], "Family feedback")
    links = audit_links(audit)
    return render(
        request,
        "feedback/audit_feedback.html",
        {
            "audit": audit,
            "feedback": audit_feedback(audit),
            "links": [(link, link.state()) for link in links],
            "can_record": request.user.has_perm("feedback.record_feedback", audit),
            "can_send": request.user.has_perm("feedback.send_family_link", audit),
            "can_quote": request.user.has_perm("feedback.manage_quotes"),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def record(request, pk):
    audit = audit_for_feedback(request.user, pk, "feedback.record_feedback")
    form = RecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record_services.feedback_record(audit=audit, user=request.user, values=form.values)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, RECORDED)
            return redirect("feedback:audit_feedback", pk=audit.pk)
    if request.method == "GET":
        log_views(request.user, [audit.pk], "Family feedback: record")
    errors = []
    if form.is_bound:
        errors = [{"href": f"#{k}", "text": v} for k, v in form.error_list().items()]
    return render(
        request,
        "feedback/record.html",
        {"audit": audit, "form": form, "fields": form.layout(), "errors": errors},
        status=400 if errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def link_create(request, pk):
    """Make a family's link. The page shows the link once, on the answer to the POST:
    only a hash of it is kept."""
    audit = audit_for_feedback(request.user, pk, "feedback.send_family_link")
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = link_services.link_create(
                audit=audit,
                user=request.user,
                audience=form.cleaned_data["audience"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field, message)
        else:
            return render(
                request,
                "feedback/link_made.html",
                {"audit": audit, "url": new.url, "link": new.link},
            )
    return render(
        request,
        "feedback/link_create.html",
        {
            "audit": audit,
            "form": form,
            "expiry_days": link_services.FeedbackSettings.load().link_expiry_days,
            "sent": FamilyLink.objects.filter(audit=audit).count(),
        },
        status=400 if form.errors else 200,
    )
