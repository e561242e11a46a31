"""Each figure for reports against a hand-counted case."""

import datetime

import pytest

from actions.models import ActionKind, CaseOfConcern, Comparison, ReauditProposal
from actions.selectors import (
    action_status_counts,
    actions_backlog,
    actions_completed_within_timescale,
    cases_of_concern_figures,
    reaudit_outcomes,
)
from common.dates import Period, month_period, quarter
from tests.factories import ChildFactory

from .helpers import COMPLETED, NOTE, TRANSFERRED, add_update

pytestmark = pytest.mark.django_db

LATER = datetime.date(2026, 9, 1)  # "today": long after every period in these tests
D = datetime.date


@pytest.fixture
def march(org, make_action):
    """Actions raised in March 2026 (and a few outside it), with their histories."""
    a = make_action(raised_on=D(2026, 3, 2), due_date=D(2026, 3, 30))
    add_update(a, COMPLETED, D(2026, 3, 30))  # on time, on the due date
    b = make_action(raised_on=D(2026, 3, 2), due_date=D(2026, 3, 30), team=org.team_b)
    add_update(b, COMPLETED, D(2026, 3, 31))  # a day late
    c = make_action(raised_on=D(2026, 3, 10), due_date=D(2026, 4, 7))  # never done
    d = make_action(raised_on=D(2026, 3, 20), due_date=D(2026, 5, 1))  # not due by 30 April
    e = make_action(
        raised_on=D(2026, 3, 31), due_date=D(2026, 4, 28), kind=ActionKind.CARE_PLANNING
    )
    add_update(e, TRANSFERRED, D(2026, 4, 20))  # in the plan on time
    f = make_action(raised_on=D(2026, 3, 15), due_date=D(2026, 4, 12))
    add_update(f, COMPLETED, D(2026, 4, 12), recorded_on=D(2026, 5, 3))  # recorded after April
    g = make_action(raised_on=D(2026, 3, 25), due_date=D(2026, 5, 6))
    add_update(g, COMPLETED, D(2026, 4, 1))  # done early
    k = make_action(raised_on=D(2026, 3, 3), due_date=D(2026, 3, 17))
    add_update(k, NOTE, D(2026, 3, 20), note="Chased")  # overdue, but followed up
    h = make_action(raised_on=D(2026, 2, 27), due_date=D(2026, 3, 27))
    add_update(h, COMPLETED, D(2026, 3, 1))  # February's
    make_action(raised_on=D(2026, 4, 1), due_date=D(2026, 4, 29))  # April's
    lost = make_action(raised_on=D(2026, 1, 5), due_date=D(2026, 2, 2))  # forgotten
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "k": k, "h": h, "l": lost}


def test_completed_within_timescale_counts_last_months_actions(march, org):
    figures = actions_completed_within_timescale(month_period(D(2026, 4, 1)), today=LATER)
    assert (figures["cohort_start"], figures["cohort_end"], figures["as_of"]) == (
        D(2026, 3, 1),
        D(2026, 3, 31),
        D(2026, 4, 30),
    )
    # a, e, g within timescale; b late; c, f, k overdue at 30 April; d not yet due.
    assert figures["all"] == {
        "raised": 8,
        "within_timescale": 3,
        "late": 1,
        "overdue": 3,
        "not_yet_due": 1,
        "judged": 7,
        "percent": 42.9,
        "meets_target": False,
    }
    assert figures["care_planning"]["raised"] == 1
    assert (figures["care_planning"]["percent"], figures["care_planning"]["meets_target"]) == (
        100.0,
        True,
    )
    assert (figures["other"]["within_timescale"], figures["other"]["judged"]) == (2, 6)
    assert figures["other"]["percent"] == 33.3
    assert figures["target"] == 80


def test_completed_within_timescale_in_a_scope(march, org):
    team_b = actions_completed_within_timescale(
        month_period(D(2026, 4, 1)), scope=org.team_b, today=LATER
    )
    assert (team_b["all"]["raised"], team_b["all"]["late"], team_b["all"]["percent"]) == (1, 1, 0.0)
    area_a = actions_completed_within_timescale(
        month_period(D(2026, 4, 1)), scope=org.area_a, today=LATER
    )
    assert area_a["all"]["raised"] == 7


def test_a_quarter_counts_the_months_before_each_of_its_months(march):
    figures = actions_completed_within_timescale(quarter(2026, 1), today=LATER)
    assert (figures["cohort_start"], figures["cohort_end"]) == (D(2026, 3, 1), D(2026, 5, 31))
    assert figures["all"]["raised"] == 9  # March's eight and the one raised in April


