"""The permission matrix: every role, inside and outside its scope."""

import re

import pytest
from django.urls import reverse

from accounts.models import Team
from accounts.selectors import service_areas_visible_to, teams_visible_to

pytestmark = pytest.mark.django_db

ROLES = [
    "auditor",
    "moderator",
    "team_manager",
    "head_of_service",
    "qa_lead",
    "leader",
    "ambassador",
    "administrator",
    "no_role",
]

# role -> (may see the organisation page, may see team A1, may see team B1, admin)
MATRIX = {
    "auditor": (False, True, False, False),  # member of A1
    "moderator": (False, False, True, False),  # member of B1
    "team_manager": (True, True, False, False),  # manages A1
    "head_of_service": (True, True, False, False),  # heads area A
    "qa_lead": (True, True, True, True),
    "leader": (True, True, True, False),
    "ambassador": (False, False, False, False),
    "administrator": (True, True, True, True),
    "no_role": (False, True, False, False),  # member of A1
}


@pytest.mark.parametrize("role", ROLES)
def test_organisation_page(client, org, role):
    client.force_login(org.users[role])
    response = client.get(reverse("organisation:index"))
    refused = 404 if role == "ambassador" else 403
    assert response.status_code == (200 if MATRIX[role][0] else refused)


@pytest.mark.parametrize("role", ROLES)
def test_team_pages_inside_and_outside_scope(client, org, role):
    client.force_login(org.users[role])
    inside = client.get(reverse("organisation:team_detail", args=[org.team_a.pk]))
    outside = client.get(reverse("organisation:team_detail", args=[org.team_b.pk]))
    assert inside.status_code == (200 if MATRIX[role][1] else 404)
    assert outside.status_code == (200 if MATRIX[role][2] else 404)


@pytest.mark.parametrize("role", ROLES)
def test_admin_site(client, org, role):
    client.force_login(org.users[role])
    response = client.get(reverse("admin:index"))
    if MATRIX[role][3]:
        assert response.status_code == 200
    elif role == "ambassador":
        assert response.status_code == 404
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response.url


def test_only_administrators_manage_people_in_the_admin(client, org):
    client.force_login(org.users["administrator"])
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    client.force_login(org.users["qa_lead"])
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


@pytest.mark.parametrize("role", ROLES + ["outside_manager", "outside_head"])
def test_scoped_queries_agree_with_the_rules(org, role):
    user = org.users[role]
    by_query = set(teams_visible_to(user))
    by_rule = {t for t in Team.objects.all() if user.has_perm("accounts.view_team_detail", t)}
    assert by_query == by_rule


def test_head_of_service_sees_only_their_service_area(client, org):
    user = org.users["head_of_service"]
    assert list(service_areas_visible_to(user)) == [org.area_a]
    client.force_login(user)
    assert (
        client.get(reverse("organisation:service_area_detail", args=[org.area_a.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("organisation:service_area_detail", args=[org.area_b.pk])).status_code
        == 404
    )


def test_organisation_page_lists_only_visible_teams(client, org):
    client.force_login(org.users["team_manager"])
    html = client.get(reverse("organisation:index")).content.decode()
    assert org.team_a.name in html
    assert org.team_b.name not in html


def test_roles_are_ignored_for_deactivated_people(org):
    user = org.users["qa_lead"]
    user.is_active = False
    user.save()
    user.__dict__.pop("role_codes", None)
    assert not user.has_perm("accounts.view_organisation")


def test_organisation_pages_refuse_other_methods(client, org):
    client.force_login(org.users["qa_lead"])
    assert client.post(reverse("organisation:index")).status_code == 405


@pytest.mark.parametrize("role", [r for r in ROLES if MATRIX[r][0]])
def test_every_link_on_the_organisation_page_opens_for_whoever_sees_it(client, org, role):
    client.force_login(org.users[role])
    html = client.get(reverse("organisation:index")).content.decode()
    links = set(re.findall(r'href="(/organisation/[^"#?]+)"', html))
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_a_team_manager_sees_their_service_area_named_but_not_linked(client, org):
    client.force_login(org.users["team_manager"])
    html = client.get(reverse("organisation:index")).content.decode()
    assert org.area_a.name in html
    area_link = reverse("organisation:service_area_detail", args=[org.area_a.pk])
    assert area_link not in html
    assert reverse("organisation:team_detail", args=[org.team_a.pk]) in html


def test_an_administrator_without_teams_is_sent_to_add_them_in_administration(client):
    from accounts.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    html = client.get(reverse("organisation:index")).content.decode()
    empty = re.search(r'data-testid="no-teams">(.*?)</p>', html, re.S).group(1)
    assert "There are no service areas or teams yet." in empty
    assert f'href="{reverse("admin:accounts_servicearea_add")}"' in empty
    assert "Ask an administrator" not in html


def test_a_team_manager_without_a_team_is_told_to_ask_an_administrator(client, org):
    from accounts.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(roles=[Role.TEAM_MANAGER]))
    html = client.get(reverse("organisation:index")).content.decode()
    empty = re.search(r'data-testid="no-teams">(.*?)</p>', html, re.S).group(1)
    assert "You are not linked to a team or service area yet." in empty
    assert "Ask an administrator to set you as its manager or Head of Service." in empty
    assert "admin:" not in empty and "/admin/" not in empty


def test_a_service_area_without_teams_says_an_administrator_adds_them(client, org):
    Team.objects.filter(service_area=org.area_a).update(is_active=False)
    address = reverse("organisation:service_area_detail", args=[org.area_a.pk])
    client.force_login(org.users["head_of_service"])
    html = client.get(address).content.decode()
    assert (
        "This service area has no teams yet. An administrator adds them in Administration." in html
    )
    client.force_login(org.users["administrator"])
    html = client.get(address).content.decode()
    empty = re.search(r'data-testid="no-teams">(.*?)</p>', html, re.S).group(1)
    assert "This service area has no teams yet." in empty
    change = reverse("admin:accounts_servicearea_change", args=[org.area_a.pk])
    assert f'href="{change}">Add its teams in Administration</a>' in empty


def test_an_empty_team_sends_only_the_administrator_to_add_people(client, org):
    from tests.factories import TeamFactory

    team = TeamFactory(name="Empty", service_area=org.area_a)
    address = reverse("organisation:team_detail", args=[team.pk])
    people = reverse("admin:accounts_user_changelist")
    client.force_login(org.users["administrator"])
    html = client.get(address).content.decode()
    assert "Nobody is in this team." in html
    assert f'href="{people}">Add people to this team in Administration</a>' in html
    client.force_login(org.users["head_of_service"])
    html = client.get(address).content.decode()
    assert "Nobody is in this team." in html
    assert "Add people to this team" not in html
