"""The leaders' dashboard in a real browser: a leader opens it, filters to one service
area, follows a count to the audits behind it and downloads the audits as CSV; a Head of
Service sees, follows and downloads their own service area's figures only, and is
refused another's; the charts are drawn under the content security policy, and axe
finds no serious or critical problem."""

import csv
import io
from pathlib import Path
from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import ServiceArea
from audits.demo_year import WEAK_TEAM
from common.dates import add_months, month_start
from reporting.filters import AREA_NOT_YOURS
from reporting.selectors import Slice, summary

from .test_sign_in_and_navigation import WCAG_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREA = "Safeguarding and Family Support"
RENDERED = 30_000  # milliseconds: a shared machine under load can be slow


def assert_no_serious_problems(page):
    results = Axe().run(page, options=WCAG_AA)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()


def open_dashboard_for_area(page):
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.get_by_label("Service area").select_option(label=AREA)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Service area").locator("option:checked")).to_have_text(AREA)
    expect(page.locator("[data-chart='grades-by-month'][data-drawn='true']")).to_be_visible(
        timeout=RENDERED
    )


def test_a_leader_filters_the_dashboard_and_follows_a_count(demo, sign_in, live_server):
    page = sign_in("leader")
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Refused to" in message.text else None,
    )
    open_dashboard_for_area(page)
    # No script is refused by the policy (Plotly's injected stylesheet may be: the charts
    # draw without it).
    assert [text for text in refused if "script" in text] == []
    assert "service_area=" in page.url  # the view is kept in the address
    assert_no_serious_problems(page)

    table = page.get_by_test_id("chart-grades-by-month").get_by_role("table")
    link = table.get_by_role("link").first
    count = int(link.inner_text())
    link.click()
    expect(page.get_by_role("heading", name="Audits behind the figure")).to_be_visible()
    rows = page.get_by_test_id("drill-audits").locator("tbody tr")
    expect(rows).to_have_count(min(count, 50))
    for text in rows.all_inner_texts():
        assert f"({AREA})" in text
    assert_no_serious_problems(page)


