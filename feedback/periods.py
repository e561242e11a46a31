"""The period and scope of feedback figures, read from a query string: one reading for
the pages and the API, with the same messages."""

from __future__ import annotations

import datetime

from common.dates import (
    Period,
    add_months,
    financial_year,
    financial_year_start,
    month_period,
    month_start,
    quarter,
    quarter_of,
)
from common.forms import parse_id

from .selectors import Scope, figures_service_areas, figures_teams

START_MISSING = "Give the first day of the period as start=YYYY-MM-DD"
END_MISSING = "Give the last day of the period as end=YYYY-MM-DD"
START_INVALID = "start must be a real date written YYYY-MM-DD, like 2026-04-01"
END_INVALID = "end must be a real date written YYYY-MM-DD, like 2026-06-30"
END_BEFORE_START = "end must be the same day as start or later"
PERIOD_TOO_LONG = "A period can be at most 5 years long"
AREA_UNKNOWN = "service_area must be the id of a service area whose figures you can see"
TEAM_UNKNOWN = "team must be the id of a team whose figures you can see"
TEAM_OUTSIDE_AREA = "The team is not in the service area chosen"
PERIOD_UNKNOWN = "Choose a period from the list"

MAX_DAYS = 5 * 366


def _date(text: str) -> datetime.date:
    if len(text) != 10:
        raise ValueError
    day = datetime.date.fromisoformat(text)
    if not 2000 <= day.year <= 2100:
        raise ValueError
    return day


def period_from(start: str | None, end: str | None) -> tuple[Period | None, dict[str, str]]:
    """The period from ISO dates, or the problems with them, by parameter."""
    errors: dict[str, str] = {}
    days: dict[str, datetime.date] = {}
    for name, text, missing, invalid in (
        ("start", start, START_MISSING, START_INVALID),
        ("end", end, END_MISSING, END_INVALID),
    ):
        text = (text or "").strip()
        if not text:
            errors[name] = missing
            continue
        try:
            days[name] = _date(text)
        except ValueError:
            errors[name] = invalid
    if errors:
        return None, errors
    first, last = days["start"], days["end"]
    if last < first:
        return None, {"end": END_BEFORE_START}
    if (last - first).days > MAX_DAYS:
        return None, {"end": PERIOD_TOO_LONG}
    return Period(first, last, f"{first:%-d %B %Y} to {last:%-d %B %Y}"), {}


def named_periods(today: datetime.date) -> list[tuple[str, Period]]:
    """Periods offered on the pages: this and the last 7 quarters, the last 12 months,
    this and the last two financial years."""
    result = []
    q = quarter_of(today)
    for _ in range(8):
        number = (q.start.month - 4) % 12 // 3 + 1
        result.append((f"q-{financial_year_start(q.start)}-{number}", q))
        q = quarter_of(q.start - datetime.timedelta(days=1))
    m = month_start(today)
    for _ in range(12):
        result.append((f"m-{m:%Y-%m}", month_period(m)))
        m = add_months(m, -1)
    year = financial_year_start(today)
    for y in (year, year - 1, year - 2):
        result.append((f"fy-{y}", financial_year(y)))
    return result


def default_period(today: datetime.date) -> tuple[str, Period]:
    """The current financial quarter."""
    return named_periods(today)[0]


def period_named(key: str, today: datetime.date) -> Period | None:
    if key.startswith("q-"):
        try:
            _, year, number = key.split("-")
            return quarter(int(year), int(number))
        except ValueError:
            return None
    return dict(named_periods(today)).get(key)


def scope_from(user, params) -> tuple[Scope | None, dict[str, str]]:
    """The scope asked for, within what the user may see. A Head of Service sees their
    own service area (the first, if they head several and name none)."""
    errors: dict[str, str] = {}
    areas = figures_service_areas(user)
    teams = figures_teams(user)
    area = team = None
    text = (params.get("service_area") or "").strip()
    if text:
        area = areas.filter(pk=pk).first() if (pk := parse_id(text)) else None
        if area is None:
            errors["service_area"] = AREA_UNKNOWN
    text = (params.get("team") or "").strip()
    if text:
        team = teams.filter(pk=pk).first() if (pk := parse_id(text)) else None
        if team is None:
            errors["team"] = TEAM_UNKNOWN
    if errors:
        return None, errors
    if area is not None and team is not None and team.service_area_id != area.pk:
        return None, {"team": TEAM_OUTSIDE_AREA}
    from accounts.permissions import sees_whole_organisation

    if not sees_whole_organisation(user) and area is None and team is None:
        area = areas.order_by("name").first()
        if area is None:
            return None, {"service_area": AREA_UNKNOWN}
    return Scope(service_area=area.pk if area else None, team=team.pk if team else None), {}
