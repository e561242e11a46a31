"""The leader's and Head of Service's home: this financial year's figures in brief, with
the way to the dashboard, and the latest published QA report; the QA Lead's: the reports'
drafts waiting to be published."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts.permissions import is_head_of_service, is_leader, is_qa_lead
from common.dates import financial_year, financial_year_start

from .filters import slice_from
from .presenting import percent
from .selectors import grade_figures
from .selectors.reports import drafts_waiting, failures_outstanding, latest_published

#: drafts listed by name on the QA Lead's home before the rest are counted
DRAFTS_LISTED = 10


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


def _report_name(report) -> str:
    return f"{report.get_kind_display()} QA report {report.label}, {report.scope_label}"


def report_work(user) -> list[dict]:
    """Leaders and Heads of Service: the latest report published for them. The QA Lead:
    each report whose latest version is a draft, waiting to be published. One query
    each."""
    sections = []
    if is_leader(user) or is_head_of_service(user):
        latest = latest_published(user, 1)
        if latest:
            report = latest[0]
            sections.append(
                {
                    "title": "QA reports",
                    "items": [
                        {
                            "text": f"{_report_name(report)}: published "
                            f"{timezone.localtime(report.latest_published_at):%-d %B %Y}",
                            "url": reverse("reporting:report", args=[report.pk]),
                        },
                        {"text": "Every QA report", "url": reverse("reporting:reports")},
                    ],
                }
            )
    if is_qa_lead(user):
        sections.extend(failure_work())
        drafts = drafts_waiting(DRAFTS_LISTED + 1)
        if drafts:
            items = [
                {
                    "text": f"{_report_name(version.report)}: version {version.number}, "
                    f"generated {timezone.localtime(version.generated_at):%-d %B %Y}",
                    "url": reverse("reporting:report", args=[version.report_id])
                    + f"?version={version.number}",
                }
                for version in drafts[:DRAFTS_LISTED]
            ]
            if len(drafts) > DRAFTS_LISTED:
                items.append(
                    {"text": "More drafts in QA reports", "url": reverse("reporting:reports")}
                )
            sections.append({"title": "QA reports waiting to be published", "items": items})
    return sections


def failure_work() -> list[dict]:
    """The QA Lead: each report the schedule (or a "Generate now") could not generate,
    with why, until a version of it is generated after the failure. One query."""
    failed = failures_outstanding(DRAFTS_LISTED + 1)
    if not failed:
        return []
    items = [
        {
            "text": f"{_report_name(run.report)} could not be generated on "
            f"{timezone.localtime(run.finished_at):%-d %B %Y at %H:%M}: {run.error}",
            "url": reverse("reporting:run", args=[run.pk]),
        }
        for run in failed[:DRAFTS_LISTED]
    ]
    if len(failed) > DRAFTS_LISTED:
        items.append({"text": "Every QA report", "url": reverse("reporting:reports")})
    return [{"title": "QA reports that could not be generated", "items": items}]
