"""The QA Lead's "Access changes" page: who was given or lost access, before and after,
by whom and when; filtered by person and date, a page at a time, in a constant number
of queries. Nobody else reaches it."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.forms import (
    PERSON_NOT_FOUND,
    SINCE_MESSAGES,
    SINCE_NOT_A_DATE,
    UNTIL_BEFORE_SINCE,
    UNTIL_NOT_A_DATE,
)
from accounts.models import AccessChange, AccessKind, Role
from accounts.views import ACCESS_CHANGES_PAGE_SIZE
from tests.factories import UserFactory

from .admin_forms import change_url, user_form

pytestmark = pytest.mark.django_db

URL = reverse("organisation:access_changes")


def at(day, hour=12):
    return timezone.make_aware(datetime.datetime(2026, 4, day, hour))


def record(person, by, when, before="Auditor", after="Auditor, QA Lead"):
    return AccessChange.objects.create(
        person=person,
        person_name=str(person),
        kind=AccessKind.ROLES,
        before=before,
        after=after,
        changed_by=by,
        changed_by_name=str(by),
        changed_at=when,
    )


def listed(response):
    return list(response.context["page"].object_list)


@pytest.fixture
def quinn(client, org):
    client.force_login(org.users["qa_lead"])
    return org.users["qa_lead"]


def test_a_role_given_in_the_admin_is_listed_for_the_qa_lead(client, org):
    adrian, auditor = org.users["administrator"], org.users["auditor"]
    client.force_login(adrian)
    client.post(change_url(auditor), user_form(auditor, add_roles=[Role.QA_LEAD]))

    client.force_login(org.users["qa_lead"])
    response = client.get(URL)
    assert response.status_code == 200
    row = listed(response)[0]
    assert (row.person, row.before, row.after, row.changed_by) == (
        auditor,
        "Auditor",
        "Auditor, QA Lead",
        adrian,
    )
    page = response.content.decode()
    for text in (str(auditor), "Roles", "Auditor, QA Lead", str(adrian)):
        assert html.escape(text) in page


@pytest.mark.parametrize(
    "role",
    [
        "auditor",
        "moderator",
        "team_manager",
        "head_of_service",
        "leader",
        "ambassador",
        "administrator",
        "no_role",
    ],
)
def test_nobody_else_reaches_the_page(client, org, role):
    client.force_login(org.users[role])
    assert client.get(URL).status_code == (404 if role == "ambassador" else 403)


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_only_get(quinn, client):
    assert client.post(URL).status_code == 405


def test_the_organisation_page_links_to_it_for_the_qa_lead_only(client, org):
    client.force_login(org.users["qa_lead"])
    assert URL in client.get(reverse("organisation:index")).content.decode()
    client.force_login(org.users["administrator"])
    assert URL not in client.get(reverse("organisation:index")).content.decode()


def test_newest_first_and_filtered_by_person(client, org, quinn):
    adrian = org.users["administrator"]
    sam, tom = org.users["no_role"], org.users["team_manager"]
    older = record(sam, adrian, at(1))
    newer = record(sam, adrian, at(3))
    toms = record(tom, adrian, at(2))

    assert listed(client.get(URL)) == [newer, toms, older]
    assert listed(client.get(URL, {"person": sam.pk})) == [newer, older]
    assert listed(client.get(URL, {"person": tom.pk})) == [toms]


def test_filtered_by_date_with_both_days_included(client, org, quinn):
    adrian, sam = org.users["administrator"], org.users["no_role"]
    first = record(sam, adrian, at(1, 23))
    second = record(sam, adrian, at(2, 0))
    third = record(sam, adrian, at(3, 9))

    assert listed(client.get(URL, {"since": "2026-04-02"})) == [third, second]
    assert listed(client.get(URL, {"until": "2026-04-02"})) == [second, first]
    assert listed(client.get(URL, {"since": "2026-04-02", "until": "2026-04-02"})) == [second]
    assert listed(client.get(URL, {"since": "02/04/2026", "until": "03/04/2026"})) == [
        third,
        second,
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"person": "999999"}, "person", PERSON_NOT_FOUND),
        ({"person": "abc"}, "person", PERSON_NOT_FOUND),
        ({"since": "99999999999999999999-01-01"}, "since", SINCE_MESSAGES["year_range"]),
        ({"since": "2026-02-30"}, "since", SINCE_NOT_A_DATE),
        ({"until": "yesterday"}, "until", UNTIL_NOT_A_DATE),
        ({"since": "2026-04-03", "until": "2026-04-02"}, "until", UNTIL_BEFORE_SINCE),
    ],
)
def test_bad_filters_say_what_is_wrong_and_list_nothing(client, org, quinn, query, field, message):
    record(org.users["no_role"], org.users["administrator"], at(2))
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert html.escape(message) in response.content.decode()
    assert listed(response) == []


def test_a_page_at_a_time(client, org, quinn):
    adrian, sam = org.users["administrator"], org.users["no_role"]
    AccessChange.objects.bulk_create(
        AccessChange(
            person=sam,
            person_name=str(sam),
            kind=AccessKind.ROLES,
            before="No roles",
            after="Auditor",
            changed_by=adrian,
            changed_by_name=str(adrian),
            changed_at=at(1) + datetime.timedelta(minutes=n),
        )
        for n in range(ACCESS_CHANGES_PAGE_SIZE + 5)
    )
    first = client.get(URL, {"person": sam.pk})
    assert len(listed(first)) == ACCESS_CHANGES_PAGE_SIZE
    second = client.get(URL, {"person": sam.pk, "page": 2})
    assert len(listed(second)) == 5
    assert f"person={sam.pk}&amp;page=2" in first.content.decode()
    assert not set(listed(first)) & set(listed(second))


def _queries(client, query=None):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, query or {}).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_changes(client, org, quinn):
    adrian = org.users["administrator"]
    people = [org.users["no_role"], org.users["auditor"]]
    for n, person in enumerate(people):
        record(person, adrian, at(1 + n))
    few = _queries(client)
    few_filtered = _queries(client, {"person": people[0].pk, "since": "2026-04-01"})

    for n in range(40):
        person = UserFactory()
        record(person, adrian, at(1 + n % 20))
        record(person, people[n % 2], at(2))
    assert _queries(client) == few
    assert _queries(client, {"person": people[0].pk, "since": "2026-04-01"}) == few_filtered
