"""A child's social worker through the admin's child page, posted as a browser does.

Being a child's social worker opens the child's accepted audits, so nobody makes (or
unmakes) themselves one, and each change is recorded for both people. Children are the
QA Lead's to edit here; an Administrator cannot open them.
"""

import html

import pytest
from django.urls import reverse

from accounts.models import AccessChange, AccessKind, Role
from accounts.services import LINK_FROM_SELF, LINK_NAMES, LINK_TO_SELF, NOBODY
from audits.models import AuditStatus, Child
from audits.selectors import audits_visible_to
from tests.accounts.admin_forms import change_url, child_form
from tests.factories import AuditFactory, ChildFactory, make_template

pytestmark = pytest.mark.django_db

TO_SELF = LINK_TO_SELF.format(link=LINK_NAMES[AccessKind.SOCIAL_WORKER])
FROM_SELF = LINK_FROM_SELF.format(link=LINK_NAMES[AccessKind.SOCIAL_WORKER])


@pytest.fixture
def quinn(client, org):
    client.force_login(org.users["qa_lead"])
    return org.users["qa_lead"]


@pytest.fixture
def child(org):
    return ChildFactory(team=org.team_a, social_worker=org.users["no_role"])


def errors(response):
    return response.context["adminform"].form.errors.get("social_worker", [])


def test_an_administrator_can_no_longer_make_themselves_a_childs_social_worker(client, org, child):
    adrian = org.users["administrator"]
    AuditFactory(
        child=child,
        template=make_template(),
        auditor=org.users["auditor"],
        status=AuditStatus.ACCEPTED,
    )
    client.force_login(adrian)
    response = client.post(change_url(child), child_form(child, social_worker=adrian.pk))

    assert response.status_code == 403
    child.refresh_from_db()
    assert child.social_worker == org.users["no_role"]
    assert not audits_visible_to(adrian).exists()


def test_the_qa_lead_cannot_make_themselves_a_childs_social_worker(client, org, quinn, child):
    response = client.post(change_url(child), child_form(child, social_worker=quinn.pk))

    assert response.status_code == 200
    assert errors(response) == [TO_SELF]
    assert html.escape(TO_SELF) in response.content.decode()
    child.refresh_from_db()
    assert child.social_worker == org.users["no_role"]
    assert not AccessChange.objects.exists()


def test_nor_when_adding_a_child(client, org, quinn):
    response = client.post(
        reverse("admin:audits_child_add"),
        {
            "case_reference": "NC777001",
            "team": org.team_a.pk,
            "legal_status": "child_in_need",
            "social_worker": quinn.pk,
            "is_open": "on",
        },
    )
    assert errors(response) == [TO_SELF]
    assert not Child.objects.filter(case_reference="NC777001").exists()


def test_nobody_removes_themselves_as_a_childs_social_worker(client, org, quinn):
    child = ChildFactory(team=org.team_a, social_worker=quinn)
    response = client.post(change_url(child), child_form(child, social_worker=""))

    assert errors(response) == [FROM_SELF]
    child.refresh_from_db()
    assert child.social_worker == quinn


def test_the_qa_lead_changes_a_childs_social_worker_and_both_people_are_recorded(
    client, org, quinn, child
):
    sam, tom = org.users["no_role"], org.users["team_manager"]
    response = client.post(change_url(child), child_form(child, social_worker=tom.pk))

    assert response.status_code == 302
    child.refresh_from_db()
    assert child.social_worker == tom
    rows = AccessChange.objects.order_by("pk")
    assert [(c.person, c.kind, c.subject, c.before, c.after, c.changed_by) for c in rows] == [
        (sam, AccessKind.SOCIAL_WORKER, child.case_reference, str(sam), str(tom), quinn),
        (tom, AccessKind.SOCIAL_WORKER, child.case_reference, str(sam), str(tom), quinn),
    ]


def test_a_new_child_with_a_social_worker_is_recorded(client, org, quinn):
    sam = org.users["no_role"]
    response = client.post(
        reverse("admin:audits_child_add"),
        {
            "case_reference": "NC777002",
            "team": org.team_a.pk,
            "legal_status": "child_in_need",
            "social_worker": sam.pk,
            "is_open": "on",
        },
    )
    assert response.status_code == 302
    change = AccessChange.objects.get()
    assert (change.person, change.subject, change.before, change.after) == (
        sam,
        "NC777002",
        NOBODY,
        str(sam),
    )


def test_a_superuser_is_held_to_the_same_rule(client, org, child):
    from accounts.models import User

    root = User.objects.create_superuser(
        email="root@council.example", password="x", first_name="Root", last_name="Account"
    )
    root.role_assignments.create(role=Role.QA_LEAD)
    client.force_login(root)
    response = client.post(change_url(child), child_form(child, social_worker=root.pk))
    assert errors(response) == [TO_SELF]


def test_an_absurd_date_of_birth_is_refused_with_a_message(client, org, quinn, child):
    """The admin keeps Django's own date box, which refuses a year it cannot hold."""
    form = child_form(child, date_of_birth="99999999999999999999-01-01")
    response = client.post(change_url(child), form)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date_of_birth"] == ["Enter a valid date."]
    child.refresh_from_db()
    assert child.date_of_birth != "99999999999999999999-01-01"
