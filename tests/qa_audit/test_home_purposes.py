"""Each role's home page says in a sentence what the person is here to do, with a link
to the page they work from; nobody lands on a dead end."""

import pytest
from django.urls import reverse

from accounts.admin import RoleFilter
from accounts.models import Role, User
from qa_audit.my_work import ROLE_PURPOSES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "auditor": ["audits:my_audits"],
    "moderator": ["audits:my_audits", "moderation:panels"],
    "team_manager": ["actions:tracker"],
    "head_of_service": ["reporting:dashboard"],
    "qa_lead": ["programme:index"],
    "leader": ["reporting:reports"],
    "ambassador": [],
    "administrator": ["organisation:index"],
    "dpo": ["governance:records"],
}


def test_every_role_has_a_purpose():
    assert set(ROLE_PURPOSES) == set(Role)


@pytest.mark.parametrize("who", sorted(PAGES))
def test_the_home_page_says_what_each_role_is_for_and_links_to_where_they_work(client, org, who):
    if who == "dpo":
        user = UserFactory(email="dpo@council.example", roles=[Role.DATA_PROTECTION_OFFICER])
    else:
        user = org.users[who]
    client.force_login(user)
    response = client.get(reverse("home"))
    page = response.content.decode()
    purposes = response.context["purposes"]
    assert [p["text"] for p in purposes] == [
        ROLE_PURPOSES[Role(code)][0] for code in Role.values if code in user.role_codes
    ]
    assert [p["url"] for p in purposes if p["url"]] == [reverse(name) for name in PAGES[who]]
    assert "What you do here" in page
    for name in PAGES[who]:
        # the link is one the person may follow
        assert client.get(reverse(name)).status_code == 200, name


def test_a_person_with_no_role_is_told_who_gives_one(client, org):
    client.force_login(org.users["no_role"])
    page = client.get(reverse("home")).content.decode()
    assert "What you do here" not in page
    assert "Ask your QA Lead or an administrator to give you a role" in page


def test_the_administrator_finds_the_people_with_no_role_yet(rf, org):
    admin_filter = RoleFilter(rf.get("/"), {"role": ["none"]}, User, None)
    people = set(admin_filter.queryset(None, User.objects.all()))
    assert org.users["no_role"] in people
    assert not people & {org.users["auditor"], org.users["qa_lead"]}
    by_role = RoleFilter(rf.get("/"), {"role": [Role.QA_LEAD]}, User, None)
    assert list(by_role.queryset(None, User.objects.all())) == [org.users["qa_lead"]]


def test_the_admins_people_list_filters_by_no_role(client, org):
    client.force_login(org.users["administrator"])
    url = reverse("admin:accounts_user_changelist")
    page = client.get(url, {"role": "none"}).content.decode()
    assert "sam@council.example" in page and "qa@council.example" not in page
    assert "No role yet" in page
