"""Radios that reveal more questions, in a real browser: they reveal, and carry no
aria-expanded (ARIA does not allow it on a radio)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.models import Role
from tests.factories import PASSWORD, UserFactory, make_template

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_revealing_radios_carry_no_aria_expanded(page, live_server):
    make_template(family="child-journey-audit")
    qa = UserFactory(email="qa.lead@council.example", roles=[Role.QA_LEAD])
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(qa.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/programme/rounds/new/")
    radios = page.locator('input[type="radio"][aria-controls]')
    assert radios.count() == 2
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")

    def assert_no_aria_expanded():
        assert page.locator('input[type="radio"][aria-expanded]').count() == 0
        results = Axe().run(
            page, options={"runOnly": {"type": "rule", "values": ["aria-allowed-attr"]}}
        )
        assert results.violations_count == 0, results.generate_report()

    assert_no_aria_expanded()
    total = page.get_by_label("Total number of audits", exact=True)
    assert not total.is_visible()
    radios.nth(1).check()
    assert total.is_visible()
    assert_no_aria_expanded()
