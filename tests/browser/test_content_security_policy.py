"""The content security policy holds on the pages made by other libraries: the admin's
periodic task page (django-celery-beat), the browsable API (Django REST framework) and
the API documentation (Redoc). A real browser reports every violation."""

import pytest
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import PASSWORD, UserFactory

RENDERED = 30_000  # milliseconds: a shared machine under load can be slow

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ${event.sample || ""}`
  );
});
"""


@pytest.fixture
def people(transactional_db):
    return {
        "admin": UserFactory(email="admin@council.example", roles=[Role.ADMINISTRATOR]),
        "auditor": UserFactory(email="auditor@council.example", roles=[Role.AUDITOR]),
    }


@pytest.fixture
def violations(page):
    """Violations reported in the console and by ``securitypolicyviolation`` events."""
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)

    def collect():
        page.wait_for_load_state("networkidle")
        return console + page.evaluate("window.cspViolations || []")

    return collect


@pytest.fixture
def sign_in_as(page, live_server, people):
    def _sign_in(who):
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Email address").fill(people[who].email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _sign_in


@pytest.mark.parametrize(
    "who, path, heading",
    [
        ("admin", "/admin/django_celery_beat/periodictask/add/", "Add periodic task"),
        ("auditor", "/api/", "Api Root"),
        ("auditor", "/api/audits/", "Audit List"),
        ("auditor", "/api/docs/", "Children's Services Quality Assurance API"),
        ("auditor", "/api/docs/swagger/", "Children's Services Quality Assurance API"),
    ],
)
def test_page_works_without_violations(sign_in_as, live_server, violations, who, path, heading):
    page = sign_in_as(who)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    # Redoc and Swagger UI draw the page after fetching and reading the schema.
    expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=RENDERED)
    found = violations()
    assert found == [], "\n".join(found)


def test_api_documentation_keeps_the_credit_without_the_remote_logo(
    sign_in_as, live_server, violations
):
    page = sign_in_as("auditor")
    page.goto(f"{live_server.url}/api/docs/")
    credit = page.get_by_role("link", name="API docs by Redocly")
    expect(credit).to_be_visible(timeout=RENDERED)
    # Redoc draws the logo, finds it has no address and drops it: nothing is fetched.
    expect(credit.locator("img")).to_have_count(0)
    assert violations() == []


def test_administrator_saves_a_periodic_task_in_the_admin(sign_in_as, live_server, violations):
    mondays = CrontabSchedule.objects.create(minute="0", hour="7", day_of_week="1")
    page = sign_in_as("admin")
    page.goto(f"{live_server.url}/admin/django_celery_beat/periodictask/add/")
    page.locator("#id_name").fill("Clear expired sessions on Mondays")
    page.locator("#id_regtask").select_option("qa_audit.tasks.clear_expired_sessions")
    page.locator("#id_crontab").select_option(str(mondays.pk))
    # The page's own script (now a static file) says when the schedule runs.
    expect(page.locator(".field-crontab .help")).to_contain_text("Translation: ", timeout=RENDERED)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully", timeout=RENDERED)
    task = PeriodicTask.objects.get(name="Clear expired sessions on Mondays")
    assert (task.task, task.crontab_id) == ("qa_audit.tasks.clear_expired_sessions", mondays.pk)
    found = violations()
    assert found == [], "\n".join(found)
