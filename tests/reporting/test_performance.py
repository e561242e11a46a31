"""The performance snapshot: RAG at each boundary, the small-sample rule, direction of
travel and its sentence, periods, targets, scope and a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.dates import month_period, quarter
from common.stats import wilson_interval
from reporting.filters import PERIOD_UNKNOWN, period_param
from reporting.forms import ENTER_PERCENT
from reporting.models import Targets
from reporting.selectors.performance import (
    AMBER,
    GREEN,
    GREY,
    RED,
    Figure,
    movement,
    performance,
    previous_periods,
    rate_at_least,
    rate_at_most,
    rate_count,
)
from tests.actions.conftest import make_action  # noqa: F401 (a fixture of march)
from tests.actions.test_figures import march  # noqa: F401 (a fixture)

from .conftest import INAD, RI, G, audit

D = datetime.date
URL = "/reports/performance/"
JUNE = month_period(D(2026, 6, 1))


def row(snapshot, key):
    return next(r for r in snapshot.rows if r.measure.key == key)


# RAG at each boundary, both sides --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rag"), [(100, GREEN), (90, GREEN), (89.9, AMBER), (85, AMBER), (84.9, RED)]
)
def test_a_target_to_reach_is_amber_within_the_margin_below_it(value, rag):
    assert rate_at_least(value, 90, 5) == rag


@pytest.mark.parametrize(
    ("value", "rag"), [(0, GREEN), (9, GREEN), (9.1, AMBER), (14, AMBER), (14.1, RED)]
)
def test_a_limit_not_to_pass_is_amber_within_the_margin_above_it(value, rag):
    assert rate_at_most(value, 9, 5) == rag


@pytest.mark.parametrize(
    ("value", "rag"), [(0, RED), (44, RED), (45, AMBER), (59, AMBER), (60, GREEN), (61, GREEN)]
)
def test_audits_completed_are_red_below_baseline_and_green_at_stretch(value, rag):
    assert rate_count(value, 45, 60) == rag


def test_the_targets_start_with_the_councils_defaults(db):
    targets = Targets.load()
    assert (targets.audits_baseline, targets.audits_stretch_per_team) == (45, 2)
    assert [
        targets.completion_rate,
        targets.good_or_better,
        targets.inadequate_at_most,
        targets.actions_within_timescale,
        targets.child_spoken_to,
        targets.parent_carer_spoken_to,
        targets.social_worker_involved,
        targets.team_manager_involved,
        targets.iro_involved,
        targets.amber_points,
    ] == [90, 50, 9, 80, 80, 80, 95, 95, 95, 5]
    assert Targets.load().pk == targets.pk == 1


# Periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "quarterly"),
    [
        ("2026-06", D(2026, 6, 1), D(2026, 6, 30), False),
        ("2026-Q1", D(2026, 4, 1), D(2026, 6, 30), True),
        ("2026-q4", D(2027, 1, 1), D(2027, 3, 31), True),
        ("", D(2026, 11, 1), D(2026, 11, 30), False),  # the last whole month
    ],
)
def test_a_period_is_a_month_or_a_financial_quarter(text, start, end, quarterly):
    period, is_quarter, error = period_param(text, D(2026, 12, 5))
    assert (period.start, period.end, is_quarter, error) == (start, end, quarterly, "")


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "2026-Q0", "June", "2026-6-1"])
def test_a_wrong_period_is_refused_with_its_message(text):
    assert period_param(text, D(2026, 12, 5)) == (None, False, PERIOD_UNKNOWN)


def test_the_periods_before_are_the_three_months_or_quarters_before():
    assert [p.start for p in previous_periods(JUNE, False)] == [
        D(2026, 5, 1),
        D(2026, 4, 1),
        D(2026, 3, 1),
    ]
    assert [p.label for p in previous_periods(quarter(2026, 1), True)] == [
        "Q4 2025/26",
        "Q3 2025/26",
        "Q2 2025/26",
    ]


# Direction of travel ----------------------------------------------------------------


def _earlier(*values):
    return list(zip(["June", "May", "April"], [Figure(v) for v in values], strict=True))


@pytest.mark.parametrize(
    ("current", "earlier", "direction", "clause"),
    [
        (38, (44, 40, 30), "Down", "Decreased from 44 in June and 40 in May"),
        (38, (44, 40, 39), "Down", "Decreased from 44 in June, 40 in May and 39 in April"),
        (38, (44, 38, 50), "Down", "Decreased from 44 in June"),
        (50, (44, 60, 30), "Up", "Increased from 44 in June"),
        (50, (44, 45, None), "Up", "Increased from 44 in June and 45 in May"),
        (44, (44, 40, 30), "No change", "Unchanged from 44 in June"),
        (44, (None, 40, 30), "No earlier figure", "No figure for June to compare"),
        (85.5, (80.0, 90.0, 70.0), "Up", "Increased from 80% in June"),
    ],
)
def test_direction_of_travel_names_the_periods_it_passes(current, earlier, direction, clause):
    assert movement(Figure(current), _earlier(*earlier)) == (direction, clause)


def test_the_sentence_for_audits_completed(org, template):
    targets = Targets.load()
    targets.audits_baseline, targets.audits_stretch_per_team = 5, 5
    targets.save()
    for month, n in ((7, 3), (6, 5), (5, 4), (4, 2)):
        for day in range(1, n + 1):
            audit(org, template, G, completed=D(2026, month, day))
    snapshot = performance(month_period(D(2026, 7, 1)))
    audits = row(snapshot, "audits")
    assert audits.value == "3"
    assert audits.target == "Baseline 5, stretch 10"  # 5 per team, two teams
    assert (audits.rag, audits.rag_label, audits.direction) == (RED, "Red", "Down")
    assert audits.sentence == "Decreased from 5 in June and 4 in May; below baseline (5)"
    assert [(label, f.value) for label, f in audits.earlier] == [
        ("June", 5),
        ("May", 4),
        ("April", 2),
    ]


def test_a_service_area_has_its_share_of_the_baseline(org, template):
    # Two active teams, one in each area: 45 / 2 rounded up; stretch 2 for its one team.
    snapshot = performance(JUNE, service_area=org.area_a.pk)
    assert row(snapshot, "audits").target == "Baseline 23, stretch 2"
    quarterly = performance(quarter(2026, 1), quarterly=True)
    assert row(quarterly, "audits").target == "Baseline 135, stretch 12"


# The small-sample rule -------------------------------------------------------------


def _june(org, template, good, ri):
    for i in range(good):
        audit(org, template, G, completed=D(2026, 6, 1 + i % 28))
    for i in range(ri):
        audit(org, template, RI, completed=D(2026, 6, 1 + i % 28))


def test_twenty_audits_are_rated(org, template):
    _june(org, template, 10, 10)
    good = row(performance(JUNE), "good_or_better")
    assert (good.value, good.rag, good.rag_label) == ("50%", GREEN, "Green")
    assert good.interval is None and not good.small_sample
    assert good.sentence.endswith("meets the target (50%)")
    assert good.tag_class == "govuk-tag--green"


def test_nineteen_audits_are_not_rated_and_show_their_interval(org, template):
    _june(org, template, 9, 10)
    good = row(performance(JUNE), "good_or_better")
    low, high = wilson_interval(9, 19)
    assert good.value == "47.4%"
    assert (good.rag, good.rag_label) == (GREY, "Too few audits to rate")
    assert good.interval == (round(100 * low, 1), round(100 * high, 1))
    assert good.tag_class == "govuk-tag--grey"
    assert "too few audits to rate: 9 of 19, 95% interval" in good.sentence


def test_percentages_are_rated_against_their_targets(org, template):
    # 20 audits: 9 Good, 9 RI, 2 Inadequate; 19 with the social worker involved.
    _june(org, template, 9, 9)
    audit(org, template, INAD, completed=D(2026, 6, 2))
    audit(org, template, INAD, completed=D(2026, 6, 3), social_worker_involved="no")
    snapshot = performance(JUNE)
    good = row(snapshot, "good_or_better")
    assert (good.value, good.rag) == ("45%", AMBER)  # 5 points below 50
    assert good.sentence.endswith("5 points below the target (50%)")
    inadequate = row(snapshot, "inadequate")
    assert (inadequate.value, inadequate.rag) == ("10%", AMBER)  # 1 point above 9
    assert inadequate.target == "At most 9%"
    assert inadequate.sentence.endswith("1 point above the limit (9%)")
    worker = row(snapshot, "social_worker")
    assert (worker.value, worker.rag) == ("95%", GREEN)
    targets = Targets.load()
    targets.amber_points = 4
    targets.save()
    assert row(performance(JUNE), "good_or_better").rag == RED


def test_a_month_with_nothing_to_count_is_grey(org):
    good = row(performance(JUNE), "good_or_better")
    assert (good.value, good.rag, good.rag_label) == ("No figure", GREY, "No figure")
    assert good.sentence == "Nothing to count in June 2026"


# The page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("leader", 200),
        ("qa_lead", 200),
        ("administrator", 200),
        ("head_of_service", 200),
        ("auditor", 403),
        ("moderator", 403),
        ("team_manager", 403),
        ("ambassador", 404),  # ambassadors see only their review pages
        ("no_role", 403),
    ],
)
def test_who_may_see_the_performance_page(client, org, role, status):
    client.force_login(org.users[role])
    assert client.get(URL, {"period": "2026-06"}).status_code == status


def test_signed_out_is_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_the_page_shows_each_rating_in_words(client, org, template):
    _june(org, template, 10, 10)
    client.force_login(org.users["leader"])
    response = client.get(URL, {"period": "2026-06"})
    html = response.content.decode()
    assert response.context["snapshot"].period.label == "June 2026"
    assert '<strong class="govuk-tag govuk-tag--green">Green</strong>' in html
    assert "Good or better" in html and "meets the target (50%)" in html
    assert reverse("reporting:performance") == URL


def test_the_page_marks_a_small_sample(client, org, template):
    _june(org, template, 9, 10)
    client.force_login(org.users["qa_lead"])
    html = client.get(URL, {"period": "2026-06"}).content.decode()
    assert '<strong class="govuk-tag govuk-tag--grey">Too few audits to rate</strong>' in html
    assert "9 of 19; 95% interval" in html


def test_a_quarter_is_shown_with_its_label(client, org):
    client.force_login(org.users["leader"])
    response = client.get(URL, {"period": "2026-Q1"})
    assert response.context["snapshot"].period.label == "Q1 2026/27"
    assert [p.label for p in response.context["snapshot"].earlier][0] == "Q4 2025/26"


def test_a_wrong_period_gets_its_message(client, org):
    client.force_login(org.users["leader"])
    response = client.get(URL, {"period": "2026-Q7"})
    assert response.status_code == 400
    assert PERIOD_UNKNOWN in response.content.decode()


def test_a_head_of_service_sees_their_own_area(client, org, template):
    audit(org, template, G, completed=D(2026, 6, 3))  # Safeguarding
    audit(org, template, G, completed=D(2026, 6, 4), team=org.team_b)  # Children in Care
    client.force_login(org.users["head_of_service"])
    response = client.get(URL, {"period": "2026-06"})
    assert row(response.context["snapshot"], "audits").value == "1"
    assert [a.name for a in response.context["areas"]] == ["Safeguarding"]
    client.force_login(org.users["leader"])
    everything = client.get(URL, {"period": "2026-06"}).context["snapshot"]
    assert row(everything, "audits").value == "2"
    area = client.get(URL, {"period": "2026-06", "service_area": "Children in Care"})
    assert row(area.context["snapshot"], "audits").value == "1"


def test_a_head_of_service_may_not_see_another_area(client, org):
    client.force_login(org.users["head_of_service"])
    response = client.get(URL, {"period": "2026-06", "service_area": "Children in Care"})
    assert response.status_code == 403


def _queries(client, org):
    client.force_login(org.users["leader"])
    client.get(URL, {"period": "2026-06"})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"period": "2026-06"}).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_audits(client, org, template):
    for i in range(10):
        audit(org, template, [G, RI][i % 2], completed=D(2026, 3 + i % 4, 1 + i))
    at_10 = _queries(client, org)
    assert at_10 > 0
    for i in range(60):
        audit(org, template, [G, RI, INAD][i % 3], completed=D(2026, 3 + i % 4, 1 + i % 28))
    assert _queries(client, org) == at_10


# The targets ------------------------------------------------------------------------


TARGETS_URL = "/reports/targets/"


def _form(**changes):
    data = {
        "audits_baseline": 45,
        "audits_stretch_per_team": 2,
        "completion_rate": 90,
        "good_or_better": 50,
        "inadequate_at_most": 9,
        "actions_within_timescale": 80,
        "child_spoken_to": 80,
        "parent_carer_spoken_to": 80,
        "social_worker_involved": 95,
        "team_manager_involved": 95,
        "iro_involved": 95,
        "amber_points": 5,
    }
    return data | changes


def test_the_qa_lead_changes_a_target(client, org):
    client.force_login(org.users["qa_lead"])
    assert client.get(TARGETS_URL).status_code == 200
    response = client.post(TARGETS_URL, _form(good_or_better=60, inadequate_at_most=0))
    assert response.status_code == 302
    targets = Targets.load()
    assert (targets.good_or_better, targets.inadequate_at_most) == (60, 0)
    assert targets.history.count() >= 1


@pytest.mark.parametrize("value", ["101", "-1", "abc", "", "50.5"])
def test_a_percentage_must_be_a_whole_number_from_0_to_100(client, org, value):
    client.force_login(org.users["qa_lead"])
    response = client.post(TARGETS_URL, _form(good_or_better=value, completion_rate=70))
    assert response.status_code == 200
    message = ENTER_PERCENT.format(label="Good or better")
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Targets.load().completion_rate == 90  # nothing changed


def test_100_and_0_are_accepted(client, org):
    client.force_login(org.users["qa_lead"])
    client.post(TARGETS_URL, _form(good_or_better=100, inadequate_at_most=0))
    assert (Targets.load().good_or_better, Targets.load().inadequate_at_most) == (100, 0)


@pytest.mark.parametrize(
    "role", ["leader", "administrator", "head_of_service", "auditor", "team_manager", "no_role"]
)
def test_only_the_qa_lead_changes_the_targets(client, org, role):
    client.force_login(org.users[role])
    assert client.get(TARGETS_URL).status_code == 403
    assert client.post(TARGETS_URL, _form(good_or_better=70)).status_code == 403
    assert Targets.load().good_or_better == 50


def test_the_qa_leads_programme_page_links_to_the_performance_page(client, org):
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("programme:index")).content.decode()
    assert f'href="{URL}"' in html


@pytest.mark.usefixtures("march")
def test_the_actions_measure_is_the_actions_apps_figure(org):
    # tests.actions.test_figures: of March's actions, 3 of the 7 judged at 30 April were
    # completed within timescale.
    actions = row(performance(month_period(D(2026, 4, 1))), "actions")
    assert (actions.figure.part, actions.figure.whole, actions.value) == (3, 7, "42.9%")
    assert (actions.rag, actions.rag_label) == (GREY, "Too few actions to rate")


def test_the_page_lists_the_earlier_periods_as_shown(client, org, template):
    audit(org, template, G, completed=D(2026, 5, 3))
    client.force_login(org.users["leader"])
    html = client.get(URL, {"period": "2026-06"}).content.decode()
    assert "<li>May: 100%</li>" in html  # Good or better in May: 1 of 1
    assert "<li>April: No figure</li>" in html
