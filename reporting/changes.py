"""What moved between two versions of a report, and the audits that moved it."""

from __future__ import annotations

import datetime

#: sections that are words, settings or derived from figures compared elsewhere
NOT_COMPARED = {"report", "filters", "period", "performance", "previous", "quotes"}
NAMES = {
    "audits": "Audits",
    "overall": "Final overall grade",
    "overall_original": "Auditors' overall grade",
    "overall_shares": "Final overall grade, share",
    "overall_original_shares": "Auditors' overall grade, share",
    "lower_ri": "Requires Improvement, lower band",
    "by_month": "By month",
    "by_service_area": "By service area",
    "domains": "Domains",
    "domains_by_month": "Domains by month",
    "moderation": "Moderation",
    "participation": "Participation, share",
    "participation_counts": "Participation",
    "actions": "Actions",
    "feedback": "Feedback",
    "other_audits": "Other audits",
    "programme": "Audit programme",
    "quarters": "Quarters",
    "service_improvement": "Service improvement actions",
}


def _name(part: str) -> str:
    if part in NAMES:
        return NAMES[part]
    try:
        return datetime.datetime.strptime(part, "%Y-%m").strftime("%B %Y")
    except ValueError:
        return part.replace("_", " ")


def _item_key(item: dict, index: int) -> str:
    if "from" in item and "to" in item:
        return f"{item['from']} → {item['to']}"
    for field in ("label", "question", "reference", "title", "respondent", "channel", "score"):
        if field in item:
            return str(item[field])
    return str(index + 1)


def flatten(value, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], object]:
    """Every number (and missing figure) in ``value`` by its path of keys."""
    if isinstance(value, dict):
        leaves = {}
        for key, inner in value.items():
            if not path and key in NOT_COMPARED:
                continue
            leaves |= flatten(inner, (*path, str(key)))
        return leaves
    if isinstance(value, list):
        leaves = {}
        for index, item in enumerate(value):
            if isinstance(item, dict):
                leaves |= flatten(item, (*path, _item_key(item, index)))
        return leaves
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return {path: value}
    return {}


def label(path: tuple[str, ...], period_label: str) -> str:
    """ "Good in Q1 2026/27" for a final grade; the path's names joined otherwise."""
    if len(path) == 2 and path[0] == "overall":
        return f"{path[1]} in {period_label}"
    if len(path) == 2 and path[0] == "audits":
        return f"Audits {path[1].replace('_', ' ')} in {period_label}"
    return " › ".join(_name(part) for part in path)


def figure_changes(before: dict, after: dict, period_label: str) -> list[dict]:
    """Each figure whose value differs, in the order the report shows them."""
    old, new = flatten(before), flatten(after)
    changed = []
    for path in [*new, *(p for p in old if p not in new)]:
        was, now = old.get(path), new.get(path)
        if was != now:
            changed.append(
                {
                    "key": ".".join(path),
                    "label": label(path, period_label),
                    "before": was,
                    "after": now,
                }
            )
    return changed


def basis_changes(before: dict, after: dict, since: datetime.datetime) -> dict:
    """The audits behind the change: those counted now and not before (late returns:
    submitted after ``since``, the earlier version's generation), those no longer
    counted, and those whose final grade changed (regraded at moderation)."""
    late, added, removed, regraded = [], [], [], []
    for reference in sorted(set(after) - set(before)):
        submitted = after[reference][2]
        if submitted and datetime.datetime.fromisoformat(submitted) > since:
            late.append(reference)
        else:
            added.append(reference)
    removed = sorted(set(before) - set(after))
    for reference in sorted(set(before) & set(after)):
        if before[reference][0] != after[reference][0]:
            regraded.append(
                {
                    "reference": reference,
                    "before": before[reference][0],
                    "after": after[reference][0],
                }
            )
    return {"late": late, "added": added, "removed": removed, "regraded": regraded}


def _count(n: int, one: str, many: str) -> str:
    return f"{'one' if n == 1 else ('two' if n == 2 else n)} {one if n == 1 else many}"


def reasons(audits: dict) -> str:
    """ "two late returns, one audit regraded at moderation"."""
    parts = []
    if audits["late"]:
        parts.append(_count(len(audits["late"]), "late return", "late returns"))
    if audits["added"]:
        parts.append(_count(len(audits["added"]), "audit newly counted", "audits newly counted"))
    if audits["removed"]:
        parts.append(
            _count(len(audits["removed"]), "audit no longer counted", "audits no longer counted")
        )
    if audits["regraded"]:
        parts.append(_count(len(audits["regraded"]), "audit regraded", "audits regraded"))
    return ", ".join(parts)
