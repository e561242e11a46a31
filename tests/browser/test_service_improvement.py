"""Service improvement actions in a real browser: the QA Lead raises one, its lead records
progress from "My work"; every page passes the automated WCAG 2.2 AA checks."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.demo import demo_email
from accounts.models import User
from actions.models import ServiceImprovementAction

pytestmark = pytest.mark.browser

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


def _no_violations(page):
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.django_db(transaction=True)
def test_qa_lead_raises_an_action_and_its_lead_records_progress(demo, sign_in, live_server):
    page = sign_in("qa.lead")
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Service improvement"
    ).click()
    assert page.get_by_role("heading", name="Service improvement actions", level=1).is_visible()
    assert page.locator("tbody .govuk-tag--red", has_text="Overdue").count() >= 1
    _no_violations(page)

    page.get_by_role("link", name="Raise a service improvement action").click()
    page.get_by_label("What will happen").fill(
        "Every plan will say who does what by when, checked by Team Managers"
    )
    head = User.objects.get(email=demo_email("head.of.service"))
    page.get_by_label("Lead", exact=True).select_option(str(head.pk))
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2099")
    page.get_by_role("button", name="Raise the action").click()

    summary = page.locator(".govuk-error-summary")
    assert "The timescale must be a real date, like 30 9 2026" in summary.inner_text()
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith("Error:")
    _no_violations(page)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_timescale_0"

    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("9")
    page.get_by_role("button", name="Raise the action").click()
    improvement = ServiceImprovementAction.objects.get(title__startswith="Every plan will say")
    assert page.get_by_text(f"{improvement.display_reference} raised").is_visible()
    _no_violations(page)
    page.get_by_role("button", name="Sign out").click()

    # The demo Head of Service leads an overdue one: it is on their home page.
    page = sign_in("head.of.service")
    overdue = ServiceImprovementAction.objects.get(
        leads=head, completed_on__isnull=True, timescale__lt=improvement.raised_on
    )
    page.get_by_role("link", name=f"{overdue.display_reference} was due on").click()
    page.get_by_label("Progress").fill("Checked in this month's performance meeting.")
    page.get_by_role("button", name="Add the update").click()
    assert page.get_by_text("Progress update added.").is_visible()
    assert page.get_by_role("cell", name="Checked in this month's performance meeting.").count()
    _no_violations(page)
    assert overdue.updates.filter(created_by=head).exists()
