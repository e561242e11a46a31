"""The closing the loop settings in the admin, and read-only views of the records."""

import pytest
from django.urls import reverse

from actions.models import ActionSettings

pytestmark = pytest.mark.django_db

FORM = {
    "care_planning_days": "20",
    "other_days": "42",
    "no_update_days": "10",
    "escalation_days": "28",
    "reaudit_months": "3",
    "link_expiry_days": "14",
}


@pytest.mark.parametrize("who", ["qa_lead", "administrator"])
def test_settings_are_edited_in_the_admin(client, org, who):
    settings = ActionSettings.load()
    client.force_login(org.users[who])
    url = reverse("admin:actions_actionsettings_change", args=[settings.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, FORM)
    assert response.status_code == 302
    settings.refresh_from_db()
    assert (settings.care_planning_days, settings.no_update_days) == (20, 10)
    change = settings.history.first()  # created, then changed: the change is kept
    assert (change.history_type, change.history_user) == ("~", org.users[who])


def test_a_setting_out_of_range_is_refused(client, org):
    settings = ActionSettings.load()
    client.force_login(org.users["qa_lead"])
    url = reverse("admin:actions_actionsettings_change", args=[settings.pk])
    response = client.post(url, {**FORM, "link_expiry_days": "0"})
    assert response.status_code == 200
    settings.refresh_from_db()
    assert settings.link_expiry_days == 14


def test_there_is_one_settings_row(client, org):
    ActionSettings.load()
    client.force_login(org.users["qa_lead"])
    assert client.get(reverse("admin:actions_actionsettings_add")).status_code == 403


def test_team_managers_have_no_admin(client, org):
    client.force_login(org.users["team_manager"])
    url = reverse("admin:actions_actionsettings_change", args=[ActionSettings.load().pk])
    assert client.get(url).status_code == 302


def test_qa_lead_may_look_at_but_not_change_actions(client, org, make_action):
    action = make_action()
    client.force_login(org.users["qa_lead"])
    assert client.get(reverse("admin:actions_action_changelist")).status_code == 200
    url = reverse("admin:actions_action_change", args=[action.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"text": "Changed in the admin"})
    action.refresh_from_db()
    assert action.text == "Update the chronology"


@pytest.mark.parametrize("who", ["qa_lead", "administrator"])
def test_service_improvement_actions_and_their_history_are_read_in_the_admin(
    client, org, make_improvement, who
):
    improvement = make_improvement()
    client.force_login(org.users[who])
    assert client.get(reverse("admin:actions_serviceimprovementaction_changelist")).status_code == (
        200
    )
    url = reverse("admin:actions_serviceimprovementaction_change", args=[improvement.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert improvement.title in page.content.decode()
    history = reverse("admin:actions_serviceimprovementaction_history", args=[improvement.pk])
    assert client.get(history).status_code == 200
    client.post(url, {"title": "Changed in the admin"})
    improvement.refresh_from_db()
    assert improvement.title != "Changed in the admin"
    assert client.get(reverse("admin:actions_serviceimprovementaction_add")).status_code == 403


def test_others_do_not_see_service_improvement_actions_in_the_admin(client, org, make_improvement):
    improvement = make_improvement()
    client.force_login(org.users["leader"])
    url = reverse("admin:actions_serviceimprovementaction_change", args=[improvement.pk])
    assert client.get(url).status_code in (302, 403)
