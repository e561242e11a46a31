"""The tracker, an action's page, its one-step updates, and the links in tracker emails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.models import AuditEventKind
from audits.services.audit import audit_log_event

from .. import selectors, services
from ..forms import (
    ActionEditForm,
    CompleteForm,
    NoteForm,
    TrackerFilter,
    TransferForm,
    apply_errors,
)
from ..models import Action, ActionSettings
from ..services.tracker import action_id_from_token

PAGE_SIZE = 25


def _get_action_for_user(user, pk, permission="actions.view_action") -> Action:
    """The action if this user may see it (404 otherwise), and may do ``permission``."""
    try:
        action = selectors.action_for_page(user, pk)
    except Action.DoesNotExist:
        raise Http404 from None
    if not user.has_perm(permission, action):
        raise PermissionDenied
    return action


def _back_to(request, action: Action) -> str:
    """Where a row form returns to: the page it came from, at the action's row."""
    target = request.POST.get("next") or ""
    if not (
        target.startswith("/actions/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        target = reverse("actions:action_detail", args=[action.pk])
    return f"{target.split('#', 1)[0]}#action-{action.pk}"


def _group_by_child(actions) -> list[dict]:
    groups: list[dict] = []
    for action in actions:
        if not groups or groups[-1]["child"].pk != action.child_id:
            groups.append({"child": action.child, "actions": []})
        groups[-1]["actions"].append(action)
    return groups


@login_required
@require_GET
def tracker(request):
    if not request.user.has_perm("actions.view_tracker"):
        raise PermissionDenied
    today = timezone.localdate()
    actions = selectors.tracker_actions(request.user, today)
    filterset = TrackerFilter(request.GET or None, queryset=actions, user=request.user)
    page = Paginator(selectors.TrackerOrder(filterset.qs), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actions/tracker.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "groups": _group_by_child(page.object_list),
            "today": today,
            "here": request.get_full_path(),
            "query": query.urlencode(),
            "settings": ActionSettings.load(),
        },
    )


def _action_page(request, action, *, status=200, **forms):
    today = timezone.localdate()
    user = request.user
    context = {
        "action": action,
        "today": today,
        "can_update": user.has_perm("actions.update_action", action),
        "can_edit": user.has_perm("actions.edit_action", action),
        "complete_form": forms.get("complete_form") or CompleteForm(today=today),
        "transfer_form": forms.get("transfer_form") or TransferForm(today=today),
        "note_form": forms.get("note_form") or NoteForm(),
        "settings": ActionSettings.load(),
    }
    context["form"] = next((f for f in forms.values() if f is not None and f.errors), None)
    return render(request, "actions/action_detail.html", context, status=status)


@login_required
@require_GET
def action_detail(request, pk):
    action = _get_action_for_user(request.user, pk)
    audit_log_event(
        audit=action.audit, user=request.user, kind=AuditEventKind.VIEWED, note="Action page"
    )
    return _action_page(request, action)


def _record(request, action, form, form_name, call, success):
    """Validate a one-step update, call the service, return to the row; or show the
    action's page with the form's errors. A refused update (already done) changes
    nothing and says why."""
    if form.is_valid():
        try:
            update = call(form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_errors(form, error)
            else:
                for message in error.messages:
                    messages.error(request, message)
                return redirect(_back_to(request, action))
        else:
            messages.success(request, success(update))
            return redirect(_back_to(request, action))
    return _action_page(request, action, **{form_name: form})


def _on(day) -> str:
    return date_format(day, "j F Y")


@login_required
@require_POST
def action_complete(request, pk):
    action = _get_action_for_user(request.user, pk, "actions.update_action")
    form = CompleteForm(request.POST)
    return _record(
        request,
        action,
        form,
        "complete_form",
        lambda data: services.action_complete(
            action=action,
            user=request.user,
            completed_on=data["completed_on"],
            note=data["note"],
        ),
        lambda update: (
            f"Case {action.child.case_reference}: action marked as done on "
            f"{_on(update.happened_on)}."
        ),
    )


@login_required
@require_POST
def action_transfer(request, pk):
    action = _get_action_for_user(request.user, pk, "actions.update_action")
    form = TransferForm(request.POST)
    return _record(
        request,
        action,
        form,
        "transfer_form",
        lambda data: services.action_transfer(
            action=action,
            user=request.user,
            transferred_on=data["transferred_on"],
            child_family_involved=data["child_family_involved"],
            iro_involved=data["iro_involved"],
            note=data["note"],
        ),
        lambda update: (
            f"Case {action.child.case_reference}: action recorded as transferred "
            f"to the child's plan on {_on(update.happened_on)}."
        ),
    )


@login_required
@require_POST
def action_note(request, pk):
    action = _get_action_for_user(request.user, pk, "actions.update_action")
    form = NoteForm(request.POST)
    return _record(
        request,
        action,
        form,
        "note_form",
        lambda data: services.action_add_note(action=action, user=request.user, note=data["note"]),
        lambda update: f"Case {action.child.case_reference}: note added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = _get_action_for_user(request.user, pk, "actions.edit_action")
    can_change_due_date = request.user.has_perm("actions.change_due_date", action)
    form = ActionEditForm(
        request.POST if request.method == "POST" else None,
        action=action,
        owners=selectors.owner_choices(action),
        can_change_due_date=can_change_due_date,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_edit(
                action=action,
                user=request.user,
                text=data["text"],
                kind=data["kind"],
                owner=data["owner"],
                due_date=data.get("due_date", action.due_date),
                reason=data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Case {action.child.case_reference}: action changed.")
            return redirect("actions:action_detail", pk=action.pk)
    return render(request, "actions/action_edit.html", {"action": action, "form": form})


@login_required
@require_GET
def follow_link(request, token):
    """A link from a tracker email: the signature must be good and unexpired, and the
    signed-in person must be allowed to update the action."""
    settings = ActionSettings.load()
    try:
        pk = action_id_from_token(token, max_age_days=settings.link_expiry_days)
    except signing.SignatureExpired:
        return render(
            request,
            "actions/link_expired.html",
            {"days": settings.link_expiry_days},
            status=410,
        )
    except (signing.BadSignature, ValueError):
        raise Http404 from None
    action = _get_action_for_user(request.user, pk, "actions.update_action")
    return redirect("actions:action_detail", pk=action.pk)
