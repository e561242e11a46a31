"""The demo's year of closing the loop, built from whatever accepted audits exist."""

import datetime
import random
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Role, User
from actions.demo import delete_actions_data, seed_actions
from actions.models import (
    Action,
    ActionStatus,
    CaseOfConcern,
    ReauditProposal,
    ReauditStatus,
    ServiceImprovementAction,
    TrackerEmail,
)
from actions.selectors import improvement_list, my_actions, service_improvement_for_report
from actions.status import with_status
from audits.models import AuditStatus, Grade, ProposedAction
from common.dates import add_months
from moderation.models import ModerationReview, ReviewStatus
from outbox.models import OutboxStatus
from tests.factories import AuditFactory, ChildFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
GRADES = [Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE, Grade.GOOD, Grade.OUTSTANDING]


@pytest.fixture
def year_of_audits(org, template):
    manager = UserFactory(email=demo_email("team.manager"), roles=[Role.TEAM_MANAGER])
    demo_team = TeamFactory(name="Demo team", service_area=org.area_a, manager=manager)
    teams = [org.team_a, org.team_b, demo_team]
    for index in range(36):
        accepted = TODAY - datetime.timedelta(days=10 * index + 3)
        audit = AuditFactory(
            child=ChildFactory(team=teams[index % 3]),
            template=template,
            auditor=org.users["auditor"],
            status=AuditStatus.ACCEPTED,
            overall_grade=GRADES[index % len(GRADES)],
            accepted_by=org.users["qa_lead"],
            accepted_at=datetime.datetime.combine(accepted, datetime.time(11), tzinfo=datetime.UTC),
            month=accepted.replace(day=1),
        )
        ProposedAction.objects.create(audit=audit, order=0, text="Update the chronology")
        ProposedAction.objects.create(
            audit=audit, order=1, text="Put the contingency plan in the plan", for_child_plan=True
        )
    return manager


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False)
def test_seed_actions_builds_a_year_in_every_status(
    year_of_audits, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        summary = seed_actions(random.Random(2026), TODAY)
    # The demo's emails go out as the service's do: in the embedded default, as files
    # in var/mail/ that a person can open; each once.
    trackers = TrackerEmail.objects.select_related("outbox")
    assert trackers.exists()
    assert {t.outbox.status for t in trackers} == {OutboxStatus.SENT}
    tracker_subjects = sorted(t.outbox.subject for t in trackers)
    assert sorted(m.subject for m in mail.outbox if m.subject in tracker_subjects) == (
        tracker_subjects
    )
    assert summary["actions"] == 72
    statuses = set(
        with_status(Action.objects.all(), today=TODAY, no_update_days=14).values_list(
            "status", flat=True
        )
    )
    assert statuses == set(ActionStatus.values)
    first = Action.objects.order_by("raised_on").first()
    assert first.raised_on == TODAY - datetime.timedelta(days=353)
    assert first.created_at.date() == first.raised_on

    manager_actions = my_actions(year_of_audits, TODAY)
    assert manager_actions.filter(status=ActionStatus.OVERDUE).count() >= 1
    assert manager_actions.filter(status=ActionStatus.NOT_YET_DUE).count() >= 1

    cases = CaseOfConcern.objects.all()
    assert cases.count() >= 3
    assert cases.filter(resolved_on__isnull=False).exists()
    assert cases.filter(resolved_on__isnull=True, updates__isnull=False).exists()
    assert cases.filter(
        resolved_on__isnull=True, opened_on__lt=datetime.date(2025, 11, 20)
    ).exists()

    proposals = ReauditProposal.objects.all()
    assert proposals.count() == cases.count()
    assert proposals.filter(status=ReauditStatus.ALLOCATED).exists()
    assert proposals.filter(status=ReauditStatus.PROPOSED).exists()

    sent = TrackerEmail.objects.filter(outbox__status=OutboxStatus.SENT)
    assert sent.filter(recipient=year_of_audits).count() == 4
    assert sent.filter(run__kind="coc_request").exists()
    assert all(email.outbox.body_text and email.outbox.subject for email in sent)


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False)
def test_seeding_twice_adds_nothing_and_delete_clears_it(year_of_audits):
    first = seed_actions(random.Random(2026), TODAY)
    assert seed_actions(random.Random(2026), TODAY) == first
    delete_actions_data()
    assert not Action.objects.exists() and not CaseOfConcern.objects.exists()
    assert not ServiceImprovementAction.objects.exists()


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False)
def test_demo_service_improvement_actions_come_from_earlier_quarters(org):
    seed_actions(random.Random(1), TODAY)
    rows = list(improvement_list(org.users["qa_lead"], "all", TODAY))
    assert {row.raised_in for row in rows} == {
        "Quarterly report Q3 2025/26",
        "Quarterly report Q4 2025/26",
        "Quarterly report Q1 2026/27",
        "Quarterly report Q2 2026/27",
    }
    assert all(row.raised_on < TODAY and row.created_at.date() == row.raised_on for row in rows)
    assert {row.status for row in rows} == {"open", "in_progress", "done"}
    [overdue] = [row for row in rows if row.overdue]
    assert list(overdue.leads.all()) == [org.users["head_of_service"]]
    assert overdue.service_area == org.area_a
    done = [row for row in rows if row.completed_on]
    assert len(done) == 3
    assert any(row.completed_on > row.timescale for row in done)  # one done late
    assert all(row.raised_on <= row.completed_on <= TODAY for row in done)
    # The report for Q2 2026/27 carries what was raised after Q1 and earlier and still
    # open, not what its own findings raised afterwards (in October).
    shown = service_improvement_for_report(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    raised_in = {row["raised_in"] for row in shown}
    assert "Quarterly report Q1 2026/27" in raised_in
    assert "Quarterly report Q2 2026/27" not in raised_in


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False)
def test_seed_actions_works_with_no_audits(org):
    assert seed_actions(random.Random(1), TODAY) == {
        "actions": 0,
        "cases": 0,
        "reaudits": 0,
        "emails": 0,
        "service_improvement": 6,
    }


