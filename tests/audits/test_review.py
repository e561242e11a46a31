"""The audit page, the QA Lead's review queue, and accepting or returning an audit."""

import datetime
import html
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audits.models import (
    AuditEvent,
    AuditEventKind,
    AuditStatus,
    DomainGrading,
    Grade,
    ProposedAction,
)
from audits.services.audit import NOT_SUBMITTED, RETURN_NEEDS_COMMENTS, audit_submit
from tests.factories import (
    EVIDENCE,
    AuditFactory,
    ChildFactory,
    UserFactory,
    complete_audit,
    make_template,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(org):
    template = make_template()
    child = ChildFactory(team=org.team_a, social_worker=org.users["no_role"])
    return AuditFactory(child=child, template=template, auditor=org.users["auditor"])


@pytest.fixture
def submitted(audit, org):
    complete_audit(audit, domain_grades={"Assessments": Grade.REQUIRES_IMPROVEMENT})
    DomainGrading.objects.filter(audit=audit, domain__name="Assessments").update(ri_band="lower")
    ProposedAction.objects.create(
        audit=audit,
        order=0,
        text="Update the child's plan",
        for_child_plan=True,
        suggested_owner=org.users["team_manager"],
        suggested_due=datetime.date(2027, 1, 15),
    )
    return audit_submit(audit=audit, user=org.users["auditor"])


def detail_url(audit):
    return reverse("audits:audit_detail", args=[audit.pk])


def decide_url(audit):
    return reverse("audits:audit_decide", args=[audit.pk])


def text(response):
    """The page, unescaped, with each run of whitespace as one space."""
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# The audit page ---------------------------------------------------------------------


def test_the_audit_page_shows_the_whole_audit(client, submitted, org):
    client.force_login(org.users["auditor"])
    response = client.get(detail_url(submitted))
    assert response.status_code == 200
    page = text(response)
    assert f"Audit of {submitted.child.case_reference}" in page
    assert "Family Support North" in page
    assert "Child in Need" in page
    assert 'Age in the month audited</dt> <dd class="govuk-summary-list__value"> 11' in page
    assert str(org.users["auditor"]) in page
    assert "Child Journey Audit, version 1" in page
    assert '<strong class="govuk-tag govuk-tag--purple">Submitted</strong>' in page
    assert "Is the child's plan up to date?" in page
    assert "Seen on the file." in page
    assert '<strong class="govuk-tag app-grade-tag--good">Good</strong>' in page
    assert (
        '<strong class="govuk-tag app-grade-tag--requires-improvement">'
        "Requires Improvement (lower)</strong>"
    ) in page
    assert EVIDENCE in page
    assert "Strong relationships with the family." in page
    assert "Plans need SMART outcomes." in page
    assert "Did you speak to the child?" in page
    assert "Update the child's plan<br>In the child's plan: yes" in page
    assert f"Suggested owner: {org.users['team_manager'].get_full_name()}" in page
    assert "Suggested date: 15 January 2027" in page
    assert "No replies yet." in page
    # The auditor of a submitted audit cannot edit it, decide it, or see the event log.
    assert "Continue editing" not in page
    assert "Your decision" not in page
    assert "Who viewed or changed this audit" not in page


def test_viewing_an_audit_is_logged(client, submitted, org):
    client.force_login(org.users["head_of_service"])
    assert client.get(detail_url(submitted)).status_code == 200
    event = AuditEvent.objects.filter(audit=submitted, kind=AuditEventKind.VIEWED).get()
    assert event.user == org.users["head_of_service"]


def test_the_qa_lead_sees_who_viewed_or_changed_the_audit(client, submitted, org):
    client.force_login(org.users["head_of_service"])
    client.get(detail_url(submitted))
    client.force_login(org.users["qa_lead"])
    page = text(client.get(detail_url(submitted)))
    assert "Who viewed or changed this audit" in page
    assert f"{org.users['head_of_service']}</td>" in page
    assert "Submitted </td>" in page
    assert "Your decision" in page


def test_the_auditor_can_continue_editing_an_editable_audit(client, audit, org):
    client.force_login(org.users["auditor"])
    page = text(client.get(detail_url(audit)))
    assert f'href="{reverse("audits:audit_form", args=[audit.pk])}"' in page
    assert "Continue editing" in page


@pytest.mark.parametrize("person", ["moderator", "no_role", "team_manager", "outside_head"])
def test_people_outside_the_audit_get_not_found(client, submitted, org, person):
    client.force_login(org.users[person])
    assert client.get(detail_url(submitted)).status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEventKind.VIEWED).exists()


def test_an_accepted_audit_is_shared_with_the_team_manager_but_not_other_teams(
    client, submitted, org
):
    submitted.status = AuditStatus.ACCEPTED
    submitted.save()
    client.force_login(org.users["team_manager"])
    page = text(client.get(detail_url(submitted)))
    assert "Who viewed or changed this audit" not in page
    client.force_login(org.users["outside_manager"])
    assert client.get(detail_url(submitted)).status_code == 404


def test_the_audit_page_refuses_post(client, submitted, org):
    client.force_login(org.users["qa_lead"])
    assert client.post(detail_url(submitted)).status_code == 405


