"""The auditor's pages: My audits, the audit form (a page per section, saved as a draft
and autosaved as they type), the check page and submission."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.dates import add_months

from ..forms.audit_form import CHECK, AuditData, audit_summary, section_form
from ..models import AuditEventKind, AuditStatus, ProposedAction
from ..models.audit import EDITABLE_STATUSES
from ..selectors import audits_for_auditor, audits_visible_to, template_structure
from ..services import audit as audit_service
from ..services.audit import EDITED_ELSEWHERE, NOT_EDITABLE, AuditIncompleteError

SAVED_FOR_LATER = "Your answers for {case} are saved. You can come back to them at any time."
SUBMITTED = "Audit submitted. The QA Lead will review it and tell you if anything needs to change."
CANNOT_EDIT = "You cannot change this audit."
UNKNOWN_SECTION = "This part of the audit does not exist. Reload the page."


def _audits(user):
    return audits_visible_to(user).prefetch_related(
        "gradings",
        "answers",
        Prefetch(
            "proposed_actions", queryset=ProposedAction.objects.select_related("suggested_owner")
        ),
    )


def _not_editable_message(audit) -> str:
    if audit.status in (AuditStatus.SUBMITTED, AuditStatus.ACCEPTED):
        return NOT_EDITABLE
    return f"This audit is {audit.get_status_display().lower()} and can no longer be changed."


def _editable_audit(request, pk):
    """The audit, if this user may change it: 404 outside their scope, 403 if they may see
    it but not change it. For its auditor, once it is no longer editable: None, and the
    caller sends them to the audit page."""
    audit = get_object_or_404(_audits(request.user).select_related("child__team"), pk=pk)
    if request.user.has_perm("audits.edit_audit", audit):
        return audit
    if audit.auditor_id == request.user.pk:
        return None
    raise PermissionDenied


def _to_audit_page(request, pk):
    audit = get_object_or_404(audits_visible_to(request.user), pk=pk)
    messages.info(request, _not_editable_message(audit))
    return redirect("audits:audit_detail", pk=pk)


def _log_view(request, audit, page: str) -> None:
    audit_service.audit_log_event(
        audit=audit, user=request.user, kind=AuditEventKind.VIEWED, note=f"Audit form: {page}"
    )


def _section_url(pk: int, key: str) -> str:
    return reverse("audits:audit_section", args=[pk, key])


# My audits --------------------------------------------------------------------------


MY_AUDITS_PAGE_SIZE = 50


def my_audit_groups(user, today, page_number=None):
    """The auditor's audits: to do (returned first, then overdue, then by due date),
    submitted, and accepted in the last 12 months a page at a time, most recent first
    (with a count of older ones). Work in hand is bounded by allocation; completed
    audits accumulate, so only they are paged."""
    cutoff = add_months(today, -12)
    in_hand = list(
        audits_for_auditor(user).filter(status__in=[*EDITABLE_STATUSES, AuditStatus.SUBMITTED])
    )
    accepted = audits_for_auditor(user).filter(status=AuditStatus.ACCEPTED)
    recent = accepted.filter(Q(completed_on__gte=cutoff) | Q(completed_on__isnull=True))
    # Not yet dated counts as today: newest first.
    completed = Paginator(
        recent.order_by(F("completed_on").desc(nulls_first=True), "-pk"), MY_AUDITS_PAGE_SIZE
    ).get_page(page_number)
    older = accepted.filter(completed_on__lt=cutoff).count()
    for audit in in_hand:
        audit.overdue = audit.is_overdue(today)
    to_do = sorted(
        (a for a in in_hand if a.status in EDITABLE_STATUSES),
        key=lambda a: (
            a.status != AuditStatus.RETURNED,
            not a.overdue,
            a.due_date or datetime.date.max,
            a.pk,
        ),
    )
    submitted = sorted(
        (a for a in in_hand if a.status == AuditStatus.SUBMITTED),
        key=lambda a: (a.submitted_at or timezone.now(), a.pk),
    )
    return {"to_do": to_do, "submitted": submitted, "completed": completed, "older": older}


@login_required
@require_GET
def my_audits(request):
    if not request.user.has_perm("audits.use_my_audits"):
        raise PermissionDenied
    groups = my_audit_groups(request.user, timezone.localdate(), request.GET.get("page"))
    return render(request, "audits/my_audits.html", groups)


# The form ---------------------------------------------------------------------------


def _audit_data(audit, user=None) -> AuditData:
    return AuditData(audit, template_structure(audit.template), user)


def _with_statuses(audit_data: AuditData):
    missing = audit_service.audit_missing_items(audit_data.audit)
    pk = audit_data.audit.pk
    audit_data.set_statuses(missing, lambda key: _section_url(pk, key))
    return missing


@login_required
@require_GET
def audit_form(request, pk):
    """Open the form at the first section with something missing."""
    audit = _editable_audit(request, pk)
    if audit is None:
        return _to_audit_page(request, pk)
    audit_data = _audit_data(audit, request.user)
    missing = audit_service.audit_missing_items(audit)
    key = missing[0].section if missing else audit_data.sections[0].key
    return redirect("audits:audit_section", pk=pk, section=key)


def _next_section(audit_data: AuditData, key: str) -> str:
    keys = [s.key for s in audit_data.sections]
    index = keys.index(key)
    return keys[min(index + 1, len(keys) - 1)]


@never_cache  # the Back button must load the latest lock_version, not a cached page
@login_required
@require_http_methods(["GET", "POST"])
def audit_section(request, pk, section):
    audit = _editable_audit(request, pk)
    if audit is None:
        return _to_audit_page(request, pk)
    audit_data = _audit_data(audit, request.user)
    if section == CHECK:
        if request.method == "POST":
            return _submit(request, audit, audit_data)
        return _check_page(request, audit_data)
    current = audit_data.section(section)
    if current is None:
        raise Http404
    form = section_form(audit_data, current, request.POST if request.method == "POST" else None)
    page_error = ""
    if request.method == "POST" and form.is_valid():
        try:
            audit_service.audit_save_draft(
                audit=audit,
                user=request.user,
                data=form.draft_data(),
                expected_version=form.lock_version,
            )
        except audit_service.ConcurrentEditError:
            page_error = EDITED_ELSEWHERE
        except ValidationError:
            return _to_audit_page(request, pk)
        else:
            if request.POST.get("then") == "later":
                messages.success(request, SAVED_FOR_LATER.format(case=audit.child.case_reference))
                return redirect("audits:my_audits")
            if request.POST.get("then") == "more":
                return redirect(_section_url(pk, section))
            return redirect(_section_url(pk, _next_section(audit_data, section)))
    if request.method == "GET":
        _log_view(request, audit, current.title)
    errors = [{"text": page_error}] if page_error else []
    if form.is_bound:
        errors += [
            {"href": f"#{field_id}", "text": message}
            for field_id, message in form.error_list().items()
        ]
    _with_statuses(audit_data)
    return render(
        request,
        "audits/form_section.html",
        {
            "audit": audit,
            "sections": audit_data.sections,
            "current": current,
            "form": form,
            "fields": form.layout(),
            "errors": errors,
            "lock_version": form.lock_version,
            "action_rows": getattr(form, "rows", None),
        },
        status=409 if page_error else 200,
    )


@login_required
@require_POST
def audit_autosave(request, pk):
    """Save what is on a section page as a draft; answer in JSON for autosave.js."""
    audit = get_object_or_404(_audits(request.user).select_related("child__team"), pk=pk)
    if not request.user.has_perm("audits.edit_audit", audit):
        own = audit.auditor_id == request.user.pk
        message = _not_editable_message(audit) if own else CANNOT_EDIT
        return JsonResponse({"saved": False, "error": message}, status=403)
    audit_data = _audit_data(audit, request.user)
    section = audit_data.section(request.POST.get("section", ""))
    if section is None or section.key == CHECK:
        return JsonResponse({"saved": False, "error": UNKNOWN_SECTION}, status=400)
    form = section_form(audit_data, section, request.POST)
    if not form.is_valid():
        return JsonResponse({"saved": False, "errors": form.error_list()}, status=400)
    try:
        saved = audit_service.audit_save_draft(
            audit=audit,
            user=request.user,
            data=form.draft_data(),
            expected_version=form.lock_version,
        )
    except audit_service.ConcurrentEditError:
        return JsonResponse({"saved": False, "error": EDITED_ELSEWHERE}, status=409)
    except ValidationError as error:
        return JsonResponse({"saved": False, "error": " ".join(error.messages)}, status=409)
    saved_at = timezone.localtime(saved.updated_at).strftime("%H:%M")
    # The list of sections beside the form shows each section's status: send them as they
    # are after this save, so the list can change without reloading the page.
    after = _audit_data(saved, request.user)
    _with_statuses(after)
    return JsonResponse(
        {
            "saved": True,
            "lock_version": saved.lock_version,
            "saved_at": saved_at,
            "sections": [s.status_json() for s in after.sections],
        }
    )


# Check and submit -------------------------------------------------------------------


def _check_page(request, audit_data: AuditData, incomplete=None):
    if request.method == "GET":
        _log_view(request, audit_data.audit, "Check your answers")
    missing = _with_statuses(audit_data)
    pk = audit_data.audit.pk
    errors = [
        {"href": f"{_section_url(pk, item.section)}#{item.field}", "text": item.message}
        for item in incomplete or []
    ]
    return render(
        request,
        "audits/form_check.html",
        {
            "audit": audit_data.audit,
            "sections": audit_data.sections,
            "current": audit_data.section(CHECK),
            "summary": audit_summary(audit_data),
            "missing": missing,
            "missing_fields": {item.field for item in missing},
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _submit(request, audit, audit_data: AuditData):
    try:
        audit_service.audit_submit(audit=audit, user=request.user)
    except AuditIncompleteError as error:
        return _check_page(request, audit_data, incomplete=error.items)
    except ValidationError:
        return _to_audit_page(request, audit.pk)
    messages.success(request, SUBMITTED)
    return redirect("audits:my_audits")


@login_required
@require_http_methods(["GET", "POST"])
def audit_submit(request, pk):
    """GET: the check page. POST: submit, or list every missing item."""
    audit = _editable_audit(request, pk)
    if audit is None:
        return _to_audit_page(request, pk)
    if request.method == "GET":
        return redirect("audits:audit_section", pk=pk, section=CHECK)
    return _submit(request, audit, _audit_data(audit, request.user))
