"""Every moderation page refuses the methods it does not take, even for the QA Lead, and
sends people who are not signed in to sign in."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REFUSED = [
    ("moderation:panels", {}, "post"),
    ("moderation:panel_new", {}, "delete"),
    ("moderation:panel_detail", {"pk": 1}, "post"),
    ("moderation:panel_add", {"pk": 1}, "get"),
    ("moderation:panel_remove", {"pk": 1, "review_pk": 1}, "get"),
    ("moderation:panel_reassign", {"pk": 1, "review_pk": 1}, "get"),
    ("moderation:loop_outcome", {"pk": 1, "loop_pk": 1}, "get"),
    ("moderation:review", {"pk": 1}, "delete"),
    ("moderation:review_unlock", {"pk": 1}, "get"),
    ("moderation:feedback", {"pk": 1}, "post"),
    ("moderation:my_feedback", {}, "post"),
    ("moderation:loops", {}, "put"),
    ("moderation:loop_detail", {"pk": 1}, "post"),
    ("moderation:pairings", {}, "delete"),
    ("moderation:endorsed", {}, "post"),
    ("moderation:endorsement", {"auditor_pk": 1}, "delete"),
    ("moderation:statistics", {}, "post"),
]


@pytest.mark.parametrize(("name", "kwargs", "method"), REFUSED)
def test_wrong_method_is_405(client, org, name, kwargs, method):
    client.force_login(org.users["qa_lead"])
    response = getattr(client, method)(reverse(name, kwargs=kwargs))
    assert response.status_code == 405


@pytest.mark.parametrize(("name", "kwargs"), [(name, kwargs) for name, kwargs, _ in REFUSED])
def test_signed_out_people_are_sent_to_sign_in(client, name, kwargs):
    response = client.post(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
