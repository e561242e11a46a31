"""Nothing shown to a signed-in person may be kept by a browser or proxy: every response
to an authenticated request says ``Cache-Control: no-store``. Checked on every URL
pattern of the product (admin and API included), each opened with real objects."""

import base64

import pytest
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD

from .urlwalk import address, values_for, walk

pytestmark = pytest.mark.django_db

#: Patterns that answer 404 by design when opened with the walk's values.
NOT_FOUND_BY_DESIGN = {
    "admin/(?P<url>.*)$",  # the admin's catch-all, opened with an unknown address
    "admin/r/<path:content_type_id>/<path:object_id>/",  # teams have no page of their own
    "your-say/<str:token>/",  # a family's page, opened with a link that does not exist
    "audits/<int:pk>/reason/",  # only for an audit outside one's teams; Walker sees all
    # single sign-on's pages, only when it is configured (tests/accounts/test_sso.py)
    "accounts/sso/start/",
    "accounts/sso/callback/",
    "accounts/sso/refused/",
}


def test_every_model_in_the_admin_has_an_object_to_open(every_kind):
    empty = [
        model._meta.label for model in admin.site._registry if not model._default_manager.exists()
    ]
    assert empty == []


def test_every_page_for_a_signed_in_person_says_no_store(client, org, every_kind, settings):
    settings.SHOW_SENT_EMAILS = True
    client.force_login(every_kind.walker)
    value_for = values_for(every_kind, org)
    opened, missing, not_found = [], [], []
    for pattern in walk():
        path = address(pattern, value_for(pattern))
        response = client.get(path)
        opened.append((path, response.status_code))
        if "no-store" not in response.get("Cache-Control", ""):
            missing.append(f"{path} ({response.status_code})")
        if response.status_code == 404 and pattern.route not in NOT_FOUND_BY_DESIGN:
            not_found.append(path)
    assert missing == []
    # Each page was opened with objects it knows, so the walk saw the pages themselves.
    assert not_found == []
    assert len(opened) > 300
    assert sum(status == 200 for _, status in opened) > 200


def test_api_answers_to_basic_sign_in_say_no_store(client, org, every_kind):
    token = base64.b64encode(f"{org.users['qa_lead'].email}:{PASSWORD}".encode()).decode()
    for path in (
        reverse("audit-list"),
        reverse("audit-detail", args=[every_kind.accepted.pk]),
        reverse("moderation-review-detail", args=[every_kind.review.pk]),
    ):
        response = client.get(path, HTTP_AUTHORIZATION=f"Basic {token}")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["accessibility", "privacy"])
def test_public_pages_for_visitors_may_be_cached(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_same_public_page_is_not_stored_for_a_signed_in_person(client, org):
    client.force_login(org.users["auditor"])
    assert "no-store" in client.get(reverse("accessibility"))["Cache-Control"]


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_may_be_cached_for_signed_in_people(client, org):
    client.force_login(org.users["auditor"])
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
