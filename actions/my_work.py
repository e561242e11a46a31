"""The actions app's sections of the home page, "My work" (wired in qa_audit/my_work.py).

Each provider takes the user and returns sections ({"title", "items"}), running a
constant number of scoped queries, and nothing for people it does not concern.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

from accounts.models import Role
from common.dates import add_months

from . import selectors
from .models import ActionSettings
from .services.tracker import cases_missing_update

#: cases listed by name before the rest are summed up
MAX_LISTED = 10


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def tracker_work(user) -> list[dict]:
    """Team managers and owners: overdue actions, and actions with no recent update."""
    if not user.has_perm("actions.view_tracker") or user.has_role(Role.QA_LEAD):
        return []
    counts = selectors.tracker_counts(user)
    if not counts["open"]:
        return []
    tracker = reverse("actions:tracker")
    items = []
    if counts["overdue"]:
        items.append(
            {
                "text": f"{_plural(counts['overdue'], 'action is', 'actions are')} overdue",
                "url": f"{tracker}?status=overdue",
                "count": counts["overdue"],
            }
        )
    if counts["no_update"]:
        days = ActionSettings.load().no_update_days
        items.append(
            {
                "text": f"{_plural(counts['no_update'], 'action has', 'actions have')} had no "
                f"update for {days} days or more",
                "url": f"{tracker}?status=no_update",
                "count": counts["no_update"],
            }
        )
    items.append(
        {
            "text": f"{_plural(counts['open'], 'open action', 'open actions')} on your tracker",
            "url": f"{tracker}?status=open",
            "count": counts["open"],
        }
    )
    return [{"title": "Closing the loop", "items": items}]


def concern_work(user) -> list[dict]:
    """Heads of Service: their Cases of Concern without this month's update."""
    if not user.has_role(Role.HEAD_OF_SERVICE):
        return []
    today = timezone.localdate()
    visible = selectors.cases_visible_to(user).values("pk")
    cases = list(
        cases_missing_update(today)
        .filter(pk__in=visible)
        .select_related("child")
        .order_by("opened_on", "pk")[: MAX_LISTED + 1]
    )
    if not cases:
        return []
    items = [
        {
            "text": f"Case {case.child.case_reference}: update for {today:%B %Y} needed",
            "url": reverse("actions:case_update", args=[case.pk]),
        }
        for case in cases[:MAX_LISTED]
    ]
    if len(cases) > MAX_LISTED:
        items.append(
            {"text": "More Cases of Concern need an update", "url": reverse("actions:cases")}
        )
    return [{"title": "Cases of Concern", "items": items}]


def qa_lead_work(user) -> list[dict]:
    """The QA Lead: Cases of Concern open for more than 12 months, re-audits to allocate."""
    if not user.has_role(Role.QA_LEAD):
        return []
    today = timezone.localdate()
    aged = (
        selectors.cases_visible_to(user)
        .filter(resolved_on__isnull=True, opened_on__lt=add_months(today, -12))
        .count()
    )
    due = selectors.proposals_due(today).count()
    items = []
    if aged:
        items.append(
            {
                "text": f"{_plural(aged, 'Case of Concern has', 'Cases of Concern have')} been "
                "open for more than 12 months",
                "url": reverse("actions:cases") + "?show=open&aged=12",
                "count": aged,
            }
        )
    if due:
        items.append(
            {
                "text": f"{_plural(due, 're-audit is', 're-audits are')} due to allocate",
                "url": reverse("actions:reaudits"),
                "count": due,
            }
        )
    return [{"title": "Closing the loop", "items": items}] if items else []


def improvement_work(user) -> list[dict]:
    """Leads: the service improvement actions they lead that are overdue. The QA Lead:
    how many are overdue across the organisation."""
    if not (user.is_authenticated and user.is_active):
        return []
    today = timezone.localdate()
    mine = list(selectors.overdue_led_by(user, today)[: MAX_LISTED + 1])
    items = [
        {
            "text": f"{improvement.display_reference} was due on "
            f"{date_format(improvement.timescale, 'j F Y')}: "
            f"{Truncator(improvement.title).chars(80)}",
            "url": reverse("actions:improvement_detail", args=[improvement.pk]),
        }
        for improvement in mine[:MAX_LISTED]
    ]
    overdue_list = reverse("actions:improvement_list") + "?show=overdue"
    if len(mine) > MAX_LISTED:
        items.append({"text": "More of the actions you lead are overdue", "url": overdue_list})
    if user.has_role(Role.QA_LEAD):
        count = (
            selectors.improvements_visible_to(user)
            .filter(completed_on__isnull=True, timescale__lt=today)
            .count()
        )
        if count:
            items.append(
                {
                    "text": _plural(
                        count,
                        "service improvement action is overdue",
                        "service improvement actions are overdue",
                    ),
                    "url": overdue_list,
                    "count": count,
                }
            )
    return [{"title": "Service improvement actions", "items": items}] if items else []
