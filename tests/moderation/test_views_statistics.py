"""The moderation figures page: periods, scope by role, and the tables."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Grade
from moderation.forms import CHOOSE_AREA, CHOOSE_QUARTER, CHOOSE_TEAM
from moderation.models import ModerationSettings
from moderation.views.statistics import kappa_meaning

from .conftest import accepted_audit, moderate

pytestmark = pytest.mark.django_db

G, RI, INADEQUATE = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE
# In January 2027 the last complete quarter is Q3 2026/27: October to December 2026.
TODAY = datetime.datetime(2027, 1, 15, 10, 0, tzinfo=datetime.UTC)
URL = reverse("moderation:statistics")


@pytest.fixture
def figures(org, template, panel, moderator):
    """Team A (area A): three moderated (agreed, down, down to Inadequate), one not.
    Team B (area B): one moderated and upgraded."""
    moderate(accepted_audit(org, template, G), panel, moderator, G)
    moderate(accepted_audit(org, template, G), panel, moderator, RI)
    moderate(accepted_audit(org, template, RI), panel, moderator, INADEQUATE)
    accepted_audit(org, template, G)
    moderate(
        accepted_audit(org, template, RI, team=org.team_b),
        panel,
        org.users["qa_lead"],
        G,
    )


def value(html, testid):
    match = re.search(rf'data-testid="{testid}">\s*(.*?)\s*</', html, re.S)
    return " ".join(match.group(1).split())


def options(html, name):
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


@time_machine.travel(TODAY, tick=False)
def test_qa_lead_sees_the_last_complete_quarter_by_default(client, org, figures):
    client.force_login(org.users["qa_lead"])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Q3 2026/27" in html
    assert value(html, "completed") == "5"
    assert value(html, "moderated") == "4 (80.0% of completed audits)"
    assert value(html, "agreed") == "1 (25.0%)"
    assert value(html, "upgraded") == "1 (25.0%)"
    assert value(html, "downgraded") == "2 (50.0%)"
    assert value(html, "inadequate-found") == "1 of 1 (100.0%)"
    assert 'data-testid="regraded"' in html
    assert "for development support" in html


@time_machine.travel(TODAY, tick=False)
def test_the_transition_table_is_a_real_table(client, org, figures):
    client.force_login(org.users["qa_lead"])
    html = client.get(URL).content.decode()
    table = html[html.index('data-testid="transitions"') :]
    table = table[: table.index("</table>")]
    assert "<caption" in table
    assert table.count('scope="col"') == 6  # the grade, four grades after, the total
    assert table.count('scope="row"') == 4
    good_row = table[table.index(">Good</th>") :]
    cells = re.findall(r'numeric">(\d+)</td>', good_row[: good_row.index("</tr>")])
    assert cells == ["0", "1", "1", "0", "2"]  # Good -> Good, Good -> RI; total 2


@time_machine.travel(TODAY, tick=False)
def test_periods_by_month_and_year(client, org, figures):
    client.force_login(org.users["qa_lead"])
    html = client.get(URL, {"period": "month", "year": "2026", "number": "10"}).content.decode()
    assert "October 2026" in html
    assert value(html, "completed") == "5"
    html = client.get(URL, {"period": "month", "year": "2026", "number": "11"}).content.decode()
    assert value(html, "completed") == "0"
    html = client.get(URL, {"period": "year", "year": "2026"}).content.decode()
    assert "2026/27" in html
    assert value(html, "moderated").startswith("4 ")
    html = client.get(URL, {"period": "quarter", "year": "2026", "quarter": "2"}).content.decode()
    assert "Q2 2026/27" in html
    assert value(html, "completed") == "0"


@time_machine.travel(TODAY, tick=False)
def test_a_bad_period_is_refused_with_a_specific_message(client, org, figures):
    client.force_login(org.users["qa_lead"])
    response = client.get(URL, {"period": "quarter", "year": "2026", "number": "7"})
    html = response.content.decode()
    assert f'<a href="#id_quarter">{CHOOSE_QUARTER}</a>' in html
    assert "Q3 2026/27" in html  # the default period instead


@time_machine.travel(TODAY, tick=False)
def test_a_leader_sees_everything_but_the_regraded_auditors(client, org, figures):
    client.force_login(org.users["leader"])
    html = client.get(URL).content.decode()
    assert value(html, "moderated").startswith("4 ")
    assert 'data-testid="regraded"' not in html
    assert "for development support" not in html


@time_machine.travel(TODAY, tick=False)
def test_a_head_of_service_sees_only_their_area(client, org, figures):
    client.force_login(org.users["head_of_service"])
    html = client.get(URL).content.decode()
    assert value(html, "completed") == "4"
    assert value(html, "moderated") == "3 (75.0% of completed audits)"
    assert value(html, "upgraded") == "0 (0.0%)"
    assert "Safeguarding." in value(html, "scope")
    # The other area's team is not offered, and neither is the other area.
    assert options(html, "team") == ["", str(org.team_a.pk)]
    assert options(html, "service_area") == [str(org.area_a.pk)]


@time_machine.travel(TODAY, tick=False)
def test_a_head_of_service_cannot_forge_another_area(client, org, figures):
    client.force_login(org.users["head_of_service"])
    html = client.get(URL, {"service_area": org.area_b.pk}).content.decode()
    assert f'<a href="#id_service_area">{CHOOSE_AREA}</a>' in html
    assert value(html, "completed") == "4"  # their own area, not area B's 1
    html = client.get(URL, {"team": org.team_b.pk}).content.decode()
    assert f'<a href="#id_team">{CHOOSE_TEAM}</a>' in html
    assert value(html, "upgraded") == "0 (0.0%)"


@time_machine.travel(TODAY, tick=False)
def test_scope_by_team_auditor_and_moderator(client, org, figures):
    client.force_login(org.users["qa_lead"])
    html = client.get(URL, {"team": org.team_b.pk}).content.decode()
    assert value(html, "moderated").startswith("1 ")
    html = client.get(URL, {"moderator": org.users["moderator"].pk}).content.decode()
    assert value(html, "moderated").startswith("3 ")
    html = client.get(URL, {"auditor": org.users["auditor"].pk}).content.decode()
    assert value(html, "completed") == "5"


@time_machine.travel(TODAY, tick=False)
def test_breakdown_by_team(client, org, figures):
    client.force_login(org.users["qa_lead"])
    html = client.get(URL, {"breakdown": "team"}).content.decode()
    table = html[html.index('data-testid="breakdown"') :]
    table = table[: table.index("</table>")]
    assert "Family Support North" in table and "Children in Care 1" in table


@pytest.mark.parametrize("who", ["auditor", "moderator", "team_manager", "ambassador"])
def test_others_cannot_see_the_figures(client, org, who):
    client.force_login(org.users[who])
    assert client.get(URL).status_code == (404 if who == "ambassador" else 403)


def test_a_head_of_service_without_an_area_sees_nothing(client, org, figures):
    org.area_a.head_of_service = None
    org.area_a.save()
    client.force_login(org.users["head_of_service"])
    assert client.get(URL).status_code == 403


def test_statistics_refuses_post(client, org):
    client.force_login(org.users["qa_lead"])
    assert client.post(URL).status_code == 405


def queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params or {}).status_code == 200
    return len(captured)


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("who", ["qa_lead", "head_of_service"])
def test_statistics_queries_do_not_grow_with_reviews(client, org, template, panel, moderator, who):
    ModerationSettings.load()

    def add(count):
        for index in range(count):
            audit = accepted_audit(org, template, G)
            moderate(audit, panel, moderator, RI if index % 2 else G)

    add(3)
    client.force_login(org.users[who])
    with_three = queries(client)
    add(12)
    assert queries(client) == with_three
    assert with_three <= 30


@pytest.mark.parametrize(
    ("kappa", "word"),
    [
        (None, "Not enough"),
        (0.1, "Slight"),
        (0.3, "Fair"),
        (0.5, "Moderate"),
        (0.7, "Substantial"),
        (0.9, "Almost perfect"),
    ],
)
def test_kappa_reads_in_plain_english(kappa, word):
    assert kappa_meaning(kappa).startswith(word)
