"""The slice a request asks for, read from its query string within what the user may
see: one reading for the API and the pages, with a specific message per parameter.

Service areas and teams are given by name (as shown in the product, any case) or id;
legal status and audit type by the names shown in the product (any case) or their
stored values.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import QuerySet

from accounts.models import ServiceArea, Team
from accounts.permissions import sees_whole_organisation
from accounts.selectors import figure_service_areas
from audits.models import AuditType, LegalStatus
from common.dates import Period, add_months, month_period, month_start, quarter
from common.forms import parse_id
from feedback.periods import period_from

from .selectors import Slice

AREA_UNKNOWN = "service_area must be the name or id of a service area, like Safeguarding"
AREA_NOT_YOURS = "You can see the figures of your own service area only"
NO_AREA = "You head no service area, so there are no figures for you to see"
TEAM_UNKNOWN = "team must be the name or id of a team, like Family Support North"
TEAM_AMBIGUOUS = "More than one team has this name: give the team's id, or its service_area"
TEAM_OUTSIDE_AREA = "The team is not in the service area chosen"
LEGAL_STATUS_UNKNOWN = "legal_status must be one of: " + ", ".join(LegalStatus.labels)
ALL_TYPES = "All"
AUDIT_TYPE_UNKNOWN = (
    "audit_type must be one of: " + ", ".join([*AuditType.labels, ALL_TYPES]) + " (every type)"
)


@dataclass
class Reading:
    """The slice asked for, or why not: ``errors`` by parameter (a 400), or ``denied``
    with its reason (a 403)."""

    slice: Slice | None = None
    errors: dict[str, str] = field(default_factory=dict)
    denied: str = ""


def _choice(text: str, choices) -> str | None:
    wanted = " ".join(text.split()).casefold()
    for value, label in choices:
        if wanted in (value.casefold(), label.casefold()):
            return value
    return None


def _by_name_or_id(qs: QuerySet, text: str) -> list:
    pk = parse_id(text)
    if pk is not None:
        return list(qs.filter(pk=pk))
    return list(qs.filter(name__iexact=" ".join(text.split()))[:2])


def visible_service_areas(user) -> QuerySet[ServiceArea]:
    """The service areas whose figures the user may see."""
    return figure_service_areas(user, "reporting.view_figures")


def slice_from(user, params) -> Reading:
    """Read start, end, service_area, team, legal_status and audit_type (default: Child
    Journey Audit). A Head of Service who names no service area gets their own (the
    first by name, if they head several); naming another is refused."""
    period, errors = period_from(params.get("start"), params.get("end"))
    area = team = legal_status = None
    audit_type: str | None = AuditType.CHILD_JOURNEY

    text = (params.get("service_area") or "").strip()
    if text:
        found = _by_name_or_id(ServiceArea.objects.all(), text)
        if found:
            area = found[0]
        else:
            errors["service_area"] = AREA_UNKNOWN
    text = (params.get("team") or "").strip()
    if text:
        teams = Team.objects.all()
        if area is not None and parse_id(text) is None:
            teams = teams.filter(service_area=area)  # a name is looked for in that area
        found = _by_name_or_id(teams, text)
        if len(found) > 1:
            errors["team"] = TEAM_AMBIGUOUS
        elif not found:
            errors["team"] = TEAM_UNKNOWN
        elif area is not None and found[0].service_area_id != area.pk:
            errors["team"] = TEAM_OUTSIDE_AREA
        else:
            team = found[0]
    text = (params.get("legal_status") or "").strip()
    if text:
        legal_status = _choice(text, LegalStatus.choices)
        if legal_status is None:
            errors["legal_status"] = LEGAL_STATUS_UNKNOWN
    text = (params.get("audit_type") or "").strip()
    if text:
        if text.casefold() == ALL_TYPES.casefold():
            audit_type = None
        else:
            audit_type = _choice(text, AuditType.choices)
            if audit_type is None:
                errors["audit_type"] = AUDIT_TYPE_UNKNOWN
    if errors:
        return Reading(errors=errors)

    if not sees_whole_organisation(user):
        mine = visible_service_areas(user)
        if area is None and team is None:
            area = mine.order_by("name").first()
            if area is None:
                return Reading(denied=NO_AREA)
        wanted = area.pk if area is not None else team.service_area_id
        if not mine.filter(pk=wanted).exists():
            return Reading(denied=AREA_NOT_YOURS)
    return Reading(
        slice=Slice(
            start=period.start,
            end=period.end,
            service_area=area.pk if area else None,
            team=team.pk if team else None,
            legal_status=legal_status,
            audit_type=audit_type,
        )
    )


PERIOD_UNKNOWN = (
    "period must be a month written YYYY-MM, like 2026-06, or a quarter of the financial "
    "year written YYYY-Qn, like 2026-Q1 (April to June 2026)"
)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


def period_param(text: str | None, today: datetime.date) -> tuple[Period | None, bool, str]:
    """A month (``2026-06``) or a quarter of the financial year starting in April of the
    year given (``2026-Q1`` is April to June 2026): (period, quarterly, error). Nothing
    given is the last whole month before ``today``."""
    text = (text or "").strip()
    if not text:
        return month_period(add_months(month_start(today), -1)), False, ""
    if found := _MONTH.match(text):
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return month_period(datetime.date(year, month, 1)), False, ""
    if found := _QUARTER.match(text):
        year = int(found[1])
        if 2000 <= year <= 2100:
            return quarter(year, int(found[2])), True, ""
    return None, False, PERIOD_UNKNOWN
