"""The QA Lead's quotes: comments given with consent in a period, the quotes picked from
them, editing a quote until it is ready, and the list of themes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import masking
from ..forms.staff import QuoteForm, ThemeForm
from ..models import Feedback, Quote, QuoteTheme
from ..periods import named_periods
from ..selectors import quote_candidates, quotes_for_period
from ..services import quotes as quote_services
from ..services import records as record_services
from .common import log_views, require
from .figures import period_and_scope

PICKED = "Quote picked. Edit out names and places, tag it, then mark it ready."
SAVED = "Quote saved."
READY = "Quote ready for reports."
REMOVED = "Quote removed."
CONSENT_WITHDRAWN = "Consent withdrawn: the quotes from this feedback have been removed."


@never_cache
@login_required
@require_GET
def quotes(request):
    require(request.user, "feedback.manage_quotes")
    key, period, scope, errors = period_and_scope(request)
    candidates = list(quote_candidates(period, scope))
    picked = quotes_for_period(period, scope, ready_only=False)
    log_views(request.user, [f.audit_id for f in candidates if f.audit_id], "Quotes")
    return render(
        request,
        "feedback/quotes.html",
        {
            "period": period,
            "period_key": key,
            "periods": named_periods(timezone.localdate()),
            "candidates": candidates,
            "picked": picked,
            "attributions": {f.pk: quote_services.attribution_for(f) for f in candidates},
            "query": request.GET.urlencode(),
            "errors": [{"href": "#period", "text": v} for v in errors.values()],
        },
    )


@login_required
@require_POST
def pick(request, pk):
    require(request.user, "feedback.manage_quotes")
    feedback = get_object_or_404(Feedback, pk=pk)
    try:
        quote = quote_services.quote_pick(feedback=feedback, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("feedback:quotes")
    messages.success(request, PICKED)
    return redirect("feedback:quote_edit", pk=quote.pk)


def _quote(pk):
    return get_object_or_404(
        Quote.objects.select_related("feedback__audit__child", "feedback__team", "theme"), pk=pk
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def quote_edit(request, pk):
    require(request.user, "feedback.manage_quotes")
    quote = _quote(pk)
    feedback = quote.feedback
    if request.method == "POST":
        form = QuoteForm(request.POST, quote=quote)
        if form.is_valid():
            data = form.cleaned_data
            try:
                quote = quote_services.quote_update(
                    quote=quote,
                    user=request.user,
                    text=data["text"],
                    attribution=data["attribution"],
                    tone=data["tone"],
                    theme_id=data["theme"].pk if data["theme"] else None,
                    ready=request.POST.get("then") == "ready",
                    expected_version=data["lock_version"]
                    if data["lock_version"] is not None
                    else -1,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        for message in errors:
                            form.add_error(field, message)
                else:
                    form.add_error(None, error.messages[0])
            else:
                messages.success(request, READY if quote.status == "ready" else SAVED)
                return redirect("feedback:quote_edit", pk=quote.pk)
    else:
        form = QuoteForm(
            initial={
                "text": quote.text,
                "attribution": quote.attribution,
                "tone": quote.tone,
                "theme": quote.theme_id,
                "lock_version": quote.lock_version,
            },
            quote=quote,
        )
        if feedback.audit_id:
            log_views(request.user, [feedback.audit_id], "Quote")
    names = (
        masking.names_for_audit(masking.audit_for_masking(feedback.audit_id))
        if feedback.audit_id
        else []
    )
    current = form["text"].value() or ""
    return render(
        request,
        "feedback/quote_edit.html",
        {
            "quote": quote,
            "feedback": feedback,
            "form": form,
            "findings": masking.find_identifiers(current, names),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def quote_remove(request, pk):
    require(request.user, "feedback.manage_quotes")
    quote = _quote(pk)
    quote_services.quote_remove(quote=quote, user=request.user)
    messages.success(request, REMOVED)
    return redirect("feedback:quotes")


@login_required
@require_POST
def withdraw_consent(request, pk):
    require(request.user, "feedback.manage_quotes")
    feedback = get_object_or_404(Feedback, pk=pk)
    record_services.feedback_withdraw_consent(feedback=feedback, user=request.user)
    messages.success(request, CONSENT_WITHDRAWN)
    if feedback.audit_id:
        return redirect("feedback:audit_feedback", pk=feedback.audit_id)
    return redirect("feedback:quotes")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def themes(request):
    require(request.user, "feedback.manage_quotes")
    form = ThemeForm(request.POST or None)
    if request.method == "POST":
        if "theme" in request.POST:
            theme = get_object_or_404(QuoteTheme, pk=request.POST.get("theme"))
            quote_services.theme_set_active(
                user=request.user, theme=theme, active=request.POST.get("active") == "1"
            )
            return redirect("feedback:themes")
        if form.is_valid():
            try:
                theme = quote_services.theme_add(user=request.user, name=form.cleaned_data["name"])
            except ValidationError as error:
                for message in error.message_dict.get("name", []):
                    form.add_error("name", message)
            else:
                messages.success(request, f"Theme “{theme.name}” added.")
                return redirect("feedback:themes")
    return render(
        request,
        "feedback/themes.html",
        {"form": form, "themes": QuoteTheme.objects.order_by("-is_active", "name")},
        status=400 if form.errors else 200,
    )
