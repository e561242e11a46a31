"""The tracker page, an action's page, its one-step updates and email links."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from actions.models import ActionKind, ActionSettings, ActionUpdate, ActionUpdateKind
from actions.services.tracker import action_link_path
from tests.factories import ChildFactory, UserFactory

from .helpers import COMPLETED, add_update

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 4, 8, 9, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 4, 8)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def actions(org, make_action):
    """Tom's tracker: child A has an overdue action and one not yet due; child B one
    completed; team B has one of its own."""
    child_a = ChildFactory(case_reference="NC900001", team=org.team_a)
    child_b = ChildFactory(case_reference="NC900002", team=org.team_a)
    overdue = make_action(
        child=child_a,
        raised_on=datetime.date(2026, 2, 2),
        due_date=datetime.date(2026, 3, 2),
        text="Overdue chronology",
    )
    pending = make_action(
        child=child_a,
        kind=ActionKind.CARE_PLANNING,
        raised_on=datetime.date(2026, 4, 1),
        due_date=datetime.date(2026, 4, 29),
        text="Put contingency plan in the CP plan",
    )
    done = make_action(
        child=child_b, raised_on=datetime.date(2026, 3, 2), text="Completed supervision"
    )
    add_update(done, COMPLETED, datetime.date(2026, 3, 20))
    other = make_action(
        team=org.team_b,
        raised_on=datetime.date(2026, 3, 25),
        due_date=datetime.date(2026, 5, 6),
        text="Team B action",
    )
    return {"overdue": overdue, "pending": pending, "done": done, "other": other}


@pytest.mark.parametrize(
    "team", ["99999999999999999999999", "-1.7976931348623157e+308", "²", str(2**63)]
)
def test_the_filters_keep_their_button_and_refuse_a_team_that_cannot_exist(
    client, org, actions, team
):
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("actions:tracker"), {"team": team})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Apply filters" in page
    assert response.context["form"].errors["team"]


def test_team_manager_sees_their_actions_grouped_overdue_first(client, org, actions):
    client.force_login(org.users["team_manager"])
    response = client.get(reverse("actions:tracker"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Team B action" not in page
    assert page.index("Case NC900001") < page.index("Case NC900002")
    assert page.index("Overdue chronology") < page.index("Put contingency plan")
    assert page.index("Put contingency plan") < page.index("Completed supervision")
    assert [a.pk for g in response.context["groups"] for a in g["actions"]] == [
        actions["overdue"].pk,
        actions["pending"].pk,
        actions["done"].pk,
    ]
    assert "37 days overdue" in page


def test_head_of_service_sees_their_service_area(client, org, actions):
    client.force_login(org.users["head_of_service"])
    response = client.get(reverse("actions:tracker"))
    shown = {a.pk for g in response.context["groups"] for a in g["actions"]}
    assert shown == {actions["overdue"].pk, actions["pending"].pk, actions["done"].pk}


def test_qa_lead_sees_everything_and_filters(client, org, actions):
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("actions:tracker"))
    assert response.context["page"].paginator.count == 4
    response = client.get(reverse("actions:tracker"), {"team": org.team_b.pk})
    assert [a.pk for a in response.context["page"].object_list] == [actions["other"].pk]
    response = client.get(reverse("actions:tracker"), {"status": "overdue"})
    assert {a.pk for a in response.context["page"].object_list} == {actions["overdue"].pk}
    response = client.get(reverse("actions:tracker"), {"status": "completed_on_time"})
    assert [a.pk for a in response.context["page"].object_list] == [actions["done"].pk]
    response = client.get(reverse("actions:tracker"), {"kind": "care_planning"})
    assert [a.pk for a in response.context["page"].object_list] == [actions["pending"].pk]
    response = client.get(reverse("actions:tracker"), {"raised": "2026-04"})
    assert [a.pk for a in response.context["page"].object_list] == [actions["pending"].pk]
    response = client.get(
        reverse("actions:tracker"),
        {"service_area": org.area_b.pk, "owner": org.users["outside_manager"].pk},
    )
    assert [a.pk for a in response.context["page"].object_list] == [actions["other"].pk]


def test_bad_filter_input_is_explained(client, org, actions):
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("actions:tracker"), {"raised": "last spring"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the month raised as a real month, like 2026-03" in page
    assert "<title>\n      Error: Actions tracker" in page


def test_tracker_needs_a_role(client, org, actions):
    client.force_login(org.users["auditor"])
    assert client.get(reverse("actions:tracker")).status_code == 403


def test_tracker_needs_sign_in(client):
    response = client.get(reverse("actions:tracker"))
    assert response.status_code == 302 and "/accounts/sign-in/" in response.url


def test_tracker_wrong_method(client, org):
    client.force_login(org.users["team_manager"])
    assert client.post(reverse("actions:tracker")).status_code == 405


def test_tracker_query_count_does_not_grow(client, org, make_action, django_assert_max_num_queries):
    client.force_login(org.users["qa_lead"])
    make_action()
    with django_assert_max_num_queries(24) as few:
        client.get(reverse("actions:tracker"))
    for index in range(12):
        action = make_action(team=org.team_b if index % 2 else org.team_a)
        add_update(action, ActionUpdateKind.NOTE, datetime.date(2026, 3, 5), note="Chased")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("actions:tracker"))
    assert response.context["page"].paginator.count == 13


def test_done_from_the_row_returns_to_the_same_place(client, org, actions):
    client.force_login(org.users["team_manager"])
    here = reverse("actions:tracker") + "?status=open"
    response = client.post(
        reverse("actions:action_complete", args=[actions["overdue"].pk]),
        {"completed_on": "2026-04-07", "next": here},
    )
    assert response.status_code == 302
    assert response.url == f"{here}#action-{actions['overdue'].pk}"
    update = ActionUpdate.objects.get(action=actions["overdue"])
    assert (update.kind, update.happened_on) == (
        ActionUpdateKind.COMPLETED,
        datetime.date(2026, 4, 7),
    )
    page = client.get(response.url).content.decode()
    assert "Case NC900001: action marked as done on 7 April 2026." in page


def test_done_twice_shows_a_message_and_changes_nothing(client, org, actions):
    client.force_login(org.users["team_manager"])
    url = reverse("actions:action_complete", args=[actions["done"].pk])
    response = client.post(url, {"completed_on": "2026-04-07", "next": "/actions/"}, follow=True)
    assert "This action was already completed on 20 March 2026. Nothing has changed." in (
        response.content.decode()
    )
    assert ActionUpdate.objects.filter(action=actions["done"]).count() == 1


def test_transfer_from_the_row_records_involvement(client, org, actions):
    client.force_login(org.users["team_manager"])
    response = client.post(
        reverse("actions:action_transfer", args=[actions["pending"].pk]),
        {
            "transferred_on": "2026-04-08",
            "child_family_involved": "on",
            "next": "/actions/",
        },
    )
    assert response.status_code == 302
    update = ActionUpdate.objects.get(action=actions["pending"])
    assert (update.kind, update.child_family_involved, update.iro_involved) == (
        ActionUpdateKind.TRANSFERRED,
        True,
        False,
    )


def test_a_note_from_the_row(client, org, actions):
    client.force_login(org.users["team_manager"])
    client.post(
        reverse("actions:action_note", args=[actions["overdue"].pk]),
        {"note": "Social worker off sick; reallocated", "next": "/actions/"},
    )
    assert ActionUpdate.objects.get(action=actions["overdue"]).note == (
        "Social worker off sick; reallocated"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"completed_on": ""}, "Enter the date the action was done"),
        (
            {"completed_on": "2026-04-09"},
            "The date the action was done must be today or in the past",
        ),
        (
            {"completed_on": "31/02/2026"},
            "The date the action was done must be a real date, like 2026-03-27",
        ),
        (
            {"completed_on": "99999999999999999999-04-07"},
            "The date the action was done must be in a year from 1900 to 2100",
        ),
        (
            {"completed_on": "0001-01-01"},
            "The date the action was done must be in a year from 1900 to 2100",
        ),
        (
            {"completed_on": "yesterday"},
            "The date the action was done must be a real date, like 2026-03-27",
        ),
    ],
)
def test_bad_dates_show_the_action_page_with_the_error(client, org, actions, data, message):
    client.force_login(org.users["team_manager"])
    response = client.post(
        reverse("actions:action_complete", args=[actions["overdue"].pk]),
        {**data, "next": "/actions/"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "govuk-error-summary" in page
    assert 'href="#complete-completed_on"' in page
    assert not ActionUpdate.objects.filter(action=actions["overdue"]).exists()


def test_an_empty_note_is_refused(client, org, actions):
    client.force_login(org.users["team_manager"])
    response = client.post(
        reverse("actions:action_note", args=[actions["overdue"].pk]), {"note": ""}
    )
    assert "Enter a note about the action" in response.content.decode()
    assert not ActionUpdate.objects.filter(action=actions["overdue"]).exists()


def test_a_redirect_elsewhere_is_not_followed(client, org, actions):
    client.force_login(org.users["team_manager"])
    response = client.post(
        reverse("actions:action_note", args=[actions["overdue"].pk]),
        {"note": "x", "next": "https://evil.example/actions/"},
    )
    assert response.url == f"/actions/{actions['overdue'].pk}/#action-{actions['overdue'].pk}"


@pytest.mark.parametrize("name", ["action_complete", "action_transfer", "action_note"])
def test_updates_are_posts_only(client, org, actions, name):
    client.force_login(org.users["team_manager"])
    assert client.get(reverse(f"actions:{name}", args=[actions["overdue"].pk])).status_code == 405


@pytest.mark.parametrize("name", ["action_complete", "action_note", "action_detail"])
def test_outsiders_get_not_found(client, org, actions, name):
    client.force_login(org.users["outside_manager"])
    url = reverse(f"actions:{name}", args=[actions["overdue"].pk])
    response = (
        client.get(url)
        if name == "action_detail"
        else client.post(url, {"completed_on": "2026-04-07", "note": "x"})
    )
    assert response.status_code == 404
    assert not ActionUpdate.objects.filter(action=actions["overdue"]).exists()


def test_action_page_shows_history_and_logs_the_view(client, org, actions):
    client.force_login(org.users["team_manager"])
    response = client.get(reverse("actions:action_detail", args=[actions["done"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Completed supervision" in page and "Completed on time" in page
    assert (
        actions["done"].audit.events.filter(kind="viewed", user=org.users["team_manager"]).exists()
    )


def test_team_manager_changes_the_owner(client, org, actions):
    worker = UserFactory(team=org.team_a)
    client.force_login(org.users["team_manager"])
    url = reverse("actions:action_edit", args=[actions["overdue"].pk])
    response = client.get(url)
    assert "due_date" not in response.context["form"].fields
    response = client.post(
        url,
        {
            "text": actions["overdue"].text,
            "kind": "other",
            "owner": worker.pk,
            "reason": "Worker now holds the case",
        },
    )
    assert response.status_code == 302
    actions["overdue"].refresh_from_db()
    assert actions["overdue"].owner == worker


def test_change_without_a_reason_is_refused(client, org, actions):
    client.force_login(org.users["head_of_service"])
    url = reverse("actions:action_edit", args=[actions["overdue"].pk])
    response = client.post(
        url, {"text": "", "kind": "other", "owner": "", "due_date": "2026-05-01", "reason": ""}
    )
    page = response.content.decode()
    assert "Enter what must happen" in page and "Enter why you are changing this action" in page
    actions["overdue"].refresh_from_db()
    assert actions["overdue"].due_date == datetime.date(2026, 3, 2)


def test_owner_who_is_not_a_manager_may_not_change_the_action(client, org, make_action):
    worker = UserFactory(team=org.team_a)
    action = make_action(owner=worker)
    client.force_login(worker)
    assert client.get(reverse("actions:action_edit", args=[action.pk])).status_code == 403


# Links from the tracker email --------------------------------------------------------


def test_a_good_link_leads_to_the_action(client, org, actions):
    client.force_login(org.users["team_manager"])
    response = client.get(action_link_path(actions["overdue"].pk))
    assert response.status_code == 302
    assert response.url == reverse("actions:action_detail", args=[actions["overdue"].pk])


def test_a_link_needs_sign_in(client, actions):
    path = action_link_path(actions["overdue"].pk)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/sign-in/?next=/actions/link/")


def test_an_expired_link_says_so(client, org, actions):
    path = action_link_path(actions["overdue"].pk)
    detail = reverse("actions:action_detail", args=[actions["overdue"].pk])
    with time_machine.travel(NOW + datetime.timedelta(days=14, minutes=-1), tick=False):
        client.force_login(org.users["team_manager"])
        assert client.get(path).url == detail
    with time_machine.travel(NOW + datetime.timedelta(days=14, minutes=1), tick=False):
        client.force_login(org.users["team_manager"])
        response = client.get(path)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This link has expired" in page and "Open your tracker" in page


def test_link_expiry_follows_the_setting(client, org, actions):
    ActionSettings.objects.update_or_create(pk=1, defaults={"link_expiry_days": 3})
    path = action_link_path(actions["overdue"].pk)
    with time_machine.travel(NOW + datetime.timedelta(days=4), tick=False):
        client.force_login(org.users["team_manager"])
        assert client.get(path).status_code == 410


def test_a_tampered_link_is_not_found(client, org, actions):
    path = action_link_path(actions["overdue"].pk)
    token = path.rstrip("/").rsplit("/", 1)[1]
    value, signature = token.split(":", 1)
    forged = reverse("actions:link", args=[f"{actions['other'].pk}:{signature}"])
    client.force_login(org.users["qa_lead"])
    assert client.get(forged).status_code == 404
    assert client.get(reverse("actions:link", args=["nonsense"])).status_code == 404


def test_another_manager_following_the_link_is_refused(client, org, actions):
    client.force_login(org.users["outside_manager"])
    assert client.get(action_link_path(actions["overdue"].pk)).status_code == 404


def test_someone_who_sees_but_may_not_update_is_forbidden(client, org, actions, monkeypatch):
    import rules

    client.force_login(org.users["team_manager"])
    monkeypatch.setitem(rules.permissions.permissions, "actions.update_action", rules.always_deny)
    assert client.get(action_link_path(actions["overdue"].pk)).status_code == 403


def test_the_owner_filter_lists_only_owners_of_actions_the_user_sees(client, org, make_action):
    mine = UserFactory(email="owner.a@council.example", team=org.team_a)
    theirs = UserFactory(email="owner.b@council.example", team=org.team_b)
    UserFactory(email="owns.nothing@council.example", team=org.team_a)
    make_action(team=org.team_a, owner=mine)
    make_action(team=org.team_b, owner=theirs)
    make_action(team=org.team_a, owner=mine)  # listed once
    client.force_login(org.users["team_manager"])
    owners = client.get(reverse("actions:tracker")).context["form"].fields["owner"].queryset
    assert list(owners) == [mine]
    client.force_login(org.users["qa_lead"])
    owners = client.get(reverse("actions:tracker")).context["form"].fields["owner"].queryset
    assert set(owners) == {mine, theirs}


def test_an_empty_tracker_says_where_actions_come_from(client, org):
    client.force_login(org.users["team_manager"])
    page = client.get(reverse("actions:tracker")).content.decode()
    assert (
        "There are no actions for your team's children. They appear here when an accepted "
        "audit raises one."
    ) in page
    filtered = client.get(reverse("actions:tracker"), {"status": "overdue"}).content.decode()
    assert "There are no actions to show." in filtered
    assert "They appear here when an accepted audit raises one." not in filtered
