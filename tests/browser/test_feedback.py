"""Family feedback in a real browser: an auditor records a parent's feedback with a
quote inside the audit, the QA Lead accepts the audit, then picks and edits the quote,
and a parent answers from their own link on a phone-sized screen with the keyboard
only. axe finds no serious or critical problem on any page."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from accounts.models import User
from audits.models import AuditStatus, Child
from common.dates import month_start
from feedback.models import Feedback, Quote, QuoteStatus, QuoteTheme, Source
from feedback.services.links import link_create
from tests.factories import AuditFactory, complete_audit, make_template

from .test_sign_in_and_navigation import WCAG_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_serious_problems(page):
    results = Axe().run(page, options=WCAG_AA)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()


def sign_in(browser, live_server, local, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(demo_email(local))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


@pytest.fixture
def audit(demo):
    # A live-server test before this one may have flushed the themes the migration added.
    QuoteTheme.objects.get_or_create(name="Being listened to")
    template = make_template(domains=("Visits",), questions=False, family="browser-feedback")
    today = timezone.localdate()
    child = (
        Child.objects.filter(
            team__manager__isnull=False,
            audits__isnull=True,
            date_of_birth__lte=today - datetime.timedelta(days=365 * 8),
        )
        .order_by("pk")
        .first()
    )
    audit = AuditFactory(
        template=template,
        child=child,
        auditor=User.objects.get(email=demo_email("auditor")),
        month=month_start(today),
        due_date=today + datetime.timedelta(days=20),
    )
    complete_audit(audit)
    return audit


def test_an_auditor_records_feedback_and_the_qa_lead_makes_it_a_quote(browser, live_server, audit):
    worker = audit.child.social_worker or audit.child.team.manager
    comment = f"{worker.first_name} always rang back and explained the plan to us."
    base = f"{live_server.url}/audits/{audit.pk}/edit"

    context, page = sign_in(browser, live_server, "auditor")
    page.goto(f"{base}/participation/")
    page.get_by_role("link", name="Family feedback").click()
    page.wait_for_url(f"{base}/feedback/")
    assert_no_serious_problems(page)
    page.locator("#fb-0-respondent").select_option("mother")
    page.locator("#fb-0-channel").check()  # Phone
    today = timezone.localdate()
    page.locator("#fb-0-date-day").fill(str(today.day))
    page.locator("#fb-0-date-month").fill(str(today.month))
    page.locator("#fb-0-date-year").fill(str(today.year))
    page.locator("#fb-0-outcome").check()  # they gave feedback: the questions appear
    expect(page.locator("#fb-0-listened")).to_be_visible()
    page.locator("#fb-0-listened").check()
    page.locator("#fb-0-score").fill("9")
    page.locator("#fb-0-comments").press_sequentially(comment, delay=2)
    page.locator("#fb-0-consent").check()
    form = page.locator("form[data-autosave-state='saved']")
    expect(form).to_have_count(1, timeout=10000)
    expect(page.locator(".app-autosave-status")).to_have_text(re.compile(r"^Saved at"))
    assert_no_serious_problems(page)

    page.get_by_role("link", name="Check and submit").click()
    page.wait_for_url(f"{base}/check/")
    expect(page.get_by_text(comment)).to_be_visible()
    saved = Feedback.objects.get(audit=audit)
    assert saved.source == Source.AUDIT_FORM and saved.consent_to_quote
    page.get_by_role("button", name="Submit the audit").click()
    page.wait_for_url(f"{live_server.url}/audits/")
    context.close()

    # The QA Lead accepts the audit from the queue of submitted audits.
    context, page = sign_in(browser, live_server, "qa.lead")
    page.goto(f"{live_server.url}/audits/review/")
    page.locator(f'a[href="/audits/{audit.pk}/"]', has_text="Review").click()
    page.wait_for_url(f"{live_server.url}/audits/{audit.pk}/")
    assert_no_serious_problems(page)
    page.get_by_role("button", name="Accept the audit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("accepted")
    audit.refresh_from_db()
    assert audit.status == AuditStatus.ACCEPTED
    context.close()

    # The QA Lead picks the quote, is told the name is still in it, and edits it out.
    context, page = sign_in(browser, live_server, "qa.lead")
    page.get_by_role("link", name="Feedback", exact=True).click()
    page.wait_for_url(f"{live_server.url}/feedback/")
    assert_no_serious_problems(page)
    page.get_by_role("link", name="Pick quotes for this period").click()
    assert_no_serious_problems(page)
    card = page.locator(".govuk-summary-card", has_text=comment)
    card.get_by_role("button", name=re.compile("^Pick a quote from Mum")).click()
    page.wait_for_url(re.compile(r"/feedback/quotes/\d+/$"))
    expect(page.locator(".app-findings")).to_contain_text(worker.first_name)
    page.get_by_label("Positive").check()
    page.get_by_label("Theme").select_option(label="Being listened to")
    page.get_by_role("button", name="Save and mark ready").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(f"Edit out “{worker.first_name}”")
    assert_no_serious_problems(page)
    page.get_by_label("The quote").fill("[Name] always rang back and explained the plan to us.")
    page.get_by_role("button", name="Save and mark ready").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Quote ready for reports.")
    quote = Quote.objects.get(feedback__audit=audit)
    assert quote.status == QuoteStatus.READY
    assert quote.attribution == "Mum"
    assert_no_serious_problems(page)
    context.close()


def test_a_parent_answers_from_a_link_on_a_phone_with_the_keyboard_only(
    browser, live_server, audit
):
    new = link_create(audit=audit, user=audit.auditor, audience="adult")
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/your-say/{new.token}/")
    expect(page.get_by_role("heading", name="Tell us what you think")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.get_by_role("link").count() == 1  # "Skip to main content" only
    assert_no_serious_problems(page)

    def tab_to(selector, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"{selector} cannot be reached with the keyboard")

    tab_to("input[name='respondent']")
    page.keyboard.press("Space")  # Mum
    tab_to("input[name='listened']")
    page.keyboard.press("Space")  # Yes
    tab_to("input[name='understood']")
    page.keyboard.press("ArrowDown")  # A bit
    tab_to("input[name='score']")
    for _ in range(8):
        page.keyboard.press("ArrowRight")  # 8
    tab_to("textarea[name='comments']")
    page.keyboard.type("The social worker helped us a lot.")
    tab_to("input[name='consent']")
    page.keyboard.press("Space")  # Yes
    tab_to("button#id_submit")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/your-say/thank-you/")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_serious_problems(page)

    feedback = Feedback.objects.get(audit=audit, source=Source.FAMILY_LINK)
    assert (feedback.respondent, feedback.listened, feedback.understood) == (
        "mother",
        "yes",
        "partly",
    )
    assert feedback.score == 8 and feedback.consent_to_quote

    # The link is used up: the kind page, on the phone too.
    page.goto(f"{live_server.url}/your-say/{new.token}/")
    expect(page.get_by_role("heading", name=re.compile("already been used"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_serious_problems(page)
    context.close()
