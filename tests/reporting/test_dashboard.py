"""The leaders' dashboard and the audits behind its counts: figures, links, scope, the
teams table, small-sample honesty, bad input and a constant number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from audits.models import Grade, RIBand
from common.dates import quarter
from qa_audit.navigation import navigation_for
from reporting.filters import AREA_NOT_YOURS
from reporting.models import Targets
from reporting.presenting import percent
from reporting.selectors import Slice
from reporting.selectors.dashboard import team_figures
from reporting.targets import TeamTargets, team_targets
from reporting.views.dashboard import GRADE_UNKNOWN, MONTH_UNKNOWN, PERIOD_UNKNOWN
from tests.factories import TeamFactory, UserFactory

from .conftest import INAD, RI, G, audit

pytestmark = pytest.mark.django_db

DASHBOARD = "/reports/dashboard/"
AUDITS = "/reports/audits/"
Q1 = {"start": "2026-04-01", "end": "2026-06-30"}


def drill(client, user, **params):
    client.force_login(user)
    response = client.get(AUDITS, Q1 | params)
    assert response.status_code == 200, response.content[:500]
    return {row["audit"].pk for row in response.context["rows"]}


def ids(audits, *names):
    return {audits[name].pk for name in names}


# The dashboard ----------------------------------------------------------------------


def test_a_leader_sees_the_charts_with_their_tables_and_links(client, org, audits):
    client.force_login(org.users["leader"])
    response = client.get(DASHBOARD, {"period": "custom"} | Q1)
    assert response.status_code == 200
    charts = {c["id"]: c for c in response.context["charts"]}
    assert list(charts) == [
        "grades-by-month",
        "domains",
        "original-moderated",
        "actions",
        "feedback",
    ]
    html = response.content.decode()
    for chart in charts.values():
        assert chart["summary"]
        assert f'id="{chart["id"]}" type="application/json"' in html
    june = charts["grades-by-month"]["rows"][2]
    assert june["header"] == "June 2026"
    # June: A Good; K and L Inadequate (L moderated from Good)
    assert [c["text"] for c in june["cells"]] == [0, 1, 0, 2, 3]
    assert "month=2026-06" in june["cells"][3]["href"]
    assert "grade=inadequate" in june["cells"][3]["href"].lower()
    assert 'src="/static/vendor/plotly/plotly.min.js"' in html
    assert "<script>" not in html  # no inline script: the policy forbids it


def test_every_count_on_the_page_opens_the_audits_behind_it(client, org, audits):
    client.force_login(org.users["leader"])
    html = client.get(DASHBOARD, Q1).content.decode()
    links = re.findall(r'href="(/reports/audits/\?[^"]+)"', html)
    assert links
    for link in links[:12]:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link


def test_the_filters_are_kept_in_the_address_and_read_by_name_or_id(client, org, audits):
    client.force_login(org.users["leader"])
    response = client.get(
        DASHBOARD, {"period": "q-2026-1", "service_area": org.area_b.pk, "audit_type": "All"}
    )
    assert response.status_code == 200
    s = response.context["slice"]
    assert (s.start, s.end, s.service_area, s.audit_type) == (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 6, 30),
        org.area_b.pk,
        None,
    )
    assert response.context["figures"]["audits"]["completed"] == 1  # D only


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "q-2026-9"}, "period", PERIOD_UNKNOWN),
        ({"period": "nonsense"}, "period", PERIOD_UNKNOWN),
        ({"period": "custom", "start": "2026-02-30", "end": "2026-03-31"}, "start", None),
        ({"period": "custom", "start": "2026-04-01", "end": "2026-03-31"}, "end", None),
        ({"period": "q-2026-1", "legal_status": "Spaceman"}, "legal_status", None),
    ],
)
def test_bad_filters_get_an_error_summary_not_an_error_page(client, org, params, field, message):
    client.force_login(org.users["leader"])
    response = client.get(DASHBOARD, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'href="#{field}"' in html
    if message:
        assert message in html


def test_only_people_who_may_see_figures_open_the_dashboard(client, org):
    for who in ("auditor", "team_manager", "no_role", "moderator"):
        client.force_login(org.users[who])
        assert client.get(DASHBOARD).status_code == 403
        assert client.get(AUDITS, Q1).status_code == 403
    for who in ("leader", "qa_lead", "head_of_service", "administrator"):
        client.force_login(org.users[who])
        assert client.get(DASHBOARD).status_code == 200, who


def test_a_head_of_service_sees_their_own_area_and_cannot_ask_for_another(client, org, audits):
    client.force_login(org.users["head_of_service"])
    response = client.get(DASHBOARD, Q1)
    assert response.context["slice"].service_area == org.area_a.pk
    assert [a.pk for a in response.context["service_areas"]] == [org.area_a.pk]
    assert client.get(DASHBOARD, Q1 | {"service_area": org.area_b.pk}).status_code == 403
    assert client.get(DASHBOARD, Q1 | {"team": org.team_b.pk}).status_code == 403
    assert client.get(AUDITS, Q1 | {"service_area": org.area_b.pk}).status_code == 403
    assert client.get(AUDITS, Q1 | {"team": org.team_b.pk}).status_code == 403


def test_a_refusal_says_why(client, org, audits):
    client.force_login(org.users["head_of_service"])
    for page, params in (
        (DASHBOARD, {"service_area": org.area_b.pk}),
        (AUDITS, {"team": org.team_b.pk}),
    ):
        response = client.get(page, Q1 | params)
        assert response.status_code == 403
        html = response.content.decode()
        assert f"{AREA_NOT_YOURS}." in html
        assert "Your roles do not include this page" not in html
        assert org.area_b.name not in html


def test_the_team_filter_offers_every_team_the_viewer_may_see_by_id(client, org):
    """The filter lists the teams of the viewer's service areas, whether or not they
    completed audits lately (the teams table beside it lists only those that did)."""
    client.force_login(org.users["leader"])
    response = client.get(DASHBOARD, {"period": "custom"} | Q1)
    assert response.context["teams"] == []
    html = response.content.decode()
    for team in (org.team_a, org.team_b):
        assert f'<option value="{team.pk}" >{team.service_area.name}: {team.name}</option>' in html
    client.force_login(org.users["head_of_service"])
    html = client.get(DASHBOARD, {"period": "custom"} | Q1).content.decode()
    assert f'<option value="{org.team_a.pk}" ' in html
    assert org.team_b.name not in html


def test_a_head_of_services_links_stay_inside_their_area(client, org, audits):
    client.force_login(org.users["head_of_service"])
    html = client.get(DASHBOARD, Q1).content.decode()
    links = re.findall(r'href="/reports/audits/\?([^"]+)"', html)
    assert links
    assert all(f"service_area={org.area_a.pk}" in link for link in links)
    # D (team B, the other area) is never listed, whatever the link asks
    assert audits["D"].pk not in drill(client, org.users["head_of_service"])
    assert audits["D"].pk in drill(client, org.users["leader"])


# The audits behind a count -----------------------------------------------------------


def test_the_audits_behind_a_final_grade(client, org, audits):
    leader = org.users["leader"]
    assert drill(client, leader, grade="Good") == ids(audits, "A")
    assert drill(client, leader, grade="Inadequate") == ids(audits, "K", "L")
    assert drill(client, leader) == ids(audits, "A", "C", "D", "H", "I", "K", "L")


def test_no_audits_behind_a_figure_leads_back_to_the_dashboard(client, org):
    client.force_login(org.users["leader"])
    html = client.get(AUDITS, Q1).content.decode()
    empty = re.search(r'data-testid="no-audits">(.*?)</td>', html, re.S).group(1)
    assert "No audits match this figure." in empty
    assert f'href="{DASHBOARD}?' in empty


def test_the_audits_behind_an_auditors_grade(client, org, audits):
    assert drill(client, org.users["leader"], grade="Good", basis="original") == ids(
        audits, "A", "H", "L"
    )


def test_the_audits_behind_a_month_by_completion(client, org, audits):
    leader = org.users["leader"]
    assert drill(client, leader, month="2026-04") == ids(audits, "D", "H")
    assert drill(client, leader, month="2026-05") == ids(audits, "C", "I")  # C completed late


def test_the_audits_behind_a_domain_grade(client, org, audits):
    leader = org.users["leader"]
    # L's Visits moderated to Inadequate; K graded Inadequate throughout
    assert drill(client, leader, domain="Visits", grade="Inadequate") == ids(audits, "K", "L")
    # A graded Not graded, I left blank
    assert drill(client, leader, domain="Assessments", grade="Not graded") == ids(audits, "A", "I")


def test_the_audits_of_weaker_practice_and_good_or_better(client, org, audits):
    leader = org.users["leader"]
    # C is RI lower; H is RI after moderation (no band), I is RI upper
    assert drill(client, leader, practice="weaker") == ids(audits, "C", "K", "L")
    assert drill(client, leader, practice="good_or_better") == ids(audits, "A", "D")


def test_the_list_links_an_audit_only_where_the_viewer_may_read_it(client, org, audits):
    client.force_login(org.users["leader"])
    response = client.get(AUDITS, Q1)
    assert not any(row["readable"] for row in response.context["rows"])
    client.force_login(org.users["qa_lead"])
    response = client.get(AUDITS, Q1)
    assert all(row["readable"] for row in response.context["rows"])
    assert f'href="/audits/{audits["A"].pk}/"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"grade": "Brilliant"}, GRADE_UNKNOWN),
        ({"grade": "Not graded"}, GRADE_UNKNOWN),  # only a domain is not graded
        ({"month": "2026-07"}, MONTH_UNKNOWN),  # outside the period
        ({"month": "2026-4"}, MONTH_UNKNOWN),
    ],
)
def test_a_bad_drill_down_gets_a_specific_message(client, org, params, message):
    client.force_login(org.users["leader"])
    response = client.get(AUDITS, Q1 | params)
    assert response.status_code == 400
    assert message in response.content.decode()


# The teams table and small samples ---------------------------------------------------


def test_the_teams_table_reads_each_team(org, audits):
    teams = {t["name"]: t for t in team_figures(Slice.of(_q1()), team_targets())}
    a, b = teams["Family Support North"], teams["Children in Care 1"]
    # A Good; C RI lower; H, I RI; K, L Inadequate
    assert (a["completed"], a["good"], a["inadequate"], a["weaker"]) == (6, 1, 2, 3)
    assert (a["meets_targets"], a["weaker_concern"]) == (False, True)
    assert (b["completed"], b["good"], b["meets_targets"], b["weaker_concern"]) == (
        1,
        1,
        True,
        False,
    )


def _q1():
    return quarter(2026, 1)


def _team_of(org, template, grades):
    team = TeamFactory(service_area=org.area_a)
    for i, (grade, band) in enumerate(grades):
        audit(
            org, template, grade, team=team, ri_band=band, completed=datetime.date(2026, 5, i + 1)
        )
    return team


@pytest.mark.parametrize(
    ("good", "inadequate", "meets"),
    [(5, 1, True), (4, 1, False), (5, 2, False)],
)
def test_meeting_both_targets_at_their_boundaries(org, template, good, inadequate, meets):
    grades = [(G, "")] * good + [(INAD, "")] * inadequate
    grades += [(RI, RIBand.UPPER)] * (10 - len(grades))
    team = _team_of(org, template, grades)
    targets = TeamTargets(good_or_better=0.5, inadequate_at_most=0.1)
    row = next(t for t in team_figures(Slice.of(_q1()), targets) if t["team"] == team.pk)
    assert row["meets_targets"] is meets


@pytest.mark.parametrize(("weaker", "concern"), [(4, True), (3, False)])
def test_weaker_practice_of_forty_percent_is_a_concern(org, template, weaker, concern):
    grades = [(INAD, "")] * (weaker // 2) + [(RI, RIBand.LOWER)] * (weaker - weaker // 2)
    grades += [(G, "")] * (10 - weaker)
    team = _team_of(org, template, grades)
    row = next(t for t in team_figures(Slice.of(_q1()), team_targets()) if t["team"] == team.pk)
    assert row["weaker_concern"] is concern


def test_a_percentage_on_fewer_than_20_shows_its_wilson_interval():
    assert percent(10, 19) | {} == {
        "value": 10 / 19,
        "text": "53%",
        "n": 19,
        "small": True,
        "interval": "32% to 73%",
    }
    assert percent(10, 20)["small"] is False
    assert "interval" not in percent(10, 20)
    assert percent(0, 0) is None


def test_the_page_marks_a_small_month_and_colours_no_small_team(client, org, audits):
    client.force_login(org.users["leader"])
    html = client.get(DASHBOARD, Q1).content.decode()
    assert "Fewer than 20" in html
    assert "95% interval" in html


def test_a_small_team_is_never_coloured_red_or_green(client, org, template):
    today = timezone.localdate()
    for grade in (G, G, G, G):
        audit(org, template, grade, completed=today)
    client.force_login(org.users["leader"])
    response = client.get(DASHBOARD)
    (row,) = response.context["teams"]
    assert row["meets_targets"] and row["small"]
    html = response.content.decode()
    assert "govuk-tag--green" not in html
    assert "Meets both targets on fewer than 20 audits" in html


# Navigation and home -----------------------------------------------------------------


def test_the_navigation_says_dashboard_to_those_who_see_figures(org):
    for who in ("leader", "head_of_service", "qa_lead"):
        labels = [i["label"] for i in navigation_for(org.users[who], "/")]
        assert "Dashboard" in labels, who
    for who in ("auditor", "team_manager"):
        labels = [i["label"] for i in navigation_for(org.users[who], "/")]
        assert "Dashboard" not in labels, who


def test_the_leaders_and_heads_home_gains_the_dashboard(client, org):
    for who in ("leader", "head_of_service"):
        client.force_login(org.users[who])
        html = client.get("/").content.decode()
        assert 'href="/reports/dashboard/"' in html, who
    client.force_login(org.users["auditor"])
    assert 'href="/reports/dashboard/"' not in client.get("/").content.decode().split("<main")[1]


# Queries -----------------------------------------------------------------------------


def _queries(client, user):
    client.force_login(user)
    client.get(DASHBOARD, Q1)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD, Q1)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.slow
def test_the_dashboards_queries_do_not_grow_with_the_audits(client, org, template):
    teams = [org.team_a, org.team_b, TeamFactory(service_area=org.area_a)]
    grades = [G, RI, INAD, Grade.OUTSTANDING]

    def add(n, offset):
        for i in range(n):
            audit(
                org,
                template,
                grades[(i + offset) % 4],
                team=teams[i % 3],
                completed=datetime.date(2026, 4 + i % 3, 1 + i % 28),
            )

    add(10, 0)
    at_10 = _queries(client, org.users["leader"])
    add(490, 1)
    at_500 = _queries(client, org.users["leader"])
    assert at_10 == at_500
    UserFactory(roles=[Role.LEADER])  # people are not what the count rests on either
    assert _queries(client, org.users["leader"]) == at_500


@pytest.mark.parametrize(("n", "coloured"), [(19, False), (20, True)])
def test_a_team_is_coloured_only_on_20_audits_or_more(client, org, template, n, coloured):
    today = timezone.localdate()
    for i in range(n):
        grade, band = (INAD, "") if i % 2 else (RI, RIBand.LOWER)
        audit(org, template, grade, completed=today, ri_band=band)
    client.force_login(org.users["leader"])
    response = client.get(DASHBOARD)
    (row,) = response.context["teams"]
    assert row["weaker_concern"]
    html = response.content.decode()
    assert ("govuk-tag--red" in html) is coloured
    assert ("Weaker practice 40% or more on fewer than 20 audits" in html) is not coloured


def test_the_teams_table_reads_the_qa_leads_targets():
    targets = Targets.load()
    targets.good_or_better, targets.inadequate_at_most = 60, 5
    targets.save()
    assert team_targets().good_or_better == 0.6
    assert team_targets().inadequate_at_most == 0.05


def test_the_dashboard_leads_to_the_performance_page(client, org):
    client.force_login(org.users["head_of_service"])
    html = client.get(DASHBOARD, Q1).content.decode()
    assert 'href="/reports/performance/"' in html
