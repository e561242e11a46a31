"""Each demo role signs in through a real browser and sees its own navigation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.demo import DEMO_ACCOUNTS

EXPECTED_NAVIGATION = {
    "auditor": ["My work", "My audits"],
    "moderator": ["My work", "My audits", "Moderation"],
    "team.manager": ["My work", "My audits", "Exemptions", "Actions", "Organisation"],
    "head.of.service": [
        "My work",
        "Dashboard",
        "Reports",
        "My audits",
        "Exemptions",
        "Moderation figures",
        "Actions",
        "Cases of Concern",
        "Service improvement",
        "Other audits",
        "Feedback",
        "Organisation",
    ],
    "qa.lead": [
        "My work",
        "Dashboard",
        "Reports",
        "Audit programme",
        "Moderation",
        "Moderation figures",
        "Actions",
        "Cases of Concern",
        "Service improvement",
        "Other audits",
        "Feedback",
        "Organisation",
        "Sent emails",
        "Records",
        "Administration",
    ],
    "leader": [
        "My work",
        "Dashboard",
        "Reports",
        "My audits",
        "Exemptions",
        "Moderation figures",
        "Service improvement",
        "Other audits",
        "Feedback",
        "Organisation",
    ],
    "ambassador": ["My work"],
    "dpo": ["My work", "Records"],
    "admin": [
        "My work",
        "Dashboard",
        "Reports",
        "Service improvement",
        "Organisation",
        "Sent emails",
        "Administration",
    ],
}

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


def test_every_demo_role_is_covered():
    assert set(EXPECTED_NAVIGATION) == {local for local, *_ in DEMO_ACCOUNTS}


@pytest.mark.parametrize("local", list(EXPECTED_NAVIGATION))
def test_role_signs_in_and_sees_its_navigation(demo, sign_in, local):
    page = sign_in(local)
    navigation = page.get_by_role("navigation", name="Menu")
    labels = [text.strip() for text in navigation.get_by_role("link").all_inner_texts()]
    assert labels == EXPECTED_NAVIGATION[local]
    assert page.get_by_role("heading", name="My work", level=1).is_visible()


def test_wrong_password_shows_the_error_summary_and_focuses_it(demo, page, live_server):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill("auditor@northshire.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter a correct email address and password" in summary.inner_text()
    # GOV.UK Frontend's JavaScript moves focus to the summary.
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith("Error:")
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_keyboard_user_can_skip_to_content_and_sign_out(demo, sign_in, live_server):
    page = sign_in("qa.lead")
    page.keyboard.press("Tab")
    skip = page.locator(".govuk-skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", name="You have signed out").is_visible()
    page.goto(f"{live_server.url}/")
    assert "/accounts/sign-in/" in page.url


@pytest.mark.parametrize("path", ["/accounts/sign-in/", "/", "/organisation/"])
def test_pages_pass_automated_wcag_aa_checks(demo, sign_in, live_server, path):
    page = sign_in("admin")
    if path == "/accounts/sign-in/":
        page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}{path}")
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
