import pytest
from django.urls import reverse

from accounts.forms import ENTER_EMAIL, ENTER_PASSWORD, ENTER_VALID_EMAIL, SIGN_IN_FAILED
from accounts.middleware import SIGNED_IN_MARKER
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")


def sign_in(client, email, password):
    return client.post(SIGN_IN, {"username": email, "password": password})


def test_sign_in_with_email_and_password_goes_to_my_work(client, org):
    response = sign_in(client, "auditor@council.example", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert "My work" in page.content.decode()


def test_email_is_not_case_sensitive(client, org):
    response = sign_in(client, "  Auditor@Council.Example ", PASSWORD)
    assert response.status_code == 302


def test_wrong_password_gets_a_clear_message(client, org):
    response = sign_in(client, "auditor@council.example", "not-the-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert SIGN_IN_FAILED in html
    assert "govuk-error-summary" in html
    assert "<title>\n      Error: Sign in" in html


def test_unknown_email_gets_exactly_the_same_message(client, org):
    known = sign_in(client, "auditor@council.example", "not-the-password").content.decode()
    unknown = sign_in(client, "nobody@council.example", "not-the-password").content.decode()

    def strip_tokens(html):
        return "\n".join(line for line in html.splitlines() if "csrfmiddlewaretoken" not in line)

    assert SIGN_IN_FAILED in unknown
    assert strip_tokens(known).replace("auditor@", "X@") == strip_tokens(unknown).replace(
        "nobody@", "X@"
    )


def test_inactive_account_gets_the_same_message(client, org):
    user = org.users["auditor"]
    user.is_active = False
    user.save()
    response = sign_in(client, user.email, PASSWORD)
    assert SIGN_IN_FAILED in response.content.decode()


def test_each_missing_field_gets_its_own_message(client, org):
    html = client.post(SIGN_IN, {"username": "", "password": ""}).content.decode()
    assert ENTER_EMAIL in html
    assert ENTER_PASSWORD in html
    assert 'href="#id_username"' in html
    assert 'href="#id_password"' in html


def test_badly_formed_email_is_explained(client, org):
    html = client.post(SIGN_IN, {"username": "auditor", "password": "x"}).content.decode()
    assert ENTER_VALID_EMAIL in html


def test_repeated_failures_lock_the_email_out(client, org, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "auditor@council.example", "wrong")
    response = sign_in(client, "auditor@council.example", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()


def test_next_page_is_kept_through_sign_in(client, org):
    client.get(reverse("organisation:index"))
    response = client.post(
        SIGN_IN + "?next=/organisation/",
        {"username": "qa@council.example", "password": PASSWORD, "next": "/organisation/"},
    )
    assert response.url == "/organisation/"


def test_signed_out_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


def test_sign_out_needs_post_and_ends_the_session(client, org):
    client.force_login(org.users["auditor"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 200
    assert "You have signed out" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_signing_out_does_not_claim_the_session_expired(client, org):
    sign_in(client, "auditor@council.example", PASSWORD)
    client.get(reverse("home"))
    client.post(reverse("accounts:logout"))
    html = client.get(SIGN_IN).content.decode()
    assert 'data-testid="session-expired"' not in html


def test_idle_session_expires_after_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_expired_session_is_explained_on_the_sign_in_page(client, org):
    sign_in(client, "auditor@council.example", PASSWORD)
    client.get(reverse("home"))  # sets the signed-in marker
    assert SIGNED_IN_MARKER in client.cookies
    client.session.flush()  # what the idle timeout does on the server
    client.cookies.pop("sessionid")  # and the browser drops the expired cookie
    response = client.get(reverse("home"), follow=True)
    html = response.content.decode()
    assert 'data-testid="session-expired"' in html
    assert "did not do anything for 30 minutes" in html
    # Shown once: the next visit to the sign-in page is a plain one.
    assert 'data-testid="session-expired"' not in client.get(SIGN_IN).content.decode()
