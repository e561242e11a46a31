"""Who moderates whom: pairings, and the auditors endorsed out of routine moderation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors
from ..forms import ChooseAuditorForm, EndorsementForm, PairingsForm
from ..models import ModerationSettings, Outcome
from ..services import endorsement_override_clear, endorsement_override_set, pairings_generate
from .common import add_service_errors, require, today

PAIRINGS_GENERATED = "Pairings made for {count} auditors from {start}."
PAIRINGS_REPEAT = (
    "{count} of the new pairings repeat one from the last two periods: no other moderator "
    "was free. They are marked in the table."
)
NO_MODERATORS = "No pairings were made: nobody has the Moderator role."
ENDORSED = "{auditor} is endorsed: their audits are left out of routine moderation."
NOT_ENDORSED = "{auditor} is not endorsed: their audits are always moderated."
CLEARED = "Your decision about {auditor} is cleared: their run of agreed reviews decides."


@login_required
@require_http_methods(["GET", "POST"])
def pairings(request):
    require(request.user, "moderation.manage_pairings")
    form = PairingsForm(request.POST or None, today=today())
    if request.method == "POST" and form.is_valid():
        start = form.cleaned_data["starts_on"]
        created = pairings_generate(starts_on=start, user=request.user)
        if not created:
            messages.warning(request, NO_MODERATORS)
        else:
            messages.success(
                request,
                PAIRINGS_GENERATED.format(count=len(created), start=f"{start.day} {start:%B %Y}"),
            )
            period = next(
                (p for p in selectors.pairing_periods(start) if p["starts_on"] == start), None
            )
            if period and period["repeats"]:
                messages.warning(request, PAIRINGS_REPEAT.format(count=period["repeats"]))
        return redirect("moderation:pairings")
    return render(
        request,
        "moderation/pairings.html",
        {
            "form": form,
            "periods": selectors.pairing_periods(today()),
            "months": ModerationSettings.load().pairing_months,
        },
    )


@login_required
@require_GET
def endorsed(request):
    require(request.user, "moderation.manage_endorsement")
    if "auditor" in request.GET:
        choose = ChooseAuditorForm(request.GET)
        if choose.is_valid():
            return redirect("moderation:endorsement", auditor_pk=choose.cleaned_data["auditor"].pk)
    else:
        choose = ChooseAuditorForm()
    return render(
        request,
        "moderation/endorsed.html",
        {
            "rows": selectors.endorsement_rows(),
            "choose": choose,
            "run": ModerationSettings.load().endorsement_run,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def endorsement(request, auditor_pk):
    require(request.user, "moderation.manage_endorsement")
    auditor = get_object_or_404(selectors.active_auditors(), pk=auditor_pk)
    form = EndorsementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == EndorsementForm.CLEAR:
                endorsement_override_clear(auditor=auditor, user=request.user)
                message = CLEARED
            else:
                endorsement_override_set(
                    auditor=auditor,
                    endorsed=decision == EndorsementForm.ENDORSE,
                    reason=reason,
                    user=request.user,
                )
                message = ENDORSED if decision == EndorsementForm.ENDORSE else NOT_ENDORSED
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message.format(auditor=auditor))
            return redirect("moderation:endorsed")
    rows = selectors.endorsement_rows([auditor.pk])
    outcomes = [Outcome(o).label for o in selectors.last_outcomes([auditor.pk]).get(auditor.pk, [])]
    return render(
        request,
        "moderation/endorsement.html",
        {
            "auditor": auditor,
            "form": form,
            "row": rows[0] if rows else None,
            "outcomes": outcomes,
            "run": ModerationSettings.load().endorsement_run,
        },
    )
