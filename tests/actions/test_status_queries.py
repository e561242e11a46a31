"""The status in SQL: one grouped query, no correlated subqueries, and pages whose
query counts stay the same as actions accumulate."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionKind
from actions.selectors import (
    TrackerOrder,
    action_status_counts,
    actions_backlog,
    actions_completed_within_timescale,
    my_actions,
    tracker_actions,
    tracker_counts,
)
from actions.services.tracker import tracker_send_weekly
from common.dates import month_period
from tests.factories import ChildFactory

from .helpers import COMPLETED, NOTE, TRANSFERRED, add_update

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 4, 8, 9, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 4, 8)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def add_actions(org, make_action):
    """``n`` actions over n // 2 children, every third done, every third transferred,
    every other one with a note."""

    def _add(n):
        children = [ChildFactory(team=org.team_a) for _ in range(max(1, n // 2))]
        for i in range(n):
            action = make_action(
                child=children[i % len(children)],
                kind=ActionKind.CARE_PLANNING if i % 2 else ActionKind.OTHER,
                raised_on=datetime.date(2026, 3, 2),
                due_date=datetime.date(2026, 3, 2) + datetime.timedelta(days=7 * (i % 8)),
            )
            if i % 3 == 0:
                add_update(action, COMPLETED, datetime.date(2026, 3, 20))
            if i % 3 == 1:
                add_update(action, TRANSFERRED, datetime.date(2026, 3, 25))
            if i % 2:
                add_update(action, NOTE, datetime.date(2026, 3, 10))

    return _add


def selects(sql: str) -> int:
    return sql.upper().count("SELECT")


def test_the_trackers_sql_has_no_subquery(org, add_actions):
    sql = str(tracker_actions(org.users["qa_lead"], TODAY).query)
    assert selects(sql) == 1
    assert "U0" not in sql  # the alias Django gives a subquery's table
    add_actions(6)
    listed = tracker_actions(org.users["qa_lead"], TODAY)
    with CaptureQueriesContext(connection) as queries:
        TrackerOrder(listed)[0:25]
    children, page = [q["sql"] for q in queries.captured_queries[:2]]
    # The page's children: the listed actions as rows (the innermost SELECT), grouped by
    # child, a running count over the groups, kept to the page's (the outermost); no
    # correlated subquery.
    assert selects(children) == 4 and "U0" not in children
    assert selects(page) == 1 and "U0" not in page


def expected_order(actions):
    """The tracker's order, by hand: children by their earliest open due date among the
    actions (none last), then case reference; open actions by due date, then closed."""
    next_due = {}
    for a in actions:
        if a.closed_on is None:
            due = next_due.get(a.child_id)
            next_due[a.child_id] = a.due_date if due is None else min(due, a.due_date)
    far = datetime.date.max
    return [
        a.pk
        for a in sorted(
            actions,
            key=lambda a: (
                next_due.get(a.child_id) or far,
                a.child.case_reference,
                a.closed_on is not None,
                a.due_date,
                a.pk,
            ),
        )
    ]


def test_the_trackers_pages_hold_with_an_update_recorded_after_the_day(client, org, add_actions):
    """A status found by grouping the updates (an update recorded after the day judged:
    a clock that moved, a restored backup) still pages, in the same order."""
    add_actions(9)
    action = tracker_actions(org.users["qa_lead"], TODAY).order_by("pk").first()
    add_update(action, NOTE, TODAY, recorded_on=TODAY + datetime.timedelta(days=1))
    listed = tracker_actions(org.users["qa_lead"], TODAY).select_related("child")
    expected = expected_order(list(listed))
    order = TrackerOrder(listed)
    assert [a.pk for start in range(0, 12, 4) for a in order[start : start + 4]] == expected
    client.force_login(org.users["qa_lead"])
    assert client.get(reverse("actions:tracker")).status_code == 200


def test_the_tracker_is_read_from_its_start(org, add_actions):
    add_actions(4)
    order = TrackerOrder(tracker_actions(org.users["qa_lead"], TODAY))
    for wrong in (slice(-2, None), slice(0, -1)):
        with pytest.raises(ValueError):
            order[wrong]
    assert order[3:3] == [] and order[100:125] == []


@pytest.mark.parametrize("size", [1, 3, 4, 25])
@pytest.mark.parametrize("status", ["", "open", "completed"])
def test_the_trackers_pages_put_the_listed_actions_in_order(org, add_actions, size, status):
    add_actions(21)
    listed = tracker_actions(org.users["qa_lead"], TODAY).select_related("child")
    if status == "open":
        listed = listed.filter(closed_on__isnull=True)
    elif status == "completed":
        listed = listed.filter(closed_on__isnull=False)
    expected = expected_order(list(listed))
    assert len({a.child_id for a in listed}) > 5 and expected
    order = TrackerOrder(listed)
    assert order.count() == len(expected)
    pages = []
    for start in range(0, len(expected) + size, size):
        pages.extend(a.pk for a in order[start : start + size])
    assert pages == expected
    assert order[len(expected) : len(expected) + size] == []


def test_filtering_and_counting_by_status_needs_no_correlated_subquery(org):
    qs = tracker_actions(org.users["qa_lead"], TODAY).filter(status="overdue", no_update=True)
    assert selects(str(qs.query)) == 1
    with CaptureQueriesContext(connection) as queries:
        tracker_counts(org.users["team_manager"], TODAY)
    (sql,) = [q["sql"] for q in queries.captured_queries if '"actions_action"' in q["sql"]]
    # Today's counts read each action's stored dates: one SELECT, no join to the updates.
    assert selects(sql) == 1
    assert '"actions_actionupdate"' not in sql


def test_a_past_days_counts_group_the_updates_known_that_day(org, make_action):
    action = make_action(raised_on=datetime.date(2026, 3, 2), due_date=datetime.date(2026, 3, 9))
    add_update(action, COMPLETED, datetime.date(2026, 3, 5), datetime.date(2026, 3, 20))
    with CaptureQueriesContext(connection) as queries:
        counts = tracker_counts(org.users["team_manager"], datetime.date(2026, 3, 10))
    (sql,) = [q["sql"] for q in queries.captured_queries if '"actions_action"' in q["sql"]]
    # The counts run over the grouped query: an outer SELECT and the query it counts.
    assert selects(sql) == 2
    assert '"actions_actionupdate"' in sql
    # recorded after the day: still overdue on it, though done before it
    assert counts["overdue"] == 1


@pytest.mark.parametrize(
    ("month", "today", "split"),
    [
        (4, TODAY, False),  # this month: judged today
        (4, TODAY - datetime.timedelta(days=1), True),  # judged yesterday
        (3, TODAY, True),  # last month: judged on its last day
    ],
)
def test_the_figures_count_without_correlated_subqueries(org, add_actions, month, today, split):
    add_actions(6)
    period = month_period(datetime.date(2026, month, 1))
    for figure in (action_status_counts, actions_backlog, actions_completed_within_timescale):
        with CaptureQueriesContext(connection) as queries:
            figure(period, today=today)
        counting = [q["sql"] for q in queries.captured_queries if '"actions_action"' in q["sql"]]
        # each part is counted by a GROUP BY around it: an outer SELECT and the part's
        # own; never a correlated subquery (Django names a subquery's table U0)
        assert all(selects(sql) == 2 and "U0" not in sql for sql in counting), figure.__name__
        if not split:
            # today: nothing can have been recorded later; one query on the actions' rows
            (sql,) = counting
            assert '"actions_actionupdate"' not in sql, figure.__name__
            assert '"updates_recorded_until"' not in sql, figure.__name__
            continue
        # a past day: the actions whose updates were all recorded by then read their own
        # rows; only the others are grouped
        held, grouped = counting
        assert '"actions_actionupdate"' not in held, figure.__name__
        assert '"updates_recorded_until" <= ' in held, figure.__name__
        assert '"actions_actionupdate"' in grouped, figure.__name__
        assert '"updates_recorded_until" > ' in grouped, figure.__name__


def test_a_figures_queries_do_not_depend_on_what_was_recorded_later(org, make_action):
    period, day = month_period(datetime.date(2026, 3, 1)), datetime.date(2026, 3, 15)
    action = make_action(raised_on=datetime.date(2026, 3, 2), due_date=datetime.date(2026, 3, 9))
    add_update(action, NOTE, datetime.date(2026, 3, 5))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            for figure in (action_status_counts, actions_backlog):
                figure(period, today=day)
        return len(captured)

    queries()  # the first fills per-process caches (the settings)
    before = queries()
    add_update(action, COMPLETED, datetime.date(2026, 3, 6), datetime.date(2026, 3, 20))
    assert queries() == before


def _queries(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["qa_lead", "team_manager", "head_of_service"])
def test_the_tracker_page_makes_as_many_queries_for_40_actions_as_for_10(
    client, org, add_actions, role
):
    url = reverse("actions:tracker")
    add_actions(10)
    _queries(client, org.users[role], url)  # the first request fills per-process caches
    small = _queries(client, org.users[role], url)
    add_actions(30)
    assert _queries(client, org.users[role], url) == small
    assert _queries(client, org.users[role], url + "?status=open") == _queries(
        client, org.users[role], url + "?status=open&page=2"
    )


def test_the_weekly_trackers_query_status_without_subqueries(org, add_actions):
    add_actions(10)
    with CaptureQueriesContext(connection) as queries:
        tracker_send_weekly(today=TODAY)
    status_queries = [
        q["sql"] for q in queries.captured_queries if '"actions_actionupdate"' in q["sql"]
    ]
    assert status_queries
    assert all(selects(sql) <= 2 for sql in status_queries)
    assert my_actions(org.users["team_manager"], TODAY).filter(status="overdue").exists()
