"""Suggested words for a report's draft: strengths, areas for learning and our response,
written from its figures. The QA Lead edits them before publishing."""

from __future__ import annotations

import datetime

from .selectors.audits import NOT_GRADED

GOOD_OR_BETTER = ("Outstanding", "Good")
#: a share must move by this many percentage points to be called a rise or a fall
NOTABLE_POINTS = 5


def _good_share(counts: dict) -> tuple[float | None, int, int]:
    graded = sum(n for grade, n in counts.items() if grade != NOT_GRADED and grade != "completed")
    good = sum(counts.get(grade, 0) for grade in GOOD_OR_BETTER)
    return (100 * good / graded if graded else None), good, graded


def _pct(value: float) -> str:
    return f"{value:.0f}%"


def _domain_lines(figures: dict) -> list[tuple[float, str]]:
    lines = []
    for domain, counts in figures.get("domains", {}).items():
        share, good, graded = _good_share(counts)
        if share is not None:
            lines.append((share, f"{domain}: {_pct(share)} Good or better ({good} of {graded})"))
    return sorted(lines, key=lambda line: line[0])


def _movements(figures: dict) -> tuple[list[str], list[str]]:
    """Rises and falls in Good or better against the period before: overall and by
    domain, where the move is at least NOTABLE_POINTS."""
    previous = figures.get("previous") or {}
    label = previous.get("label", "the period before")
    rises, falls = [], []
    pairs = [("Good or better overall", figures.get("overall", {}), previous.get("overall", {}))]
    pairs += [
        (domain, counts, previous.get("domains", {}).get(domain, {}))
        for domain, counts in figures.get("domains", {}).items()
    ]
    for name, now_counts, then_counts in pairs:
        now, _, _ = _good_share(now_counts)
        then, _, _ = _good_share(then_counts)
        if now is None or then is None or abs(now - then) < NOTABLE_POINTS:
            continue
        verb = "rose" if now > then else "fell"
        line = f"{name}: Good or better {verb} from {_pct(then)} in {label} to {_pct(now)}"
        (rises if now > then else falls).append((abs(now - then), line))
    return (
        [line for _, line in sorted(rises, reverse=True)],
        [line for _, line in sorted(falls, reverse=True)],
    )


def _date(iso: str) -> str:
    return datetime.date.fromisoformat(iso).strftime("%-d %B %Y")


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def suggested(figures: dict) -> dict[str, str]:
    """{"strengths", "areas_for_learning", "our_response"}, each a list of bullets."""
    domains = _domain_lines(figures)
    rises, falls = _movements(figures)
    strengths = rises[:3] + [f"Strongest: {line}" for _, line in reversed(domains[-2:])]
    learning = falls[:3] + [f"Weakest: {line}" for _, line in domains[:2]]
    response = [
        f"{action['what']} (lead: {action['lead']}; by {_date(action['timescale'])}): "
        f"{action['status_label']}" + (", overdue" if action.get("overdue") else "")
        for action in figures.get("service_improvement", [])
        if action.get("status") != "done"
    ]
    return {
        "strengths": _bullets(strengths),
        "areas_for_learning": _bullets(learning),
        "our_response": _bullets(response),
    }
