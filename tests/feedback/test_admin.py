"""The QA Lead keeps the link's lifetime and the themes in the admin; nobody else does,
and the admin shows no family's words."""

import pytest
from django.urls import reverse

from feedback.models import FeedbackSettings, QuoteTheme

pytestmark = pytest.mark.django_db


def test_the_qa_lead_sets_how_long_a_link_works(client, org):
    settings = FeedbackSettings.load()
    client.force_login(org.users["qa_lead"])
    url = reverse("admin:feedback_feedbacksettings_change", args=[settings.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"link_expiry_days": "7"}).status_code == 302
    settings.refresh_from_db()
    assert settings.link_expiry_days == 7
    response = client.post(url, {"link_expiry_days": "0"})
    assert response.status_code == 200
    settings.refresh_from_db()
    assert settings.link_expiry_days == 7


def test_the_qa_lead_keeps_themes_in_the_admin(client, org):
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("admin:feedback_quotetheme_add"), {"name": "Moving school", "is_active": "on"}
    )
    assert response.status_code == 302
    assert QuoteTheme.objects.filter(name="Moving school").exists()


@pytest.mark.parametrize("person", ["administrator", "team_manager", "leader"])
def test_others_cannot_change_feedback_settings(client, org, person):
    settings = FeedbackSettings.load()
    client.force_login(org.users[person])
    url = reverse("admin:feedback_feedbacksettings_change", args=[settings.pk])
    assert client.get(url).status_code in (302, 403)
    client.post(url, {"link_expiry_days": "3"})
    settings.refresh_from_db()
    assert settings.link_expiry_days == 14


def test_the_admin_has_no_page_for_feedback_links_or_quotes():
    from django.contrib import admin

    from feedback.models import FamilyLink, Feedback, Quote

    for model in (Feedback, FamilyLink, Quote):
        assert model not in admin.site._registry
