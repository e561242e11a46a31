"""Looped audits: the same child audited by two auditors, compared blind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import is_qa_lead
from audits.services.viewing import audits_log_viewed

from .. import selectors
from ..forms import LoopForm
from ..services import LOOP_NOT_READY, loop_both_submitted, loop_create
from .common import add_service_errors, get_loop_for_user, require, today

LOOP_CREATED = "Looped audit of {reference} allocated to {first} and {second}."


def _audits_of(loops) -> list[int]:
    return [audit for loop in loops for audit in (loop.first_id, loop.second_id)]


@login_required
@require_http_methods(["GET", "POST"])
def loops(request):
    require(request.user, "moderation.manage_panels")
    form = LoopForm(request.POST or None, today=today())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loop = loop_create(
                child=form.child,
                auditors=(data["first_auditor"], data["second_auditor"]),
                template=data["template"],
                month=data["month"],
                due_date=data["due_date"],
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                LOOP_CREATED.format(
                    reference=form.child.case_reference,
                    first=data["first_auditor"],
                    second=data["second_auditor"],
                ),
            )
            return redirect("moderation:loop_detail", pk=loop.pk)
    loops = list(selectors.loops_visible_to(request.user).order_by("-created_at", "-pk"))
    audits_log_viewed(user=request.user, audits=_audits_of(loops), note="Looped audits")
    return render(request, "moderation/loops.html", {"loops": loops, "form": form})


@login_required
@require_GET
def loop_detail(request, pk):
    """Blind until both audits are submitted: an auditor cannot open it before then
    (the rule), and the comparison is shown only once both are in."""
    loop = get_loop_for_user(request.user, pk)
    audits_log_viewed(user=request.user, audits=_audits_of([loop]), note=f"Looped audit {loop.pk}")
    both = loop_both_submitted(loop)
    return render(
        request,
        "moderation/loop_detail.html",
        {
            "loop": loop,
            "both_submitted": both,
            "rows": selectors.loop_rows(loop) if both else [],
            "not_ready": LOOP_NOT_READY,
            "is_qa_lead": is_qa_lead(request.user),
        },
    )
