"""A family's own one-use link: made from the audit, answered once without an account,
expiring, and kind (storing nothing, saying nothing) when it cannot be used."""

import datetime
import hashlib
import re
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import (
    Audience,
    FamilyLink,
    Feedback,
    FeedbackSettings,
    LinkThrottle,
    Respondent,
    Source,
)
from feedback.services import links
from feedback.services.links import LinkState, link_answer, link_create, link_open

from .conftest import make_audit

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
ANSWERS = {
    "respondent": "mother",
    "listened": "yes",
    "understood": "partly",
    "improved": "no",
    "score": "7",
    "comments": "They listened to me.",
    "consent": "yes",
}


@pytest.fixture
def open_audit(org, auditor):
    audit = make_audit(org.team_a, auditor, status="in_progress")
    audit.child.social_worker = org.users["no_role"]
    audit.child.save()
    return audit


def family_path(token):
    return reverse("family_feedback", args=[token])


def made(audit, user, audience=Audience.ADULT, email=""):
    return link_create(audit=audit, user=user, audience=audience, email=email)


# Making a link -----------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_link_is_random_stores_only_a_hash_and_expires_after_the_setting(open_audit, auditor):
    new = made(open_audit, auditor)
    selector, secret = new.token.split(".")
    link = FamilyLink.objects.get()
    assert link.selector == selector
    assert link.verifier_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(FamilyLink.objects.values().get())
    assert len(secret) >= 40
    assert link.expires_at == NOW + datetime.timedelta(days=14)
    assert made(open_audit, auditor).token != new.token

    FeedbackSettings.objects.update_or_create(pk=1, defaults={"link_expiry_days": 3})
    made(open_audit, auditor)
    assert FamilyLink.objects.order_by("-pk").first().expires_at == NOW + datetime.timedelta(days=3)


