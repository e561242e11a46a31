"""A Leader or a Head of Service opening an accepted audit outside the teams they look
after gives a reason first; it is recorded with their name and the time, opens that audit
for them for an hour, and is found in the records of views and changes."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audits.models import AuditEvent, AuditEventKind, AuditStatus
from audits.services.viewing import (
    REASON_MINUTES,
    REASON_NEEDED,
    REASON_TOO_LONG,
    REASON_TOO_SHORT,
)
from tests.factories import (
    AuditFactory,
    ChildFactory,
    UserFactory,
    complete_audit,
    make_template,
)

pytestmark = pytest.mark.django_db

REASON = "The child's case is at the Director's case review on Monday"


@pytest.fixture
def audits(org):
    """An accepted and a submitted audit in team B (Children in Care, Bea's area) and an
    accepted one in team A (Safeguarding, Alice's area)."""
    template = make_template()
    writer = UserFactory(email="writer@council.example", roles=[Role.AUDITOR])

    def audit(team, status):
        made = complete_audit(
            AuditFactory(child=ChildFactory(team=team), template=template, auditor=writer)
        )
        made.status = status
        made.save()
        return made

    return {
        "b_accepted": audit(org.team_b, AuditStatus.ACCEPTED),
        "b_submitted": audit(org.team_b, AuditStatus.SUBMITTED),
        "a_accepted": audit(org.team_a, AuditStatus.ACCEPTED),
    }


def detail(audit):
    return reverse("audits:audit_detail", args=[audit.pk])


def reason_url(audit):
    return reverse("audits:audit_reason", args=[audit.pk])


def reasons(user=None):
    events = AuditEvent.objects.filter(kind=AuditEventKind.REASON_GIVEN)
    return events.filter(user=user) if user else events


@pytest.mark.parametrize("who", ["leader", "head_of_service"])
def test_a_senior_manager_is_asked_why_then_reads_the_audit(client, org, audits, who):
    user = org.users[who]
    audit = audits["b_accepted"]
    client.force_login(user)
    response = client.get(detail(audit))
    assert response.status_code == 302
    assert response["Location"] == reason_url(audit)
    page = client.get(reason_url(audit)).content.decode()
    assert "This audit is outside the teams you look after" in page
    assert "Children in Care 1" in page
    assert not reasons()

    response = client.post(reason_url(audit), {"reason": f"  {REASON}  "})
    assert response.status_code == 302
    assert response["Location"] == detail(audit)
    [given] = reasons(user)
    assert (given.audit_id, given.note) == (audit.pk, REASON)

    assert client.get(detail(audit)).status_code == 200
    assert AuditEvent.objects.filter(audit=audit, user=user, kind=AuditEventKind.VIEWED).exists()


def test_a_head_of_service_reads_their_own_areas_audits_without_a_reason(client, org, audits):
    client.force_login(org.users["head_of_service"])
    assert client.get(detail(audits["a_accepted"])).status_code == 200
    assert client.get(reason_url(audits["a_accepted"])).status_code == 404
    assert not reasons()


@pytest.mark.parametrize("who", ["auditor", "team_manager", "no_role", "moderator"])
def test_other_people_find_no_such_audit_and_cannot_give_a_reason(client, org, audits, who):
    client.force_login(org.users[who])
    audit = audits["b_accepted"]
    assert client.get(detail(audit)).status_code == 404
    assert client.get(reason_url(audit)).status_code == 404
    assert client.post(reason_url(audit), {"reason": REASON}).status_code == 404
    assert not reasons()


def test_an_audit_not_yet_accepted_is_never_opened_with_a_reason(client, org, audits):
    client.force_login(org.users["leader"])
    audit = audits["b_submitted"]
    assert client.get(detail(audit)).status_code == 404
    assert client.post(reason_url(audit), {"reason": REASON}).status_code == 404
    assert not reasons()


@pytest.mark.parametrize(
    "reason, message",
    [
        ("", REASON_NEEDED),
        ("     ", REASON_NEEDED),
        ("Board", REASON_TOO_SHORT),
        ("Too short", REASON_TOO_SHORT),  # 9 characters
        ("x" * 201, REASON_TOO_LONG),
    ],
)
def test_a_missing_short_or_long_reason_is_refused_and_nothing_opens(
    client, org, audits, reason, message
):
    client.force_login(org.users["leader"])
    audit = audits["b_accepted"]
    response = client.post(reason_url(audit), {"reason": reason})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message.replace("'", "&#x27;") in page
    assert not reasons()
    assert client.get(detail(audit)).status_code == 302


def test_the_shortest_and_longest_reasons_are_accepted(client, org, audits):
    client.force_login(org.users["leader"])
    audit = audits["b_accepted"]
    assert client.post(reason_url(audit), {"reason": "Ten chars!"}).status_code == 302
    assert client.post(reason_url(audit), {"reason": "y" * 200}).status_code == 302
    assert reasons().count() == 2


def test_a_reason_opens_that_audit_only_and_for_an_hour(client, org, audits, settings):
    leader = org.users["leader"]
    client.force_login(leader)
    audit, other = audits["b_accepted"], audits["a_accepted"]
    given_at = timezone.now()
    with time_machine.travel(given_at, tick=False):
        client.post(reason_url(audit), {"reason": REASON})
    assert client.get(detail(other)).status_code == 302  # another audit asks again
    with time_machine.travel(given_at + datetime.timedelta(minutes=REASON_MINUTES), tick=False):
        client.force_login(leader)  # a new session: the first has gone idle
        assert client.get(detail(audit)).status_code == 200
    later = given_at + datetime.timedelta(minutes=REASON_MINUTES, seconds=1)
    with time_machine.travel(later, tick=False):
        client.force_login(leader)
        assert client.get(detail(audit)).status_code == 302


def test_a_reason_cannot_decide_or_reply(client, org, audits):
    client.force_login(org.users["leader"])
    audit = audits["b_accepted"]
    client.post(reason_url(audit), {"reason": REASON})
    assert client.post(reverse("audits:audit_decide", args=[audit.pk])).status_code == 404
    assert client.post(reverse("audits:audit_reply", args=[audit.pk])).status_code == 404


def test_the_reason_is_found_in_the_records(client, org, audits):
    leader = org.users["leader"]
    client.force_login(leader)
    client.post(reason_url(audits["b_accepted"]), {"reason": REASON})
    client.force_login(org.users["qa_lead"])
    rows = client.get("/records/records.csv", {"person": leader.pk, "show": "views"})
    text = b"".join(rows.streaming_content).decode("utf-8-sig")
    assert "Opened outside own teams, with a reason" in text
    assert REASON in text


def test_the_reason_page_goes_straight_to_the_audit_once_a_reason_is_given(client, org, audits):
    client.force_login(org.users["leader"])
    audit = audits["b_accepted"]
    client.post(reason_url(audit), {"reason": REASON})
    response = client.get(reason_url(audit))
    assert (response.status_code, response["Location"]) == (302, detail(audit))
    assert reasons().count() == 1


def test_the_dashboards_list_of_audits_leads_a_leader_to_the_reason_page(client, org, audits):
    client.force_login(org.users["leader"])
    audit = audits["b_accepted"]
    audit.completed_on = timezone.localdate()
    audit.save()
    day = timezone.localdate().isoformat()
    page = client.get("/reports/audits/", {"start": day, "end": day}).content.decode()
    assert f'href="{reason_url(audit)}"' in page
    assert "you will be asked why you need to open it" in page
