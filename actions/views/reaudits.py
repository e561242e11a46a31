"""Re-audit proposals: the list, allocating or dismissing one, and the comparison."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audits.models import AuditEventKind
from audits.services.audit import audit_log_event
from common.dates import month_start

from .. import selectors, services
from ..forms import ReauditAllocateForm, ReauditDismissForm, apply_errors
from ..models import ReauditProposal, ReauditStatus

PAGE_SIZE = 50


def _get_proposal_for_user(user, pk, permission="actions.view_reaudit") -> ReauditProposal:
    try:
        proposal = selectors.proposals_visible_to(user).get(pk=pk)
    except ReauditProposal.DoesNotExist:
        raise Http404 from None
    if not user.has_perm(permission, proposal):
        raise PermissionDenied
    return proposal


@login_required
@require_GET
def reaudits(request):
    if not request.user.has_perm("actions.view_reaudits"):
        raise PermissionDenied
    status = request.GET.get("status", ReauditStatus.PROPOSED)
    if status not in ReauditStatus.values:
        status = ReauditStatus.PROPOSED
    qs = selectors.proposals_visible_to(request.user).filter(status=status)
    if status != ReauditStatus.PROPOSED:
        qs = qs.order_by("-due_month", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "actions/reaudits.html",
        {
            "page": page,
            "status": status,
            "statuses": ReauditStatus.choices,
            "this_month": month_start(timezone.localdate()),
            "can_manage": request.user.has_perm("actions.manage_reaudits"),
        },
    )


@login_required
@require_GET
def reaudit_detail(request, pk):
    proposal = _get_proposal_for_user(request.user, pk)
    comparison = selectors.reaudit_comparison(proposal)
    if comparison is not None:
        for audit in (proposal.audit, proposal.reaudit):
            audit_log_event(
                audit=audit, user=request.user, kind=AuditEventKind.VIEWED, note="Re-audit"
            )
    return render(
        request,
        "actions/reaudit_detail.html",
        {
            "proposal": proposal,
            "comparison": comparison,
            "can_manage": request.user.has_perm("actions.manage_reaudits"),
        },
    )


def _decide(request, pk, form_class, template, call, success):
    proposal = _get_proposal_for_user(request.user, pk, "actions.manage_reaudits")
    if proposal.status != ReauditStatus.PROPOSED:
        messages.error(
            request,
            services.reaudits.ALREADY_DECIDED.format(
                status=ReauditStatus(proposal.status).label.lower()
            ),
        )
        return redirect("actions:reaudit_detail", pk=proposal.pk)
    kwargs = {"proposal": proposal} if form_class is ReauditAllocateForm else {}
    form = form_class(request.POST if request.method == "POST" else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            result = call(proposal, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success(proposal, result))
            return redirect("actions:reaudits")
    return render(request, template, {"proposal": proposal, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reaudit_allocate(request, pk):
    return _decide(
        request,
        pk,
        ReauditAllocateForm,
        "actions/reaudit_allocate.html",
        lambda proposal, data: services.reaudit_allocate(
            proposal=proposal, user=request.user, auditor=data["auditor"], month=data["month"]
        ),
        lambda proposal, audit: (
            f"Re-audit of case {proposal.child.case_reference} allocated "
            f"to {audit.auditor} for {audit.month:%B %Y}."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reaudit_dismiss(request, pk):
    return _decide(
        request,
        pk,
        ReauditDismissForm,
        "actions/reaudit_dismiss.html",
        lambda proposal, data: services.reaudit_dismiss(
            proposal=proposal, user=request.user, reason=data["reason"]
        ),
        lambda proposal, result: f"Re-audit of case {proposal.child.case_reference} dismissed.",
    )
