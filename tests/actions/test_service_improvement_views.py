"""The service improvement pages: the list, raising and changing an action, its page,
progress updates and marking it done.

Sam (no role) leads an action in Alice's service area; Bea heads the other area; Tom
manages a team but leads nothing; Lee is a leader.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from actions.models import ServiceImprovementAction, ServiceImprovementUpdate
from actions.services import service_improvement as svc

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 5, 15, 9, 0, tzinfo=datetime.UTC)
LIST = "/actions/service-improvement/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def improvements(org, make_improvement):
    """Sam's overdue one in area A; a whole-organisation one not yet due; one done in B."""
    return {
        "overdue": make_improvement(timescale=datetime.date(2026, 5, 1)),
        "whole": make_improvement(
            service_area=None,
            leads=[org.users["leader"]],
            title="Each team will hold a learning session on the voice of the child",
        ),
        "done": make_improvement(
            service_area="b",
            leads=[org.users["outside_manager"]],
            completed_on=datetime.date(2026, 5, 2),
            title="Ask for feedback in every audit",
        ),
    }


def _form(org, **overrides):
    return {
        "title": "Service Managers will agree what a good chronology looks like",
        "finding": "Chronologies were out of date in a third of audits.",
        "lead_1": org.users["team_manager"].pk,
        "lead_2": org.users["head_of_service"].pk,
        "lead_3": "",
        "lead_description": "Service Managers",
        "service_area": org.area_a.pk,
        "timescale_0": "30",
        "timescale_1": "9",
        "timescale_2": "2026",
        "raised_in": "Quarterly report Q4 2025/26",
        **overrides,
    }


def _shown(response) -> set[int]:
    return {improvement.pk for improvement in response.context["page"].object_list}


# The list ----------------------------------------------------------------------------


def test_the_list_is_at_its_address():
    assert reverse("actions:improvement_list") == LIST


def test_qa_lead_filters_open_overdue_done_and_all(client, org, improvements):
    client.force_login(org.users["qa_lead"])
    response = client.get(LIST)
    assert response.status_code == 200
    assert _shown(response) == {improvements["overdue"].pk, improvements["whole"].pk}
    html = response.content.decode()
    assert "Raise a service improvement action" in html
    row = html.split(f'id="improvement-{improvements["overdue"].pk}"')[1].split("</tr>")[0]
    assert "Overdue" in row
    row = html.split(f'id="improvement-{improvements["whole"].pk}"')[1].split("</tr>")[0]
    assert "Overdue" not in row and "Whole organisation" in row
    assert _shown(client.get(LIST, {"show": "overdue"})) == {improvements["overdue"].pk}
    assert _shown(client.get(LIST, {"show": "done"})) == {improvements["done"].pk}
    assert len(_shown(client.get(LIST, {"show": "all"}))) == 3
    assert _shown(client.get(LIST, {"show": "nonsense"})) == _shown(response)


def test_a_head_of_service_sees_their_area_and_the_whole_organisation(client, org, improvements):
    client.force_login(org.users["head_of_service"])
    response = client.get(LIST, {"show": "all"})
    assert _shown(response) == {improvements["overdue"].pk, improvements["whole"].pk}
    assert "Raise a service improvement action" not in response.content.decode()


def test_a_lead_without_a_role_sees_only_theirs(client, org, improvements):
    client.force_login(org.users["no_role"])
    assert _shown(client.get(LIST, {"show": "all"})) == {improvements["overdue"].pk}


def test_the_list_query_count_does_not_grow(
    client, org, make_improvement, improvements, django_assert_max_num_queries
):
    client.force_login(org.users["qa_lead"])
    for _ in range(10):
        make_improvement(leads=[org.users["no_role"], org.users["team_manager"]])
    with django_assert_max_num_queries(20):
        client.get(LIST, {"show": "all"})


