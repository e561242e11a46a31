"""Ambassadors' reviews in a real browser: the QA Lead opens the sample screen and the
sample's page, and an Ambassador completes a review from their home page. axe finds no
serious or critical problem on any page."""

import pytest
from playwright.sync_api import expect

from accounts.demo import demo_email
from feedback.models import AmbassadorReview, ReviewStatus

from .test_feedback import assert_no_serious_problems, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_ambassador_completes_a_review(browser, live_server, demo):
    review = (
        AmbassadorReview.objects.filter(
            ambassador__email=demo_email("ambassador"), status=ReviewStatus.OPEN
        )
        .order_by("month", "pk")
        .first()
    )
    assert review is not None, "the demo leaves last month's reviews open"

    context, page = sign_in(browser, live_server, "qa.lead")
    page.goto(f"{live_server.url}/feedback/ambassadors/")
    expect(page.get_by_role("heading", name="Ambassadors' reviews", level=1)).to_be_visible()
    assert_no_serious_problems(page)
    page.goto(f"{live_server.url}/feedback/ambassadors/samples/{review.sample_id}/")
    assert_no_serious_problems(page)
    context.close()

    context, page = sign_in(browser, live_server, "ambassador")
    expect(page.get_by_role("heading", name="Audits to review")).to_be_visible()
    assert_no_serious_problems(page)
    page.get_by_role("link", name="Review an audit").first.click()
    page.wait_for_url(f"{live_server.url}/feedback/reviews/{review.pk}/")
    assert review.audit.child.case_reference not in page.content()
    assert_no_serious_problems(page)
    page.get_by_role("button", name="Send my review").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_serious_problems(page)
    for group, answer in (
        ("Is there a good relationship", "Yes"),
        ("Is the case summary about the child", "Partly"),
        ("Are the child's views drawn out", "No"),
        ("Are the child's likes", "Yes"),
        ("Is the language kind", "Partly"),
    ):
        page.get_by_role("group", name=group).get_by_label(answer, exact=True).check()
    page.get_by_label("Your comments on the child's views (optional)").fill(
        "I could not see any direct work."
    )
    page.get_by_role("button", name="Send my review").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("Thank you. Your review has been sent.")).to_be_visible()
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert review.views == "no" and review.views_comments == "I could not see any direct work."
    # Anything else is a page that does not exist.
    page.goto(f"{live_server.url}/audits/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    context.close()
