"""The Ambassadors' reviews: the QA Lead's sample screen, and an Ambassador's review of
one anonymised audit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits.services.viewing import audit_log_viewed, audits_log_viewed

from ..forms.ambassadors import HiddenNamesForm, ReassignForm, ReviewForm, SampleForm
from ..models import AmbassadorReview, AmbassadorSample, ReviewStatus
from ..selectors.ambassadors import (
    ambassador_results,
    ambassadors,
    anonymised_audit,
    open_review_for,
    sample_reviews,
    samples,
)
from ..services import ambassadors as services
from .common import require

SAMPLE_DRAWN = "{count} audit{s} drawn for the Ambassadors."
REASSIGNED = "The review has been given to another Ambassador."
HIDDEN_SAVED = "The lists of names and places to hide have been saved."
REVIEW_SENT = "Thank you. Your review has been sent."
VIEW_NOTE = "Ambassador's review (anonymised)"
SAMPLE_NOTE = "Ambassadors' sample"


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            for message in problems:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sample_list(request):
    require(request.user, "feedback.manage_ambassador_samples")
    form = SampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.ambassador_sample_draw(
                month=data["month"],
                how_chosen=data["how_chosen"],
                amount=data["amount"],
                ambassadors=list(data["ambassadors"]),
                user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            count = len(result.reviews)
            messages.success(request, SAMPLE_DRAWN.format(count=count, s="" if count == 1 else "s"))
            for message in result.messages:
                messages.info(request, message)
            return redirect("feedback:ambassador_sample", pk=result.sample.pk)
    results = ambassador_results(timezone.localdate())
    return render(
        request,
        "feedback/ambassadors/samples.html",
        {
            "form": form,
            "samples": samples(),
            "results": results,
            # no answer in any month: one sentence instead of tables of noughts
            "results_answered": any(
                month["total"] for result in results for month in result["months"]
            ),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sample_detail(request, pk):
    """The sample's audits; a POST gives one open review to another Ambassador."""
    require(request.user, "feedback.manage_ambassador_samples")
    sample = get_object_or_404(AmbassadorSample, pk=pk)
    errors = []
    if request.method == "POST":
        form = ReassignForm(request.POST, sample=sample)
        if form.is_valid():
            try:
                services.ambassador_review_reassign(
                    review=form.cleaned_data["review"],
                    ambassador=form.cleaned_data["ambassador"],
                    user=request.user,
                )
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, REASSIGNED)
                return redirect("feedback:ambassador_sample", pk=sample.pk)
        else:
            errors = [e for field_errors in form.errors.values() for e in field_errors]
    reviews = list(sample_reviews(sample))
    audits_log_viewed(user=request.user, audits=[r.audit_id for r in reviews], note=SAMPLE_NOTE)
    return render(
        request,
        "feedback/ambassadors/sample.html",
        {
            "sample": sample,
            "reviews": reviews,
            "ambassadors": ambassadors().order_by("last_name", "first_name", "pk"),
            "errors": [{"href": "#reviews", "text": e} for e in errors],
        },
        status=400 if errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def review_hide(request, pk):
    require(request.user, "feedback.manage_ambassador_samples")
    review = get_object_or_404(
        AmbassadorReview.objects.select_related("audit__child", "sample"), pk=pk
    )
    form = HiddenNamesForm(
        request.POST or None,
        initial={"names": review.hidden_names, "places": review.hidden_places},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ambassador_review_set_hidden(
                review=review,
                names=form.cleaned_data["names"],
                places=form.cleaned_data["places"],
                user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, HIDDEN_SAVED)
            return redirect("feedback:ambassador_sample", pk=review.sample_id)
    return render(
        request,
        "feedback/ambassadors/hide.html",
        {"review": review, "form": form, "is_open": review.status == ReviewStatus.OPEN},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """The Ambassador's page: the anonymised audit and the five questions. Anyone but
    the Ambassador it was given to, while it is open, gets 404."""
    if not request.user.has_perm("feedback.review_as_ambassador"):
        raise Http404
    review = open_review_for(request.user, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ambassador_review_submit(
                review=review, answers=form.cleaned_data, user=request.user
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, REVIEW_SENT)
            return redirect("home")
    audit_log_viewed(user=request.user, audit=review.audit_id, note=VIEW_NOTE)
    return render(
        request,
        "feedback/ambassadors/review.html",
        {"review": review, "form": form, "audit": anonymised_audit(review)},
        status=400 if form.errors else 200,
    )
