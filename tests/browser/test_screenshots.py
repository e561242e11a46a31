"""Screenshots of each role's main page and of a quarterly report, taken in a real
browser signed in as the demo's people. ``make screenshots`` writes them to
docs/screenshots/ (on the full demo council) for the README; otherwise they go to a
temporary folder, so that the suite checks they can always be taken."""

import os
import struct
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from reporting.models import Report, ReportStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREEN = {"width": 1280, "height": 900}
#: the most of a long page a screenshot keeps, in pixels
TALLEST = 2200
RENDERED = 30_000  # milliseconds
#: (file name, demo sign-in, the page they work from)
SHOTS = [
    ("auditor", "auditor", "audits:my_audits"),
    ("moderator", "moderator", "moderation:panels"),
    ("team-manager", "team.manager", "actions:tracker"),
    ("head-of-service", "head.of.service", "actions:cases"),
    ("qa-lead", "qa.lead", "home"),
    ("leader", "leader", "reporting:dashboard"),
    ("ambassador", "ambassador", "home"),
    ("administrator", "admin", "organisation:index"),
    ("data-protection-officer", "dpo", "governance:records"),
]


@pytest.fixture
def folder(tmp_path, transactional_db):
    wanted = os.environ.get("SCREENSHOTS_DIR")
    if wanted:
        call_command("seed_demo")  # the README shows the demo council as make run builds it
        folder = Path(wanted)
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    call_command("seed_demo", "--staff", "120", "--children", "200")
    return tmp_path


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def test_each_roles_main_page_and_a_quarterly_report(folder, browser, live_server):
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()

    def sign_in(local):
        context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Email address").fill(demo_email(local))
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")

    def shoot(name):
        page.wait_for_load_state("networkidle")
        height = min(page.evaluate("document.documentElement.scrollHeight"), TALLEST)
        page.screenshot(
            path=folder / f"{name}.png",
            full_page=True,
            clip={"x": 0, "y": 0, "width": SCREEN["width"], "height": height},
            animations="disabled",
            caret="hide",
        )

    for name, local, url_name in SHOTS:
        sign_in(local)
        response = page.goto(f"{live_server.url}{reverse(url_name)}")
        assert response.status == 200, name
        if url_name == "reporting:dashboard":
            expect(page.locator("[data-chart][data-drawn='true']").first).to_be_visible(
                timeout=RENDERED
            )
        shoot(name)

    report = (
        Report.objects.filter(kind="quarterly", versions__status=ReportStatus.PUBLISHED)
        .order_by("-start")
        .first()
    )
    sign_in("leader")
    page.goto(f"{live_server.url}{reverse('reporting:report', args=[report.pk])}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quarterly QA report")
    shoot("quarterly-report")
    context.close()

    for name in [shot[0] for shot in SHOTS] + ["quarterly-report"]:
        width, height = png_size(folder / f"{name}.png")
        assert width == SCREEN["width"] and SCREEN["height"] <= height <= TALLEST, name