def test_the_email_is_sent_after_commit_and_the_address_is_not_kept(
    open_audit, auditor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = made(open_audit, auditor, email="family@example.com")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["family@example.com"]
    assert new.url in message.body
    assert open_audit.child.case_reference not in message.body
    assert FamilyLink.objects.get().emailed is True
    assert "family@example.com" not in str(list(FamilyLink.objects.values()))


def test_a_bad_email_or_audience_is_refused_and_nothing_is_made(open_audit, auditor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        made(open_audit, auditor, audience="dog", email="not-an-email")
    assert error.value.message_dict == {
        "audience": [links.CHOOSE_AUDIENCE],
        "email": [links.EMAIL_INVALID],
    }
    assert not FamilyLink.objects.exists()


def test_only_the_auditor_and_the_qa_lead_may_make_a_link(open_audit, org):
    from django.core.exceptions import PermissionDenied

    made(open_audit, org.users["qa_lead"])
    for person in ("team_manager", "head_of_service", "leader", "moderator", "ambassador"):
        with pytest.raises(PermissionDenied):
            made(open_audit, org.users[person])


def test_the_page_makes_a_link_and_shows_it_once(client, open_audit, auditor):
    client.force_login(auditor)
    page = reverse("feedback:link_create", args=[open_audit.pk])
    assert client.get(page).status_code == 200
    response = client.post(page, {"audience": "adult", "email": ""})
    assert response.status_code == 200
    token = re.search(r"/your-say/([^/\"]+)/", response.content.decode()).group(1)
    assert link_open(token, address="1.2.3.4")[0] == LinkState.OPEN
    assert response["Cache-Control"].startswith("max-age=0")
    response = client.post(page, {"audience": ""})
    assert response.status_code == 400
    assert links.CHOOSE_AUDIENCE in response.content.decode()


@pytest.mark.parametrize("person", ["team_manager", "outside_head", "leader", "ambassador"])
def test_people_who_may_not_make_links_get_not_found(client, open_audit, org, person):
    client.force_login(org.users[person])
    page = reverse("feedback:link_create", args=[open_audit.pk])
    assert client.get(page).status_code == 404
    assert client.post(page, {"audience": "adult"}).status_code == 404
    assert not FamilyLink.objects.exists()


# The family's page -------------------------------------------------------------------


def test_the_family_answers_once_and_the_auditor_is_told(
    open_audit, auditor, django_capture_on_commit_callbacks
):
    token = made(open_audit, auditor).token
    family = Client()
    page = family.get(family_path(token))
    assert page.status_code == 200
    assert "Tell us what you think" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = family.post(family_path(token), ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == reverse("family_thanks")
    feedback = Feedback.objects.get()
    assert feedback.source == Source.FAMILY_LINK
    assert feedback.audit == open_audit
    assert feedback.team == open_audit.team
    assert feedback.respondent == Respondent.MOTHER
    assert (feedback.listened, feedback.understood, feedback.improved) == ("yes", "partly", "no")
    assert feedback.important == "not_answered"
    assert feedback.score == 7
    assert feedback.consent_to_quote is True
    link = FamilyLink.objects.get()
    assert link.used_at is not None and link.feedback == feedback
    assert [m.to for m in mail.outbox] == [[auditor.email]]
    assert "They listened" not in mail.outbox[0].body
    assert open_audit.child.case_reference not in mail.outbox[0].body

    # The link works once.
    again = family.post(family_path(token), ANSWERS)
    assert again.status_code == 410
    assert Feedback.objects.count() == 1
    assert "already been used" in again.content.decode()


def test_a_child_gets_the_child_friendly_page_and_is_recorded_as_the_child(open_audit, auditor):
    token = made(open_audit, auditor, audience=Audience.CHILD).token
    family = Client()
    page = family.get(family_path(token)).content.decode()
    assert "Did your social worker listen to you?" in page
    assert "Who is filling this in?" not in page
    family.post(family_path(token), {"listened": "yes", "respondent": "father"})
    feedback = Feedback.objects.get()
    assert feedback.respondent == Respondent.CHILD
    assert feedback.age_band == "12_15"


def test_an_empty_answer_is_explained_and_the_link_still_works(open_audit, auditor):
    token = made(open_audit, auditor).token
    response = Client().post(family_path(token), {"comments": "   "})
    assert response.status_code == 400
    assert links.NOTHING_ANSWERED in response.content.decode()
    assert not Feedback.objects.exists()
    assert FamilyLink.objects.get().used_at is None


def test_the_family_page_has_no_links_into_the_product_and_no_identifying_data(
    open_audit, auditor, org
):
    token = made(open_audit, auditor).token
    response = Client().get(family_path(token))
    page = response.content.decode()
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert all(h == "#main-content" or h.startswith("/static/") for h in hrefs), hrefs
    assert re.findall(r'action="([^"]*)"', page) in ([], [""])
    child = open_audit.child
    for secret in (
        child.case_reference,
        open_audit.display_reference,
        str(child.date_of_birth),
        child.date_of_birth.strftime("%-d %B %Y"),
        auditor.first_name,
        auditor.last_name,
        org.users["no_role"].last_name,
        org.team_a.name,
        org.area_a.name,
    ):
        assert secret not in page
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_is_kind_and_stores_nothing(open_audit, auditor, method):
    token = made(open_audit, auditor).token
    with time_machine.travel(timezone.now() + datetime.timedelta(days=14, seconds=1)):
        response = getattr(Client(), method)(family_path(token), ANSWERS)
    assert response.status_code == 410
    assert "run out" in response.content.decode()
    assert open_audit.child.case_reference not in response.content.decode()
    assert not Feedback.objects.exists()
    assert FamilyLink.objects.get().used_at is None


def test_a_link_works_until_the_moment_it_expires(open_audit, auditor):
    token = made(open_audit, auditor).token
    expires = FamilyLink.objects.get().expires_at
    with time_machine.travel(expires - datetime.timedelta(seconds=1), tick=False):
        assert Client().post(family_path(token), ANSWERS).status_code == 302
    other = made(open_audit, auditor).token
    with time_machine.travel(
        FamilyLink.objects.get(selector=other.split(".")[0]).expires_at, tick=False
    ):
        assert Client().post(family_path(other), ANSWERS).status_code == 410


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t.split(".")[0],
        lambda t: "x" + t,
        lambda t: t.split(".")[0] + ".",
        lambda t: "." + t.split(".")[1],
        lambda t: t + "A" * 200,
    ],
)
def test_an_altered_link_is_kind_stores_nothing_and_counts_a_failure(open_audit, auditor, change):
    token = made(open_audit, auditor).token
    response = Client().post(family_path(change(token)), ANSWERS)
    assert response.status_code == 404
    assert "does not work" in response.content.decode()
    assert not Feedback.objects.exists()
    assert FamilyLink.objects.get().used_at is None
    assert LinkThrottle.objects.get().failures == 1


def test_many_failed_look_ups_from_one_address_are_refused_for_a_while(
    open_audit, auditor, settings
):
    settings.FEEDBACK_LINK_FAILURES_PER_WINDOW = 3
    token = made(open_audit, auditor).token
    family = Client(REMOTE_ADDR="10.0.0.9")
    with time_machine.travel(NOW, tick=False):
        for _ in range(3):
            assert family.get(family_path("nope.nope")).status_code == 404
        # Even the right link waits, so guessing cannot go on.
        assert family.get(family_path(token)).status_code == 429
        assert Client(REMOTE_ADDR="10.0.0.10").get(family_path(token)).status_code == 200
    with time_machine.travel(NOW + links.THROTTLE_WINDOW, tick=False):
        assert family.get(family_path(token)).status_code == 200


def test_the_kind_pages_say_nothing_about_the_child(open_audit, auditor):
    token = made(open_audit, auditor).token
    link_answer(link=FamilyLink.objects.get(), values={"listened": "yes"})
    for path in (family_path(token), family_path("nothing.here")):
        page = Client().get(path).content.decode()
        assert open_audit.child.case_reference not in page
        assert open_audit.team.name not in page
        assert 'href="/' not in page.replace('href="/static/', "")


def test_a_claim_already_made_stores_nothing(open_audit, auditor):
    made(open_audit, auditor)
    link = FamilyLink.objects.get()
    assert link_answer(link=link, values={"listened": "yes"}) is not None
    assert link_answer(link=link, values={"listened": "no"}) is None
    assert Feedback.objects.count() == 1
    assert Feedback.objects.get().listened == "yes"


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_store_one(org, auditor):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    audit = make_audit(org.team_a, auditor, status="in_progress")
    token = made(audit, auditor).token
    barrier = threading.Barrier(2)
    codes = []

    def submit():
        from django.db import connections

        barrier.wait()
        codes.append(Client().post(family_path(token), ANSWERS).status_code)
        connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [302, 410]
    assert Feedback.objects.count() == 1


def test_the_thanks_page_needs_no_link(client):
    response = client.get(reverse("family_thanks"))
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()


def test_wrong_methods_are_refused(open_audit, auditor):
    token = made(open_audit, auditor).token
    assert Client().put(family_path(token)).status_code == 405
    assert Client().post(reverse("family_thanks")).status_code == 405
