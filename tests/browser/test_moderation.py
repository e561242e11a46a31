"""A moderator regrades an audit at panel in a real browser; the auditor reads the
feedback. The review screen passes automated WCAG 2.2 AA checks."""

import random

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from moderation.demo import seed_moderation
from moderation.models import ModerationReview, ReviewStatus

pytestmark = pytest.mark.browser

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


@pytest.fixture
def waiting_review(demo):
    """A review on the demo moderator's list, not started yet."""
    if not ModerationReview.objects.exists():
        seed_moderation(random.Random("moderation-2026"), timezone.localdate())
    return (
        ModerationReview.objects.filter(
            moderator__email="moderator@northshire.example",
            status=ReviewStatus.ASSIGNED,
            panel__isnull=False,
        )
        .select_related("audit__child", "audit__auditor", "panel")
        .order_by("pk")
        .first()
    )


def sign_in_as(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.django_db(transaction=True)
def test_moderator_regrades_a_domain_and_the_auditor_reads_the_feedback(
    waiting_review, sign_in, page, live_server
):
    review = waiting_review
    assert review is not None
    reference = review.audit.child.case_reference
    first_domain = review.domain_grades.select_related("domain").order_by("domain__name")[0]

    # The moderator opens the panel, then the review.
    sign_in("moderator")
    page.goto(f"{live_server.url}/moderation/panels/")
    page.get_by_role("link", name=review.panel.month.strftime("%B %Y")).click()
    assert page.get_by_role("heading", name=review.panel.month.strftime("%B %Y")).is_visible()
    page.get_by_role("link", name=reference, exact=True).click()
    assert page.get_by_role("heading", name=reference, level=1).is_visible()

    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()

    # Regrade the first domain down a grade, with a rationale and a reason.
    domain = first_domain.domain.name
    group = page.get_by_role("group", name=f"Grade after moderation for {domain}")
    options = group.get_by_role("radio")
    assert options.first.is_checked()  # "Agree: <the auditor's grade>" is the default
    assert options.first.get_attribute("id") == f"domain-{first_domain.domain_id}"
    lower = {
        "outstanding": "Good",
        "good": "Requires Improvement",
        "requires_improvement": "Inadequate",
        "inadequate": "Requires Improvement",
    }[first_domain.original_grade]
    group.get_by_label(lower, exact=True).check()
    outcome = page.locator(f"[data-app-grade-group]:has(#domain-{first_domain.domain_id})")
    assert outcome.locator("[data-app-outcome]").inner_text() in ("Downgraded", "Upgraded")
    page.get_by_label(f"Why the grade for {domain} changed").fill(
        "Visits fell out of timescale in the period audited."
    )
    page.get_by_label("Poor recording").check()
    page.get_by_label("Feedback for the auditor").fill(
        "Check the statutory visit dates before you settle the grade."
    )
    page.get_by_role("button", name="Mark as done").click()
    page.wait_for_url(f"{live_server.url}/moderation/panels/{review.panel_id}/")
    assert (
        f"Your review of {reference} is done"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.FINAL

    # The auditor signs in and reads the feedback.
    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, live_server, review.audit.auditor.email)
    page.goto(f"{live_server.url}/moderation/feedback/")
    page.get_by_role("link", name=reference, exact=True).click()
    assert page.get_by_role("heading", name=reference, level=1).is_visible()
    feedback = page.get_by_test_id("feedback").inner_text()
    assert "Check the statutory visit dates" in feedback
    assert "Visits fell out of timescale in the period audited." in page.content()
