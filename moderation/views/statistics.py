"""How accurate is grading: moderation figures for a period and scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audits.models import GRADED

from ..forms import StatisticsForm
from ..statistics import Scope, moderation_breakdown, moderation_figures, most_regraded_auditors
from .common import require, today


def kappa_meaning(kappa: float | None) -> str:
    """A plain-English reading of weighted kappa (Landis and Koch's bands)."""
    if kappa is None:
        return "Not enough moderated audits with different grades to measure agreement."
    if kappa < 0.2:
        return "Slight agreement between auditors and moderators."
    if kappa < 0.4:
        return "Fair agreement between auditors and moderators."
    if kappa < 0.6:
        return "Moderate agreement between auditors and moderators."
    if kappa < 0.8:
        return "Substantial agreement between auditors and moderators."
    return "Almost perfect agreement between auditors and moderators."


def scope_from(data: dict) -> Scope:
    return Scope(
        service_area=data["service_area"].pk if data.get("service_area") else None,
        team=data["team"].pk if data.get("team") else None,
        auditor=data["auditor"].pk if data.get("auditor") else None,
        moderator=data["moderator"].pk if data.get("moderator") else None,
    )


def statistics_request(user, params) -> tuple[StatisticsForm, dict]:
    """The form bound to the query string, and the cleaned choices to use: the user's
    own when valid, the defaults within their scope when not (a forged choice outside
    their scope is refused, never used)."""
    form = StatisticsForm(params if params else None, user=user, today=today())
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data
    fallback = StatisticsForm({}, user=user, today=today())
    fallback.is_valid()
    return form, fallback.cleaned_data


@login_required
@require_GET
def statistics(request):
    user = request.user
    require(user, "moderation.view_statistics")
    form, data = statistics_request(user, request.GET)
    if not form.has_scope():
        raise PermissionDenied
    period = form.period_of(data)
    scope = scope_from(data)
    figures = moderation_figures(period, scope)
    show_regraded = user.has_perm("moderation.view_regraded_auditors")
    return render(
        request,
        "moderation/statistics.html",
        {
            "form": form,
            "error_links": form.error_links() if form.is_bound else [],
            "period": period,
            "scope": data,
            "figures": figures,
            "columns": [g.label for g in GRADED],
            "transition_rows": figures.transition_rows(),
            "kappa_meaning": kappa_meaning(figures.kappa),
            "breakdown": moderation_breakdown(period, data["breakdown"], scope),
            "breakdown_label": dict(form.fields["breakdown"].choices)[data["breakdown"]],
            "regraded": most_regraded_auditors(period, scope) if show_regraded else None,
        },
    )
