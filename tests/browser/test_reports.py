"""QA reports in a real browser: the QA Lead generates a quarterly report from the list,
watches its progress and lands on it, edits the strengths and publishes it; a leader
opens it from Reports in the navigation and downloads the Word and PDF files. axe finds
no serious or critical problem on the list, the run, the report and the text pages."""

import re

import pytest
from playwright.sync_api import expect

from reporting import services
from reporting.models import Report, ReportRun, ReportStatus
from reporting.views import reports as report_views

from .test_dashboard import RENDERED, assert_no_serious_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRENGTHS = "Visits were timely and purposeful"


def test_the_qa_lead_generates_edits_and_publishes_and_a_leader_reads_it(
    demo, sign_in, live_server, monkeypatch
):
    Report.objects.all().delete()  # whatever the demo generated: this test makes its own
    # The run waits for the test to run it, as it would for a busy worker.
    monkeypatch.setattr(report_views, "queue_run", lambda run: None)
    page = sign_in("qa.lead")
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Refused to" in message.text else None,
    )
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="QA reports", level=1)).to_be_visible()
    assert_no_serious_problems(page)

    page.get_by_role("radio", name="Quarterly").check()
    quarter = page.get_by_label("Quarter", exact=True)
    expect(quarter).to_be_visible()
    label = quarter.locator("option:checked").inner_text().strip()
    page.get_by_label("Covering").select_option(label="The whole organisation")
    page.get_by_role("button", name="Generate the report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Generating the quarterly report {label}"
    )
    progress = page.get_by_label("Progress")
    expect(progress).to_have_attribute("value", "0")
    expect(page.get_by_test_id("run-progress").locator("[aria-live='polite']")).to_have_text(
        "Waiting to start"
    )
    assert_no_serious_problems(page)
    run = ReportRun.objects.get()
    services.run(run.pk)  # the worker's part; the page notices and moves on by itself
    page.wait_for_url(re.compile(r"/reports/\d+/\?version=1$"), timeout=RENDERED)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Quarterly QA report {label}")
    expect(page.get_by_test_id("status-banner")).to_contain_text(
        "Draft: only the QA team can see it"
    )
    expect(page.locator("[data-chart][data-drawn='true']").first).to_be_visible(timeout=RENDERED)
    assert_no_serious_problems(page)

    page.get_by_role("link", name="Edit the text").click()
    expect(page.get_by_role("heading", name="Edit the text", level=1)).to_be_visible()
    assert_no_serious_problems(page)
    page.get_by_label("Strengths").fill(f"- {STRENGTHS}")
    page.get_by_role("button", name="Save the text").click()
    expect(page.get_by_text("The text is saved.")).to_be_visible()
    strengths = page.get_by_test_id("section-strengths")
    expect(strengths.get_by_role("listitem")).to_have_text([STRENGTHS])

    page.get_by_role("link", name="Publish version 1").click()
    expect(page.get_by_role("heading", name="Publish version 1", level=1)).to_be_visible()
    expect(page.get_by_test_id("recipients")).to_contain_text("Leader")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text(re.compile(r"Version 1 is published\. \d+ people"))).to_be_visible()
    assert Report.objects.get().versions.get().status == ReportStatus.PUBLISHED
    assert [text for text in refused if "script" in text] == []

    page.get_by_role("button", name="Sign out").click()
    page = sign_in("leader")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name=f"Quarterly report {label}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Quarterly QA report {label}")
    expect(page.get_by_test_id("section-strengths").get_by_role("listitem")).to_have_text(
        [STRENGTHS]
    )
    expect(page.get_by_test_id("version-summary")).to_contain_text("1, published")
    expect(page.locator("[data-chart][data-drawn='true']").first).to_be_visible(timeout=RENDERED)
    assert_no_serious_problems(page)
    for name, suffix in (("Word", ".docx"), ("PDF", ".pdf")):
        with page.expect_download() as download:
            page.get_by_test_id("downloads").get_by_role("link", name=name).click()
        assert download.value.suggested_filename.endswith(suffix)
        assert download.value.failure() is None
