"""The performance snapshot for a month or quarter, and the QA Lead's targets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import sees_whole_organisation

from ..filters import period_param, slice_from, visible_service_areas
from ..forms import TargetsForm
from ..models import Targets
from ..selectors.performance import MIN_SAMPLE, performance

TARGETS_SAVED = "Targets saved. The performance pages rate against them from now on."


@login_required
@require_GET
def snapshot(request):
    if not request.user.has_perm("reporting.view_figures"):
        raise PermissionDenied
    today = timezone.localdate()
    period, quarterly, period_error = period_param(request.GET.get("period"), today)
    errors = {"period": period_error} if period_error else {}
    area_text = (request.GET.get("service_area") or "").strip()
    snapshot = None
    if not errors:
        reading = slice_from(
            request.user,
            {
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "service_area": area_text,
                "team": request.GET.get("team") or "",
            },
        )
        if reading.denied:
            raise PermissionDenied(reading.denied)
        errors = reading.errors
        if not errors:
            s = reading.slice
            snapshot = performance(
                period, quarterly=quarterly, service_area=s.service_area, team=s.team
            )
    return render(
        request,
        "reporting/performance.html",
        {
            "snapshot": snapshot,
            "errors": errors,
            "period_text": request.GET.get("period") or (period and f"{period.start:%Y-%m}"),
            "whole_organisation": sees_whole_organisation(request.user),
            "areas": visible_service_areas(request.user).order_by("name"),
            "area_text": area_text,
            "min_sample": MIN_SAMPLE,
            "can_change_targets": request.user.has_perm("reporting.change_targets"),
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    if not request.user.has_perm("reporting.change_targets"):
        raise PermissionDenied
    form = TargetsForm(request.POST or None, instance=Targets.load())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, TARGETS_SAVED)
        return redirect("reporting:targets")
    return render(request, "reporting/targets.html", {"form": form})
