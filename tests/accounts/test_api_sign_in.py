"""Signing in to the API with HTTP Basic: wrong passwords pause only that account, from
that address, and count together with the sign-in page's; every request is logged with
the user's id.

Alice (the auditor) and Bob (the moderator) use the API from the same address.
"""

import base64
import logging

import pytest
from django.urls import reverse

from accounts.lockout import ACCOUNT_LOCKED
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

API = reverse("audit-list")
SIGN_IN = reverse("accounts:login")
HERE = "192.0.2.10"
ELSEWHERE = "198.51.100.7"


def basic(email, password):
    token = base64.b64encode(f"{email}:{password}".encode()).decode()
    return f"Basic {token}"


def api_get(client, email, password, address=HERE):
    return client.get(API, HTTP_AUTHORIZATION=basic(email, password), REMOTE_ADDR=address)


def web_sign_in(client, email, password, address=HERE):
    return client.post(SIGN_IN, {"username": email, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def alice(org):
    return org.users["auditor"]


@pytest.fixture
def bob(org):
    return org.users["moderator"]


def assert_refused(response):
    # The session is the first authentication scheme, so DRF answers 403, not 401.
    assert response.status_code == 403
    assert response.json() == {"detail": "Invalid username/password."}


def fail_basic(client, user, times, address=HERE):
    """Wrong passwords; returns the last answer."""
    for _ in range(times):
        response = api_get(client, user.email, "wrong-password", address)
    return response


def assert_paused(response, settings):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": ACCOUNT_LOCKED.format(minutes=minutes)}
    assert response["Retry-After"] == str(minutes * 60)


def test_the_right_password_works_after_one_failure_fewer_than_the_limit(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert_refused(api_get(client, alice.email, "wrong-password"))
    assert api_get(client, alice.email, PASSWORD).status_code == 200


def test_failures_up_to_the_limit_pause_that_account_with_a_clear_answer(client, alice, settings):
    # The failure that reaches the limit is answered with the pause.
    assert_paused(fail_basic(client, alice, settings.AXES_FAILURE_LIMIT), settings)
    assert_paused(api_get(client, alice.email, PASSWORD), settings)
    assert_paused(api_get(client, alice.email, "wrong-password"), settings)


def test_another_account_on_the_same_address_is_not_paused(client, alice, bob, settings):
    fail_basic(client, alice, settings.AXES_FAILURE_LIMIT)
    assert api_get(client, bob.email, PASSWORD).status_code == 200
    # Bob's own wrong password is an ordinary failure, not a pause.
    assert_refused(api_get(client, bob.email, "wrong-password"))


def test_the_same_account_from_another_address_is_not_paused(client, alice, settings):
    fail_basic(client, alice, settings.AXES_FAILURE_LIMIT)
    assert api_get(client, alice.email, PASSWORD, address=ELSEWHERE).status_code == 200


def test_the_email_counts_whatever_its_case(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_get(client, alice.email.upper(), "wrong-password")
    assert_paused(api_get(client, alice.email, PASSWORD), settings)


def test_sign_in_page_failures_and_basic_failures_count_together(client, alice, settings):
    web = settings.AXES_FAILURE_LIMIT // 2
    for _ in range(web):
        assert web_sign_in(client, alice.email, "wrong-password").status_code == 200
    assert_refused(fail_basic(client, alice, settings.AXES_FAILURE_LIMIT - web - 1))
    assert api_get(client, alice.email, PASSWORD).status_code == 200

    assert_paused(fail_basic(client, alice, 1), settings)

    assert_paused(api_get(client, alice.email, PASSWORD), settings)
    page = web_sign_in(client, alice.email, PASSWORD)
    assert page.status_code == 429
    assert "Too many attempts to sign in" in page.content.decode()


def test_basic_failures_pause_the_sign_in_page_for_that_account_only(client, alice, bob, settings):
    fail_basic(client, alice, settings.AXES_FAILURE_LIMIT)
    assert web_sign_in(client, alice.email, PASSWORD).status_code == 429
    assert web_sign_in(client, bob.email, PASSWORD).status_code == 302


def test_sign_in_page_failures_pause_basic_sign_in(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        web_sign_in(client, alice.email, "wrong-password")
    assert_paused(api_get(client, alice.email, PASSWORD), settings)


# The request log --------------------------------------------------------------------------


def last_request_line(caplog):
    return [r for r in caplog.records if r.name == "qa_audit.requests"][-1]


def test_basic_authenticated_api_request_is_logged_with_the_user(client, alice, caplog):
    with caplog.at_level(logging.INFO, logger="qa_audit.requests"):
        response = api_get(client, alice.email, PASSWORD)
    assert response.status_code == 200
    line = last_request_line(caplog)
    assert line.getMessage().startswith(f"GET {API} 200")
    assert line.user_id == str(alice.pk)
    assert line.request_path == API


def test_session_authenticated_api_request_is_logged_with_the_user(client, alice, caplog):
    client.force_login(alice)
    with caplog.at_level(logging.INFO, logger="qa_audit.requests"):
        assert client.get(API).status_code == 200
    assert last_request_line(caplog).user_id == str(alice.pk)


def test_failed_basic_request_is_logged_without_a_user(client, alice, caplog):
    with caplog.at_level(logging.INFO, logger="qa_audit.requests"):
        assert_refused(api_get(client, alice.email, "wrong-password"))
    assert last_request_line(caplog).user_id == "-"


def test_lines_logged_inside_an_api_view_carry_the_user(client, alice, caplog, monkeypatch):
    from audits import api

    original = api.AuditViewSet.list

    def list_and_log(self, request, *args, **kwargs):
        logging.getLogger("audits.api").warning("listing audits")
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(api.AuditViewSet, "list", list_and_log)
    with caplog.at_level(logging.INFO):
        api_get(client, alice.email, PASSWORD)
    line = [r for r in caplog.records if r.getMessage() == "listing audits"][-1]
    assert line.user_id == str(alice.pk)
