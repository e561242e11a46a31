"""/other-audits/: dip samples, thematic and multi-agency audits, direct observations of
practice, and the list of re-audits. Counted separately from Child Journey Audits."""

import datetime

from crispy_forms_gds.layout import Button, Field
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from common.dates import month_end
from common.forms import gds_helper

from ..forms.other import MultiAgencyAuditForm, PracticeObservationForm, SampleAuditForm
from ..selectors_other import (
    multi_agency_visible_to,
    observations_visible_to,
    reaudits_visible_to,
    samples_visible_to,
)
from ..services.other import (
    multi_agency_audit_record,
    practice_observation_record,
    sample_audit_record,
)

#: most rows each table shows; a month filter shows the rest
TABLE_LIMIT = 100

TYPES = [
    ("dip_sample", "Dip samples"),
    ("thematic", "Thematic audits"),
    ("multi_agency", "Multi-agency audits"),
    ("observation", "Direct observations of practice"),
    ("re_audit", "Re-audits"),
]

SAMPLE_SAVED = "{kind} saved: {topic}"
MULTI_AGENCY_SAVED = "Multi-agency audit saved: {topic}"
OBSERVATION_SAVED = "Observation of {practitioner} saved"


def _check_view(user):
    if not user.has_perm("audits.view_other_audits"):
        raise PermissionDenied


def _check_record(user):
    if not user.has_perm("audits.record_other_audits"):
        raise PermissionDenied


class FilterForm(forms.Form):
    type = forms.ChoiceField(label="Type", required=False)
    month = forms.ChoiceField(label="Month", required=False)

    def __init__(self, *args, months: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "All types"), *TYPES]
        self.fields["month"].choices = [("", "All months")] + [
            (m.strftime("%Y-%m"), m.strftime("%B %Y")) for m in months
        ]
        self.helper = gds_helper(
            Field.select("type"), Field.select("month"), Button("filter", "Apply filters")
        )

    def chosen(self) -> tuple[str, datetime.date | None]:
        if not self.is_valid():
            return "", None
        month = self.cleaned_data["month"]
        start = datetime.datetime.strptime(month, "%Y-%m").date() if month else None
        return self.cleaned_data["type"], start


def _months_with_records(samples, multi_agency, observations) -> list[datetime.date]:
    months = set(samples.values_list("month", flat=True).distinct())
    months |= set(multi_agency.values_list("month", flat=True).distinct())
    months |= {
        m.date() if isinstance(m, datetime.datetime) else m
        for m in observations.annotate(m=TruncMonth("observed_on"))
        .values_list("m", flat=True)
        .distinct()
    }
    return sorted((m.replace(day=1) for m in months), reverse=True)


@login_required
@require_GET
def index(request):
    user = request.user
    _check_view(user)
    samples = samples_visible_to(user)
    multi_agency = multi_agency_visible_to(user)
    observations = observations_visible_to(user)
    reaudits = reaudits_visible_to(user)
    form = FilterForm(
        request.GET or None, months=_months_with_records(samples, multi_agency, observations)
    )
    chosen_type, month = form.chosen()
    if month:
        samples = samples.filter(month=month)
        multi_agency = multi_agency.filter(month=month)
        observations = observations.filter(observed_on__range=(month, month_end(month)))
        reaudits = reaudits.filter(month=month)

    def wanted(kind):
        return not chosen_type or chosen_type == kind

    tables = {
        "dip_samples": list(samples.filter(kind="dip_sample")[:TABLE_LIMIT])
        if wanted("dip_sample")
        else None,
        "thematic": list(samples.filter(kind="thematic")[:TABLE_LIMIT])
        if wanted("thematic")
        else None,
        "multi_agency": list(multi_agency[:TABLE_LIMIT]) if wanted("multi_agency") else None,
        "observations": list(observations[:TABLE_LIMIT]) if wanted("observation") else None,
        "reaudits": list(reaudits[:TABLE_LIMIT]) if wanted("re_audit") else None,
    }
    return render(
        request,
        "audits/other/index.html",
        {
            "filter_form": form,
            "month": month,
            "tables": tables,
            "table_limit": TABLE_LIMIT,
            "may_record": user.has_perm("audits.record_other_audits"),
        },
    )


def _posted(request):
    """The submitted data, even when empty, so a blank form shows its errors."""
    return request.POST if request.method == "POST" else None


def _form_page(request, form, title, caption):
    return render(
        request, "audits/other/form.html", {"form": form, "title": title, "caption": caption}
    )


@login_required
@require_http_methods(["GET", "POST"])
def sample_new(request):
    _check_record(request.user)
    form = SampleAuditForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        sample = sample_audit_record(user=request.user, sample=form.save(commit=False))
        messages.success(
            request, SAMPLE_SAVED.format(kind=sample.get_kind_display(), topic=sample.topic)
        )
        return redirect("other_audits:sample_detail", pk=sample.pk)
    return _form_page(request, form, "Record a dip sample or thematic audit", "Other audits")


@login_required
@require_GET
def sample_detail(request, pk):
    _check_view(request.user)
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    return render(request, "audits/other/sample_detail.html", {"sample": sample})


@login_required
@require_http_methods(["GET", "POST"])
def multi_agency_new(request):
    _check_record(request.user)
    form = MultiAgencyAuditForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        audit = multi_agency_audit_record(user=request.user, audit=form.save(commit=False))
        messages.success(request, MULTI_AGENCY_SAVED.format(topic=audit.topic))
        return redirect("other_audits:multi_agency_detail", pk=audit.pk)
    return _form_page(request, form, "Record a multi-agency audit", "Other audits")


@login_required
@require_GET
def multi_agency_detail(request, pk):
    _check_view(request.user)
    audit = get_object_or_404(multi_agency_visible_to(request.user), pk=pk)
    return render(request, "audits/other/multi_agency_detail.html", {"audit": audit})


@login_required
@require_http_methods(["GET", "POST"])
def observation_new(request):
    _check_record(request.user)
    form = PracticeObservationForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        observation = practice_observation_record(
            user=request.user, observation=form.save(commit=False)
        )
        messages.success(
            request,
            OBSERVATION_SAVED.format(practitioner=observation.practitioner.get_full_name()),
        )
        return redirect("other_audits:observation_detail", pk=observation.pk)
    return _form_page(request, form, "Record a direct observation of practice", "Other audits")


@login_required
@require_GET
def observation_detail(request, pk):
    _check_view(request.user)
    observation = get_object_or_404(observations_visible_to(request.user), pk=pk)
    return render(request, "audits/other/observation_detail.html", {"observation": observation})
