"""Roles and superuser status through the admin's people pages, posted as a browser does.

Adrian is the Administrator; Quinn is the QA Lead; Sam has no role; Root is a superuser.
Nobody changes their own roles or superuser status; only Root grants superuser status;
Adrian manages everybody else's roles, and every change is recorded.
"""

import html

import pytest
from django.urls import reverse

from accounts.models import AccessChange, AccessKind, Role, User
from accounts.services import (
    OWN_ROLES,
    OWN_SUPERUSER,
    PASSWORD_SET,
    SUPERUSER_ONLY,
    roles_change_problem,
    status_change_problem,
    user_set_roles,
)

from .admin_forms import change_url, new_user_form, user_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def adrian(client, org):
    client.force_login(org.users["administrator"])
    return org.users["administrator"]


@pytest.fixture
def root(db):
    return User.objects.create_superuser(
        email="root@council.example", password="x", first_name="Root", last_name="Account"
    )


def field_errors(response, field):
    return response.context["adminform"].form.errors.get(field, [])


def role_errors(response):
    formset = response.context["inline_admin_formsets"][0].formset
    return list(formset.non_form_errors())


def roles_of(person):
    return set(person.role_assignments.values_list("role", flat=True))


def shown(response, message):
    return html.escape(message) in response.content.decode()


# Superuser status ------------------------------------------------------------------------


def test_an_administrator_cannot_make_themselves_a_superuser(client, adrian):
    response = client.post(change_url(adrian), user_form(adrian, is_superuser="on"))

    assert response.status_code == 200
    assert field_errors(response, "is_superuser") == [OWN_SUPERUSER]
    assert shown(response, OWN_SUPERUSER)
    adrian.refresh_from_db()
    assert not adrian.is_superuser
    assert not AccessChange.objects.exists()
    # ... so the audits stay closed to them.
    assert client.get(reverse("admin:audits_audit_changelist")).status_code == 403


def test_an_administrator_cannot_make_anyone_else_a_superuser(client, org, adrian):
    sam = org.users["no_role"]
    response = client.post(change_url(sam), user_form(sam, is_superuser="on"))

    assert response.status_code == 200
    assert field_errors(response, "is_superuser") == [SUPERUSER_ONLY]
    sam.refresh_from_db()
    assert not sam.is_superuser


def test_the_other_fields_are_not_saved_when_superuser_status_is_refused(client, org, adrian):
    sam = org.users["no_role"]
    client.post(change_url(sam), user_form(sam, is_superuser="on", last_name="Renamed"))
    sam.refresh_from_db()
    assert sam.last_name != "Renamed"


def test_a_superuser_grants_and_removes_superuser_status_and_each_is_recorded(client, org, root):
    sam = org.users["no_role"]
    client.force_login(root)

    granted = client.post(change_url(sam), user_form(sam, is_superuser="on"))
    assert granted.status_code == 302
    sam.refresh_from_db()
    assert sam.is_superuser

    removed = client.post(change_url(sam), user_form(sam, is_superuser=""))
    assert removed.status_code == 302
    sam.refresh_from_db()
    assert not sam.is_superuser

    changes = list(AccessChange.objects.order_by("pk"))
    assert [(c.person, c.kind, c.before, c.after, c.changed_by) for c in changes] == [
        (sam, AccessKind.SUPERUSER, "No", "Yes", root),
        (sam, AccessKind.SUPERUSER, "Yes", "No", root),
    ]


def test_a_superuser_cannot_remove_their_own_superuser_status(client, root):
    client.force_login(root)
    response = client.post(change_url(root), user_form(root, is_superuser=""))

    assert response.status_code == 200
    assert field_errors(response, "is_superuser") == [OWN_SUPERUSER]
    root.refresh_from_db()
    assert root.is_superuser


