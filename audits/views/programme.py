"""/programme/: the QA Lead's monthly allocation, ad hoc allocation and exemptions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import DepartmentTeam

from .. import caselist
from ..forms.imports import CaseListUploadForm
from ..forms.programme import (
    AddAuditForm,
    AdhocForm,
    ChangeAuditorForm,
    ExemptionDecideForm,
    ExemptionRequestForm,
    PublishForm,
    RoundNewForm,
    StandingExemptionForm,
    SwapChildForm,
    add_service_errors,
)
from ..models import AllocationRound, Audit, ExemptionStatus, ProgrammeSettings, RoundStatus
from ..sample_mix import mix_sentence, sample_mix
from ..selectors_programme import (
    eligible_children,
    exemption_list,
    exemptions_to_decide,
    exemptions_visible_to,
    may_use_exemptions,
    month_label,
    programme_overview,
    round_table,
)
from ..services import allocation, exemptions

MANAGE = "audits.manage_programme"
WARNINGS_KEY = "programme-round-{pk}-warnings"


def _require(user, perm=MANAGE):
    if not user.has_perm(perm):
        raise PermissionDenied


def _get_round(user, pk) -> AllocationRound:
    _require(user)
    return get_object_or_404(AllocationRound, pk=pk)


@login_required
@require_GET
def index(request):
    _require(request.user)
    overview = programme_overview(timezone.localdate())
    return render(request, "audits/programme/index.html", overview)


# Rounds -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    _require(request.user)
    today = timezone.localdate()
    settings = ProgrammeSettings.load()
    form = RoundNewForm(request.POST or None, today=today, settings=settings)
    if request.method == "POST" and form.is_valid():
        try:
            result = allocation.round_propose(
                month=form.month_value,
                created_by=request.user,
                today=today,
                template=form.cleaned_data["template"],
                replace_draft=form.cleaned_data["replace_draft"],
                **form.numbers,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[WARNINGS_KEY.format(pk=result.round.pk)] = result.warnings
            if result.proposed:
                messages.success(
                    request,
                    f"{result.proposed} audits proposed for {month_label(result.round.month)}. "
                    "Auditors will not see them until you publish the allocation.",
                )
            else:
                messages.warning(request, _nothing_proposed(result.round))
            return redirect("programme:round_detail", pk=result.round.pk)
    return render(request, "audits/programme/round_new.html", {"form": form})


def _nothing_proposed(allocation_round):
    """A warning, not a success: an empty allocation needs the case list or a child added."""
    return format_html(
        "No audits could be proposed: there are no open children in the case list who have "
        "not been audited in the last 12 months. "
        '<a class="govuk-notification-banner__link" href="{}">Update the case list</a>, or '
        '<a class="govuk-notification-banner__link" href="{}#add">add a child to the '
        "allocation</a>.",
        reverse("programme:case_list"),
        reverse("programme:round_detail", args=[allocation_round.pk]),
    )


def _round_page(request, allocation_round, *, add_form=None, publish_form=None, status=200):
    table = round_table(allocation_round)
    is_draft = allocation_round.status == RoundStatus.DRAFT
    context = {
        "round": allocation_round,
        "label": month_label(allocation_round.month),
        "is_draft": is_draft,
        "proposal_warnings": request.session.pop(WARNINGS_KEY.format(pk=allocation_round.pk), []),
        **table,
    }
    if table.get("count"):
        mix = sample_mix(allocation_round)
        context["mix"] = mix
        combined = [row for part in mix for row in part["rows"] if row["combined"]]
        context["black_and_mixed"] = mix_sentence(combined[0]) if combined else ""
    if is_draft:
        context["add_form"] = add_form or AddAuditForm(allocation_round=allocation_round)
        context["publish_form"] = publish_form or PublishForm()
        context["form"] = (
            add_form if add_form is not None and add_form.errors else context["publish_form"]
        )
    return render(request, "audits/programme/round_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request, pk):
    """The allocation table; a POST adds a child to the draft."""
    allocation_round = _get_round(request.user, pk)
    if request.method == "GET":
        return _round_page(request, allocation_round)
    if allocation_round.status != RoundStatus.DRAFT:
        messages.error(
            request,
            allocation.ROUND_NOT_DRAFT.format(month=month_label(allocation_round.month)),
        )
        return redirect("programme:round_detail", pk=pk)
    form = AddAuditForm(request.POST, allocation_round=allocation_round)
    if form.is_valid():
        try:
            audit, warnings = allocation.round_audit_add(
                allocation_round=allocation_round,
                team=form.cleaned_data["team"],
                case_reference=form.cleaned_data["case_reference"],
                auditor=form.cleaned_data["auditor"],
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                " ".join([f"{audit.child.case_reference} added for {audit.auditor}.", *warnings]),
            )
            return redirect("programme:round_detail", pk=pk)
    return _round_page(request, allocation_round, add_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def round_audit_change(request, pk, audit_pk):
    """Change the auditor of a proposed audit, swap its child, or remove it."""
    allocation_round = _get_round(request.user, pk)
    audit = get_object_or_404(
        Audit.objects.select_related("child__team", "team", "auditor__team"),
        pk=audit_pk,
        allocation_round=allocation_round,
    )
    back = reverse("programme:round_detail", args=[pk])
    editable = allocation_round.status == RoundStatus.DRAFT
    auditor_form = ChangeAuditorForm(audit=audit, initial={"auditor": audit.auditor_id})
    swap_form = SwapChildForm(audit=audit)
    error_form = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "auditor":
                auditor_form = error_form = ChangeAuditorForm(request.POST, audit=audit)
                if auditor_form.is_valid():
                    warnings = allocation.round_audit_change_auditor(
                        audit=audit, auditor=auditor_form.cleaned_data["auditor"], user=request.user
                    )
                    messages.success(
                        request,
                        " ".join(
                            [
                                f"{audit.child.case_reference} is now allocated to "
                                f"{auditor_form.cleaned_data['auditor']}.",
                                *warnings,
                            ]
                        ),
                    )
                    return redirect(back)
            elif action == "swap":
                swap_form = error_form = SwapChildForm(request.POST, audit=audit)
                if swap_form.is_valid():
                    old = audit.child.case_reference
                    swapped = allocation.round_audit_swap_child(
                        audit=audit,
                        case_reference=swap_form.cleaned_data["case_reference"],
                        user=request.user,
                    )
                    messages.success(
                        request, f"{swapped.child.case_reference} replaces {old} in the allocation."
                    )
                    return redirect(back)
            elif action == "remove":
                allocation.round_audit_remove(audit=audit, user=request.user)
                messages.success(
                    request, f"{audit.child.case_reference} was removed from the allocation."
                )
                return redirect(back)
            else:
                return render(request, "errors/400.html", status=400)
        except ValidationError as error:
            if error_form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(back)
            add_service_errors(error_form, error)
    return render(
        request,
        "audits/programme/round_audit_change.html",
        {
            "round": allocation_round,
            "label": month_label(allocation_round.month),
            "audit": audit,
            "editable": editable,
            "auditor_form": auditor_form,
            "swap_form": swap_form,
            "form": error_form,
            "eligible": eligible_children(
                audit.team, audit.month, ProgrammeSettings.load().no_repeat_months
            )
            if editable
            else [],
        },
    )


@login_required
@require_POST
def round_publish(request, pk):
    allocation_round = _get_round(request.user, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            count = allocation.round_publish(allocation_round=allocation_round, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The allocation for {month_label(allocation_round.month)} is published: "
                f"{count} audits allocated and the auditors emailed.",
            )
            return redirect("programme:round_detail", pk=pk)
    allocation_round.refresh_from_db()
    if allocation_round.status != RoundStatus.DRAFT:
        messages.info(
            request, allocation.ALREADY_PUBLISHED.format(month=month_label(allocation_round.month))
        )
        return redirect("programme:round_detail", pk=pk)
    return _round_page(request, allocation_round, publish_form=form)


# Ad hoc -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def adhoc(request):
    _require(request.user)
    today = timezone.localdate()
    form = AdhocForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            created = allocation.adhoc_allocate(
                references=form.cleaned_data["references"],
                auditor=form.chosen_auditor,
                due_date=form.cleaned_data["due_date"],
                template=form.cleaned_data["template"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                today=today,
                confirmed=form.cleaned_data["confirm"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            auditors = sorted({str(a.auditor) for a in created})
            messages.success(
                request,
                f"{len(created)} audit{'s' if len(created) != 1 else ''} allocated to "
                f"{', '.join(auditors)}, who have been emailed.",
            )
            return redirect("programme:index")
    return render(request, "audits/programme/adhoc.html", {"form": form})


# Exemptions -------------------------------------------------------------------------


@login_required
@require_GET
def exemption_index(request):
    if not may_use_exemptions(request.user):
        raise PermissionDenied
    return render(
        request,
        "audits/programme/exemptions.html",
        {
            "to_decide": list(exemptions_to_decide(request.user)),
            "exemptions": list(exemption_list(request.user)),
            "may_record_standing": request.user.has_perm(MANAGE),
            "may_request": request.user.has_perm("audits.request_exemption"),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def exemption_new(request):
    standing = (request.POST.get("kind") or request.GET.get("kind")) == "standing"
    _require(request.user, MANAGE if standing else "audits.request_exemption")
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    if standing:
        form = StandingExemptionForm(data)
    else:
        form = ExemptionRequestForm(data, user=request.user, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            if standing:
                exemption = exemptions.exemption_record_standing(
                    auditor=form.cleaned_data["auditor"],
                    standing_reason=form.cleaned_data["standing_reason"],
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    details=form.cleaned_data["details"],
                    user=request.user,
                )
                message = f"Standing exemption recorded for {exemption.auditor}."
            else:
                exemption = exemptions.exemption_request(
                    auditor=form.cleaned_data["auditor"],
                    month=form.month_value,
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                    today=today,
                )
                message = (
                    f"Exemption for {exemption.auditor} in {month_label(exemption.month)} "
                    "asked for. It counts once a Head of Service or Director approves it."
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("programme:exemptions")
    return render(
        request, "audits/programme/exemption_new.html", {"form": form, "standing": standing}
    )


@login_required
@require_POST
def exemption_end(request, pk):
    """End a standing exemption today."""
    _require(request.user)
    exemption = get_object_or_404(exemptions_visible_to(request.user), pk=pk)
    try:
        ended = exemptions.exemption_end(
            exemption=exemption, user=request.user, today=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"The standing exemption for {ended.auditor} ends on "
            f"{ended.ends_on.day} {ended.ends_on:%B %Y}.",
        )
    return redirect("programme:exemptions")


@login_required
@require_http_methods(["GET", "POST"])
def exemption_decide(request, pk):
    exemption = get_object_or_404(exemptions_visible_to(request.user), pk=pk)
    own = request.user.pk in (exemption.auditor_id, exemption.requested_by_id)
    if not own and not request.user.has_perm("audits.decide_exemption", exemption):
        raise PermissionDenied
    form = ExemptionDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decided = exemptions.exemption_decide(
                exemption=exemption,
                user=request.user,
                approve=form.approve,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            verb = "approved" if decided.status == ExemptionStatus.APPROVED else "not approved"
            messages.success(request, f"Exemption for {decided.auditor} {verb}.")
            return redirect("programme:exemptions")
    if own:
        blocker = exemptions.OWN_EXEMPTION
        if exemption.auditor_id != request.user.pk:
            blocker = exemptions.OWN_REQUEST
    elif exemption.status != ExemptionStatus.PENDING:
        blocker = exemptions.ALREADY_DECIDED.format(status=exemption.get_status_display().lower())
    else:
        blocker = ""
    return render(
        request,
        "audits/programme/exemption_decide.html",
        {"exemption": exemption, "form": form, "blocker": blocker},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request):
    """The QA Lead brings the case list in step with an SSD extract they upload: checked
    first (a dry run by default), every bad row listed, all or nothing."""
    _require(request.user)
    form = CaseListUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "mapped": DepartmentTeam.objects.count()}
    status = 200
    if request.method == "POST" and form.is_valid():
        dry_run = request.POST.get("action") != "apply"
        try:
            summary = caselist.sync_case_list_zip(
                form.cleaned_data["file"],
                dry_run=dry_run,
                limit_mb=settings.IMPORT_MAX_UPLOAD_MB,
                confirm_closures=form.cleaned_data["confirm_closures"],
            )
        except caselist.CaseListError as problem:
            context["problems"] = problem.errors
            context["unmapped"] = sorted(
                {e.value for e in problem.errors if e.message == caselist.TEAM_UNMAPPED}
            )
            status = 400
        else:
            context.update(summary=summary, dry_run=dry_run)
    elif request.method == "POST":
        status = 400
    return render(request, "audits/programme/case_list.html", context, status=status)
