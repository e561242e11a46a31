"""The feedback overview: every figure for a period and scope, as tables."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import sees_whole_organisation
from audits.models import Domain
from common.forms import parse_id

from ..periods import (
    PERIOD_UNKNOWN,
    default_period,
    named_periods,
    period_from,
    period_named,
    scope_from,
)
from ..selectors import agreement_by_grade, feedback_figures, figures_service_areas, figures_teams
from .common import require

PARAM_IDS = {"period": "period", "start": "period", "end": "period"}


def period_and_scope(request):
    """The period and scope asked for in the query string, falling back to the current
    quarter and the user's scope, with the problems found (for the error summary)."""
    today = timezone.localdate()
    params = request.GET
    errors: dict[str, str] = {}
    key, period = default_period(today)
    if params.get("start") or params.get("end"):
        asked, problems = period_from(params.get("start"), params.get("end"))
        errors.update(problems)
        if asked is not None:
            period, key = asked, ""
    elif params.get("period"):
        asked = period_named(params["period"], today)
        if asked is None:
            errors["period"] = PERIOD_UNKNOWN
        else:
            period, key = asked, params["period"]
    scope, problems = scope_from(request.user, params)
    if scope is None:
        errors.update(problems)
        scope, _ = scope_from(request.user, {})
    if scope is None:
        raise PermissionDenied
    return key, period, scope, errors


@login_required
@require_GET
def overview(request):
    require(request.user, "feedback.view_figures")
    key, period, scope, errors = period_and_scope(request)
    figures = feedback_figures(period, scope)
    domains = list(Domain.objects.filter(gradings__isnull=False).distinct().order_by("name"))
    domain = None
    text = request.GET.get("domain", "")
    if pk := parse_id(text):
        domain = next((d for d in domains if d.pk == pk), None)
    if domain is None:
        domain = next(
            (d for d in domains if "child" in d.name.lower() and "hear" in d.name.lower()), None
        )
    agreement = agreement_by_grade(period, scope, domain.pk if domain else None)
    return render(
        request,
        "feedback/overview.html",
        {
            "figures": figures,
            "period": period,
            "period_key": key,
            "periods": named_periods(timezone.localdate()),
            "scope": scope,
            "scope_all": sees_whole_organisation(request.user),
            "service_areas": figures_service_areas(request.user).order_by("name"),
            "teams": figures_teams(request.user).order_by("service_area__name", "name"),
            "domains": domains,
            "domain": domain,
            "agreement": agreement,
            "errors": [{"href": "#" + PARAM_IDS.get(k, k), "text": v} for k, v in errors.items()],
        },
        status=400 if errors else 200,
    )
