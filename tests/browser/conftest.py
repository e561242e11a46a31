import shutil

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, demo_email


def pytest_collection_modifyitems(items):
    missing = shutil.which("chromium") is None
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (.ci/run installs it)")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(skip)


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--staff", "120", "--children", "200")


@pytest.fixture
def sign_in(page, live_server):
    def _sign_in(local):
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Email address").fill(demo_email(local))
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _sign_in
