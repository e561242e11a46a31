"""The performance snapshot and its targets in a real browser: the QA Lead opens the
dashboard and a quarter's snapshot, raises the Good or better target and sees the
rating and the sentence follow it; a target out of range is refused with a message
that says what to enter, and changes nothing. axe finds no serious or critical problem
on any of the pages."""

import datetime
import math
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from common.dates import financial_year_start, quarter_of
from reporting.forms import ENTER_PERCENT
from reporting.models import Targets
from reporting.views.performance import TARGETS_SAVED

from .test_dashboard import RENDERED, assert_no_serious_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = "Good or better"


def last_whole_quarter() -> tuple[str, str]:
    """The quarter before this one, as the performance page asks for it (2026-Q2), and
    as it names it (Q2 2026/27)."""
    current = quarter_of(timezone.localdate())
    previous = quarter_of(current.start - datetime.timedelta(days=1))
    number = (previous.start.month - 4) % 12 // 3 + 1
    return f"{financial_year_start(previous.start)}-Q{number}", previous.label


def expected_rating(value: float, target: int, margin: int = 5) -> str:
    if value >= target:
        return "Green"
    return "Amber" if value >= target - margin else "Red"


def good_or_better_row(page) -> dict:
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=GOOD, exact=True))
    cells = row.get_by_role("cell")
    value = cells.nth(0).inner_text().strip()
    return {
        "value": float(re.match(r"[\d.]+", value)[0]),
        "target": cells.nth(1).inner_text().strip(),
        "rating": cells.nth(2).inner_text().strip(),
        "sentence": cells.nth(5).inner_text().strip(),
    }


def change_target(page, value: int):
    page.get_by_label(f"{GOOD} (%)").fill(str(value))
    page.get_by_role("button", name="Save targets").click()
    expect(page.get_by_text(TARGETS_SAVED)).to_be_visible()
    expect(page.get_by_label(f"{GOOD} (%)")).to_have_value(str(value))


def open_snapshot(page, period: str, label: str):
    page.get_by_label("Month or quarter").fill(period)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name=f"Performance: {label}", level=1)).to_be_visible()


def test_the_qa_lead_raises_a_target_and_the_rating_follows(demo, sign_in, live_server):
    period, label = last_whole_quarter()
    page = sign_in("qa.lead")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.locator("[data-chart='grades-by-month'][data-drawn='true']")).to_be_visible(
        timeout=RENDERED
    )
    assert_no_serious_problems(page)

    page.get_by_role("link", name="Performance against targets").click()
    open_snapshot(page, period, label)
    before = good_or_better_row(page)
    assert before["target"] == "50%"
    # The whole council's quarter rests on 20 audits or more: it is rated.
    assert before["rating"] == expected_rating(before["value"], 50)
    assert "(50%)" in before["sentence"]
    assert_no_serious_problems(page)

    page.get_by_role("link", name="Change the targets").click()
    expect(page.get_by_role("heading", name="Targets", level=1)).to_be_visible()
    assert_no_serious_problems(page)
    change_target(page, 60)
    page.get_by_role("link", name="Performance", exact=True).click()
    open_snapshot(page, period, label)
    after = good_or_better_row(page)
    assert after["value"] == before["value"]
    assert after["target"] == "60%"
    assert after["rating"] == expected_rating(after["value"], 60)
    assert "(60%)" in after["sentence"] and "(50%)" not in after["sentence"]

    # A target just out of reach (2 to 3 points above the value) is amber, whatever the
    # demo's quarter holds.
    near = math.floor(before["value"]) + 3
    page.get_by_role("link", name="Change the targets").click()
    change_target(page, near)
    page.get_by_role("link", name="Performance", exact=True).click()
    open_snapshot(page, period, label)
    amber = good_or_better_row(page)
    assert (amber["target"], amber["rating"]) == (f"{near}%", "Amber")
    assert amber["sentence"].endswith(f"points below the target ({near}%)")


def test_a_target_out_of_range_is_refused_and_changes_nothing(demo, sign_in, live_server):
    period, label = last_whole_quarter()
    page = sign_in("qa.lead")
    page.goto(f"{live_server.url}/reports/targets/")
    field = page.get_by_label(f"{GOOD} (%)")
    field.fill("150")
    page.get_by_role("button", name="Save targets").click()

    message = ENTER_PERCENT.format(label=GOOD)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(message)
    assert page.title().startswith("Error:")
    expect(page.locator(".govuk-error-message")).to_have_count(1)
    expect(page.locator(".govuk-error-message")).to_contain_text(message)
    # The summary's link takes the person to the field.
    summary.get_by_role("link", name=message).click()
    expect(field).to_be_focused()
    assert_no_serious_problems(page)
    assert Targets.load().good_or_better == 50

    page.goto(f"{live_server.url}/reports/performance/")
    open_snapshot(page, period, label)
    assert good_or_better_row(page)["target"] == "50%"
