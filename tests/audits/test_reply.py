"""The child's social worker replies to the findings of an accepted audit."""

import html

import pytest
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime

from audits.models import AuditEvent, AuditEventKind, AuditStatus, ReplyStance, SocialWorkerReply
from audits.services.audit import REPLY_NEEDS_STANCE, REPLY_NEEDS_TEXT
from tests.factories import AuditFactory, ChildFactory, UserFactory, complete_audit, make_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(org):
    return UserFactory(team=org.team_a, first_name="Wren", last_name="Walker")


@pytest.fixture
def accepted(org, worker):
    child = ChildFactory(team=org.team_a, social_worker=worker)
    audit = AuditFactory(child=child, template=make_template(), auditor=org.users["auditor"])
    complete_audit(audit)
    audit.status = AuditStatus.ACCEPTED
    audit.save()
    return audit


def reply_url(audit):
    return reverse("audits:audit_reply", args=[audit.pk])


def text(response):
    return html.unescape(response.content.decode())


def test_the_social_worker_sees_the_reply_form(client, accepted, worker):
    client.force_login(worker)
    page = text(client.get(reverse("audits:audit_detail", args=[accepted.pk])))
    assert "Reply to the findings" in page
    assert f'action="{reply_url(accepted)}"' in page
    for label in ReplyStance.labels:
        assert label in page


def test_the_social_worker_replies(client, accepted, worker):
    client.force_login(worker)
    response = client.post(
        reply_url(accepted), {"stance": ReplyStance.DISAGREE, "text": "The plan was updated."}
    )
    assert response["Location"] == reverse("audits:audit_detail", args=[accepted.pk]) + "#replies"
    reply = SocialWorkerReply.objects.get(audit=accepted)
    assert (reply.author, reply.stance, reply.text) == (
        worker,
        ReplyStance.DISAGREE,
        "The plan was updated.",
    )
    assert AuditEvent.objects.filter(audit=accepted, kind=AuditEventKind.REPLIED).exists()
    page = text(client.get(response["Location"]))
    assert "Your reply has been added to the audit" in page
    assert "I disagree with the findings" in page
    assert "The plan was updated." in page
    assert f"Wren Walker, {date_format(localtime(reply.created_at), 'j F Y')}" in page


def test_the_auditor_reads_the_reply(client, accepted, worker, org):
    SocialWorkerReply.objects.create(
        audit=accepted, author=worker, stance=ReplyStance.COMMENT, text="Thank you."
    )
    client.force_login(org.users["auditor"])
    page = text(client.get(reverse("audits:audit_detail", args=[accepted.pk])))
    assert "I have a comment" in page
    assert "Thank you." in page
    assert "Reply to the findings" not in page


def test_a_reply_needs_a_stance_and_text(client, accepted, worker):
    client.force_login(worker)
    response = client.post(reply_url(accepted), {"stance": "", "text": ""})
    assert response.status_code == 400
    page = text(response)
    assert f'<a href="#id_stance_1">{REPLY_NEEDS_STANCE}</a>' in page
    assert 'id="id_stance_1"' in page
    assert f'<a href="#id_text">{REPLY_NEEDS_TEXT}</a>' in page
    assert not SocialWorkerReply.objects.exists()


def test_a_reply_of_a_megabyte_is_refused_and_20000_characters_accepted(client, accepted, worker):
    client.force_login(worker)
    response = client.post(reply_url(accepted), {"stance": "agree", "text": "x" * 1_000_000})
    assert response.status_code == 400
    assert '<a href="#id_text">Your reply must be 20,000 characters or fewer</a>' in text(response)
    assert not SocialWorkerReply.objects.exists()
    response = client.post(reply_url(accepted), {"stance": "agree", "text": "x" * 20_000})
    assert response.status_code == 302
    assert len(SocialWorkerReply.objects.get().text) == 20_000


def test_a_stance_that_does_not_exist_is_refused(client, accepted, worker):
    client.force_login(worker)
    response = client.post(reply_url(accepted), {"stance": "maybe", "text": "Hmm"})
    assert REPLY_NEEDS_STANCE in text(response)
    assert "Hmm</textarea>" in text(response)
    assert not SocialWorkerReply.objects.exists()


def test_others_who_can_read_the_audit_cannot_reply(client, accepted, org):
    for person in ("team_manager", "auditor", "qa_lead"):
        client.force_login(org.users[person])
        response = client.post(reply_url(accepted), {"stance": "agree", "text": "Yes"})
        assert response.status_code == 403, person
    assert not SocialWorkerReply.objects.exists()


def test_no_reply_before_the_audit_is_accepted(client, accepted, worker):
    accepted.status = AuditStatus.SUBMITTED
    accepted.save()
    client.force_login(worker)
    response = client.post(reply_url(accepted), {"stance": "agree", "text": "Yes"})
    assert response.status_code == 404
    assert not SocialWorkerReply.objects.exists()


def test_outsiders_cannot_reply(client, accepted, org):
    client.force_login(org.users["outside_manager"])
    assert client.post(reply_url(accepted), {"stance": "agree", "text": "x"}).status_code == 404


def test_replying_needs_post(client, accepted, worker):
    client.force_login(worker)
    assert client.get(reply_url(accepted)).status_code == 405
