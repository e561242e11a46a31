"""The pagination shared by long lists, in a real browser: readable against its colours."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from accounts.models import AccessChange, AccessKind, Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_page_of_pages_label_passes_colour_contrast(page, live_server):
    qa = UserFactory(email="qa.lead@council.example", roles=[Role.QA_LEAD])
    AccessChange.objects.bulk_create(
        AccessChange(
            person=qa,
            person_name=str(qa),
            kind=AccessKind.ROLES,
            before="",
            after=f"Role {n}",
            changed_by=qa,
            changed_by_name=str(qa),
        )
        for n in range(60)
    )
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(qa.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{reverse('organisation:access_changes')}")
    label = page.locator(".govuk-pagination__item--current .govuk-pagination__link-label")
    assert label.inner_text().startswith("Page 1 of ")
    results = Axe().run(
        page,
        context={"include": [[".govuk-pagination"]]},
        options={"runOnly": {"type": "rule", "values": ["color-contrast"]}},
    )
    assert results.violations_count == 0, results.generate_report()
