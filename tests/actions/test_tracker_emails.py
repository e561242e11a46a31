"""The weekly tracker email: one per person per week, exactly once, with signed links.

The task plans every email in the outbox in one transaction; the outbox sends them once
it commits (``weekly()`` runs the task and then what its commit sets off)."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from accounts.models import Role
from actions.models import RunKind, TrackerEmail, TrackerRun
from actions.services import tracker_send_weekly as plan_weekly
from actions.tasks import send_weekly_trackers
from outbox.models import OutboxEmail, OutboxStatus
from outbox.services import outbox_sweep
from tests.factories import TeamFactory, UserFactory
from tests.outbox.backends import FlakyBackend

from .helpers import COMPLETED, NOTE, add_update

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 4, 6)
MONDAY_8AM = datetime.datetime(2026, 4, 6, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture
def third_team(org):
    manager = UserFactory(email="una@council.example", roles=[Role.TEAM_MANAGER])
    return TeamFactory(name="Disabled Children 1", service_area=org.area_a, manager=manager)


@pytest.fixture
def three_managers(org, make_action, third_team):
    """An open action in each of three teams: Tom's is overdue (by 21 days: not yet
    escalated to the Head of Service)."""
    overdue = make_action(
        raised_on=datetime.date(2026, 2, 16),
        due_date=datetime.date(2026, 3, 16),
        text="Overdue one",
    )
    make_action(
        raised_on=datetime.date(2026, 3, 30),
        due_date=datetime.date(2026, 4, 27),
        text="Tom's second",
    )
    make_action(
        raised_on=datetime.date(2026, 3, 30), due_date=datetime.date(2026, 4, 27), team=org.team_b
    )
    make_action(
        raised_on=datetime.date(2026, 3, 30), due_date=datetime.date(2026, 4, 27), team=third_team
    )
    return overdue


def tracker_send_weekly():
    with TestCase.captureOnCommitCallbacks(execute=True):
        return plan_weekly()


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


@time_machine.travel(MONDAY_8AM, tick=False)
def test_each_manager_with_open_actions_gets_one_email(three_managers, org):
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_weekly_trackers.delay()
    assert sent_to() == ["tim@council.example", "tom@council.example", "una@council.example"]
    tom = next(m for m in mail.outbox if m.to == ["tom@council.example"])
    assert tom.subject == "Closing the loop: 2 open actions, 1 overdue – week of 6 April 2026"
    text = tom.body
    assert text.index("OVERDUE") < text.index("Overdue one") < text.index("NOT YET DUE")
    assert text.index("NOT YET DUE") < text.index("Tom's second")
    assert "(21 days overdue)" in text
    assert three_managers.child.case_reference in text
    html = tom.alternatives[0][0]
    assert "Overdue one" in html and "/actions/link/" in html


@time_machine.travel(MONDAY_8AM, tick=False)
def test_running_twice_sends_nothing_twice(three_managers):
    tracker_send_weekly()
    tracker_send_weekly()
    assert len(mail.outbox) == 3
    run = TrackerRun.objects.get(kind=RunKind.MANAGER_WEEKLY)
    assert run.period_start == MONDAY
    assert set(run.emails.values_list("outbox__status", flat=True)) == {OutboxStatus.SENT}


def test_a_run_later_in_the_week_is_the_same_run(three_managers):
    with time_machine.travel(MONDAY_8AM, tick=False):
        tracker_send_weekly()
    with time_machine.travel(MONDAY_8AM + datetime.timedelta(days=3), tick=False):
        tracker_send_weekly()
    assert len(mail.outbox) == 3
    assert TrackerRun.objects.filter(kind=RunKind.MANAGER_WEEKLY).count() == 1


class RecordsWhatWasPlanned(FlakyBackend):
    """Notes, at each send, which emails the outbox holds."""

    seen: list[list[str]] = []

    def send_messages(self, messages):
        RecordsWhatWasPlanned.seen.append(sorted(OutboxEmail.objects.values_list("to", flat=True)))
        return super().send_messages(messages)


@time_machine.travel(MONDAY_8AM, tick=False)
def test_every_email_of_the_week_is_planned_before_any_is_sent(
    three_managers, make_action, settings
):
    make_action(
        raised_on=datetime.date(2026, 2, 1), due_date=datetime.date(2026, 3, 1), text="Escalated"
    )
    settings.EMAIL_BACKEND = "tests.actions.test_tracker_emails.RecordsWhatWasPlanned"
    RecordsWhatWasPlanned.seen = []
    tracker_send_weekly()
    everyone = [
        "alice@council.example",  # the Head of Service's escalation
        "tim@council.example",
        "tom@council.example",
        "una@council.example",
    ]
    assert RecordsWhatWasPlanned.seen[0] == everyone
    assert len(RecordsWhatWasPlanned.seen) == 4
    assert sent_to() == everyone


@time_machine.travel(MONDAY_8AM, tick=False)
def test_a_mail_failure_half_way_holds_up_no_one_else_and_is_retried(three_managers, settings):
    settings.EMAIL_BACKEND = "tests.outbox.backends.FlakyBackend"
    FlakyBackend.errors = [ConnectionRefusedError(111, "Connection refused")]
    try:
        tracker_send_weekly()  # the first email fails for now, the others go
    finally:
        FlakyBackend.errors = []
    assert len(mail.outbox) == 2
    waiting = OutboxEmail.objects.get(status=OutboxStatus.RETRYING)
    assert waiting.last_error == "The mail server refused the connection (it may be down)"
    assert waiting.to not in sent_to()

    tracker_send_weekly()  # a rerun plans nothing new and sends nothing twice
    assert len(mail.outbox) == 2
    with time_machine.travel(MONDAY_8AM + datetime.timedelta(minutes=1), tick=False):
        assert outbox_sweep() == 1
    assert sent_to() == ["tim@council.example", "tom@council.example", "una@council.example"]


def test_a_claim_left_by_a_dead_worker_is_sent_once_it_goes_stale(three_managers, settings):
    with (
        time_machine.travel(MONDAY_8AM, tick=False),
        TestCase.captureOnCommitCallbacks(execute=False),  # the worker died before sending
    ):
        plan_weekly()
    tom = OutboxEmail.objects.get(to="tom@council.example")
    claimed = MONDAY_8AM + datetime.timedelta(seconds=5)
    OutboxEmail.objects.filter(pk=tom.pk).update(
        status=OutboxStatus.SENDING, claimed_at=claimed, attempts=1
    )
    timeout = datetime.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
    with time_machine.travel(claimed + timeout, tick=False):
        outbox_sweep()  # the others, never queued, are sent; Tom's claim is still live
    assert "tom@council.example" not in sent_to()
    assert len(mail.outbox) == 2
    with time_machine.travel(claimed + timeout + datetime.timedelta(seconds=1), tick=False):
        outbox_sweep()
        outbox_sweep()
    assert sent_to().count("tom@council.example") == 1


@time_machine.travel(MONDAY_8AM, tick=False)
def test_managers_with_nothing_open_get_none(org, make_action):
    done = make_action(raised_on=datetime.date(2026, 3, 2), due_date=datetime.date(2026, 3, 30))
    add_update(done, COMPLETED, datetime.date(2026, 3, 20))
    make_action(team=org.team_b, raised_on=datetime.date(2026, 3, 30))
    tracker_send_weekly()
    assert sent_to() == ["tim@council.example"]
    assert not TrackerEmail.objects.filter(recipient=org.users["team_manager"]).exists()


@time_machine.travel(MONDAY_8AM, tick=False)
def test_an_owner_who_is_not_the_manager_gets_their_own_email(org, make_action):
    worker = UserFactory(email="sam.worker@council.example", team=org.team_a)
    make_action(
        owner=worker, raised_on=datetime.date(2026, 3, 30), due_date=datetime.date(2026, 4, 27)
    )
    tracker_send_weekly()
    assert sent_to() == ["sam.worker@council.example", "tom@council.example"]


@time_machine.travel(MONDAY_8AM, tick=False)
def test_the_sent_email_is_stored_for_the_qa_lead(three_managers, org):
    tracker_send_weekly()
    tracker = TrackerEmail.objects.get(recipient=org.users["team_manager"])
    assert tracker.item_count == 2
    email = tracker.outbox
    assert email.status == OutboxStatus.SENT
    assert email.sent_at == MONDAY_8AM
    assert email.to == "tom@council.example"
    assert email.recipient == org.users["team_manager"]
    assert email.kind == "Weekly tracker"
    assert email.subject.startswith("Closing the loop: 2 open actions")
    assert "Overdue one" in email.body_text and "Overdue one" in email.body_html


@time_machine.travel(MONDAY_8AM, tick=False)
def test_heads_of_service_get_actions_overdue_beyond_the_threshold(org, make_action):
    # Overdue by 29 days (more than 28): escalated. By exactly 28: not.
    long_overdue = make_action(
        raised_on=datetime.date(2026, 2, 1), due_date=datetime.date(2026, 3, 8), text="Long overdue"
    )
    make_action(
        raised_on=datetime.date(2026, 2, 1), due_date=datetime.date(2026, 3, 9), text="Just under"
    )
    noted = make_action(
        team=org.team_b,
        raised_on=datetime.date(2026, 2, 1),
        due_date=datetime.date(2026, 3, 9),
        text="Other area, not escalated",
    )
    add_update(noted, NOTE, datetime.date(2026, 4, 1))
    tracker_send_weekly()
    hos = [m for m in mail.outbox if m.to == ["alice@council.example"]]
    assert len(hos) == 1
    assert "Long overdue" in hos[0].body and "Just under" not in hos[0].body
    assert "(29 days overdue)" in hos[0].body
    assert long_overdue.child.case_reference in hos[0].body
    assert hos[0].subject.startswith("Closing the loop: 1 action overdue by more than 28 days")
    assert not [m for m in mail.outbox if m.to == ["bea@council.example"]]
    tracker_send_weekly()
    assert len([m for m in mail.outbox if m.to == ["alice@council.example"]]) == 1


@time_machine.travel(MONDAY_8AM, tick=False)
def test_links_in_the_email_are_signed_for_each_action(three_managers):
    tracker_send_weekly()
    tom = next(m for m in mail.outbox if m.to == ["tom@council.example"])
    links = re.findall(
        r"http://testserver/actions/link/([^/\s]+)/|/actions/link/([^/\s]+)/", tom.body
    )
    tokens = [a or b for a, b in links]
    assert len(tokens) == 2
    assert all(":" in token for token in tokens)
