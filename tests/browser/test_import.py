"""Importing past audits in a real browser: upload, progress that updates by itself,
and the pages pass automated WCAG 2.2 AA checks."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.models import Team
from audits.models import Audit, AuditTemplate, ImportJob, ImportStatus
from tests.factories import make_template
from tests.fixtures.imports import csv_bytes, good_row

pytestmark = pytest.mark.browser

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


def _demo_rows(count=3, **values):
    if not AuditTemplate.objects.filter(is_active=True).exists():
        make_template(family="child-journey-audit", questions=False)
    team = Team.objects.select_related("service_area").order_by("pk").first()
    completed = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
    defaults = {
        "team": team.name,
        "service_area": team.service_area.name,
        "auditor_email": "auditor@northshire.example",
        "completed_on": completed,
        "domain: Visits": "Good",
        "domain: Assessments": "RI lower",
    }
    return [good_row(n, **{**defaults, **values}) for n in range(1, count + 1)]


def test_qa_lead_uploads_a_file_and_sees_the_summary(demo, sign_in, live_server, tmp_path):
    path = tmp_path / "forms-export.csv"
    path.write_bytes(csv_bytes(_demo_rows()))
    page = sign_in("qa.lead")
    page.goto(f"{live_server.url}/programme/import/")
    assert Axe().run(page, options=WCAG_AA).violations_count == 0

    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_label("Create missing teams, areas, domains and people").check()
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    assert Audit.objects.filter(reference__startswith="CJA-").count() == 3
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_errors_are_listed_in_an_accessible_table(demo, sign_in, live_server, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(_demo_rows(overall_grade="Brilliant")))
    page = sign_in("qa.lead")
    page.goto(f"{live_server.url}/programme/import/")

    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_text("The file was not imported")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("3 errors in the file"))
    expect(table.get_by_role("row")).to_have_count(4)
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_no_file_chosen_shows_the_error_summary(demo, sign_in, live_server):
    page = sign_in("qa.lead")
    page.goto(f"{live_server.url}/programme/import/")
    page.get_by_role("button", name="Upload and check").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose a CSV or Excel file")
    assert page.title().startswith("Error:")
    summary.get_by_role("link", name="Choose a CSV or Excel file").click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_file'")


def test_progress_updates_by_itself_and_the_page_reloads_when_finished(demo, sign_in, live_server):
    page = sign_in("qa.lead")
    from accounts.models import User

    job = ImportJob.objects.create(
        created_by=User.objects.get(email="qa.lead@northshire.example"),
        original_name="big.csv",
        status=ImportStatus.RUNNING,
        total_rows=5000,
        processed_rows=100,
    )
    page.goto(f"{live_server.url}/programme/import/{job.pk}/")
    expect(page.get_by_text("Checked 100 of 5,000 rows")).to_be_visible()
    # With JavaScript the page updates itself, so the Refresh link is hidden.
    expect(page.get_by_role("link", name="Refresh")).to_be_hidden()
    assert Axe().run(page, options=WCAG_AA).violations_count == 0

    ImportJob.objects.filter(pk=job.pk).update(processed_rows=1200)
    expect(page.get_by_text("Checked 1,200 of 5,000 rows")).to_be_visible(timeout=10_000)
    assert page.locator("progress").evaluate("el => el.value") == 24

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.IMPORTED, processed_rows=5000, created_count=5000
    )
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible(timeout=10_000)