def test_a_superusers_account_is_read_only_to_an_administrator(client, adrian, root):
    page = client.get(change_url(root))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False

    response = client.post(change_url(root), user_form(root, email="adrian2@council.example"))
    assert response.status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert client.get(password_url).status_code == 403
    new_password = {"password1": "x" * 20, "password2": "x" * 20}
    assert client.post(password_url, new_password).status_code == 403
    delete_url = reverse("admin:accounts_user_delete", args=[root.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [root.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 403)
    root.refresh_from_db()
    assert root.email == "root@council.example"
    assert root.check_password("x")


# Roles -------------------------------------------------------------------------------------


def test_an_administrator_cannot_give_themselves_the_qa_lead_role(client, adrian):
    response = client.post(change_url(adrian), user_form(adrian, add_roles=[Role.QA_LEAD]))

    assert response.status_code == 200
    assert role_errors(response) == [OWN_ROLES]
    assert shown(response, OWN_ROLES)
    assert roles_of(adrian) == {Role.ADMINISTRATOR}
    assert not AccessChange.objects.exists()
    assert client.get(reverse("admin:audits_audit_changelist")).status_code == 403


@pytest.mark.parametrize(
    "change",
    [
        {"remove_roles": [Role.ADMINISTRATOR]},
        {"change_role": (Role.ADMINISTRATOR, Role.QA_LEAD)},
    ],
    ids=["remove", "change-in-place"],
)
def test_an_administrator_cannot_remove_or_change_their_own_role(client, adrian, change):
    response = client.post(change_url(adrian), user_form(adrian, **change))

    assert response.status_code == 200
    assert role_errors(response) == [OWN_ROLES]
    assert roles_of(adrian) == {Role.ADMINISTRATOR}


def test_an_administrator_saves_their_own_details_when_their_roles_are_unchanged(client, adrian):
    response = client.post(change_url(adrian), user_form(adrian, last_name="Adminson"))

    assert response.status_code == 302
    adrian.refresh_from_db()
    assert adrian.last_name == "Adminson"
    assert roles_of(adrian) == {Role.ADMINISTRATOR}
    assert not AccessChange.objects.exists()


def test_an_administrator_gives_someone_else_roles_and_the_change_is_recorded(client, org, adrian):
    auditor = org.users["auditor"]
    response = client.post(
        change_url(auditor), user_form(auditor, add_roles=[Role.QA_LEAD, Role.MODERATOR])
    )

    assert response.status_code == 302
    assert roles_of(auditor) == {Role.AUDITOR, Role.MODERATOR, Role.QA_LEAD}
    change = AccessChange.objects.get()
    assert (change.person, change.kind, change.changed_by) == (auditor, AccessKind.ROLES, adrian)
    assert (change.before, change.after) == ("Auditor", "Auditor, Moderator, QA Lead")
    assert change.person_name == str(auditor)
    assert change.changed_by_name == str(adrian)


def test_an_administrator_removes_someone_elses_role_and_the_change_is_recorded(
    client, org, adrian
):
    moderator = org.users["moderator"]
    response = client.post(
        change_url(moderator), user_form(moderator, remove_roles=[Role.MODERATOR])
    )

    assert response.status_code == 302
    assert roles_of(moderator) == {Role.AUDITOR}
    change = AccessChange.objects.get()
    assert (change.before, change.after) == ("Auditor, Moderator", "Auditor")


def test_an_administrator_creates_a_person_and_gives_them_roles(client, adrian):
    response = client.post(
        reverse("admin:accounts_user_add"),
        new_user_form(email="nia@council.example", roles=[Role.AUDITOR, Role.TEAM_MANAGER]),
    )

    assert response.status_code == 302
    nia = User.objects.get(email="nia@council.example")
    assert roles_of(nia) == {Role.AUDITOR, Role.TEAM_MANAGER}
    assert not nia.is_superuser
    change = AccessChange.objects.get()
    assert (change.person, change.before, change.after, change.changed_by) == (
        nia,
        "No roles",
        "Auditor, Team Manager",
        adrian,
    )


@pytest.mark.parametrize("who", ["qa_lead", "team_manager"])
def test_only_administrators_reach_the_roles(client, org, who):
    sam = org.users["no_role"]
    client.force_login(org.users[who])
    client.post(change_url(sam), user_form(sam, add_roles=[Role.QA_LEAD]))
    assert roles_of(sam) == set()


# The ways into someone else's account -----------------------------------------------------


def test_an_email_address_changed_by_an_administrator_is_recorded(client, org, adrian):
    sam = org.users["no_role"]
    old = sam.email
    response = client.post(change_url(sam), user_form(sam, email="sam.new@council.example"))

    assert response.status_code == 302
    change = AccessChange.objects.get()
    assert (change.person, change.kind, change.before, change.after, change.changed_by) == (
        sam,
        AccessKind.EMAIL,
        old,
        "sam.new@council.example",
        adrian,
    )


def test_a_password_set_by_an_administrator_is_recorded(client, org, adrian):
    sam = org.users["no_role"]
    url = reverse("admin:auth_user_password_change", args=[sam.pk])
    response = client.post(
        url,
        {
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.check_password("a-long-and-unusual-passphrase")
    change = AccessChange.objects.get()
    assert (change.person, change.kind, change.after, change.changed_by) == (
        sam,
        AccessKind.PASSWORD,
        PASSWORD_SET.format(name=str(adrian)),
        adrian,
    )


def test_a_refused_password_or_ones_own_records_nothing(client, org, adrian):
    sam = org.users["no_role"]
    refused = client.post(
        reverse("admin:auth_user_password_change", args=[sam.pk]),
        {"password1": "short", "password2": "different", "usable_password": "true"},
    )
    assert refused.status_code == 200
    own = client.post(
        reverse("admin:auth_user_password_change", args=[adrian.pk]),
        {
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "usable_password": "true",
        },
    )
    assert own.status_code == 302
    assert not AccessChange.objects.exists()


# The same rules on any other path ------------------------------------------------------


def test_the_services_refuse_what_the_admin_refuses(org, root):
    adrian, sam = org.users["administrator"], org.users["no_role"]
    with pytest.raises(Exception, match=OWN_ROLES):
        user_set_roles(person=adrian, roles=[Role.QA_LEAD, Role.ADMINISTRATOR], by=adrian)
    assert roles_change_problem(by=adrian, person=sam, before=[], after=[Role.QA_LEAD]) is None
    assert (
        roles_change_problem(by=org.users["qa_lead"], person=sam, before=[], after=["auditor"])
        is not None
    )
    assert (
        status_change_problem(by=adrian, person=sam, field="is_superuser", before=False, after=True)
        == SUPERUSER_ONLY
    )
    assert (
        status_change_problem(by=root, person=sam, field="is_superuser", before=False, after=True)
        is None
    )
    assert (
        status_change_problem(by=root, person=root, field="is_staff", before=True, after=False)
        is not None
    )
    assert roles_of(adrian) == {Role.ADMINISTRATOR}
