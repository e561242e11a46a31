"""The service navigation: each item shows only to people with its permission.

The current item is the one whose address (or one of the addresses it also covers) is
the longest start of the page's path.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None  # None: every signed-in user
    unless: str | None = None  # hidden from people with this permission (found elsewhere)
    also: tuple[str, ...] = ()  # url names of pages reached from this item, not from another


NAV_ITEMS = [
    NavItem("My work", "home", None),
    NavItem(
        "Dashboard",
        "reporting:dashboard",
        "reporting.view_figures",
        also=("reporting:audits", "reporting:performance", "reporting:targets"),
    ),
    NavItem("Reports", "reporting:reports", "reporting.view_reports"),
    NavItem("My audits", "audits:my_audits", "audits.use_my_audits"),
    NavItem("Audit programme", "programme:index", "audits.manage_programme"),
    NavItem(
        "Exemptions", "programme:exemptions", "audits.view_exemptions", "audits.manage_programme"
    ),
    NavItem("Moderation", "moderation:panels", "moderation.use_panels"),
    NavItem("Moderation figures", "moderation:statistics", "moderation.view_statistics"),
    NavItem("Actions", "actions:tracker", "actions.view_tracker"),
    NavItem("Cases of Concern", "actions:cases", "actions.view_cases"),
    NavItem("Service improvement", "actions:improvement_list", "actions.view_improvement_list"),
    NavItem("Other audits", "other_audits:index", "audits.view_other_audits"),
    NavItem("Feedback", "feedback:overview", "feedback.view_figures"),
    NavItem("Organisation", "organisation:index", "accounts.view_organisation"),
    NavItem("Sent emails", "emails:sent", "outbox.view_sent_emails"),
    NavItem("Records", "governance:records", "governance.search_records"),
    NavItem("Administration", "admin:index", "accounts.access_admin"),
]


def _current(items: list[dict], path: str) -> None:
    best, best_length = None, -1
    for item in items:
        for url in (item["url"], *item["also"]):
            matches = path == url if url == "/" else path.startswith(url)
            if matches and len(url) > best_length:
                best, best_length = item, len(url)
    if best is not None:
        best["current"] = True


def navigation_for(user, path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if item.permission and not user.has_perm(item.permission):
            continue
        if item.unless and user.has_perm(item.unless):
            continue
        items.append(
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "also": [reverse(name) for name in item.also],
                "current": False,
            }
        )
    _current(items, path)
    return items
