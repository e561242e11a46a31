"""An auditor fills in an audit in a real browser: autosave keeps half an audit across a
closed page, the check page lists what is missing, the QA Lead returns it with a comment
and the auditor reads it."""

import datetime
import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from accounts.models import User
from audits.models import AuditStatus, Child, DomainGrading
from common.dates import month_start
from tests.factories import AuditFactory, make_template

from .test_sign_in_and_navigation import WCAG_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVIDENCE = "Visits were every ten days; the child's words are recorded and shaped the plan."


def sign_in(browser, live_server, local):
    """A new browser session, signed in as the demo person."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(demo_email(local))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def wait_until_saved(page):
    form = page.locator("form[data-autosave-state='saved']")
    expect(form).to_have_count(1, timeout=10000)
    expect(page.locator(".app-autosave-status")).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"))


def assert_accessible(page):
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def allocated(demo):
    template = make_template(domains=("Visits", "Assessments"), family="browser-journey")
    today = timezone.localdate()
    audit = AuditFactory(
        template=template,
        child=Child.objects.filter(team__manager__isnull=False, audits__isnull=True)
        .order_by("pk")
        .first(),
        auditor=User.objects.get(email=demo_email("auditor")),
        month=month_start(today),
        due_date=today + datetime.timedelta(days=20),
    )
    sections = {s.title: s for s in template.sections.all()}
    audit.ids = {
        "plan": sections["The child"].questions.get(order=1).pk,
        "visits": sections["Visits"].domain_id,
        "assessments": sections["Assessments"].domain_id,
    }
    return audit


def test_an_audit_from_first_answers_to_return(browser, live_server, allocated):
    audit, ids = allocated, allocated.ids
    ref = audit.child.case_reference
    base = f"{live_server.url}/audits/{audit.pk}"

    # The auditor opens the audit from My audits and answers the general question.
    context, page = sign_in(browser, live_server, "auditor")
    page.goto(f"{live_server.url}/audits/")
    page.get_by_role("link", name=f"Start audit of {ref}").click()
    page.wait_for_url(f"{base}/edit/s1/")
    page.locator(f"#q-{ids['plan']}").check()
    page.locator(f"#q-{ids['plan']}-comment").press_sequentially("Reviewed at the last CIN meeting")
    wait_until_saved(page)

    # Then grades Visits with evidence, typed, and autosave keeps it.
    page.get_by_role("link", name="Visits", exact=True).click()
    page.wait_for_url(f"{base}/edit/s2/")
    page.get_by_label("Good", exact=True).check()
    page.locator(f"#evidence-{ids['visits']}").press_sequentially(EVIDENCE, delay=5)
    wait_until_saved(page)
    assert_accessible(page)
    page.close()

    # Back in a new page, everything typed is there.
    page = context.new_page()
    page.goto(f"{base}/edit/s2/")
    expect(page.get_by_label("Good", exact=True)).to_be_checked()
    expect(page.locator(f"#evidence-{ids['visits']}")).to_have_value(EVIDENCE)
    page.goto(f"{base}/edit/s1/")
    expect(page.locator(f"#q-{ids['plan']}")).to_be_checked()
    expect(page.locator(f"#q-{ids['plan']}-comment")).to_have_value(
        "Reviewed at the last CIN meeting"
    )

    # A grade for Assessments without evidence, then an attempt to submit.
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.wait_for_url(f"{base}/edit/s3/")
    page.get_by_label("Requires Improvement", exact=True).check()
    wait_until_saved(page)
    page.get_by_role("link", name="Check and submit").click()
    page.wait_for_url(f"{base}/edit/check/")
    page.get_by_role("button", name="Submit the audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter the evidence for the Assessments grade")
    expect(summary).to_contain_text("Choose the overall grade")
    expect(summary).not_to_contain_text("Choose a grade for Assessments")
    assert page.title().startswith("Error:")
    assert_accessible(page)
    summary.get_by_role("link", name="Enter the evidence for the Assessments grade").click()
    page.wait_for_url(f"{base}/edit/s3/#evidence-{ids['assessments']}")
    page.wait_for_function(f"document.activeElement.id === 'evidence-{ids['assessments']}'")

    # Everything fixed, page by page, with the buttons.
    page.locator(f"#evidence-{ids['assessments']}").fill(
        "Assessments are late and do not say what the child's day is like at home."
    )
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"{base}/edit/overall/")
    page.get_by_label("Good", exact=True).check()
    page.get_by_label("Reasons for the overall grade").fill(
        "Visits are strong and purposeful; assessments need to catch up with the plan."
    )
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"{base}/edit/participation/")
    for field in (
        "social_worker_involved",
        "team_manager_involved",
        "iro_involved",
        "child_spoken_to",
        "parent_carer_spoken_to",
    ):
        page.locator(f"#{field}").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"{base}/edit/feedback/")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"{base}/edit/findings/")
    page.get_by_label("Strengths").fill("The child's voice runs through the plan.")
    page.get_by_label("Areas for development").fill("Assessments need updating.")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"{base}/edit/actions/")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"{base}/edit/check/")
    page.get_by_role("button", name="Submit the audit").click()
    page.wait_for_url(f"{live_server.url}/audits/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Audit submitted")
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    context.close()

    # The QA Lead returns it with a comment.
    context, page = sign_in(browser, live_server, "qa.lead")
    page.goto(f"{live_server.url}/audits/review/")
    page.locator(f'a[href="/audits/{audit.pk}/"]', has_text="Review").click()
    page.wait_for_url(f"{base}/")
    page.get_by_label("Comments for the auditor").fill(
        "The Visits evidence needs the dates of the visits."
    )
    page.get_by_role("button", name="Return to the auditor").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Audit returned")
    context.close()

    # The auditor sees the comment on My audits and on the audit.
    context, page = sign_in(browser, live_server, "auditor")
    page.goto(f"{live_server.url}/audits/")
    expect(page.locator("main")).to_contain_text(
        "The Visits evidence needs the dates of the visits."
    )
    page.goto(f"{base}/")
    banner = page.locator(".app-return-comments")
    expect(banner).to_contain_text("Returned for changes")
    expect(banner).to_contain_text("The Visits evidence needs the dates of the visits.")
    expect(page.get_by_role("button", name="Continue editing")).to_be_visible()
    context.close()


def test_autosave_offline_in_two_tabs_on_closing_and_after_back(browser, live_server, allocated):
    audit, visits = allocated, allocated.ids["visits"]
    url = f"{live_server.url}/audits/{audit.pk}/edit/s2/"
    status = ".app-autosave-status"
    saved = re.compile(r"^Saved at \d\d:\d\d$")

    def evidence():
        grading = DomainGrading.objects.filter(audit=audit, domain_id=visits).first()
        return grading.evidence if grading else ""

    context, page = sign_in(browser, live_server, "auditor")
    page.goto(url)

    # Offline, the typing stays on the page and is saved when the connection returns.
    context.set_offline(True)
    page.locator(f"#evidence-{visits}").fill("Typed while offline")
    page.locator(f"#evidence-{visits}").blur()
    expect(page.locator(status)).to_have_text(
        "Not saved: you appear to be offline. We will try again."
    )
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator(status)).to_have_text(saved)
    assert evidence() == "Typed while offline"

    # A second tab opened earlier cannot overwrite what the first one saved since.
    other = context.new_page()
    other.goto(url)
    page.locator(f"#evidence-{visits}").fill("Saved from the first tab")
    page.locator(f"#evidence-{visits}").blur()
    expect(page.locator(status)).to_have_text(saved)
    other.locator(f"#evidence-{visits}").fill("Typed in the second tab")
    other.locator(f"#evidence-{visits}").blur()
    expect(other.locator(status)).to_contain_text(
        "Not saved: This audit was changed in another window"
    )
    other.close()
    assert evidence() == "Saved from the first tab"

    # Closing the tab straight after typing still saves it.
    page.locator(f"#evidence-{visits}").fill("Typed just before closing")
    page.close(run_before_unload=True)
    for _ in range(50):
        if evidence() == "Typed just before closing":
            break
        time.sleep(0.1)
    assert evidence() == "Typed just before closing"

    # Back to a page after saving on another: it loads afresh and saves without conflict.
    page = context.new_page()
    page.goto(url)
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.wait_for_url(re.compile(r"/edit/s3/$"))
    page.get_by_label("Good", exact=True).check()
    expect(page.locator(status)).to_have_text(saved)
    page.go_back()
    page.wait_for_url(url)
    page.get_by_label("Outstanding", exact=True).check()
    expect(page.locator(status)).to_have_text(saved)
    context.close()