def test_status_counts_at_the_end_of_the_period(march):
    counts = action_status_counts(month_period(D(2026, 3, 1)), today=LATER)
    assert counts["as_of"] == D(2026, 3, 31)
    # At 31 March: a on time; b late; k overdue; c, d, e, f, g not yet due (g's and f's
    # completions were not known yet). No update for 14+ days: c (raised 10 March) and
    # f (15 March); k had a note on 20 March.
    assert counts["all"] == {
        "total": 8,
        "no_update": 2,
        "not_yet_due": 5,
        "overdue": 1,
        "completed_on_time": 1,
        "completed_late": 1,
    }
    assert counts["care_planning"]["total"] == 1
    assert counts["care_planning"]["not_yet_due"] == 1
    assert counts["care_planning"]["transfer"] == {
        "not_transferred": 1,
        "transferred_on_time": 0,
        "transferred_late": 0,
    }
    assert counts["other"]["total"] == 7 and counts["other"]["completed_late"] == 1


def test_status_counts_part_way_through_the_month(march):
    counts = action_status_counts(month_period(D(2026, 3, 1)), today=D(2026, 3, 15))
    assert counts["as_of"] == D(2026, 3, 15)
    # Only what was raised by 15 March, as known then: a, b, c, f and k, none due yet.
    assert (counts["all"]["total"], counts["all"]["not_yet_due"]) == (5, 5)


def test_backlog_carried_into_the_period(march):
    backlog = actions_backlog(month_period(D(2026, 4, 1)), today=LATER)
    # Raised before April and open at 30 April: c, d, f (completion recorded in May), k,
    # and the forgotten one. Never followed up: c, d, f, the forgotten one.
    assert backlog == {
        "open": 5,
        "overdue": 4,
        "never_updated": 4,
        "older_than": D(2026, 4, 1),
        "as_of": D(2026, 4, 30),
    }


def test_cases_of_concern_figures(org, make_action):
    def case(opened, resolved=None, team=org.team_a):
        child = ChildFactory(team=team)
        return CaseOfConcern.objects.create(
            child=child,
            service_area=team.service_area,
            team=team,
            head_of_service=team.service_area.head_of_service,
            opened_on=opened,
            resolved_on=resolved,
        )

    case(D(2025, 5, 1))  # open more than 12 months at 30 June
    case(D(2025, 12, 15))  # more than 6 months
    case(D(2026, 4, 10), resolved=D(2026, 6, 20))  # opened and resolved in Q1
    case(D(2026, 5, 1), resolved=D(2026, 7, 10), team=org.team_b)  # resolved after Q1
    case(D(2026, 7, 5))  # after the period
    case(D(2025, 6, 30))  # exactly 12 months: over 6, not over 12
    figures = cases_of_concern_figures(quarter(2026, 1), today=D(2026, 7, 15))
    assert figures == {
        "opened": 2,
        "resolved": 1,
        "open": 4,
        "over_6_months": 3,
        "over_12_months": 1,
        "as_of": D(2026, 6, 30),
    }
    team_b = cases_of_concern_figures(quarter(2026, 1), scope=org.area_b, today=D(2026, 7, 15))
    assert (team_b["opened"], team_b["open"]) == (1, 1)


def test_reaudit_outcomes(org, make_action):
    def proposal(outcome, compared_on, team=org.team_a):
        earlier = make_action(team=team).audit
        return ReauditProposal.objects.create(
            audit=earlier,
            child=earlier.child,
            team=earlier.team,
            earlier_grade="inadequate",
            due_month=D(2026, 4, 1),
            outcome=outcome,
            compared_on=compared_on,
        )

    proposal(Comparison.IMPROVED, D(2026, 4, 3))
    proposal(Comparison.IMPROVED, D(2026, 4, 30), team=org.team_b)
    proposal(Comparison.SAME, D(2026, 4, 15))
    proposal(Comparison.WORSE, D(2026, 4, 16))
    proposal(Comparison.WORSE, D(2026, 5, 1))  # next month
    proposal("", None)  # not re-audited yet
    april = Period(D(2026, 4, 1), D(2026, 4, 30), "April 2026")
    assert reaudit_outcomes(april) == {"total": 4, "improved": 2, "same": 1, "worse": 1}
    assert reaudit_outcomes(april, scope=org.team_b) == {
        "total": 1,
        "improved": 1,
        "same": 0,
        "worse": 0,
    }