def test_the_audit_page_does_a_constant_number_of_queries(
    client, submitted, org, django_assert_max_num_queries
):
    client.force_login(org.users["qa_lead"])
    with django_assert_max_num_queries(40) as captured:
        client.get(detail_url(submitted))
    few = len(captured)
    ProposedAction.objects.bulk_create(
        ProposedAction(audit=submitted, order=n, text=f"Action {n}", suggested_owner=UserFactory())
        for n in range(1, 20)
    )
    for _ in range(5):
        client.get(detail_url(submitted))
    with django_assert_max_num_queries(few):
        client.get(detail_url(submitted))


# The review queue -------------------------------------------------------------------


def test_the_review_queue_lists_submitted_audits_oldest_first(client, org):
    template = make_template()
    newer = AuditFactory(
        template=template,
        status=AuditStatus.SUBMITTED,
        submitted_at=timezone.now(),
        child=ChildFactory(team=org.team_b),
    )
    older = AuditFactory(
        template=template,
        status=AuditStatus.SUBMITTED,
        submitted_at=timezone.now() - datetime.timedelta(days=3),
        child=ChildFactory(team=org.team_a),
    )
    not_yet = AuditFactory(template=template, status=AuditStatus.IN_PROGRESS)
    client.force_login(org.users["qa_lead"])
    page = text(client.get(reverse("audits:review_queue")))
    assert page.index(older.child.case_reference) < page.index(newer.child.case_reference)
    assert not_yet.child.case_reference not in page
    assert str(older.auditor) in page
    assert "Children in Care 1" in page
    assert f'href="{detail_url(older)}">Review' in page


@pytest.mark.parametrize("person", ["auditor", "head_of_service", "leader", "no_role"])
def test_only_the_qa_lead_has_the_review_queue(client, org, person):
    client.force_login(org.users[person])
    assert client.get(reverse("audits:review_queue")).status_code == 403


def test_the_review_queue_refuses_post(client, org):
    client.force_login(org.users["qa_lead"])
    assert client.post(reverse("audits:review_queue")).status_code == 405


# Accept or return -------------------------------------------------------------------


def test_the_qa_lead_accepts_a_submitted_audit(client, submitted, org):
    client.force_login(org.users["qa_lead"])
    response = client.post(decide_url(submitted), {"decision": "accept"})
    assert response["Location"] == reverse("audits:review_queue")
    assert "Audit accepted as completed to the accepted standard" in message_texts(response)
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.ACCEPTED
    assert submitted.accepted_by == org.users["qa_lead"]


def test_returning_without_comments_is_refused_and_changes_nothing(client, submitted, org):
    client.force_login(org.users["qa_lead"])
    response = client.post(decide_url(submitted), {"decision": "return", "comments": "  "})
    assert response.status_code == 400
    page = text(response)
    assert "<title> Error: Audit of" in page
    assert f'<a href="#id_comments">{RETURN_NEEDS_COMMENTS}</a>' in page
    assert 'id="id_comments"' in page
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.SUBMITTED
    assert submitted.return_comments == ""
    assert mail.outbox == []


def test_returned_comments_reach_the_auditor(
    client, submitted, org, django_capture_on_commit_callbacks
):
    client.force_login(org.users["qa_lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide_url(submitted),
            {"decision": "return", "comments": "The evidence for Visits needs dates."},
        )
    assert response["Location"] == reverse("audits:review_queue")
    assert f"Audit returned to {org.users['auditor']} with your comments" in message_texts(response)
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.RETURNED
    assert [m.to for m in mail.outbox] == [[org.users["auditor"].email]]

    client.force_login(org.users["auditor"])
    my_audits = text(client.get(reverse("audits:my_audits")))
    assert "The evidence for Visits needs dates." in my_audits
    assert "Returned for changes" in my_audits
    page = text(client.get(detail_url(submitted)))
    assert "Returned for changes" in page
    assert "The evidence for Visits needs dates." in page
    assert "Continue editing" in page


@pytest.mark.parametrize("person", ["auditor", "head_of_service"])
def test_people_who_may_see_but_not_decide_are_refused(client, submitted, org, person):
    client.force_login(org.users[person])
    response = client.post(decide_url(submitted), {"decision": "accept"})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.SUBMITTED


def test_outsiders_cannot_decide(client, submitted, org):
    client.force_login(org.users["moderator"])
    assert client.post(decide_url(submitted), {"decision": "accept"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.SUBMITTED


def test_deciding_needs_post(client, submitted, org):
    client.force_login(org.users["qa_lead"])
    assert client.get(decide_url(submitted)).status_code == 405


def test_an_audit_not_submitted_cannot_be_decided(client, audit, org):
    client.force_login(org.users["qa_lead"])
    response = client.post(decide_url(audit), {"decision": "accept"})
    assert response["Location"] == detail_url(audit)
    assert NOT_SUBMITTED in message_texts(response)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.ALLOCATED
    assert "Your decision" not in text(client.get(detail_url(audit)))


def test_the_review_queue_does_a_constant_number_of_queries(
    client, org, django_assert_max_num_queries
):
    template = make_template()

    def submit(count):
        for _ in range(count):
            AuditFactory(
                template=template, status=AuditStatus.SUBMITTED, submitted_at=timezone.now()
            )

    submit(2)
    client.force_login(org.users["qa_lead"])
    with django_assert_max_num_queries(20) as captured:
        client.get(reverse("audits:review_queue"))
    few = len(captured)
    submit(20)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("audits:review_queue"))
    assert response.content.decode().count(">Review<") == 22