def test_a_leader_downloads_the_audits_behind_the_view(demo, sign_in, live_server):
    try:
        reverse("reporting:export_csv")
    except NoReverseMatch:
        pytest.skip("The CSV export (reporting:export_csv) is not installed on this branch")
    page = sign_in("leader")
    open_dashboard_for_area(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")


# A Head of Service ------------------------------------------------------------------------

HOS_AREA = "Safeguarding and Family Support"  # the demo Head of Service's service area


def _last_twelve_months():
    today = timezone.localdate()
    return add_months(month_start(today), -11), today


def _show_custom_dates(page, start, end):
    page.get_by_label("Period").select_option(label="Custom dates (below)")
    page.get_by_label("From (custom dates)").fill(start.isoformat())
    page.get_by_label("To (custom dates)").fill(end.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.locator("[data-chart='grades-by-month'][data-drawn='true']")).to_be_visible(
        timeout=RENDERED
    )


def test_a_head_of_service_sees_only_their_service_area(demo, sign_in, live_server):
    own = ServiceArea.objects.get(name=HOS_AREA)
    others = list(ServiceArea.objects.exclude(pk=own.pk).values_list("name", flat=True))
    page = sign_in("head.of.service")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    start, end = _last_twelve_months()
    _show_custom_dates(page, start, end)

    # The filters offer their own service area and its teams, nothing else.
    areas = page.get_by_label("Service area").locator("option").all_inner_texts()
    assert [a.strip() for a in areas] == [HOS_AREA]
    teams = [t.strip() for t in page.get_by_label("Team").locator("option").all_inner_texts()]
    assert teams[0] == "All teams" and len(teams) > 1
    assert all(t.startswith(f"{HOS_AREA}: ") for t in teams[1:]), teams
    # The teams table lists their teams only, and no other service area is named.
    teams_table = page.get_by_test_id("teams-table").locator("tbody tr")
    assert teams_table.count() > 0
    for text in teams_table.all_inner_texts():
        assert HOS_AREA in text
    # (Outside the filters: "Early Help" and "Disabled Children" are legal statuses too.)
    figures = page.locator(
        "[data-testid='key-figures'], [data-testid^='chart-'], [data-testid='teams-table']"
    )
    content = "\n".join(figures.all_inner_texts())
    assert [name for name in others if name in content] == []

    # The counts are their service area's, not the organisation's.
    mine = summary(Slice(start, end, service_area=own.pk))
    everyone = summary(Slice(start, end))
    completed = page.get_by_test_id("key-figures").get_by_role("link")
    assert int(completed.inner_text()) == mine["audits"]["completed"]
    assert mine["audits"]["completed"] < everyone["audits"]["completed"]
    by_month = page.get_by_test_id("chart-grades-by-month").locator("tbody tr")
    totals = [int(row.locator("td").nth(4).inner_text()) for row in by_month.all()]
    assert totals == [sum(m.values()) for m in mine["by_month"].values()]
    assert_no_serious_problems(page)

    # Every audit behind the count is in their service area, on every page.
    count = mine["audits"]["completed"]
    completed.click()
    expect(page.get_by_role("heading", name="Audits behind the figure")).to_be_visible()
    expect(page.get_by_test_id("drill-count")).to_contain_text(f"{count} audits completed")
    listed = 0
    while True:
        rows = page.get_by_test_id("drill-audits").locator("tbody tr")
        for text in rows.all_inner_texts():
            assert f"({HOS_AREA})" in text
            listed += 1
        following = page.get_by_role("link", name="Next page")
        if following.count() == 0:
            break
        following.click()
    assert listed == count
    assert_no_serious_problems(page)


def test_a_head_of_service_is_refused_another_service_areas_figures(demo, sign_in, live_server):
    other = ServiceArea.objects.exclude(name=HOS_AREA).order_by("name").first()
    other_team = other.teams.order_by("name").first()
    start, end = _last_twelve_months()
    dates = {"start": start.isoformat(), "end": end.isoformat()}
    page = sign_in("head.of.service")
    for path, params in [
        ("/reports/dashboard/", {"service_area": other.pk}),
        ("/reports/dashboard/", {"service_area": other.name}),
        ("/reports/dashboard/", {"team": other_team.pk}),
        ("/reports/audits/", dates | {"service_area": other.pk, "grade": "Inadequate"}),
        ("/reports/performance/", {"service_area": other.name}),
    ]:
        response = page.goto(f"{live_server.url}{path}?{urlencode(params)}")
        assert response.status == 403, (path, params)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "You do not have access to this page"
        )
        expect(page.locator("main")).to_contain_text(AREA_NOT_YOURS)
        assert other.name not in page.locator("main").inner_text()
    assert_no_serious_problems(page)


def test_a_head_of_service_downloads_their_service_areas_audits_only(demo, sign_in, live_server):
    own = ServiceArea.objects.get(name=HOS_AREA)
    page = sign_in("head.of.service")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    start, end = _last_twelve_months()
    _show_custom_dates(page, start, end)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert len(rows) == summary(Slice(start, end, service_area=own.pk))["audits"]["completed"]
    assert rows and {row["Service area"] for row in rows} == {HOS_AREA}

    # Narrowed to one of their teams, the download holds that team's audits.
    page.get_by_label("Team").select_option(label=f"{HOS_AREA}: {WEAK_TEAM}")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Team").locator("option:checked")).to_have_text(
        f"{HOS_AREA}: {WEAK_TEAM}"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert rows and {row["Team"] for row in rows} == {WEAK_TEAM}

    # A download asked for by hand for another service area is refused, with the reason.
    other = ServiceArea.objects.exclude(pk=own.pk).order_by("name").first()
    asked = {"start": start.isoformat(), "end": end.isoformat(), "service_area": other.pk}
    response = page.request.get(f"{live_server.url}/reports/audits.csv?{urlencode(asked)}")
    assert response.status == 403
    assert AREA_NOT_YOURS in response.text()
