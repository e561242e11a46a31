"""A form posted without its CSRF token is refused, and changes nothing: pages and the
API signed in by session alike."""

import pytest
from django.test import Client
from django.urls import reverse

from audits.models import AuditEvent
from tests.factories import AuditFactory, ChildFactory, make_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.users["auditor"])
    return client


@pytest.fixture
def draft(org):
    return AuditFactory(
        child=ChildFactory(team=org.team_a), template=make_template(), auditor=org.users["auditor"]
    )


def test_a_page_form_without_the_token_is_refused(strict, draft):
    before = draft.history.count()
    response = strict.post(
        reverse("audits:audit_autosave", args=[draft.pk]),
        {"section": "s2", "lock_version": "0"},
    )
    assert response.status_code == 403
    assert b"CSRF" in response.content
    assert draft.history.count() == before


def test_an_api_write_by_session_without_the_token_is_refused(strict, draft):
    events = AuditEvent.objects.count()
    response = strict.post(f"/api/audits/{draft.pk}/submit/", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    assert AuditEvent.objects.count() == events


def test_the_same_form_with_the_token_is_accepted(strict, draft):
    page = strict.get(reverse("audits:audit_section", args=[draft.pk, "s2"]))
    token = page.cookies["csrftoken"].value
    response = strict.post(
        reverse("audits:audit_autosave", args=[draft.pk]),
        {"section": "s2", "lock_version": "0", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
