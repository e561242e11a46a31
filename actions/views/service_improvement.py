"""Service improvement actions: the list, raising and changing one, its page, progress
updates and marking it done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import selectors, services
from ..forms import (
    ImprovementDoneForm,
    ImprovementProgressForm,
    ServiceImprovementForm,
    apply_errors,
)
from ..models import ServiceImprovementAction
from ..selectors.service_improvement import SHOW_CHOICES, improvement_status, leads_text

PAGE_SIZE = 50


def _get_improvement_for_user(
    user, pk, permission="actions.view_improvement"
) -> ServiceImprovementAction:
    """The action if this user may see it (404 otherwise), and may do ``permission``."""
    try:
        improvement = selectors.improvement_for_page(user, pk)
    except ServiceImprovementAction.DoesNotExist:
        raise Http404 from None
    if not user.has_perm(permission, improvement):
        raise PermissionDenied
    return improvement


@login_required
@require_GET
def improvement_list(request):
    if not request.user.has_perm("actions.view_improvement_list"):
        raise PermissionDenied
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    if show not in SHOW_CHOICES:
        show = "open"
    qs = selectors.improvement_list(request.user, show, today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for improvement in page.object_list:
        improvement.lead_text = leads_text(improvement)
    return render(
        request,
        "actions/improvements.html",
        {
            "page": page,
            "show": show,
            "show_choices": SHOW_CHOICES,
            "show_label": SHOW_CHOICES[show],
            "today": today,
            "query": f"show={show}",
            "can_raise": request.user.has_perm("actions.manage_improvements"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def improvement_new(request):
    if not request.user.has_perm("actions.manage_improvements"):
        raise PermissionDenied
    form = ServiceImprovementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            improvement = services.service_improvement_create(
                user=request.user,
                title=data["title"],
                finding=data["finding"],
                leads=form.leads,
                lead_description=data["lead_description"],
                service_area=data["service_area"],
                timescale=data["timescale"],
                raised_in=data["raised_in"],
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(
                request, f"Service improvement action {improvement.display_reference} raised."
            )
            return redirect("actions:improvement_detail", pk=improvement.pk)
    return render(request, "actions/improvement_form.html", {"form": form, "improvement": None})


def _improvement_page(request, improvement, *, progress_form=None, done_form=None):
    today = timezone.localdate()
    user = request.user
    status = improvement_status(improvement, today)
    context = {
        "improvement": improvement,
        "today": today,
        "status": status,
        "overdue": improvement.is_overdue(today),
        "lead_text": leads_text(improvement),
        "can_update": not improvement.is_done
        and user.has_perm("actions.update_improvement", improvement),
        "can_edit": not improvement.is_done
        and user.has_perm("actions.manage_improvements", improvement),
        "progress_form": progress_form or ImprovementProgressForm(),
        "done_form": done_form or ImprovementDoneForm(today=today),
        "form": next((f for f in (progress_form, done_form) if f is not None and f.errors), None),
    }
    return render(request, "actions/improvement_detail.html", context)


@login_required
@require_GET
def improvement_detail(request, pk):
    return _improvement_page(request, _get_improvement_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def improvement_edit(request, pk):
    improvement = _get_improvement_for_user(request.user, pk, "actions.manage_improvements")
    if improvement.is_done:
        messages.error(
            request,
            services.service_improvement.ALREADY_DONE.format(
                date=date_format(improvement.completed_on, "j F Y")
            ),
        )
        return redirect("actions:improvement_detail", pk=improvement.pk)
    form = ServiceImprovementForm(
        request.POST if request.method == "POST" else None, improvement=improvement
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.service_improvement_edit(
                improvement=improvement,
                user=request.user,
                title=data["title"],
                finding=data["finding"],
                leads=form.leads,
                lead_description=data["lead_description"],
                service_area=data["service_area"],
                timescale=data["timescale"],
                raised_in=data["raised_in"],
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(
                request, f"Service improvement action {improvement.display_reference} changed."
            )
            return redirect("actions:improvement_detail", pk=improvement.pk)
    return render(
        request, "actions/improvement_form.html", {"form": form, "improvement": improvement}
    )


def _refused(request, improvement, error: ValidationError):
    """An update refused as a whole (the action was done meanwhile): say why, go back."""
    for message in error.messages:
        messages.error(request, message)
    return redirect("actions:improvement_detail", pk=improvement.pk)


@login_required
@require_POST
def improvement_progress(request, pk):
    improvement = _get_improvement_for_user(request.user, pk, "actions.update_improvement")
    form = ImprovementProgressForm(request.POST)
    if form.is_valid():
        try:
            services.service_improvement_add_update(
                improvement=improvement, user=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, improvement, error)
            apply_errors(form, error)
        else:
            messages.success(request, "Progress update added.")
            url = reverse("actions:improvement_detail", args=[improvement.pk])
            return redirect(f"{url}#progress")
    return _improvement_page(request, improvement, progress_form=form)


@login_required
@require_POST
def improvement_done(request, pk):
    improvement = _get_improvement_for_user(request.user, pk, "actions.update_improvement")
    form = ImprovementDoneForm(request.POST)
    if form.is_valid():
        try:
            done = services.service_improvement_complete(
                improvement=improvement,
                user=request.user,
                completed_on=form.cleaned_data["completed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, improvement, error)
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Service improvement action {done.display_reference} marked as done on "
                f"{date_format(done.completed_on, 'j F Y')}.",
            )
            return redirect("actions:improvement_detail", pk=improvement.pk)
    return _improvement_page(request, improvement, done_form=form)
