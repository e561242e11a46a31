"""Figures made ready for the page: percentages with their small-sample honesty, and
links from each count to the audits behind it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from audits.models import AuditType
from common.stats import wilson_interval

from .filters import ALL_TYPES
from .selectors import Slice
from .targets import SMALL_SAMPLE


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def percent(part: int, whole: int) -> dict | None:
    """``part`` of ``whole`` as a percentage; resting on fewer than ``SMALL_SAMPLE``
    audits, with its 95% Wilson interval and ``small`` set (such a figure is never
    coloured red or green on its own). None when there is nothing to divide."""
    if not whole:
        return None
    result = {"value": part / whole, "text": _pct(part / whole), "n": whole, "small": False}
    if whole < SMALL_SAMPLE:
        low, high = wilson_interval(part, whole)
        result |= {"small": True, "interval": f"{_pct(low)} to {_pct(high)}"}
    return result


def slice_params(s: Slice) -> dict[str, str]:
    """The query string that names the slice: what the drill-down, the exports and a
    bookmark are given."""
    params = {"start": s.start.isoformat(), "end": s.end.isoformat()}
    if s.service_area:
        params["service_area"] = str(s.service_area)
    if s.team:
        params["team"] = str(s.team)
    if s.legal_status:
        params["legal_status"] = s.legal_status
    params["audit_type"] = s.audit_type or ALL_TYPES
    if params["audit_type"] == AuditType.CHILD_JOURNEY:
        del params["audit_type"]  # the default
    return params


def audits_url(s: Slice, **extra) -> str:
    """The list of the audits behind a count of the slice."""
    params = slice_params(s) | {k: v for k, v in extra.items() if v not in (None, "")}
    return f"{reverse('reporting:audits')}?{urlencode(params)}"
