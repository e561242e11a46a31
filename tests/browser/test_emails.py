"""The emails pages in a real browser: the team manager finds their weekly email under
My emails and reads it whole; the QA Lead and the Administrator find Sent emails."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.demo import demo_email
from accounts.models import User
from outbox.models import OutboxEmail

pytestmark = pytest.mark.browser

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


def test_the_team_manager_reads_their_weekly_email_whole(demo, sign_in, live_server):
    manager = User.objects.get(email=demo_email("team.manager"))
    tracker = (
        OutboxEmail.objects.filter(recipient=manager, template="tracker")
        .order_by("-created_at", "-pk")
        .first()
    )
    assert tracker is not None, "the demo sends the team manager weekly emails"
    page = sign_in("team.manager")
    page.get_by_role("link", name="My emails").click()
    page.get_by_role("link", name=tracker.subject).first.click()
    page.get_by_role("heading", name=tracker.subject).wait_for()

    # The plain text in full, to its last line.
    last_line = tracker.body_text.strip().splitlines()[-1].strip()
    assert page.get_by_test_id("email-text").inner_text().strip().endswith(last_line)
    # The formatted email is not cut off: its frame is as tall as the email.
    # The frame is fitted once the email inside has loaded: on a slow machine, wait for it.
    frame = page.locator("iframe.app-email-frame")
    for _ in range(50):
        frame_height = frame.bounding_box()["height"]
        email_height = frame.content_frame.locator("body").evaluate(
            "body => body.ownerDocument.documentElement.scrollHeight"
        )
        if email_height <= frame_height:
            break
        page.wait_for_timeout(200)
    assert email_height <= frame_height, (email_height, frame_height)
    assert _violations(page) == []


def _violations(page):
    results = Axe().run(page, options=WCAG_AA)
    violations = results.response["violations"]
    return [(v["id"], [n["html"][:120] for n in v["nodes"]]) for v in violations]


@pytest.mark.parametrize("who", ["qa.lead", "admin"])
def test_the_qa_lead_and_the_administrator_find_sent_emails(demo, sign_in, who):
    page = sign_in(who)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sent emails").click()
    page.get_by_role("heading", name="Sent emails").wait_for()
    # the newest first: the demo's last QA reports' emails, then the weekly trackers
    assert page.get_by_role("link", name="QA report published").count() > 0
    for _ in range(5):
        if page.get_by_role("link", name="Weekly tracker").count():
            break
        page.get_by_role("link", name="Next page").click()
        page.get_by_role("heading", name="Sent emails").wait_for()
    assert page.get_by_role("link", name="Weekly tracker").count() > 0
    assert _violations(page) == []
