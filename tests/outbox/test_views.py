"""The Sent emails pages: the QA Lead and the Administrator see every email with its
state and any failure's reason; everyone sees their own emails in full; nobody else's."""

import datetime
import smtplib
from html import escape

import pytest
import time_machine
from django.test import TestCase
from django.urls import reverse

from actions.services import tracker_send_weekly
from outbox.models import OutboxEmail, OutboxStatus
from outbox.services import outbox_deliver
from tests.outbox.backends import FlakyBackend

pytestmark = pytest.mark.django_db

MONDAY_8AM = datetime.datetime(2026, 4, 6, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture
def sent(org, make_action):
    """Tom's and Tim's weekly trackers, sent."""
    with (
        time_machine.travel(MONDAY_8AM, tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        make_action(raised_on=datetime.date(2026, 3, 30), due_date=datetime.date(2026, 4, 27))
        make_action(team=org.team_b, raised_on=datetime.date(2026, 3, 30))
        tracker_send_weekly()
    return OutboxEmail.objects.get(recipient=org.users["team_manager"])


@pytest.fixture
def refused(sent, org, settings):
    """Tim's tracker, refused by the mail server."""
    email = OutboxEmail.objects.get(recipient=org.users["outside_manager"])
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxStatus.PENDING, sent_at=None, attempts=0
    )
    settings.EMAIL_BACKEND = "tests.outbox.backends.FlakyBackend"
    FlakyBackend.errors = [
        smtplib.SMTPRecipientsRefused({"tim@council.example": (550, b"5.1.1 Mailbox unknown")})
    ]
    outbox_deliver(email_id=email.pk)
    FlakyBackend.errors = []
    email.refresh_from_db()
    assert email.status == OutboxStatus.FAILED
    return email


@pytest.mark.parametrize("who", ["qa_lead", "administrator"])
def test_qa_lead_and_administrator_see_every_email(client, org, sent, who):
    client.force_login(org.users[who])
    response = client.get(reverse("emails:sent"))
    assert response.status_code == 200
    emails = list(response.context["page"].object_list)
    assert {e.recipient for e in emails} == {
        org.users["team_manager"],
        org.users["outside_manager"],
    }
    page = response.content.decode()
    assert "Weekly tracker" in page and "6 Apr 2026 08:00" in page


def test_a_refused_email_shows_its_reason_on_the_page(client, org, refused):
    client.force_login(org.users["qa_lead"])
    page = client.get(reverse("emails:sent")).content.decode()
    assert "Failed: not sent" in page
    assert "tim@council.example refused: 550 5.1.1 Mailbox unknown" in page
    assert "1 email could not be sent." in page
    failed = client.get(reverse("emails:sent"), {"status": "failed"}).context["page"]
    assert [e.pk for e in failed.object_list] == [refused.pk]


@pytest.mark.parametrize("who", ["qa_lead", "administrator"])
def test_a_refused_email_is_on_the_qa_leads_and_the_administrators_home(client, org, refused, who):
    # the administrator mends the person's address; the QA Lead chases what was missed
    client.force_login(org.users[who])
    page = client.get(reverse("home")).content.decode()
    assert "Emails that could not be sent" in page
    assert "Weekly tracker to" in page and "550 5.1.1 Mailbox unknown" in page
    assert reverse("emails:detail", args=[refused.pk]) in page


@pytest.mark.parametrize("who", ["team_manager", "leader", "head_of_service"])
def test_no_one_else_has_failures_on_their_home(client, org, refused, who):
    client.force_login(org.users[who])
    assert "Emails that could not be sent" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("who", ["team_manager", "head_of_service", "leader", "no_role"])
def test_others_may_not_see_every_email(client, org, sent, who):
    client.force_login(org.users[who])
    assert client.get(reverse("emails:sent")).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, sent):
    for url in (
        reverse("emails:sent"),
        reverse("emails:mine"),
        reverse("emails:detail", args=[sent.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize("name", ["emails:sent", "emails:mine"])
def test_wrong_method(client, org, name):
    client.force_login(org.users["qa_lead"])
    assert client.post(reverse(name)).status_code == 405


def test_the_team_manager_sees_and_reads_their_own_weekly_email(client, org, sent, settings):
    settings.SHOW_SENT_EMAILS = False  # one's own email is readable in production too
    client.force_login(org.users["team_manager"])
    response = client.get(reverse("emails:mine"))
    assert [e.pk for e in response.context["page"].object_list] == [sent.pk]
    detail = client.get(reverse("emails:detail", args=[sent.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert escape(sent.body_text) in page  # the text in full, to its end
    assert "Update the chronology" in page
    html = client.get(reverse("emails:html", args=[sent.pk]))
    assert html.content.decode() == sent.body_html


def test_my_emails_lists_only_ones_own(client, org, sent):
    client.force_login(org.users["outside_manager"])
    emails = client.get(reverse("emails:mine")).context["page"].object_list
    assert [e.recipient for e in emails] == [org.users["outside_manager"]]


def test_no_emails_yet_says_what_will_be_listed(client, org):
    client.force_login(org.users["auditor"])
    html = client.get(reverse("emails:mine")).content.decode()
    assert "The service has not emailed you yet. Emails about your work" in html
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("emails:sent")).content.decode()
    assert "No emails have been sent yet." in html
    assert "No emails in this state." not in html
    html = client.get(reverse("emails:sent"), {"status": "failed"}).content.decode()
    assert "No emails in this state." in html
    assert f'href="{reverse("emails:sent")}">Show all emails</a>' in html
    assert "No emails have been sent yet." not in html


@pytest.mark.parametrize("who", ["outside_manager", "head_of_service", "no_role"])
def test_an_outsider_cannot_open_someone_elses_email(client, org, sent, who, settings):
    settings.SHOW_SENT_EMAILS = True
    client.force_login(org.users[who])
    assert client.get(reverse("emails:detail", args=[sent.pk])).status_code == 404
    assert client.get(reverse("emails:html", args=[sent.pk])).status_code == 404


@pytest.mark.parametrize("who", ["qa_lead", "administrator"])
def test_overseers_read_others_emails_in_the_demo(client, org, sent, who, settings):
    settings.SHOW_SENT_EMAILS = True
    client.force_login(org.users[who])
    response = client.get(reverse("emails:detail", args=[sent.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<pre" in page and 'sandbox="allow-same-origin"' in page
    html = client.get(reverse("emails:html", args=[sent.pk]))
    policy = html["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'none'" in policy
    assert "sandbox allow-same-origin" in policy and "allow-scripts" not in policy
    assert "frame-ancestors 'self'" in policy
    assert html["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize("who", ["qa_lead", "administrator"])
def test_overseers_do_not_read_others_emails_outside_the_demo(client, org, sent, who, settings):
    settings.SHOW_SENT_EMAILS = False
    client.force_login(org.users[who])
    assert client.get(reverse("emails:detail", args=[sent.pk])).status_code == 403
    assert client.get(reverse("emails:html", args=[sent.pk])).status_code == 403


def test_a_family_link_is_not_kept_once_sent(org, django_capture_on_commit_callbacks):
    from feedback.notify import send_after_commit
    from outbox.models import BODY_NOT_KEPT

    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit(
            "family-link",
            ["parent@home.example"],
            {"url": "https://x.example/your-say/secret/", "expires_on": MONDAY_8AM.date()},
            keep_body=False,
        )
    email = OutboxEmail.objects.get(to="parent@home.example")
    assert email.status == OutboxStatus.SENT
    assert email.body_text == BODY_NOT_KEPT and email.body_html == ""
