"""The QA Lead proposes, checks and publishes a monthly allocation in a real browser."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from audits.models import AllocationRound, AuditStatus, AuditTemplate, RoundStatus
from common.dates import add_months, month_start
from tests.factories import make_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


@pytest.fixture
def programme(demo):
    if not AuditTemplate.objects.filter(is_active=True).exists():
        make_template(family="child-journey-audit")


def assert_accessible(page):
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_qa_lead_proposes_and_publishes_an_allocation(programme, sign_in, live_server):
    page = sign_in("qa.lead")
    page.goto(f"{live_server.url}/programme/rounds/new/")
    assert_accessible(page)

    # the demo has next month's draft already: propose the month after
    month = add_months(month_start(timezone.localdate()), 2)
    page.get_by_label("Month to allocate").select_option(month.isoformat())
    total = page.get_by_label("Total number of audits", exact=True)
    assert not total.is_visible()  # revealed only when its radio is chosen
    page.get_by_label("A total number of audits, spread over the teams").check()
    assert total.is_visible()
    total.fill("6")
    page.get_by_role("button", name="Propose the allocation").click()

    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith(month.strftime("%B %Y"))
    assert page.get_by_test_id("audit-count").inner_text().startswith("6 in ")
    assert_accessible(page)

    page.get_by_role("button", name="Publish").click()
    assert page.title().startswith("Error:")
    assert (
        "Confirm that you have checked the allocation"
        in page.locator(".govuk-error-summary").inner_text()
    )

    page.get_by_label("I have checked the allocation").check()
    page.get_by_role("button", name="Publish").click()
    assert (
        "is published: 6 audits allocated"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    allocation_round = AllocationRound.objects.get(month=month)
    assert allocation_round.status == RoundStatus.PUBLISHED
    assert set(allocation_round.audits.values_list("status", flat=True)) == {AuditStatus.ALLOCATED}


@pytest.mark.parametrize("path", ["/programme/", "/programme/ad-hoc/", "/programme/exemptions/"])
def test_programme_pages_pass_automated_wcag_aa_checks(programme, sign_in, live_server, path):
    page = sign_in("qa.lead")
    page.goto(f"{live_server.url}{path}")
    assert_accessible(page)


def test_ad_hoc_errors_name_each_unknown_reference(programme, sign_in, live_server):
    page = sign_in("qa.lead")
    page.goto(f"{live_server.url}/programme/ad-hoc/")
    page.get_by_label("Case references").fill("NOPE1\nNOPE2")
    page.get_by_role("button", name="Allocate the audits").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "NOPE1 is not a known case reference" in summary
    assert "NOPE2 is not a known case reference" in summary
    assert_accessible(page)
