"""The leaders' dashboard and the audits behind each of its counts."""

from __future__ import annotations

import dataclasses
import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Team
from accounts.permissions import sees_whole_organisation
from audits.models import GRADED, AuditType, Domain, Grade, LegalStatus
from audits.selectors import audits_visible_to
from feedback.periods import named_periods, period_named

from .. import dashboard as charts
from ..filters import ALL_TYPES, slice_from, visible_service_areas
from ..presenting import slice_params
from ..selectors import Slice, summary
from ..selectors.audits import NOT_GRADED
from ..selectors.dashboard import audits_behind, last_months, team_figures
from ..targets import SMALL_SAMPLE, TEAMS_MONTHS, team_targets

CUSTOM = "custom"
PERIOD_UNKNOWN = "Choose a period from the list, or Custom dates"
GRADE_UNKNOWN = "grade must be one of: " + ", ".join(Grade(g).label for g in GRADED)
DOMAIN_GRADE_UNKNOWN = GRADE_UNKNOWN + ", " + NOT_GRADED
DOMAIN_UNKNOWN = "domain must be the name of a domain, like Visits"
MONTH_UNKNOWN = "month must be a month of the period, written YYYY-MM, like 2026-04"
BASIS_UNKNOWN = "basis must be original (the auditors' grades) or final"
PRACTICE_UNKNOWN = "practice must be weaker or good_or_better"
PAGE_SIZE = 50
#: where each parameter's field is, for the error summary's links
FIELD_IDS = {"start": "start", "end": "end", "period": "period"}


def _require(user):
    if not user.has_perm("reporting.view_figures"):
        raise PermissionDenied


