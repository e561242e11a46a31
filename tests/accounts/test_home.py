import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_my_work_shows_the_persons_roles(client, org):
    client.force_login(org.users["moderator"])
    html = client.get(reverse("home")).content.decode()
    assert "Auditor, Moderator" in html


def test_person_without_a_role_is_told_how_to_get_one(client, org):
    client.force_login(org.users["no_role"])
    html = client.get(reverse("home")).content.decode()
    assert "Ask your QA Lead or an administrator to give you a role" in html


def test_administrator_is_told_about_teams_without_a_manager(client, org):
    org.team_b.manager = None
    org.team_b.save()
    client.force_login(org.users["administrator"])
    html = client.get(reverse("home")).content.decode()
    assert "Children in Care 1 (Children in Care) has no team manager" in html


def test_head_of_service_is_told_only_about_their_own_teams(client, org):
    org.team_a.manager = None
    org.team_a.save()
    org.team_b.manager = None
    org.team_b.save()
    client.force_login(org.users["head_of_service"])
    html = client.get(reverse("home")).content.decode()
    assert "Family Support North (Safeguarding) has no team manager" in html
    assert "Children in Care 1" not in html


@pytest.mark.parametrize("role", ["administrator", "qa_lead", "head_of_service", "auditor"])
def test_home_query_count_does_not_grow_with_the_organisation(client, org, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import TeamFactory

    client.force_login(org.users[role])
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for _ in range(20):
        TeamFactory(service_area=org.area_a)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("home"))
    assert len(large) == len(small)


def test_administrator_is_told_to_add_service_areas_and_teams_when_there_are_none(client):
    from accounts.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    html = client.get(reverse("home")).content.decode()
    assert "There are no service areas or teams yet: add them in Administration" in html
    assert reverse("admin:accounts_servicearea_add") in html


def test_administrator_is_not_told_to_add_teams_when_there_are_some(client, org):
    client.force_login(org.users["administrator"])
    html = client.get(reverse("home")).content.decode()
    assert "There are no service areas or teams yet" not in html
