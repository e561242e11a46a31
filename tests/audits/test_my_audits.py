"""My audits, and what audits put on the home page's "My work"."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audits.models import AuditStatus, SocialWorkerReply
from audits.my_work import auditor_work, qa_lead_review_work, social_worker_work
from audits.views import form as form_views
from tests.factories import AuditFactory, ChildFactory, UserFactory, make_template

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(
        datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture
def template(db):
    return make_template()


def make_audit(org, template, **kwargs):
    kwargs.setdefault("auditor", org.users["auditor"])
    child = kwargs.pop("child", None) or ChildFactory(team=org.team_a)
    return AuditFactory(child=child, template=template, **kwargs)


def rows(page):
    """The case references in a page, in the order they appear."""
    return re.findall(r'<th scope="row" class="govuk-table__header">(NC\d+)</th>', page)


def test_people_without_the_auditor_role_are_refused(client, org):
    for person in ("no_role", "qa_lead", "team_manager"):
        client.force_login(org.users[person])
        assert client.get(reverse("audits:my_audits")).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("audits:my_audits"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_wrong_method_is_refused(client, org):
    client.force_login(org.users["auditor"])
    assert client.post(reverse("audits:my_audits")).status_code == 405


def test_audits_are_grouped_and_ordered(client, org, template):
    later = make_audit(org, template, due_date=datetime.date(2026, 12, 31))
    soon = make_audit(org, template, due_date=datetime.date(2026, 11, 25))
    overdue = make_audit(
        org, template, due_date=datetime.date(2026, 10, 31), status=AuditStatus.IN_PROGRESS
    )
    returned = make_audit(
        org,
        template,
        due_date=datetime.date(2026, 12, 31),
        status=AuditStatus.RETURNED,
        return_comments="The evidence for Visits does not support Good.",
    )
    submitted = make_audit(org, template, status=AuditStatus.SUBMITTED, submitted_at=timezone.now())
    accepted_recent = make_audit(
        org, template, status=AuditStatus.ACCEPTED, completed_on=datetime.date(2026, 10, 2)
    )
    accepted_older = make_audit(
        org, template, status=AuditStatus.ACCEPTED, completed_on=datetime.date(2026, 6, 2)
    )
    make_audit(org, template, status=AuditStatus.ACCEPTED, completed_on=datetime.date(2025, 9, 1))
    make_audit(org, template, status=AuditStatus.ACCEPTED, completed_on=datetime.date(2024, 1, 9))
    proposed = make_audit(org, template, status=AuditStatus.PROPOSED)
    cancelled = make_audit(org, template, status=AuditStatus.CANCELLED)
    someone_elses = make_audit(org, template, auditor=org.users["moderator"])

    client.force_login(org.users["auditor"])
    response = client.get(reverse("audits:my_audits"))
    assert response.status_code == 200
    page = response.content.decode()
    refs = rows(page)
    expected = [returned, overdue, soon, later, submitted, accepted_recent, accepted_older]
    assert refs == [a.child.case_reference for a in expected]
    for hidden in (proposed, cancelled, someone_elses):
        assert hidden.child.case_reference not in page
    assert "The evidence for Visits does not support Good." in page
    assert page.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 1
    assert "2 older completed audits are not shown." in page
    assert f'href="{reverse("audits:audit_form", args=[returned.pk])}">Make changes' in page
    assert f'href="{reverse("audits:audit_form", args=[later.pk])}">Start' in page
    assert f'href="{reverse("audits:audit_form", args=[overdue.pk])}">Continue' in page
    assert f'href="{reverse("audits:audit_detail", args=[submitted.pk])}">View' in page
    assert "Family Support North" in page
    assert "Child in Need" in page
    assert "Child Journey Audit" in page
    assert "November 2026" in page


def test_an_auditor_with_nothing_to_do_is_told_so(client, org):
    client.force_login(org.users["auditor"])
    page = client.get(reverse("audits:my_audits")).content.decode()
    assert "You have no audits to do." in page
    assert "No audits are waiting for the QA Lead." in page


def test_my_audits_does_a_constant_number_of_queries(
    client, org, template, django_assert_max_num_queries
):
    statuses = [
        AuditStatus.ALLOCATED,
        AuditStatus.RETURNED,
        AuditStatus.SUBMITTED,
        AuditStatus.ACCEPTED,
    ]
    for status in statuses:
        make_audit(org, template, status=status, completed_on=TODAY)
    client.force_login(org.users["auditor"])
    with django_assert_max_num_queries(30) as captured:
        assert client.get(reverse("audits:my_audits")).status_code == 200
    few = len(captured)
    for n in range(26):
        make_audit(
            org,
            template,
            status=statuses[n % 4],
            completed_on=TODAY,
            child=ChildFactory(team=org.team_b if n % 2 else org.team_a),
        )
    with django_assert_max_num_queries(few):
        response = client.get(reverse("audits:my_audits"))
    assert len(rows(response.content.decode())) == 30


# My work ----------------------------------------------------------------------------


def test_auditor_work_lists_returned_overdue_due_soon_and_drafts_once_each(org, template):
    user = org.users["auditor"]
    returned = make_audit(
        org, template, status=AuditStatus.RETURNED, due_date=datetime.date(2026, 10, 1)
    )
    overdue = make_audit(org, template, due_date=datetime.date(2026, 11, 19))
    soon = make_audit(org, template, due_date=datetime.date(2026, 12, 4))
    draft = make_audit(
        org, template, status=AuditStatus.IN_PROGRESS, due_date=datetime.date(2026, 12, 31)
    )
    make_audit(org, template, due_date=datetime.date(2026, 12, 31))  # allocated, not due soon
    make_audit(org, template, status=AuditStatus.SUBMITTED)
    sections = auditor_work(user)
    assert [s["title"] for s in sections] == [
        "Audits returned to you for changes",
        "Overdue audits",
        "Audits due in the next 14 days",
        "Audits you have started",
    ]
    urls = [[item["url"] for item in s["items"]] for s in sections]
    assert urls == [
        [reverse("audits:audit_form", args=[a.pk])] for a in (returned, overdue, soon, draft)
    ]
    assert sections[1]["items"][0]["text"] == (
        f"{overdue.child.case_reference} (Family Support North): was due 19 November 2026"
    )
    assert sections[2]["items"][0]["text"].endswith("due 4 December 2026")


def test_auditor_work_is_empty_without_the_role_or_without_audits(org, template):
    assert auditor_work(org.users["auditor"]) == []
    make_audit(org, template, auditor=org.users["no_role"], due_date=TODAY)
    assert auditor_work(org.users["no_role"]) == []


def test_auditor_work_does_a_constant_number_of_queries(
    org, template, django_assert_max_num_queries
):
    make_audit(org, template, due_date=TODAY)
    user = org.users["auditor"]
    with django_assert_max_num_queries(5) as captured:
        auditor_work(user)
    for _ in range(10):
        make_audit(org, template, due_date=TODAY)
    user.__dict__.pop("role_codes", None)
    with django_assert_max_num_queries(len(captured)):
        assert len(auditor_work(user)[0]["items"]) == 11


def test_qa_lead_review_work_counts_submitted_audits(org, template, django_assert_num_queries):
    assert qa_lead_review_work(org.users["qa_lead"]) == []
    for _ in range(3):
        make_audit(org, template, status=AuditStatus.SUBMITTED)
    make_audit(org, template, status=AuditStatus.RETURNED)
    with django_assert_num_queries(1):
        sections = qa_lead_review_work(org.users["qa_lead"])
    assert sections == [
        {
            "title": "Audits to review",
            "items": [
                {
                    "text": "3 submitted audits waiting for your decision",
                    "url": reverse("audits:review_queue"),
                    "count": 3,
                }
            ],
        }
    ]
    assert qa_lead_review_work(org.users["auditor"]) == []


def test_social_worker_work_lists_accepted_audits_not_yet_replied_to(
    org, template, django_assert_num_queries
):
    worker = UserFactory(team=org.team_a)
    replied = make_audit(
        org, template, status=AuditStatus.ACCEPTED, child=ChildFactory(social_worker=worker)
    )
    SocialWorkerReply.objects.create(audit=replied, author=worker, stance="agree", text="Yes")
    waiting = make_audit(
        org, template, status=AuditStatus.ACCEPTED, child=ChildFactory(social_worker=worker)
    )
    make_audit(
        org, template, status=AuditStatus.SUBMITTED, child=ChildFactory(social_worker=worker)
    )
    make_audit(org, template, status=AuditStatus.ACCEPTED)  # another worker's child
    with django_assert_num_queries(1):
        sections = social_worker_work(worker)
    assert sections == [
        {
            "title": "Audits of your children to reply to",
            "items": [
                {
                    "text": f"{waiting.child.case_reference} ({waiting.team.name}): "
                    "audit accepted: read it and reply",
                    "url": reverse("audits:audit_detail", args=[waiting.pk]) + "#replies",
                }
            ],
        }
    ]
    assert social_worker_work(UserFactory(roles=[Role.AUDITOR])) == []


# Completed audits, a page at a time -------------------------------------------------------


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(form_views, "MY_AUDITS_PAGE_SIZE", 3)


def completed(org, template, count):
    """Accepted audits, returned newest first (as the page lists them)."""
    made = [
        make_audit(
            org,
            template,
            status=AuditStatus.ACCEPTED,
            completed_on=TODAY - datetime.timedelta(days=index),
        )
        for index in range(count)
    ]
    return [a.child.case_reference for a in made]


def test_completed_audits_filling_a_page_exactly_have_no_page_links(
    client, org, template, small_pages
):
    refs = completed(org, template, 3)
    client.force_login(org.users["auditor"])
    page = client.get(reverse("audits:my_audits")).content.decode()
    assert rows(page) == refs
    assert 'class="govuk-pagination"' not in page


def test_one_completed_audit_more_than_a_page_goes_to_a_second_page(
    client, org, template, small_pages
):
    refs = completed(org, template, 4)
    todo = make_audit(org, template, due_date=datetime.date(2026, 12, 31))
    client.force_login(org.users["auditor"])
    first = client.get(reverse("audits:my_audits")).content.decode()
    assert rows(first) == [todo.child.case_reference, *refs[:3]]
    assert "Showing 1 to 3 of 4." in first
    assert 'href="?page=2"' in first and "Page 1 of 2" in first
    second = client.get(reverse("audits:my_audits"), {"page": 2}).content.decode()
    assert rows(second) == [todo.child.case_reference, refs[3]]
    assert 'href="?page=1"' in second and 'rel="next"' not in second


@pytest.mark.parametrize("page", ["99", "nonsense"])
def test_a_page_out_of_range_shows_the_last_or_first_page(client, org, template, small_pages, page):
    refs = completed(org, template, 4)
    client.force_login(org.users["auditor"])
    response = client.get(reverse("audits:my_audits"), {"page": page})
    assert response.status_code == 200
    assert rows(response.content.decode()) == (refs[3:] if page == "99" else refs[:3])


def test_an_undated_completed_audit_counts_as_today(client, org, template):
    dated = make_audit(org, template, status=AuditStatus.ACCEPTED, completed_on=TODAY)
    undated = make_audit(org, template, status=AuditStatus.ACCEPTED, completed_on=None)
    older = make_audit(
        org, template, status=AuditStatus.ACCEPTED, completed_on=datetime.date(2026, 11, 1)
    )
    client.force_login(org.users["auditor"])
    page = client.get(reverse("audits:my_audits")).content.decode()
    assert rows(page) == [a.child.case_reference for a in (undated, dated, older)]


def test_paged_my_audits_queries_do_not_grow(
    client, org, template, small_pages, django_assert_max_num_queries
):
    completed(org, template, 5)
    client.force_login(org.users["auditor"])
    with django_assert_max_num_queries(30) as captured:
        client.get(reverse("audits:my_audits"), {"page": 2})
    few = len(captured)
    completed(org, template, 25)
    with django_assert_max_num_queries(few):
        client.get(reverse("audits:my_audits"), {"page": 2})
