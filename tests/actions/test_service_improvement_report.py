"""The service improvement actions a report shows for its period
(``service_improvement_for_report``): open at the end, or done within the period."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import ServiceImprovementUpdate
from actions.selectors import service_improvement_for_report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Q1 2026/27
START = datetime.date(2026, 4, 1)
END = datetime.date(2026, 6, 30)
NOW = datetime.datetime(2026, 7, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _at(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _report(**kwargs):
    return {row["id"]: row for row in service_improvement_for_report(START, END, **kwargs)}


def test_done_on_the_last_day_is_in_and_shown_done(make_improvement):
    improvement = make_improvement(completed_on=END)
    [row] = service_improvement_for_report(START, END)
    assert (row["id"], row["status"], row["status_label"]) == (improvement.pk, "done", "Done")
    assert row["done_on"] == END
    assert row["overdue"] is False


def test_done_the_day_after_the_end_is_still_open_at_the_end(make_improvement):
    improvement = make_improvement(
        timescale=datetime.date(2026, 6, 1), completed_on=datetime.date(2026, 7, 1)
    )
    [row] = service_improvement_for_report(START, END)
    assert row["id"] == improvement.pk
    assert (row["status"], row["done_on"], row["overdue"]) == ("open", None, True)


def test_done_on_the_first_day_is_in_and_the_day_before_is_out(make_improvement):
    first = make_improvement(raised_on=datetime.date(2026, 3, 1), completed_on=START)
    make_improvement(
        raised_on=datetime.date(2026, 3, 1), completed_on=START - datetime.timedelta(days=1)
    )
    assert list(_report()) == [first.pk]


def test_raised_after_the_end_is_out_and_on_the_last_day_is_in(make_improvement):
    last_day = make_improvement(raised_on=END, timescale=datetime.date(2026, 9, 30))
    make_improvement(raised_on=datetime.date(2026, 7, 1), timescale=datetime.date(2026, 9, 30))
    assert list(_report()) == [last_day.pk]


def test_raised_long_before_and_still_open_is_carried_into_the_report(make_improvement):
    old = make_improvement(
        raised_on=datetime.date(2025, 7, 10),
        timescale=datetime.date(2025, 12, 31),
        raised_in="Quarterly report Q1 2025/26",
    )
    row = _report()[old.pk]
    assert row["raised_in"] == "Quarterly report Q1 2025/26"
    assert row["overdue"] is True


def test_a_row_holds_what_the_report_shows(org, make_improvement):
    kim = UserFactory(email="kim@council.example", first_name="Kim", last_name="Adams")
    improvement = make_improvement(
        leads=[org.users["no_role"], kim],
        lead_description="Service Managers",
        finding="Chronologies were out of date.",
        timescale=datetime.date(2026, 9, 30),
    )
    ServiceImprovementUpdate.objects.create(
        action=improvement, note="First draft agreed.", created_at=_at(datetime.date(2026, 5, 2))
    )
    ServiceImprovementUpdate.objects.create(
        action=improvement, note="Shared with two teams.", created_at=_at(END, 23)
    )
    # Recorded after the end: not part of the report for the period.
    ServiceImprovementUpdate.objects.create(
        action=improvement,
        note="Shared with every team.",
        created_at=_at(datetime.date(2026, 7, 1)),
    )
    row = _report()[improvement.pk]
    people = sorted([org.users["no_role"], kim], key=lambda p: (p.last_name, p.first_name, p.pk))
    leads = [str(person) for person in people]
    assert row == {
        "id": improvement.pk,
        "reference": improvement.display_reference,
        "what": "Service Managers will agree what a good chronology looks like",
        "finding": "Chronologies were out of date.",
        "leads": leads,
        "lead_description": "Service Managers",
        "lead": row["lead"],
        "service_area": "Safeguarding",
        "raised_in": "Quarterly report Q4 2025/26",
        "raised_on": datetime.date(2026, 4, 10),
        "timescale": datetime.date(2026, 9, 30),
        "status": "in_progress",
        "status_label": "In progress",
        "overdue": False,
        "latest_progress": "Shared with two teams.",
        "latest_progress_on": END,
        "done_on": None,
    }
    assert row["lead"] == f"Service Managers ({', '.join(row['leads'])})"


def test_open_with_no_progress_by_the_end_is_open(make_improvement):
    improvement = make_improvement()
    ServiceImprovementUpdate.objects.create(
        action=improvement, note="Started.", created_at=_at(datetime.date(2026, 7, 2))
    )
    row = _report()[improvement.pk]
    assert (row["status"], row["latest_progress"], row["latest_progress_on"]) == ("open", "", None)


def test_a_service_area_report_shows_its_own_and_the_whole_organisations(org, make_improvement):
    own = make_improvement(service_area="a")
    whole = make_improvement(service_area=None)
    other = make_improvement(service_area="b")
    assert set(_report(service_area=org.area_a)) == {own.pk, whole.pk}
    assert set(_report(service_area=org.area_b.pk)) == {other.pk, whole.pk}
    assert set(_report()) == {own.pk, whole.pk, other.pk}
    assert _report()[whole.pk]["service_area"] is None


def test_open_ones_come_first_by_timescale_then_those_done(make_improvement):
    done = make_improvement(completed_on=datetime.date(2026, 5, 1))
    later = make_improvement(timescale=datetime.date(2026, 9, 1))
    sooner = make_improvement(timescale=datetime.date(2026, 5, 1))
    assert [row["id"] for row in service_improvement_for_report(START, END)] == [
        sooner.pk,
        later.pk,
        done.pk,
    ]


def test_while_the_period_runs_overdue_is_judged_on_today(make_improvement):
    improvement = make_improvement(timescale=datetime.date(2026, 7, 20))
    start, end = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
    [row] = service_improvement_for_report(start, end, today=datetime.date(2026, 7, 10))
    assert (row["id"], row["overdue"]) == (improvement.pk, False)
    [row] = service_improvement_for_report(start, end, today=datetime.date(2026, 7, 21))
    assert row["overdue"] is True


def _queries(**kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        service_improvement_for_report(START, END, **kwargs)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_actions(org, make_improvement):
    def add(n):
        for index in range(n):
            improvement = make_improvement(
                leads=[org.users["no_role"], org.users["team_manager"]],
                service_area=["a", None][index % 2],
            )
            ServiceImprovementUpdate.objects.create(
                action=improvement, note="Going well.", created_at=_at(datetime.date(2026, 5, 1))
            )

    add(1)
    few = _queries()
    add(12)
    assert _queries() == few <= 2
    assert _queries(service_area=org.area_a) == few