def _optional_url(name: str) -> str | None:
    """A page that may not be installed: its address, or None."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _period_params(params, today: datetime.date) -> tuple[str, dict, dict]:
    """The period key chosen and the start and end it stands for (the current financial
    year when none is chosen), or the problem with it."""
    key = (params.get("period") or "").strip()
    if key == CUSTOM or (not key and (params.get("start") or params.get("end"))):
        return CUSTOM, {"start": params.get("start"), "end": params.get("end")}, {}
    if not key:
        key = next(k for k, _ in named_periods(today) if k.startswith("fy-"))
    period = period_named(key, today)
    if period is None:
        return key, {}, {"period": PERIOD_UNKNOWN}
    return key, {"start": period.start.isoformat(), "end": period.end.isoformat()}, {}


def _options(user) -> dict:
    areas = visible_service_areas(user).order_by("name")
    return {
        "periods": named_periods(timezone.localdate()),
        "service_areas": areas,
        "team_choices": Team.objects.filter(service_area__in=areas)
        .select_related("service_area")
        .order_by("service_area__name", "name"),
        "legal_statuses": LegalStatus.choices,
        "audit_types": [*AuditType.choices, (ALL_TYPES, "Every type")],
        "scope_all": sees_whole_organisation(user),
    }


def _error_list(errors: dict) -> list[dict]:
    return [
        {"href": "#" + FIELD_IDS.get(name, name), "text": message}
        for name, message in errors.items()
    ]


@login_required
@require_GET
def dashboard(request):
    _require(request.user)
    today = timezone.localdate()
    key, period, errors = _period_params(request.GET, today)
    asked = {
        name: request.GET.get(name, "")
        for name in ("service_area", "team", "legal_status", "audit_type")
    }
    context = _options(request.user) | {
        "period_key": key,
        "custom": key == CUSTOM,
        "asked": asked | {"start": request.GET.get("start", ""), "end": request.GET.get("end", "")},
        "export_csv": _optional_url("reporting:export_csv"),
        "export_xlsx": _optional_url("reporting:export_xlsx"),
        "small_sample": SMALL_SAMPLE,
        "teams_months": TEAMS_MONTHS,
    }
    if not errors:
        reading = slice_from(request.user, period | asked)
        if reading.denied:
            raise PermissionDenied(reading.denied)
        errors = reading.errors
    if errors:
        context["errors"] = _error_list(errors)
        return render(request, "reporting/dashboard.html", context, status=400)

    s = reading.slice
    figures = summary(s)
    start, end = last_months(today)
    recent = dataclasses.replace(s, start=start, end=end)
    targets = team_targets()
    params = slice_params(s)
    context |= {
        "slice": s,
        "query": request.GET.urlencode(),
        "export_query": urlencode(params),
        "figures": figures,
        "charts": [
            charts.grades_by_month(s, figures["by_month"]),
            charts.domains(s, figures["domains"]),
            charts.original_and_moderated(s, figures),
            charts.actions(figures["actions"]),
            charts.feedback(figures["feedback"]),
        ],
        "teams": charts.teams_table(recent, team_figures(recent, targets)),
        "teams_period": recent.period,
        "targets": targets,
    }
    return render(request, "reporting/dashboard.html", context)


def _drill_filters(params, s: Slice) -> tuple[dict, dict]:
    """The count a drill-down asks for: grade, basis, domain, month, practice."""
    errors, filters = {}, {}
    domain = (params.get("domain") or "").strip()
    if domain:
        found = Domain.objects.filter(name__iexact=domain).values_list("name", flat=True).first()
        if found is None:
            errors["domain"] = DOMAIN_UNKNOWN
        else:
            filters["domain"] = found
    grade = (params.get("grade") or "").strip()
    if grade:
        wanted = grade.casefold()
        match = next(
            (g for g in GRADED if wanted in (g.casefold(), Grade(g).label.casefold())), None
        )
        if match is None and domain and wanted == NOT_GRADED.casefold():
            match = NOT_GRADED
        if match is None:
            errors["grade"] = DOMAIN_GRADE_UNKNOWN if domain else GRADE_UNKNOWN
        filters["grade"] = match
    basis = (params.get("basis") or "").strip()
    if basis and basis not in ("original", "final"):
        errors["basis"] = BASIS_UNKNOWN
    filters["original"] = basis == "original"
    month = (params.get("month") or "").strip()
    if month:
        try:
            day = datetime.date.fromisoformat(f"{month}-01")
            if len(month) != 7 or not (s.start.replace(day=1) <= day <= s.end):
                raise ValueError
            filters["month"] = day
        except ValueError:
            errors["month"] = MONTH_UNKNOWN
    practice = (params.get("practice") or "").strip()
    if practice:
        if practice not in ("weaker", "good_or_better"):
            errors["practice"] = PRACTICE_UNKNOWN
        else:
            filters[practice] = True
    return filters, errors


def _describe(filters: dict) -> str:
    parts = []
    if filters.get("domain"):
        parts.append(f"{filters['domain']} graded")
    if filters.get("grade"):
        grade = filters["grade"]
        label = grade if grade == NOT_GRADED else Grade(grade).label
        who = "the auditor's grade " if filters.get("original") else ""
        parts.append(f"{who}{label}")
    if filters.get("weaker"):
        parts.append("weaker practice (Inadequate or lower Requires Improvement)")
    if filters.get("good_or_better"):
        parts.append("Good or better")
    if filters.get("month"):
        parts.append(f"completed in {filters['month']:%B %Y}")
    return ", ".join(parts)


@login_required
@require_GET
def audits(request):
    """The audits behind a count of the dashboard: the viewer's own slice of the
    figures (a Head of Service's service area only), without child identifiers; each
    reference opens the audit only where the viewer may read it."""
    _require(request.user)
    reading = slice_from(request.user, request.GET)
    if reading.denied:
        raise PermissionDenied(reading.denied)
    errors = reading.errors
    filters = {}
    if not errors:
        filters, errors = _drill_filters(request.GET, reading.slice)
    if errors:
        return render(request, "reporting/audits.html", {"errors": _error_list(errors)}, status=400)
    s = reading.slice
    audits = audits_behind(s, **filters)
    page = Paginator(audits, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    readable = set(
        audits_visible_to(request.user)
        .filter(pk__in=[a.pk for a in rows])
        .values_list("pk", flat=True)
    )
    grades = dict(Grade.choices)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "reporting/audits.html",
        {
            "slice": s,
            "page": page,
            "description": _describe(filters),
            "query": params.urlencode(),
            "dashboard_query": urlencode(slice_params(s)),
            "rows": [
                {
                    "audit": a,
                    "readable": a.pk in readable,
                    "with_reason": a.pk not in readable
                    and request.user.has_perm("audits.open_audit_with_reason", a),
                    "original": grades.get(a.overall_grade, "Not graded"),
                    "final": grades.get(a.final, "Not graded"),
                }
                for a in rows
            ],
        },
    )
