"""Links to cases through the admin's team and service area pages.

A team's manager reads its accepted audits and follows its actions; a service area's
Head of Service reads its submitted and accepted audits and holds its Cases of Concern.
So nobody makes themselves (or unmakes themselves) either, and every change is recorded
for both people whose access changes.
"""

import html

import pytest

from accounts.models import AccessChange, AccessKind
from accounts.services import LINK_FROM_SELF, LINK_NAMES, LINK_TO_SELF, NOBODY
from audits.models import AuditStatus
from audits.selectors import audits_visible_to
from tests.factories import AuditFactory, ChildFactory, make_template

from .admin_forms import change_url, service_area_form, team_form

pytestmark = pytest.mark.django_db

MANAGER_TO_SELF = LINK_TO_SELF.format(link=LINK_NAMES[AccessKind.TEAM_MANAGER])
MANAGER_FROM_SELF = LINK_FROM_SELF.format(link=LINK_NAMES[AccessKind.TEAM_MANAGER])
HEAD_TO_SELF = LINK_TO_SELF.format(link=LINK_NAMES[AccessKind.HEAD_OF_SERVICE])


@pytest.fixture
def adrian(client, org):
    client.force_login(org.users["administrator"])
    return org.users["administrator"]


@pytest.fixture
def accepted_audit(org):
    return AuditFactory(
        child=ChildFactory(team=org.team_a),
        template=make_template(),
        auditor=org.users["auditor"],
        status=AuditStatus.ACCEPTED,
    )


def form_errors(response, field):
    return response.context["adminform"].form.errors.get(field, [])


def test_an_administrator_cannot_make_themselves_a_teams_manager(
    client, org, adrian, accepted_audit
):
    team = org.team_a
    response = client.post(change_url(team), team_form(team, manager=adrian.pk))

    assert response.status_code == 200
    assert form_errors(response, "manager") == [MANAGER_TO_SELF]
    assert html.escape(MANAGER_TO_SELF) in response.content.decode()
    team.refresh_from_db()
    assert team.manager == org.users["team_manager"]
    assert not audits_visible_to(adrian).exists()
    assert not AccessChange.objects.exists()


def test_nor_through_the_teams_listed_on_a_service_area(client, org, adrian):
    area = org.area_a
    response = client.post(
        change_url(area), service_area_form(area, team_managers={org.team_a.pk: adrian})
    )

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].errors["manager"] == [MANAGER_TO_SELF]
    org.team_a.refresh_from_db()
    assert org.team_a.manager == org.users["team_manager"]


def test_an_administrator_cannot_make_themselves_head_of_service(
    client, org, adrian, accepted_audit
):
    area = org.area_a
    response = client.post(change_url(area), service_area_form(area, head_of_service=adrian.pk))

    assert response.status_code == 200
    assert form_errors(response, "head_of_service") == [HEAD_TO_SELF]
    area.refresh_from_db()
    assert area.head_of_service == org.users["head_of_service"]
    assert not audits_visible_to(adrian).exists()


def test_a_manager_cannot_remove_themselves_from_their_team(client, org):
    team = org.team_a
    manager = org.users["team_manager"]
    manager.role_assignments.create(role="administrator")
    client.force_login(manager)
    response = client.post(change_url(team), team_form(team, manager=""))

    assert form_errors(response, "manager") == [MANAGER_FROM_SELF]
    team.refresh_from_db()
    assert team.manager == manager


def test_an_administrator_changes_a_teams_manager_and_both_people_are_recorded(client, org, adrian):
    team = org.team_a
    tom, sam = org.users["team_manager"], org.users["no_role"]
    response = client.post(change_url(team), team_form(team, manager=sam.pk))

    assert response.status_code == 302
    team.refresh_from_db()
    assert team.manager == sam
    rows = AccessChange.objects.order_by("pk")
    assert [(c.person, c.kind, c.subject, c.before, c.after, c.changed_by) for c in rows] == [
        (tom, AccessKind.TEAM_MANAGER, team.name, str(tom), str(sam), adrian),
        (sam, AccessKind.TEAM_MANAGER, team.name, str(tom), str(sam), adrian),
    ]


def test_a_team_manager_changed_on_the_service_area_page_is_recorded(client, org, adrian):
    area, sam = org.area_a, org.users["no_role"]
    response = client.post(
        change_url(area), service_area_form(area, team_managers={org.team_a.pk: sam})
    )

    assert response.status_code == 302
    org.team_a.refresh_from_db()
    assert org.team_a.manager == sam
    assert set(AccessChange.objects.values_list("person", "kind")) == {
        (org.users["team_manager"].pk, AccessKind.TEAM_MANAGER),
        (sam.pk, AccessKind.TEAM_MANAGER),
    }


def test_an_administrator_removes_a_head_of_service_and_it_is_recorded(client, org, adrian):
    area, alice = org.area_a, org.users["head_of_service"]
    response = client.post(change_url(area), service_area_form(area, head_of_service=""))

    assert response.status_code == 302
    area.refresh_from_db()
    assert area.head_of_service is None
    change = AccessChange.objects.get()
    assert (change.person, change.kind, change.subject, change.before, change.after) == (
        alice,
        AccessKind.HEAD_OF_SERVICE,
        area.name,
        str(alice),
        NOBODY,
    )


def test_saving_a_team_with_its_manager_unchanged_records_nothing(client, org, adrian):
    team = org.team_a
    response = client.post(change_url(team), team_form(team, name="Family Support North East"))
    assert response.status_code == 302
    assert not AccessChange.objects.exists()
