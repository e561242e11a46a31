"""Every page answers only the methods it is meant to."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

GET_ONLY = [
    ("actions:tracker", []),
    ("actions:action_detail", [1]),
    ("actions:link", ["1:abc:def"]),
    ("actions:cases", []),
    ("actions:case_detail", [1]),
    ("actions:reaudits", []),
    ("actions:reaudit_detail", [1]),
]
POST_ONLY = [
    ("actions:action_complete", [1]),
    ("actions:action_transfer", [1]),
    ("actions:action_note", [1]),
    ("actions:case_resolve", [1]),
]
FORMS = [
    ("actions:action_edit", [1]),
    ("actions:case_update", [1]),
    ("actions:reaudit_allocate", [1]),
    ("actions:reaudit_dismiss", [1]),
]


@pytest.mark.parametrize(("name", "args"), GET_ONLY)
def test_pages_refuse_posts(client, org, name, args):
    client.force_login(org.users["qa_lead"])
    assert client.post(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize(("name", "args"), POST_ONLY)
def test_updates_refuse_gets(client, org, name, args):
    client.force_login(org.users["qa_lead"])
    assert client.get(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize(("name", "args"), FORMS)
def test_forms_refuse_other_methods(client, org, name, args):
    client.force_login(org.users["qa_lead"])
    assert client.delete(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize(("name", "args"), GET_ONLY + POST_ONLY + FORMS)
def test_every_page_needs_sign_in(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert response.url.startswith("/accounts/sign-in/")
