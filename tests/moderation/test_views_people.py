"""Pairings and endorsed auditors: the QA Lead's pages."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from audits.models import Grade
from moderation.forms import (
    CHOOSE_AUDITOR,
    CHOOSE_DECISION,
    ENTER_OVERRIDE_REASON,
    ENTER_START_DATE,
    START_DATE_INVALID,
)
from moderation.models import EndorsementOverride, ModerationSettings, Pairing
from moderation.views.people import PAIRINGS_REPEAT
from tests.factories import UserFactory

from .conftest import accepted_audit, moderate

pytestmark = pytest.mark.django_db

START_YEAR_RANGE = "The date the pairings start must be in a year from 1900 to 2100"

TODAY = datetime.datetime(2026, 11, 15, 10, 0, tzinfo=datetime.UTC)


# Pairings --------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_qa_lead_generates_the_next_pairings(client, org):
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("moderation:pairings")).content.decode()
    assert 'name="starts_on_0" value="1"' in html  # default: the 1st of next month
    assert 'name="starts_on_1" value="12"' in html
    response = client.post(
        reverse("moderation:pairings"),
        {"starts_on_0": "1", "starts_on_1": "12", "starts_on_2": "2026"},
    )
    assert response.status_code == 302
    pairings = Pairing.objects.filter(starts_on=datetime.date(2026, 12, 1))
    auditor = org.users["auditor"]
    assert pairings.get(auditor=auditor).moderator == org.users["moderator"]
    page = client.get(reverse("moderation:pairings")).content.decode()
    assert "Next pairings" in page
    assert "Pairings made for" in page


@time_machine.travel(TODAY, tick=False)
def test_without_pairings_the_qa_lead_is_told_to_generate_them(client, org):
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("moderation:pairings")).content.decode()
    assert (
        "There are no current pairings. Generate pairings above to give each auditor a moderator."
    ) in html


def test_a_repeated_pairing_is_flagged(client, org):
    # Only one moderator: the auditor's pairing must repeat the previous period's.
    Pairing.objects.create(
        auditor=org.users["auditor"],
        moderator=org.users["moderator"],
        starts_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2026, 11, 30),
    )
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:pairings"),
        {"starts_on_0": "1", "starts_on_1": "12", "starts_on_2": "2026"},
        follow=True,
    )
    html = response.content.decode()
    assert PAIRINGS_REPEAT.format(count=1) in html
    assert "Repeats a recent pairing" in html
    assert "Current pairings" in html


def test_the_start_date_is_needed(client, org):
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:pairings"), {"starts_on_0": "", "starts_on_1": "", "starts_on_2": ""}
    )
    assert f'<a href="#id_starts_on_0">{ENTER_START_DATE}</a>' in response.content.decode()
    assert not Pairing.objects.exists()


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("1", "12", "99999999999999999999"), START_YEAR_RANGE),
        (("31", "2", "2026"), START_DATE_INVALID),
    ],
)
def test_the_start_date_must_be_real(client, org, parts, message):
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:pairings"),
        {"starts_on_0": parts[0], "starts_on_1": parts[1], "starts_on_2": parts[2]},
    )
    assert response.status_code == 200
    assert f'<a href="#id_starts_on_0">{message}</a>' in response.content.decode()
    assert not Pairing.objects.exists()


@pytest.mark.parametrize("who", ["moderator", "leader", "auditor"])
def test_only_the_qa_lead_sees_pairings(client, org, who):
    client.force_login(org.users[who])
    assert client.get(reverse("moderation:pairings")).status_code == 403
    assert client.post(reverse("moderation:pairings"), {}).status_code == 403


def test_pairings_page_refuses_other_methods(client, org):
    client.force_login(org.users["qa_lead"])
    assert client.put(reverse("moderation:pairings")).status_code == 405


# Endorsement -----------------------------------------------------------------------------


def test_endorsed_auditors_are_listed_by_run_and_by_override(
    client, org, template, panel, moderator
):
    settings = ModerationSettings.load()
    settings.endorsement_run = 2
    settings.save()
    for _ in range(2):
        moderate(accepted_audit(org, template, Grade.GOOD), panel, moderator, Grade.GOOD)
    overridden = UserFactory(roles=[Role.AUDITOR], first_name="Olu", last_name="Override")
    EndorsementOverride.objects.create(
        auditor=overridden, endorsed=False, reason="New to the service", set_by=None
    )
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("moderation:endorsed")).content.decode()
    assert str(org.users["auditor"]) in html
    assert "Run of agreed reviews" in html
    assert "Agreed, Agreed" in html
    assert "Olu Override" in html
    assert "Your decision: New to the service" in html


def test_qa_lead_endorses_an_auditor_with_a_reason(client, org):
    auditor = org.users["auditor"]
    address = reverse("moderation:endorsement", args=[auditor.pk])
    client.force_login(org.users["qa_lead"])
    assert client.get(address).status_code == 200
    response = client.post(address, {"decision": "endorse", "reason": "Consistently accurate"})
    assert response.status_code == 302
    override = EndorsementOverride.objects.get(auditor=auditor)
    assert (override.endorsed, override.reason, override.set_by) == (
        True,
        "Consistently accurate",
        org.users["qa_lead"],
    )
    response = client.post(address, {"decision": "clear", "reason": ""})
    assert response.status_code == 302
    assert not EndorsementOverride.objects.exists()


@pytest.mark.parametrize(
    ("data", "anchor", "message"),
    [
        ({"decision": "not_endorsed", "reason": " "}, "id_reason", ENTER_OVERRIDE_REASON),
        ({"reason": "Because"}, "id_decision_1", CHOOSE_DECISION),
        ({"decision": "maybe", "reason": "Because"}, "id_decision_1", CHOOSE_DECISION),
    ],
)
def test_endorsement_needs_a_decision_and_a_reason(client, org, data, anchor, message):
    address = reverse("moderation:endorsement", args=[org.users["auditor"].pk])
    client.force_login(org.users["qa_lead"])
    response = client.post(address, data)
    assert response.status_code == 200
    assert f'<a href="#{anchor}">{message}</a>' in response.content.decode()
    assert not EndorsementOverride.objects.exists()


def test_choosing_an_auditor_goes_to_their_endorsement(client, org):
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("moderation:endorsed"), {"auditor": org.users["auditor"].pk})
    assert response.url == reverse("moderation:endorsement", args=[org.users["auditor"].pk])
    response = client.get(reverse("moderation:endorsed"), {"auditor": "999999"})
    assert f'<a href="#id_auditor">{CHOOSE_AUDITOR}</a>' in response.content.decode()


def test_someone_who_is_not_an_auditor_is_404(client, org):
    client.force_login(org.users["qa_lead"])
    address = reverse("moderation:endorsement", args=[org.users["ambassador"].pk])
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("who", ["moderator", "leader", "head_of_service"])
def test_only_the_qa_lead_decides_endorsement(client, org, who):
    client.force_login(org.users[who])
    address = reverse("moderation:endorsement", args=[org.users["auditor"].pk])
    assert client.get(reverse("moderation:endorsed")).status_code == 403
    assert client.post(address, {"decision": "endorse", "reason": "x"}).status_code == 403
    assert not EndorsementOverride.objects.exists()


def test_endorsed_page_refuses_post(client, org):
    client.force_login(org.users["qa_lead"])
    assert client.post(reverse("moderation:endorsed")).status_code == 405
