"""Cases of Concern: the list, a case, its monthly update and its resolution."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.models import AuditEventKind
from audits.services.audit import audit_log_event
from common.dates import add_months, month_start

from .. import selectors, services
from ..forms import CaseResolveForm, CaseUpdateForm, apply_errors
from ..models import CaseOfConcern, ReauditProposal

PAGE_SIZE = 50
SHOW_CHOICES = {"open": "Open", "resolved": "Resolved", "all": "All"}


def _get_case_for_user(user, pk, permission="actions.view_case") -> CaseOfConcern:
    try:
        case = selectors.case_for_page(user, pk)
    except CaseOfConcern.DoesNotExist:
        raise Http404 from None
    if not user.has_perm(permission, case):
        raise PermissionDenied
    return case


@login_required
@require_GET
def cases(request):
    if not request.user.has_perm("actions.view_cases"):
        raise PermissionDenied
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    if show not in SHOW_CHOICES:
        show = "open"
    qs = selectors.case_list(request.user, today)
    if show == "open":
        qs = qs.filter(resolved_on__isnull=True)
    elif show == "resolved":
        qs = qs.filter(resolved_on__isnull=False)
    aged = request.GET.get("aged") == "12"
    if aged:
        qs = qs.filter(opened_on__lt=add_months(today, -12), resolved_on__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page.object_list:
        case.age_days = case.age_in_days(today)
        case.over_12_months = case.is_open and selectors.over_months(case.opened_on, today, 12)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actions/cases.html",
        {
            "page": page,
            "show": show,
            "show_choices": SHOW_CHOICES,
            "aged": aged,
            "month": month_start(today),
            "today": today,
            "query": query.urlencode(),
        },
    )


def _case_page(request, case, *, resolve_form=None):
    today = timezone.localdate()
    links = list(case.links.all())
    updates = list(case.updates.all())
    latest = updates[0] if updates else None
    proposals = list(
        ReauditProposal.objects.filter(audit_id__in=[link.audit_id for link in links])
        .select_related("reaudit__auditor")
        .order_by("due_month", "pk")
    )
    for proposal in proposals:
        proposal.comparison = selectors.reaudit_comparison(proposal)
    can_resolve = request.user.has_perm("actions.resolve_case", case)
    context = {
        "case": case,
        "links": links,
        "updates": updates,
        "latest": latest,
        "actions": selectors.case_actions(case, today),
        "proposals": proposals,
        "today": today,
        "age_days": case.age_in_days(today),
        "over_12_months": case.is_open and selectors.over_months(case.opened_on, today, 12),
        "has_update_this_month": any(u.month == month_start(today) for u in updates),
        "can_update": request.user.has_perm("actions.update_case", case),
        "can_resolve": can_resolve and latest is not None and latest.allows_resolution,
        "resolve_form": resolve_form or CaseResolveForm(),
        "form": resolve_form,
    }
    return render(request, "actions/case_detail.html", context)


def _log_viewed(case, user):
    for link in case.links.all():
        audit_log_event(
            audit=link.audit, user=user, kind=AuditEventKind.VIEWED, note="Case of Concern"
        )


@login_required
@require_GET
def case_detail(request, pk):
    case = _get_case_for_user(request.user, pk)
    _log_viewed(case, request.user)
    return _case_page(request, case)


@login_required
@require_http_methods(["GET", "POST"])
def case_update(request, pk):
    case = _get_case_for_user(request.user, pk)
    if not case.is_open:
        messages.error(request, services.concerns.CASE_RESOLVED)
        return redirect("actions:case_detail", pk=case.pk)
    if not request.user.has_perm("actions.update_case", case):
        raise PermissionDenied
    form = CaseUpdateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            update = services.case_update_record(
                case=case,
                user=request.user,
                child_safe=form.cleaned_data["child_safe"],
                plan_progressing=form.cleaned_data["plan_progressing"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            message = f"Update for {update.month:%B %Y} saved for case {case.child.case_reference}."
            if update.allows_resolution:
                message += " You can now resolve the case if you are satisfied it is safe to."
            messages.success(request, message)
            return redirect("actions:case_detail", pk=case.pk)
    return render(
        request,
        "actions/case_update.html",
        {"case": case, "form": form, "month": month_start(timezone.localdate())},
    )


@login_required
@require_POST
def case_resolve(request, pk):
    case = _get_case_for_user(request.user, pk)
    if not case.is_open:
        messages.error(request, services.concerns.CASE_RESOLVED)
        return redirect("actions:case_detail", pk=case.pk)
    if not request.user.has_perm("actions.resolve_case", case):
        raise PermissionDenied
    form = CaseResolveForm(request.POST)
    form.is_valid()
    try:
        services.case_resolve(
            case=case, user=request.user, confirmed=form.cleaned_data.get("confirm", False)
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                messages.error(request, message)
            return redirect("actions:case_detail", pk=case.pk)
        apply_errors(form, error)
        return _case_page(request, case, resolve_form=form)
    messages.success(request, f"Case of Concern for case {case.child.case_reference} resolved.")
    return redirect("actions:case_detail", pk=case.pk)