def test_demo_cases_of_concern_open_on_the_day_the_grade_became_inadequate(client):
    """An audit accepted as Inadequate opens its case that day; one moderated down to
    Inadequate at a panel months ago opens it on the panel's day, not the day the demo
    was built."""
    call_command("seed_demo", "--staff", "120", "--children", "200")
    expected = {}
    # The demo keeps one case open for over 12 months, dated before any of its audits.
    for case in CaseOfConcern.objects.exclude(opened_on=add_months(timezone.localdate(), -13)):
        first = case.links.select_related("audit").order_by("linked_on", "pk").first()
        audit = first.audit
        review = ModerationReview.objects.filter(
            audit=audit, status=ReviewStatus.FINAL, moderated_grade=Grade.INADEQUATE
        ).exclude(original_grade=Grade.INADEQUATE)
        became = review.first().finalised_at if review.exists() else audit.accepted_at
        expected[case.pk] = timezone.localdate(became)
    assert len(expected) > 5
    assert sum(day < timezone.localdate() for day in expected.values()) > 5

    client.force_login(User.objects.get(email=demo_email("qa.lead")))
    shown = {}
    page = 1
    while True:
        html = client.get(reverse("actions:cases"), {"show": "all", "page": page}).content.decode()
        for pk, opened in re.findall(
            r'id="case-(\d+)">(?:\s*<td[^>]*>.*?</td>){3}\s*<td[^>]*>([^<]+)</td>', html, re.S
        ):
            shown[int(pk)] = opened.strip()
        if 'rel="next"' not in html:
            break
        page += 1
    assert {pk: shown[pk] for pk in expected} == {
        pk: f"{day:%-d %b %Y}" for pk, day in expected.items()
    }
