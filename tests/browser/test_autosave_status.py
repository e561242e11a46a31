"""The autosave status in a real browser: shown where the auditor is answering, and the
list of sections follows each save without reloading the page."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import PASSWORD, AuditFactory, ChildFactory, UserFactory, make_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_view(page, locator):
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_status_is_in_view_and_the_section_list_follows_the_save(page, live_server):
    auditor = UserFactory(email="auditor@council.example", roles=[Role.AUDITOR])
    audit = AuditFactory(
        child=ChildFactory(),
        template=make_template(domains=("Visits", "Assessments")),
        auditor=auditor,
    )
    visits = audit.template.sections.get(title="Visits").domain_id
    page.set_viewport_size({"width": 1024, "height": 600})
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(auditor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/audits/{audit.pk}/edit/s2/")

    status = page.locator(".app-autosave-status")
    visits_status = page.locator("#nav-s2-status")
    expect(visits_status).to_have_text("Not started")

    # The first question: the grade.
    page.locator(f"#grade-{visits}").check()
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"), timeout=10000)
    assert in_view(page, status)
    expect(visits_status).to_have_text("Incomplete")
    expect(visits_status.locator("strong.govuk-tag--light-blue")).to_have_count(1)
    expect(page.locator("#nav-s3-status")).to_have_text("Not started")

    # The last: the evidence, further down the page.
    evidence = page.locator(f"#evidence-{visits}")
    evidence.fill("Visits were every ten days; the child's words shaped the plan for home.")
    evidence.blur()
    expect(page.locator("form[data-autosave-state='saved']")).to_have_count(1, timeout=10000)
    assert in_view(page, evidence)
    assert in_view(page, status)
    expect(visits_status).to_have_text("Completed")
