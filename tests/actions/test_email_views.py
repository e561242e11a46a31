"""What was sent, to whom and when; and in the demo, what it said."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from actions.models import EmailStatus, TrackerEmail
from actions.services import tracker_send_weekly

pytestmark = pytest.mark.django_db

MONDAY_8AM = datetime.datetime(2026, 4, 6, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture
def sent(org, make_action):
    with time_machine.travel(MONDAY_8AM, tick=False):
        make_action(raised_on=datetime.date(2026, 3, 30), due_date=datetime.date(2026, 4, 27))
        make_action(team=org.team_b, raised_on=datetime.date(2026, 3, 30))
        tracker_send_weekly()
    return TrackerEmail.objects.get(recipient=org.users["team_manager"])


@pytest.mark.parametrize("who", ["qa_lead", "administrator"])
def test_qa_lead_and_administrator_see_what_was_sent(client, org, sent, who):
    client.force_login(org.users[who])
    response = client.get(reverse("actions:sent_emails"))
    assert response.status_code == 200
    emails = list(response.context["page"].object_list)
    assert {e.recipient for e in emails} == {
        org.users["team_manager"],
        org.users["outside_manager"],
    }
    assert all(e.status == EmailStatus.SENT for e in emails)
    page = response.content.decode()
    assert "Week of 6 Apr 2026" in page and "6 Apr 2026 08:00" in page


@pytest.mark.parametrize("who", ["team_manager", "head_of_service", "leader"])
def test_others_may_not_see_sent_emails(client, org, sent, who):
    client.force_login(org.users[who])
    assert client.get(reverse("actions:sent_emails")).status_code == 403


def test_sent_emails_wrong_method(client, org):
    client.force_login(org.users["qa_lead"])
    assert client.post(reverse("actions:sent_emails")).status_code == 405


def test_administrator_reads_an_email_in_the_demo(client, org, sent, settings):
    settings.SHOW_SENT_EMAILS = True
    client.force_login(org.users["administrator"])
    response = client.get(reverse("actions:email_detail", args=[sent.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Update the chronology" in page
    assert "<pre" in page and "sandbox" in page
    html = client.get(reverse("actions:email_html", args=[sent.pk]))
    assert html.status_code == 200
    assert html.content.decode() == sent.body_html
    policy = html["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert "frame-ancestors 'self'" in policy
    assert html["X-Frame-Options"] == "SAMEORIGIN"


def test_email_text_is_not_readable_outside_the_demo(client, org, sent, settings):
    settings.SHOW_SENT_EMAILS = False
    client.force_login(org.users["administrator"])
    assert client.get(reverse("actions:email_detail", args=[sent.pk])).status_code == 403
    assert client.get(reverse("actions:email_html", args=[sent.pk])).status_code == 403


def test_the_qa_lead_does_not_read_email_text(client, org, sent, settings):
    settings.SHOW_SENT_EMAILS = True
    client.force_login(org.users["qa_lead"])
    assert client.get(reverse("actions:email_detail", args=[sent.pk])).status_code == 403


def test_an_unsent_email_has_nothing_to_read(client, org, sent, settings):
    settings.SHOW_SENT_EMAILS = True
    TrackerEmail.objects.filter(pk=sent.pk).update(status=EmailStatus.PENDING, sent_at=None)
    client.force_login(org.users["administrator"])
    assert client.get(reverse("actions:email_detail", args=[sent.pk])).status_code == 404
