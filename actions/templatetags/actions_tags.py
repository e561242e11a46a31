"""Labels and tag colours for action statuses, grades and comparisons."""

from django import template

from audits.models import Grade

from ..models import FOLLOW_UP_KINDS, ActionStatus, Comparison, TransferStatus

register = template.Library()

STATUS_TAGS = {
    ActionStatus.OVERDUE: "govuk-tag--red",
    ActionStatus.NOT_YET_DUE: "govuk-tag--blue",
    ActionStatus.COMPLETED_ON_TIME: "govuk-tag--green",
    ActionStatus.COMPLETED_LATE: "govuk-tag--orange",
    TransferStatus.NOT_TRANSFERRED: "govuk-tag--grey",
    TransferStatus.ON_TIME: "govuk-tag--green",
    TransferStatus.LATE: "govuk-tag--orange",
    Comparison.IMPROVED: "govuk-tag--green",
    Comparison.SAME: "govuk-tag--grey",
    Comparison.WORSE: "govuk-tag--red",
}


@register.filter
def status_label(value: str) -> str:
    for choices in (ActionStatus, TransferStatus, Comparison):
        if value in choices.values:
            return choices(value).label
    return ""


@register.filter
def status_tag(value: str) -> str:
    return STATUS_TAGS.get(value, "govuk-tag--grey")


@register.filter
def grade_label(value: str) -> str:
    return Grade(value).label if value in Grade.values else "Not known"


@register.filter
def grade_tag(value: str) -> str:
    return f"app-grade-tag--{value.replace('_', '-')}" if value in Grade.values else ""


@register.filter
def latest_follow_up(action):
    """The last note, completion or transfer of an action with prefetched updates."""
    updates = [u for u in action.updates.all() if u.kind in FOLLOW_UP_KINDS]
    return max(updates, key=lambda u: (u.created_at, u.pk)) if updates else None


@register.filter
def days_overdue(action, today) -> int:
    return max((today - action.due_date).days, 0)
