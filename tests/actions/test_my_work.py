"""What the actions app adds to each person's home page."""

import datetime

import pytest
import time_machine

from actions.models import CaseUpdate
from actions.my_work import MAX_LISTED, concern_work, improvement_work, qa_lead_work, tracker_work
from actions.services import concern_record_final_grade, reaudit_record_final_grade
from audits.models import Grade

from .helpers import NOTE, add_update

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_team_manager_sees_overdue_and_silent_actions(org, make_action):
    make_action(raised_on=datetime.date(2026, 3, 2), due_date=datetime.date(2026, 3, 30))
    noted = make_action(raised_on=datetime.date(2026, 3, 2), due_date=datetime.date(2026, 3, 31))
    add_update(noted, NOTE, datetime.date(2026, 4, 10))
    make_action(raised_on=datetime.date(2026, 4, 10), due_date=datetime.date(2026, 5, 8))
    [section] = tracker_work(org.users["team_manager"])
    assert [(i["text"], i["url"]) for i in section["items"]] == [
        ("2 actions are overdue", "/actions/?status=overdue"),
        ("1 action has had no update for 14 days or more", "/actions/?status=no_update"),
        ("3 open actions on your tracker", "/actions/?status=open"),
    ]


def test_nothing_for_a_manager_with_nothing_open(org):
    assert tracker_work(org.users["team_manager"]) == []
    assert tracker_work(org.users["auditor"]) == []


def test_head_of_service_sees_cases_missing_this_months_update(org, make_action):
    missing = concern_record_final_grade(
        audit=make_action().audit, grade=Grade.INADEQUATE, today=datetime.date(2026, 2, 1)
    )
    done = concern_record_final_grade(
        audit=make_action().audit, grade=Grade.INADEQUATE, today=datetime.date(2026, 2, 1)
    )
    CaseUpdate.objects.create(
        case=done,
        month=datetime.date(2026, 4, 1),
        child_safe=True,
        plan_progressing=False,
        notes="x",
        recorded_on=datetime.date(2026, 4, 2),
    )
    [section] = concern_work(org.users["head_of_service"])
    assert section["items"] == [
        {
            "text": f"Case {missing.child.case_reference}: update for April 2026 needed",
            "url": f"/actions/cases/{missing.pk}/update/",
        }
    ]
    assert concern_work(org.users["outside_head"]) == []


def test_qa_lead_sees_old_cases_and_re_audits_to_allocate(org, make_action):
    old = make_action().audit
    concern_record_final_grade(audit=old, grade=Grade.INADEQUATE, today=datetime.date(2025, 3, 1))
    reaudit_record_final_grade(audit=old, grade=Grade.INADEQUATE, today=datetime.date(2025, 3, 1))
    recent = make_action().audit
    reaudit_record_final_grade(
        audit=recent, grade=Grade.INADEQUATE, today=datetime.date(2026, 4, 1)
    )
    [section] = qa_lead_work(org.users["qa_lead"])
    assert [i["text"] for i in section["items"]] == [
        "1 Case of Concern has been open for more than 12 months",
        "1 re-audit is due to allocate",
    ]
    assert qa_lead_work(org.users["head_of_service"]) == []


def test_providers_query_a_constant_number_of_times(
    org, make_action, django_assert_max_num_queries
):
    make_action(raised_on=datetime.date(2026, 3, 2), due_date=datetime.date(2026, 3, 30))
    user = org.users["team_manager"]
    tracker_work(user)
    with django_assert_max_num_queries(10) as few:
        tracker_work(user)
    for _ in range(5):
        make_action(raised_on=datetime.date(2026, 3, 2), due_date=datetime.date(2026, 3, 30))
    with django_assert_max_num_queries(len(few.captured_queries)):
        [section] = tracker_work(user)
    assert section["items"][0]["count"] == 6


def test_a_lead_sees_the_service_improvement_actions_they_lead_that_are_overdue(
    org, make_improvement, client
):
    overdue = make_improvement(
        raised_on=datetime.date(2026, 3, 1), timescale=datetime.date(2026, 4, 14)
    )
    make_improvement(
        raised_on=datetime.date(2026, 3, 1), timescale=datetime.date(2026, 4, 15)
    )  # due today: not yet overdue
    make_improvement(
        raised_on=datetime.date(2026, 3, 1),
        timescale=datetime.date(2026, 4, 1),
        completed_on=datetime.date(2026, 4, 12),
    )
    make_improvement(
        raised_on=datetime.date(2026, 3, 1),
        timescale=datetime.date(2026, 4, 1),
        leads=[org.users["team_manager"]],
    )
    [section] = improvement_work(org.users["no_role"])
    assert section["title"] == "Service improvement actions"
    assert section["items"] == [
        {
            "text": f"{overdue.display_reference} was due on 14 April 2026: "
            "Service Managers will agree what a good chronology looks like",
            "url": f"/actions/service-improvement/{overdue.pk}/",
        }
    ]
    client.force_login(org.users["no_role"])
    assert overdue.display_reference in client.get("/").content.decode()
    assert improvement_work(org.users["head_of_service"]) == []
    assert improvement_work(org.users["auditor"]) == []


def test_a_lead_with_many_overdue_gets_a_link_to_the_rest(org, make_improvement):
    for _ in range(MAX_LISTED + 1):
        make_improvement(raised_on=datetime.date(2026, 3, 1), timescale=datetime.date(2026, 4, 1))
    [section] = improvement_work(org.users["no_role"])
    assert len(section["items"]) == MAX_LISTED + 1
    assert section["items"][-1] == {
        "text": "More of the actions you lead are overdue",
        "url": "/actions/service-improvement/?show=overdue",
    }


def test_the_qa_lead_sees_how_many_are_overdue(org, make_improvement):
    make_improvement(raised_on=datetime.date(2026, 3, 1), timescale=datetime.date(2026, 4, 1))
    make_improvement(
        raised_on=datetime.date(2026, 3, 1), timescale=datetime.date(2026, 4, 2), service_area="b"
    )
    make_improvement(raised_on=datetime.date(2026, 3, 1), timescale=datetime.date(2026, 5, 2))
    [section] = improvement_work(org.users["qa_lead"])
    assert section["items"] == [
        {
            "text": "2 service improvement actions are overdue",
            "url": "/actions/service-improvement/?show=overdue",
            "count": 2,
        }
    ]


def test_improvement_work_queries_a_constant_number_of_times(
    org, make_improvement, django_assert_max_num_queries
):
    user = org.users["qa_lead"]
    make_improvement(
        raised_on=datetime.date(2026, 3, 1), timescale=datetime.date(2026, 4, 1), leads=[user]
    )
    improvement_work(user)
    with django_assert_max_num_queries(10) as few:
        improvement_work(user)
    for _ in range(5):
        make_improvement(
            raised_on=datetime.date(2026, 3, 1), timescale=datetime.date(2026, 4, 1), leads=[user]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        [section] = improvement_work(user)
    assert section["items"][-1]["count"] == 6
