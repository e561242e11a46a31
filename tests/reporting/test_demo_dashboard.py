"""The demo council's year on the dashboard shows what real councils' years show: Good
rising over the year, one team whose practice is weaker, and a month with few audits
whose percentages carry their interval and the small-sample marker."""

import datetime
import statistics

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import User
from audits.demo_year import WEAK_TEAM
from common.dates import add_months, month_start
from reporting.targets import SMALL_SAMPLE

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[None, datetime.date(2027, 3, 31), datetime.date(2026, 8, 1)])
def dashboard(request, client):
    """The demo's dashboard for its year, built today and on two other days (the end of
    a financial year; the first of August, when the quiet month is the last one)."""
    if request.param is None:
        return _dashboard(client)
    day = request.param
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12), tick=False):
        return _dashboard(client)


def _dashboard(client):
    call_command("seed_demo", "--parts", "audits")
    today = timezone.localdate()
    first = add_months(month_start(today), -11)
    client.force_login(User.objects.get(email=demo_email("leader")))
    response = client.get(
        "/reports/dashboard/",
        {"period": "custom", "start": first.isoformat(), "end": today.isoformat()},
    )
    assert response.status_code == 200
    return response


def _good_or_better(months):
    good = sum(m["Outstanding"] + m["Good"] for m in months)
    return good / sum(sum(m.values()) for m in months)


def test_good_rises_over_the_demo_year(dashboard):
    months = list(dashboard.context["figures"]["by_month"].values())
    assert len(months) == 12
    first_half, second_half = _good_or_better(months[:6]), _good_or_better(months[6:])
    assert second_half - first_half >= 0.1, (first_half, second_half)


def test_one_team_shows_weaker_practice_on_a_real_sample(dashboard):
    teams = dashboard.context["teams"]
    weak = next(t for t in teams if t["name"] == WEAK_TEAM)
    assert weak["weaker"] / weak["completed"] >= 0.4
    assert weak["weaker_concern"]
    # the only team whose weaker practice of 40% or more rests on ten audits or more
    concerns = [t["name"] for t in teams if t["weaker_concern"] and t["completed"] >= 10]
    assert concerns == [WEAK_TEAM]


def test_a_quiet_month_shows_the_small_sample_marker(dashboard):
    rows = dashboard.context["charts"][0]["rows"]
    totals = [row["cells"][-1]["text"] for row in rows]
    # leaving out the first month and this one, each only partly in the year
    whole_months = rows[1:-1]
    small = [row for row in whole_months if row["percent"] and row["percent"]["small"]]
    assert small, totals
    assert all(row["cells"][-1]["text"] < SMALL_SAMPLE for row in small)
    assert statistics.median(totals[1:-1]) >= SMALL_SAMPLE, totals
    html = dashboard.content.decode()
    assert f"Based on {small[0]['cells'][-1]['text']} audits: 95% interval" in html


@pytest.mark.parametrize("day", [datetime.date(2026, 12, 5), datetime.date(2027, 3, 31)])
def test_the_demo_years_final_grades_are_like_a_real_councils(client, day):
    """With moderation, as the dashboard shows the year: Inadequate at its worst early on
    at about the seed's worst quarter (20 of 70, 29%), never a third of a month's audits
    where the month has 20 or more, and Good or better rising from under a quarter to
    about half."""
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12), tick=False):
        call_command("seed_demo")
        first = add_months(month_start(day), -11)
        client.force_login(User.objects.get(email=demo_email("leader")))
        response = client.get(
            "/reports/dashboard/",
            {"period": "custom", "start": first.isoformat(), "end": day.isoformat()},
        )
    months = list(response.context["figures"]["by_month"].values())

    def share(grades, months):
        return sum(m[g] for m in months for g in grades) / sum(sum(m.values()) for m in months)

    early, late = months[:3], months[-3:]
    assert 0.15 <= share(["Inadequate"], early) <= 0.32
    assert share(["Inadequate"], late) <= 0.15
    for month in months:
        if sum(month.values()) >= SMALL_SAMPLE:
            assert month["Inadequate"] / sum(month.values()) <= 1 / 3, months
    assert share(["Outstanding", "Good"], early) <= 0.25
    assert share(["Outstanding", "Good"], late) >= 0.45
