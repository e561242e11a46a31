import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.forms import ENTER_EMAIL, PASSWORDS_DIFFER
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")


def test_known_email_gets_a_reset_link(client, org):
    response = client.post(RESET, {"email": "auditor@council.example"})
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["auditor@council.example"]
    assert "Reset your password" in message.subject
    assert "/accounts/password-reset/" in message.body
    assert message.alternatives and "Choose a new password" in message.alternatives[0][0]


def test_unknown_email_looks_the_same_and_sends_nothing(client, org):
    response = client.post(RESET, {"email": "nobody@council.example"})
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_empty_email_is_explained(client, org):
    html = client.post(RESET, {"email": ""}).content.decode()
    assert ENTER_EMAIL in html


def test_reset_link_sets_a_new_password_once(client, org):
    client.post(RESET, {"email": "auditor@council.example"})
    link = re.search(r"(/accounts/password-reset/[^/\s]+/[^/\s]+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    mismatch = client.post(
        set_url, {"new_password1": "A-much-better-pass-2026", "new_password2": "different-one-2026"}
    )
    assert PASSWORDS_DIFFER in mismatch.content.decode()
    done = client.post(
        set_url,
        {"new_password1": "A-much-better-pass-2026", "new_password2": "A-much-better-pass-2026"},
    )
    assert done.url == reverse("accounts:password_reset_complete")
    user = org.users["auditor"]
    user.refresh_from_db()
    assert user.check_password("A-much-better-pass-2026")
    assert not user.check_password(PASSWORD)
    again = client.get(link, follow=True)
    assert "This link has expired or was already used" in again.content.decode()
