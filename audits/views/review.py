"""Reading an audit, the QA Lead's queue and decision, and the social worker's reply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..extensions import form_sections
from ..forms.audit_form import AuditData, ReasonForm, ReplyForm, ReturnForm, audit_summary
from ..models import Audit, AuditEventKind, AuditStatus, ProposedAction
from ..selectors import audits_visible_to, template_structure
from ..services import audit as audit_service
from ..services import viewing
from ..services.audit import NOT_SUBMITTED

ACCEPTED = "Audit accepted as completed to the accepted standard"
RETURNED = "Audit returned to {auditor} with your comments"
REPLIED = "Your reply has been added to the audit"
#: the most recent events shown to the QA Lead on the audit page
EVENT_LIMIT = 100


def _for_page(audits):
    return audits.select_related("child__team", "accepted_by").prefetch_related(
        "gradings",
        "answers",
        Prefetch(
            "proposed_actions",
            queryset=ProposedAction.objects.select_related("suggested_owner"),
        ),
    )


def _visible_audit(user, pk):
    """The audit, if this user may read it: 404 outside their scope."""
    audit = get_object_or_404(_for_page(audits_visible_to(user)), pk=pk)
    if not user.has_perm("audits.view_audit_record", audit):
        raise PermissionDenied
    return audit


def _outside_scope(user, pk):
    """The audit, when ``user`` may open it outside their own teams with a reason (it is
    not among the audits they see anyway); else 404."""
    if audits_visible_to(user).filter(pk=pk).exists():
        raise Http404
    audit = get_object_or_404(Audit.objects.select_related("team__service_area"), pk=pk)
    if not user.has_perm("audits.open_audit_with_reason", audit):
        raise Http404
    return audit


def _detail_page(request, audit, *, return_form=None, reply_form=None):
    user = request.user
    audit_service.audit_log_event(audit=audit, user=user, kind=AuditEventKind.VIEWED)
    audit_data = AuditData(audit, template_structure(audit.template), user)
    can_decide = user.has_perm("audits.decide_audit", audit)
    can_reply = user.has_perm("audits.reply_to_audit", audit)
    events = None
    if user.has_perm("audits.view_audit_events", audit):
        events = list(audit.events.select_related("user")[:EVENT_LIMIT])
    if can_decide and return_form is None:
        return_form = ReturnForm()
    if can_reply and reply_form is None:
        reply_form = ReplyForm()
    error_form = next((f for f in (return_form, reply_form) if f is not None and f.errors), None)
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "age": audit_service.child_age_at_audit(audit),
            "summary": audit_summary(audit_data),
            "page_links": [
                link
                for section in form_sections()
                for link in section.audit_page_links(audit, user)
            ],
            "replies": list(audit.replies.select_related("author")),
            "events": events,
            "event_limit": EVENT_LIMIT,
            "can_edit": user.has_perm("audits.edit_audit", audit),
            "can_decide": can_decide,
            "can_reply": can_reply,
            "return_form": return_form,
            "reply_form": reply_form,
            "error_form": error_form,
            "overdue": audit.is_overdue(),
        },
        status=400 if error_form else 200,
    )


@never_cache
@login_required
@require_GET
def audit_detail(request, pk):
    """The audit, read-only. A Leader or Head of Service opening an accepted audit outside
    their own teams is first asked why (``audit_reason``)."""
    try:
        audit = _visible_audit(request.user, pk)
    except Http404:
        outside = _outside_scope(request.user, pk)
        if not viewing.audit_reason_given(user=request.user, audit=outside):
            return redirect("audits:audit_reason", pk=pk)
        audit = get_object_or_404(_for_page(Audit.objects.all()), pk=pk)
    return _detail_page(request, audit)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def audit_reason(request, pk):
    """Why a Leader or Head of Service opens an audit outside their own teams: recorded
    with their name and the time, then the audit opens for them."""
    audit = _outside_scope(request.user, pk)
    if request.method == "GET" and viewing.audit_reason_given(user=request.user, audit=audit):
        return redirect("audits:audit_detail", pk=pk)  # already open for them
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            viewing.audit_open_with_reason(
                user=request.user, audit=audit, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            return redirect("audits:audit_detail", pk=pk)
    return render(
        request,
        "audits/audit_reason.html",
        {"audit": audit, "form": form, "minutes": viewing.REASON_MINUTES},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def review_queue(request):
    if not request.user.has_perm("audits.manage_programme"):
        raise PermissionDenied
    audits = (
        audits_visible_to(request.user)
        .filter(status=AuditStatus.SUBMITTED)
        .order_by("submitted_at", "pk")
    )
    return render(request, "audits/review_queue.html", {"audits": audits})


@login_required
@require_POST
def audit_decide(request, pk):
    """The QA Lead accepts a submitted audit, or returns it with comments."""
    audit = _visible_audit(request.user, pk)
    if not request.user.has_perm("audits.decide_audit", audit):
        if request.user.has_perm("audits.manage_programme"):
            messages.info(request, NOT_SUBMITTED)
            return redirect("audits:audit_detail", pk=pk)
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in ("accept", "return"):
        return redirect("audits:audit_detail", pk=pk)
    form = ReturnForm(request.POST)
    if decision == "return" and not form.is_valid():
        return _detail_page(request, audit, return_form=form)
    try:
        if decision == "accept":
            audit_service.audit_accept(audit=audit, user=request.user)
            message = ACCEPTED
        else:
            comments = form.cleaned_data["comments"]
            audit_service.audit_return(audit=audit, user=request.user, comments=comments)
            message = RETURNED.format(auditor=audit.auditor)
    except ValidationError as error:
        # Decided by someone else a moment ago.
        messages.info(request, " ".join(error.messages))
        return redirect("audits:audit_detail", pk=pk)
    messages.success(request, message)
    return redirect("audits:review_queue")


@login_required
@require_POST
def audit_reply(request, pk):
    """The child's social worker replies to the findings of an accepted audit."""
    audit = _visible_audit(request.user, pk)
    if not request.user.has_perm("audits.reply_to_audit", audit):
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            audit_service.audit_reply(
                audit=audit,
                user=request.user,
                stance=form.cleaned_data["stance"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, REPLIED)
            return redirect(reverse("audits:audit_detail", args=[pk]) + "#replies")
    return _detail_page(request, audit, reply_form=form)
