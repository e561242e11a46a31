"""The actions API: scoped like the tracker, updates through the same services."""

import datetime

import pytest
import time_machine

from actions.models import ActionKind, ActionUpdate, ActionUpdateKind

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 4, 8, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def actions(org, make_action):
    return {
        "mine": make_action(
            raised_on=datetime.date(2026, 3, 2), due_date=datetime.date(2026, 3, 30)
        ),
        "care": make_action(
            kind=ActionKind.CARE_PLANNING,
            raised_on=datetime.date(2026, 4, 1),
            due_date=datetime.date(2026, 4, 29),
        ),
        "theirs": make_action(team=org.team_b),
    }


def test_list_is_scoped_and_carries_the_status(client, org, actions):
    client.force_login(org.users["team_manager"])
    response = client.get("/api/actions/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [actions["mine"].pk, actions["care"].pk]
    first = results[0]
    assert first["case_reference"] == actions["mine"].child.case_reference
    assert (first["status"], first["kind"], first["due_date"], first["owner"]) == (
        "overdue",
        "other",
        "2026-03-30",
        org.users["team_manager"].pk,
    )
    assert first["no_update"] is True and first["transfer_status"] == ""
    assert results[1]["transfer_status"] == "not_transferred"


def test_list_filters_like_the_tracker(client, org, actions):
    client.force_login(org.users["qa_lead"])
    assert len(client.get("/api/actions/").json()["results"]) == 3
    overdue = client.get("/api/actions/", {"status": "overdue"}).json()["results"]
    assert {r["id"] for r in overdue} == {actions["mine"].pk, actions["theirs"].pk}
    team_b = client.get("/api/actions/", {"team": org.team_b.pk}).json()["results"]
    assert [r["id"] for r in team_b] == [actions["theirs"].pk]


def test_people_without_a_tracker_are_refused(client, org, actions):
    client.force_login(org.users["auditor"])
    assert client.get("/api/actions/").status_code == 403


def test_sign_in_is_needed(client, actions):
    assert client.get("/api/actions/").status_code == 403


def test_complete_through_the_api(client, org, actions):
    client.force_login(org.users["team_manager"])
    url = f"/api/actions/{actions['mine'].pk}/updates/"
    response = client.post(
        url, {"kind": "completed", "happened_on": "2026-04-07"}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["happened_on"], body["recorded_on"]) == (
        "completed",
        "2026-04-07",
        "2026-04-08",
    )
    again = client.post(
        url, {"kind": "completed", "happened_on": "2026-04-07"}, content_type="application/json"
    )
    assert again.status_code == 400
    assert again.json() == {
        "non_field_errors": [
            "This action was already completed on 7 April 2026. Nothing has changed."
        ]
    }
    assert ActionUpdate.objects.filter(action=actions["mine"]).count() == 1


def test_transfer_and_note_through_the_api(client, org, actions):
    client.force_login(org.users["team_manager"])
    url = f"/api/actions/{actions['care'].pk}/updates/"
    response = client.post(
        url,
        {"kind": "transferred", "happened_on": "2026-04-08", "iro_involved": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert (response.json()["iro_involved"], response.json()["child_family_involved"]) == (
        True,
        False,
    )
    note = client.post(
        url, {"kind": "note", "note": "Reviewed at the CLA review"}, content_type="application/json"
    )
    assert note.status_code == 201
    assert ActionUpdate.objects.filter(action=actions["care"]).count() == 2


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"kind": "completed"}, {"happened_on": ["Enter the date the action was done"]}),
        (
            {"kind": "completed", "happened_on": "2026-04-09"},
            {"happened_on": ["The date the action was done must be today or in the past"]},
        ),
        ({"kind": "note", "note": ""}, {"note": ["Enter a note about the action"]}),
        ({"kind": "deleted"}, {"kind": ["Choose completed, transferred or note"]}),
        (
            {"kind": "transferred", "happened_on": "2026-04-08"},
            {
                "non_field_errors": [
                    "Only a care-planning action is transferred to the child's plan."
                ]
            },
        ),
    ],
)
def test_bad_updates_are_refused_with_specific_messages(client, org, actions, data, errors):
    client.force_login(org.users["team_manager"])
    response = client.post(
        f"/api/actions/{actions['mine'].pk}/updates/", data, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == errors
    assert not ActionUpdate.objects.exists()


def test_an_outsider_cannot_update(client, org, actions):
    client.force_login(org.users["outside_manager"])
    response = client.post(
        f"/api/actions/{actions['mine'].pk}/updates/",
        {"kind": "note", "note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not ActionUpdate.objects.filter(kind=ActionUpdateKind.NOTE).exists()


def test_updates_are_posts(client, org, actions):
    client.force_login(org.users["team_manager"])
    assert client.get(f"/api/actions/{actions['mine'].pk}/updates/").status_code == 405


def test_the_schema_describes_the_actions_api_without_warnings(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(target),
    )
    schema = target.read_text()
    assert "/api/actions/{id}/updates/" in schema
    assert "happened_on" in schema and "case_reference" in schema
