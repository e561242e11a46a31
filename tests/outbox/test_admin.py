"""The outbox in the admin: read only, for the QA Lead and the Administrator, and
without the emails' text (read on Sent emails where that is allowed)."""

import pytest
from django.urls import reverse

from outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def email():
    return OutboxEmail.objects.create(
        to="tom@council.example",
        template="reminder",
        kind="Audit reminder",
        message_id="<admin-test@council.example>",
        subject="Reminder",
        body_text="The text of the email",
    )


@pytest.mark.parametrize("who", ["qa_lead", "administrator"])
def test_overseers_see_emails_in_the_admin_without_their_text(client, org, email, who):
    client.force_login(org.users[who])
    assert client.get(reverse("admin:outbox_outboxemail_changelist")).status_code == 200
    page = client.get(reverse("admin:outbox_outboxemail_change", args=[email.pk]))
    assert page.status_code == 200
    assert "The text of the email" not in page.content.decode()
    assert "tom@council.example" in page.content.decode()


def test_the_admin_cannot_change_or_delete_an_email(client, org, email):
    client.force_login(org.users["administrator"])
    url = reverse("admin:outbox_outboxemail_delete", args=[email.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert OutboxEmail.objects.filter(pk=email.pk).exists()


def test_others_are_not_let_into_the_admin(client, org, email):
    client.force_login(org.users["team_manager"])
    response = client.get(reverse("admin:outbox_outboxemail_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
