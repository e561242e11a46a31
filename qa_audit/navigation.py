"""The service navigation: each item shows only to people with its permission."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None  # None: every signed-in user
    section: str  # the first path segment that marks the item as current


NAV_ITEMS = [
    NavItem("My work", "home", None, ""),
    NavItem("Organisation", "organisation:index", "accounts.view_organisation", "organisation"),
    NavItem("Administration", "admin:index", "accounts.access_admin", "admin"),
]


def navigation_for(user, path: str) -> list[dict]:
    if not user.is_authenticated:
        return []
    section = path.strip("/").split("/", 1)[0]
    items = []
    for item in NAV_ITEMS:
        if item.permission and not user.has_perm(item.permission):
            continue
        items.append(
            {"label": item.label, "url": reverse(item.url_name), "current": item.section == section}
        )
    return items
