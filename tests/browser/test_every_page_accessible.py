"""Every page in each demo role's menu, signed in as that role, passes axe-core's WCAG
2.2 AA checks (any impact) in a real browser; the pages people work from on a tablet
(the audit form, the tracker and a moderation review) fit a 768-pixel screen without
scrolling sideways, and pass the same checks there."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_email
from audits.models import Audit, AuditStatus
from moderation.models import ModerationReview

from .test_sign_in_and_navigation import WCAG_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1024}


def sign_in(page, live_server, local):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(demo_email(local))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def problems(page) -> list[str]:
    """Each axe violation on the page, as 'rule (impact): what, where'."""
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{page.url}: {v['id']} ({v.get('impact')}): {v['help']}: "
        + "; ".join(", ".join(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
    ]


def sideways_scroll(page) -> int:
    """How many pixels the page is wider than the screen."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_every_menu_page_of_every_role_passes_wcag_aa_checks(demo, page, live_server):
    found = []
    for local, *_ in DEMO_ACCOUNTS:
        sign_in(page, live_server, local)
        menu = page.get_by_role("navigation", name="Menu").get_by_role("link")
        paths = [menu.nth(i).get_attribute("href") for i in range(menu.count())]
        assert paths, local
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (local, path)
            page.wait_for_load_state("networkidle")
            found.extend(f"{local}: {problem}" for problem in problems(page))
    assert found == [], "\n".join(found)


def test_the_pages_people_work_from_on_a_tablet_fit_and_pass(demo, browser, live_server):
    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    audit = (
        Audit.objects.filter(status=AuditStatus.IN_PROGRESS, auditor__email=demo_email("auditor"))
        .order_by("pk")
        .first()
    )
    review = (
        ModerationReview.objects.filter(moderator__email=demo_email("moderator"))
        .order_by("-pk")
        .first()
    )
    visits = [
        ("auditor", reverse("audits:audit_form", args=[audit.pk])),
        ("team.manager", reverse("actions:tracker")),
        ("qa.lead", reverse("actions:tracker")),
        ("moderator", reverse("moderation:review", args=[review.pk])),
    ]
    found = []
    for local, path in visits:
        sign_in(page, live_server, local)
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (local, path)
        page.wait_for_load_state("networkidle")
        wider = sideways_scroll(page)
        if wider > 0:
            found.append(f"{local}: {path} is {wider}px wider than a 768px screen")
        found.extend(f"{local}: {problem}" for problem in problems(page))
    context.close()
    assert found == [], "\n".join(found)
