"""Panels: the list, a new panel, and the panel page with the QA Lead's controls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.services.viewing import audits_log_viewed

from .. import selectors
from ..forms import AddAuditForm, LoopOutcomeForm, PanelForm, ReassignForm
from ..models import LoopStatus, ReviewStatus
from ..services import (
    OUTCOME_NEEDED,
    loop_record_outcome,
    panel_add_audit,
    panel_create,
    panel_progress,
    panel_remove_audit,
    review_reassign,
)
from .common import add_service_errors, get_panel_for_user, require, today

PANEL_CREATED = "Panel created for {month}: {count} audits to moderate."
AUDIT_ADDED = "{reference} added to the panel."
REVIEW_REMOVED = "{reference} removed from the panel."
REVIEW_REASSIGNED = "{reference} reassigned to {moderator}."
OUTCOME_RECORDED = "Outcome recorded for the looped audit of {reference}."


@login_required
@require_GET
def panels(request):
    require(request.user, "moderation.use_panels")
    return render(
        request,
        "moderation/panels.html",
        {
            "panels": selectors.panel_list(request.user),
            "is_qa_lead": request.user.has_perm("moderation.manage_panels"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_new(request):
    require(request.user, "moderation.manage_panels")
    form = PanelForm(request.POST or None, today=today())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            panel = panel_create(
                month=data["month"],
                date=data["date"],
                user=request.user,
                chair=data["chair"],
                target_share=data["target_share"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                PANEL_CREATED.format(
                    month=panel.month.strftime("%B %Y"), count=panel.reviews.count()
                ),
            )
            return redirect("moderation:panel_detail", pk=panel.pk)
    return render(request, "moderation/panel_new.html", {"form": form})


def _log_audits_shown(user, reviews, loops, add_form, *, note):
    """The panel page shows its reviews' audits, its looped audits and, to the QA Lead,
    the accepted audits that may be added (their grades in the list)."""
    shown = [review.audit_id for review in reviews]
    shown += [audit for loop in loops for audit in (loop.first_id, loop.second_id)]
    if add_form is not None:
        shown += list(add_form.candidates)
    audits_log_viewed(user=user, audits=shown, note=note)


def _panel_page(request, panel, *, status=200, errors=None, **forms):
    """The panel page; ``forms`` carries a submitted form with its errors, ``errors``
    any (anchor, message) pairs from a button without a form."""
    user = request.user
    manage = user.has_perm("moderation.manage_panels")
    reviews = selectors.panel_reviews(panel)
    moderators = selectors.panel_moderators(panel, reviews)
    for review in reviews:
        review.can_open = user.has_perm("moderation.view_review", review)
        review.can_remove = (
            manage and review.status == ReviewStatus.ASSIGNED and not review.moderated_grade
        )
    discussions = selectors.panel_discussions(panel)
    moderator_users = [m["user"] for m in moderators]
    add_form = forms.get("add_form")
    if manage and add_form is None:
        candidates = selectors.panel_add_candidates(panel, request.GET.get("page"))
        add_form = AddAuditForm(candidates=candidates.object_list, moderators=moderator_users)
        add_form.page = candidates
    error_links = list(errors or [])
    if forms.get("add_form") is not None and forms["add_form"].errors:
        error_links += forms["add_form"].error_links()
    reassign = forms.get("reassign")  # (review id, form)
    if reassign and reassign[1].errors:
        error_links += [(f"reassign-{reassign[0]}", e) for e in reassign[1].errors["moderator"]]
    outcome = forms.get("outcome")  # (loop id, form)
    if outcome and outcome[1].errors:
        error_links += [(f"outcome-{outcome[0]}", e) for e in outcome[1].errors["outcome"]]
    _log_audits_shown(user, reviews, discussions, add_form, note=f"Moderation panel {panel.pk}")
    context = {
        "panel": panel,
        "progress": panel_progress(panel),
        "moderators": moderators,
        "observers": list(panel.observers.order_by("last_name", "first_name")),
        "groups": selectors.reviews_by_moderator(reviews, moderators),
        "discussions": discussions,
        "manage": manage,
        "record_outcomes": user.has_perm("moderation.record_loop_outcome"),
        "add_form": add_form,
        "reassign_choices": moderator_users,
        "reassign": reassign,
        "outcome": outcome,
        "error_links": error_links,
    }
    return render(request, "moderation/panel_detail.html", context, status=status)


@login_required
@require_GET
def panel_detail(request, pk):
    panel = get_panel_for_user(request.user, pk)
    return _panel_page(request, panel)


@login_required
@require_POST
def panel_add(request, pk):
    panel = get_panel_for_user(request.user, pk)
    require(request.user, "moderation.manage_panels")
    moderators = list(panel.moderators.order_by("last_name", "first_name", "pk"))
    candidates = selectors.panel_add_candidates(
        panel, request.GET.get("page"), also=request.POST.get("audit")
    )
    form = AddAuditForm(request.POST, candidates=candidates.object_list, moderators=moderators)
    form.page = candidates
    if form.is_valid():
        try:
            review = panel_add_audit(
                panel=panel,
                audit=form.cleaned_data["audit"],
                user=request.user,
                moderator=form.cleaned_data["moderator"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, AUDIT_ADDED.format(reference=review.audit.child.case_reference)
            )
            return redirect("moderation:panel_detail", pk=panel.pk)
    return _panel_page(request, panel, add_form=form)


def _panel_review(panel, review_pk):
    return get_object_or_404(
        panel.reviews.select_related("audit__child", "moderator"), pk=review_pk
    )


@login_required
@require_POST
def panel_remove(request, pk, review_pk):
    panel = get_panel_for_user(request.user, pk)
    require(request.user, "moderation.manage_panels")
    review = _panel_review(panel, review_pk)
    reference = review.audit.child.case_reference
    try:
        panel_remove_audit(review=review, user=request.user)
    except ValidationError as error:
        return _panel_page(
            request, panel, errors=[(f"review-{review.pk}", m) for m in error.messages]
        )
    messages.success(request, REVIEW_REMOVED.format(reference=reference))
    return redirect("moderation:panel_detail", pk=panel.pk)


@login_required
@require_POST
def panel_reassign(request, pk, review_pk):
    panel = get_panel_for_user(request.user, pk)
    require(request.user, "moderation.manage_panels")
    review = _panel_review(panel, review_pk)
    moderators = [m for m in panel.moderators.all() if m.pk != review.audit.auditor_id]
    form = ReassignForm(request.POST, moderators=moderators)
    if form.is_valid():
        try:
            review = review_reassign(
                review=review, moderator=form.cleaned_data["moderator"], user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("moderator", message)
        else:
            messages.success(
                request,
                REVIEW_REASSIGNED.format(
                    reference=review.audit.child.case_reference, moderator=review.moderator
                ),
            )
            return redirect("moderation:panel_detail", pk=panel.pk)
    return _panel_page(request, panel, reassign=(review.pk, form))


@login_required
@require_POST
def loop_outcome(request, pk, loop_pk):
    panel = get_panel_for_user(request.user, pk)
    require(request.user, "moderation.record_loop_outcome")
    loop = get_object_or_404(
        panel.discussions.select_related("first__child").filter(
            status__in=[LoopStatus.DIFFERS, LoopStatus.DISCUSSED]
        ),
        pk=loop_pk,
    )
    form = LoopOutcomeForm(request.POST)
    form.is_valid()
    try:
        loop_record_outcome(loop=loop, user=request.user, outcome=form.cleaned_data["outcome"])
    except ValidationError as error:
        form.add_error("outcome", error.messages[0] if error.messages else OUTCOME_NEEDED)
        return _panel_page(request, panel, outcome=(loop.pk, form))
    messages.success(request, OUTCOME_RECORDED.format(reference=loop.first.child.case_reference))
    return redirect("moderation:panel_detail", pk=panel.pk)