@pytest.mark.parametrize("who", ["team_manager", "auditor"])
def test_others_may_not_see_the_list(client, org, improvements, who):
    client.force_login(org.users[who])
    assert client.get(LIST).status_code == 403


def test_the_list_signed_out_and_wrong_method(client, org):
    assert client.get(LIST).status_code == 302
    client.force_login(org.users["qa_lead"])
    assert client.post(LIST).status_code == 405


# Raising -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["qa_lead", "administrator"])
def test_raising_an_action(client, org, who):
    client.force_login(org.users[who])
    url = reverse("actions:improvement_new")
    page = client.get(url)
    assert page.status_code == 200
    # Prefilled with the last quarter's report: Q4 2025/26 for a day in May 2026.
    assert page.context["form"]["raised_in"].value() == "Quarterly report Q4 2025/26"
    html = page.content.decode()
    assert 'for="id_title"' in html and 'for="id_timescale_0"' in html
    response = client.post(url, _form(org))
    improvement = ServiceImprovementAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:improvement_detail", args=[improvement.pk])
    assert improvement.timescale == datetime.date(2026, 9, 30)
    assert improvement.service_area == org.area_a
    assert set(improvement.leads.all()) == {
        org.users["team_manager"],
        org.users["head_of_service"],
    }
    assert improvement.created_by == org.users[who]


def test_raising_for_the_whole_organisation(client, org):
    client.force_login(org.users["qa_lead"])
    client.post(reverse("actions:improvement_new"), _form(org, service_area=""))
    assert ServiceImprovementAction.objects.get().service_area is None


