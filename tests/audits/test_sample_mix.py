"""Whether a sample looks like the open caseload: the mix by age band, sex, ethnicity
group and level of need, counted by hand; and the proposal balancing those groups."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from audits.models import LegalStatus
from audits.sample_mix import BLACK_AND_MIXED, mix_sentence, sample_mix, strata
from audits.services.allocation import round_propose
from tests.factories import ChildFactory, TeamFactory, UserFactory, make_template

pytestmark = pytest.mark.django_db

DEC = datetime.date(2026, 12, 1)
TODAY = datetime.date(2026, 11, 15)


@pytest.fixture
def qa_lead():
    make_template(family="child-journey-audit")
    UserFactory(roles=[Role.AUDITOR], email="auditor.one@council.example")
    return UserFactory(email="qa.lead@council.example", roles=[Role.QA_LEAD])


def child(team, ref, *, ethnicity="", sex="", born=datetime.date(2015, 6, 1), **kwargs):
    return ChildFactory(
        team=team, case_reference=ref, ethnicity=ethnicity, sex=sex, date_of_birth=born, **kwargs
    )


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (datetime.date(2026, 12, 2), "Not recorded"),  # not born yet on the day
        (datetime.date(2026, 12, 1), "Under 1"),
        (datetime.date(2025, 12, 2), "Under 1"),
        (datetime.date(2025, 12, 1), "1 to 4"),  # first birthday on the day
        (datetime.date(2021, 12, 2), "1 to 4"),
        (datetime.date(2021, 12, 1), "5 to 9"),
        (datetime.date(2016, 12, 1), "10 to 15"),
        (datetime.date(2010, 12, 2), "10 to 15"),
        (datetime.date(2010, 12, 1), "16 and over"),
        (None, "Not recorded"),
    ],
)
def test_age_bands_at_their_birthdays(born, band, org):
    one = ChildFactory(team=org.team_a, date_of_birth=born)
    assert strata(one, DEC)[0] == band


def test_the_mix_is_counted_as_by_hand(org, qa_lead):
    team = TeamFactory(name="Mix")
    # Ten open cases: 4 White British, 2 Black African, 1 mixed, 3 not given.
    refs = []
    for n, code in enumerate(["WBRI"] * 4 + ["BAFR"] * 2 + ["MWBC"] + [""] * 3):
        refs.append(
            child(
                team,
                f"M{n}",
                ethnicity=code,
                sex="F" if n % 2 else "M",
                born=datetime.date(2015, 1, 1),
            )
        )
    child(team, "CLOSED", ethnicity="BAFR", is_open=False)  # not an open case
    result = round_propose(month=DEC, created_by=qa_lead, per_team=5, today=TODAY)
    mix = {
        part["dimension"]: {row["group"]: row for row in part["rows"]}
        for part in sample_mix(result.round)
    }

    sample = set(result.round.audits.values_list("child__case_reference", flat=True))
    assert len(sample) == 5
    ethnicity = mix["Ethnicity"]
    assert (ethnicity["White"]["open"], ethnicity["White"]["open_percent"]) == (4, 40)
    assert (ethnicity["Black or Black British"]["open"], ethnicity["Mixed"]["open"]) == (2, 1)
    combined = ethnicity[BLACK_AND_MIXED]
    assert (combined["open"], combined["open_percent"]) == (3, 30)
    in_sample = sum(1 for ref in sample if ref in {"M4", "M5", "M6"})
    assert combined["sample"] == in_sample
    assert combined["sample_percent"] == round(100 * in_sample / 5)
    assert ethnicity["Not recorded"]["open"] == 3
    assert mix["Sex"]["Male"]["open"] == 5 and mix["Sex"]["Female"]["open"] == 5
    assert mix["Age"]["10 to 15"]["open"] == 10 and "Under 1" not in mix["Age"]
    assert mix["Level of need"]["Child in Need"]["open_percent"] == 100
    assert mix_sentence(combined) == (
        f"Black and mixed-heritage children: 30% of open cases, {combined['sample_percent']}% "
        "of the sample"
    )


def test_the_proposal_samples_groups_in_proportion(org, qa_lead):
    """Half the open cases are Black or mixed-heritage and listed last: without balancing,
    the oldest records (all White British) would fill the sample."""
    team = TeamFactory(name="Balance")
    for n in range(6):
        child(team, f"W{n}", ethnicity="WBRI", sex="M")
    for n in range(6):
        child(team, f"B{n}", ethnicity="BCRB", sex="F")
    result = round_propose(month=DEC, created_by=qa_lead, per_team=4, today=TODAY)
    refs = sorted(result.round.audits.values_list("child__case_reference", flat=True))
    assert sum(ref.startswith("B") for ref in refs) == 2
    assert sum(ref.startswith("W") for ref in refs) == 2


def test_level_of_need_still_comes_first(org, qa_lead):
    team = TeamFactory(name="Needs")
    child(team, "CIN1", ethnicity="WBRI")
    child(team, "CIN2", ethnicity="BCRB")
    child(team, "CP1", ethnicity="WBRI", legal_status=LegalStatus.CHILD_PROTECTION)
    result = round_propose(month=DEC, created_by=qa_lead, per_team=2, today=TODAY)
    refs = set(result.round.audits.values_list("child__case_reference", flat=True))
    assert "CP1" in refs and len(refs) == 2


def test_the_allocation_page_shows_the_mix_in_a_constant_number_of_queries(client, org, qa_lead):
    team = TeamFactory(name="Page")
    for n in range(4):
        child(team, f"P{n}", ethnicity="MWBC" if n == 0 else "WBRI")
    result = round_propose(month=DEC, created_by=qa_lead, per_team=2, today=TODAY)
    client.force_login(qa_lead)
    url = reverse("programme:round_detail", args=[result.round.pk])
    page = client.get(url).content.decode()
    assert "Does the sample look like the open cases?" in page
    assert "Black and mixed-heritage children: 25% of open cases" in page
    assert 'data-testid="mix-ethnicity"' in page and 'data-testid="mix-age"' in page
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(4, 30):
        child(team, f"P{n}", ethnicity="BAFR")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_a_notable_gap_is_marked_and_an_unrecorded_dimension_is_one_line(client, org, qa_lead):
    from audits.sample_mix import _gap

    assert _gap(49, 100, 2, 5) == ""  # 40% against 49%: 9 points
    assert _gap(50, 100, 2, 5) == "fewer"  # 40% against 50%: exactly 10 points
    assert _gap(10, 100, 1, 5) == "more"  # 20% against 10%: exactly 10 points
    assert _gap(0, 0, 1, 5) == ""
    team = TeamFactory(name="Plain")
    for n in range(3):
        child(team, f"N{n}")  # no sex or ethnicity recorded
    result = round_propose(month=DEC, created_by=qa_lead, per_team=2, today=TODAY)
    client.force_login(qa_lead)
    page = client.get(reverse("programme:round_detail", args=[result.round.pk])).content.decode()
    assert 'data-testid="mix-sex-not-recorded"' in page
    assert 'data-testid="mix-ethnicity-not-recorded"' in page
    assert 'data-testid="mix-age"' in page
