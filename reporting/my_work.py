"""The leader's and Head of Service's home: this financial year's figures in brief, with
the way to the dashboard."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts.permissions import is_head_of_service, is_leader
from common.dates import financial_year, financial_year_start

from .filters import slice_from
from .presenting import percent
from .selectors import grade_figures


def dashboard_work(user) -> list[dict]:
    """For Leaders and Heads of Service: audits completed this financial year (a Head of
    Service's own service area) and the share Good or better. Two queries."""
    if not (is_leader(user) or is_head_of_service(user)):
        return []
    year = financial_year(financial_year_start(timezone.localdate()))
    reading = slice_from(user, {"start": year.start.isoformat(), "end": year.end.isoformat()})
    url = reverse("reporting:dashboard")
    if reading.slice is None:
        return []
    figures = grade_figures(reading.slice)
    overall = figures["overall"]
    good = percent(overall["Outstanding"] + overall["Good"], figures["completed"])
    text = f"{figures['completed']} audits completed in {year.label}"
    if good:
        text += f", {good['text']} Good or better"
        if good["small"]:
            text += f" (fewer than 20 audits: 95% interval {good['interval']})"
    return [
        {
            "title": "Dashboard",
            "items": [
                {"text": text, "url": url},
                {
                    "text": "Open the dashboard: charts, teams and the audits behind them",
                    "url": url,
                },
            ],
        }
    ]