@pytest.mark.parametrize(
    ("overrides", "anchor", "message"),
    [
        ({"title": ""}, "id_title", svc.ENTER_TITLE),
        ({"title": "x" * 301}, "id_title", svc.TITLE_TOO_LONG),
        ({"lead_1": ""}, "id_lead_1", svc.CHOOSE_LEAD),
        ({"lead_1": "99999999999999999999999"}, "id_lead_1", "Choose the lead from the list"),
        ({"raised_in": ""}, "id_raised_in", svc.ENTER_RAISED_IN),
        (
            {"service_area": "x"},
            "id_service_area",
            svc.CHOOSE_SERVICE_AREA,
        ),
        (
            {"timescale_0": "", "timescale_1": "", "timescale_2": ""},
            "id_timescale_0",
            "Enter the timescale",
        ),
        (
            {"timescale_0": "31", "timescale_1": "2", "timescale_2": "2027"},
            "id_timescale_0",
            "The timescale must be a real date, like 30 9 2026",
        ),
        (
            {"timescale_0": "thirty", "timescale_1": "9", "timescale_2": "2026"},
            "id_timescale_0",
            "The timescale must be a real date, like 30 9 2026",
        ),
        (
            {"timescale_0": "30", "timescale_1": "", "timescale_2": "2026"},
            "id_timescale_0",
            "The timescale must include a month",
        ),
        (
            {"timescale_0": "30", "timescale_1": "9", "timescale_2": "20260"},
            "id_timescale_0",
            "The timescale must be in a year from 1900 to 2100",
        ),
        (
            {"timescale_0": "14", "timescale_1": "5", "timescale_2": "2026"},
            "id_timescale_0",
            svc.TIMESCALE_BEFORE_RAISED.format(date="15 May 2026"),
        ),
    ],
)
def test_bad_input_shows_the_error_summary_linked_to_the_field(
    client, org, overrides, anchor, message
):
    client.force_login(org.users["qa_lead"])
    response = client.post(reverse("actions:improvement_new"), _form(org, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'<a href="#{anchor}">{message}</a>' in html
    assert "<title>Error: " in html.replace("\n", "").replace("  ", "")
    assert not ServiceImprovementAction.objects.exists()


def test_the_same_lead_twice_is_one_lead(client, org):
    client.force_login(org.users["qa_lead"])
    client.post(
        reverse("actions:improvement_new"),
        _form(org, lead_2=org.users["team_manager"].pk, lead_3=org.users["team_manager"].pk),
    )
    assert list(ServiceImprovementAction.objects.get().leads.all()) == [org.users["team_manager"]]


@pytest.mark.parametrize("who", ["leader", "head_of_service", "team_manager", "no_role"])
def test_only_the_qa_lead_and_administrator_raise_actions(client, org, who):
    client.force_login(org.users[who])
    assert client.get(reverse("actions:improvement_new")).status_code == 403
    assert client.post(reverse("actions:improvement_new"), _form(org)).status_code == 403
    assert not ServiceImprovementAction.objects.exists()


# Its page ----------------------------------------------------------------------------


def _detail(improvement):
    return reverse("actions:improvement_detail", args=[improvement.pk])


def test_a_lead_sees_the_action_with_its_forms(client, org, improvements):
    improvement = improvements["overdue"]
    ServiceImprovementUpdate.objects.create(action=improvement, note="Draft agreed.")
    client.force_login(org.users["no_role"])
    response = client.get(_detail(improvement))
    assert response.status_code == 200
    html = response.content.decode()
    assert improvement.title in html and "Draft agreed." in html
    assert "In progress" in html and "Overdue" in html
    assert "Add a progress update" in html and "Mark it as done" in html
    assert 'id="progress-note"' in html and 'id="done-completed_on"' in html
    assert "Change what will happen" not in html


def test_a_leader_reads_but_does_not_update(client, org, improvements):
    client.force_login(org.users["leader"])
    html = client.get(_detail(improvements["overdue"])).content.decode()
    assert "Add a progress update" not in html and "Change what will happen" not in html


@pytest.mark.parametrize("who", ["outside_head", "team_manager", "auditor"])
def test_outsiders_get_not_found(client, org, improvements, who):
    client.force_login(org.users[who])
    assert client.get(_detail(improvements["overdue"])).status_code == 404


def test_page_signed_out_and_wrong_method(client, org, improvements):
    assert client.get(_detail(improvements["overdue"])).status_code == 302
    client.force_login(org.users["qa_lead"])
    assert client.post(_detail(improvements["overdue"])).status_code == 405
    assert client.get(reverse("actions:improvement_detail", args=[999999])).status_code == 404


# Changing ----------------------------------------------------------------------------


def test_qa_lead_changes_an_action(client, org, improvements):
    improvement = improvements["overdue"]
    client.force_login(org.users["qa_lead"])
    url = reverse("actions:improvement_edit", args=[improvement.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["lead_1"].value() == org.users["no_role"].pk
    offered = {person.pk for person in page.context["form"].fields["lead_1"].queryset}
    assert org.users["no_role"].pk in offered and org.users["auditor"].pk not in offered
    # Sam, who leads it, is offered though he is not a manager; Tom is added.
    response = client.post(
        url,
        _form(
            org,
            title="Agree a good chronology",
            lead_1=org.users["no_role"].pk,
            lead_2=org.users["team_manager"].pk,
        ),
    )
    assert response.status_code == 302
    improvement.refresh_from_db()
    assert improvement.title == "Agree a good chronology"
    assert set(improvement.leads.all()) == {org.users["no_role"], org.users["team_manager"]}


def test_changing_with_an_error_shows_it(client, org, improvements):
    client.force_login(org.users["qa_lead"])
    url = reverse("actions:improvement_edit", args=[improvements["overdue"].pk])
    response = client.post(url, _form(org, timescale_0="1", timescale_1="4", timescale_2="2026"))
    assert response.status_code == 200
    message = svc.TIMESCALE_BEFORE_RAISED.format(date="10 April 2026")
    assert f'<a href="#id_timescale_0">{message}</a>' in response.content.decode()


def test_a_done_action_cannot_be_changed(client, org, improvements):
    client.force_login(org.users["qa_lead"])
    url = reverse("actions:improvement_edit", args=[improvements["done"].pk])
    response = client.get(url, follow=True)
    assert svc.ALREADY_DONE.format(date="2 May 2026") in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("no_role", 403), ("outside_head", 404)])
def test_others_may_not_change_it(client, org, improvements, who, status):
    client.force_login(org.users[who])
    url = reverse("actions:improvement_edit", args=[improvements["overdue"].pk])
    assert client.get(url).status_code == status
    assert client.post(url, _form(org, title="Mine now")).status_code == status


# Progress and done -------------------------------------------------------------------


def test_a_lead_adds_progress(client, org, improvements):
    improvement = improvements["overdue"]
    client.force_login(org.users["no_role"])
    url = reverse("actions:improvement_progress", args=[improvement.pk])
    response = client.post(url, {"note": "Shared with two teams."})
    assert response.status_code == 302
    assert response["Location"].endswith("#progress")
    assert improvement.updates.get().note == "Shared with two teams."


def test_empty_progress_shows_the_error_summary(client, org, improvements):
    client.force_login(org.users["no_role"])
    url = reverse("actions:improvement_progress", args=[improvements["overdue"].pk])
    response = client.post(url, {"note": "  "})
    assert response.status_code == 200
    assert f'<a href="#progress-note">{svc.ENTER_NOTE}</a>' in response.content.decode()
    assert not ServiceImprovementUpdate.objects.exists()


def test_the_head_of_service_marks_it_done(client, org, improvements):
    improvement = improvements["overdue"]
    client.force_login(org.users["head_of_service"])
    url = reverse("actions:improvement_done", args=[improvement.pk])
    response = client.post(url, {"completed_on": "2026-05-14", "note": "Done everywhere."})
    assert response.status_code == 302
    improvement.refresh_from_db()
    assert improvement.completed_on == datetime.date(2026, 5, 14)
    html = client.get(_detail(improvement)).content.decode()
    assert "Done" in html and "Add a progress update" not in html


def test_a_done_date_in_the_future_is_refused(client, org, improvements):
    client.force_login(org.users["no_role"])
    url = reverse("actions:improvement_done", args=[improvements["overdue"].pk])
    response = client.post(url, {"completed_on": "2026-05-16"})
    assert response.status_code == 200
    assert f'<a href="#done-completed_on">{svc.DONE_IN_FUTURE}</a>' in response.content.decode()


def test_updating_a_done_action_says_why_and_changes_nothing(client, org, improvements):
    client.force_login(org.users["outside_manager"])
    url = reverse("actions:improvement_progress", args=[improvements["done"].pk])
    response = client.post(url, {"note": "More"}, follow=True)
    assert svc.ALREADY_DONE.format(date="2 May 2026") in response.content.decode()
    assert not ServiceImprovementUpdate.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("leader", 403), ("team_manager", 404)])
def test_others_may_not_record_progress(client, org, improvements, who, status):
    client.force_login(org.users[who])
    improvement = improvements["overdue"]
    progress = reverse("actions:improvement_progress", args=[improvement.pk])
    done = reverse("actions:improvement_done", args=[improvement.pk])
    assert client.post(progress, {"note": "x"}).status_code == status
    assert client.post(done, {"completed_on": "2026-05-14"}).status_code == status
    assert client.get(progress).status_code == 405
    improvement.refresh_from_db()
    assert improvement.completed_on is None and not improvement.updates.exists()


def test_an_empty_list_offers_the_qa_lead_to_raise_one_and_tells_others_who_does(client, org):
    address = reverse("actions:improvement_list")
    client.force_login(org.users["qa_lead"])
    page = client.get(address).content.decode()
    new = reverse("actions:improvement_new")
    assert f'href="{new}">Raise one</a> from a report' in page
    assert "The QA Lead raises these" not in page
    client.force_login(org.users["head_of_service"])
    page = client.get(address).content.decode()
    assert "There are no service improvement actions to show." in page
    assert "The QA Lead raises these from a report's findings." in page
    assert new not in page
