"""Looped audits: creating them, and the blindness of the comparison until both are in."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from audits.models import Audit, AuditStatus, Grade
from audits.services.audit import audit_submit
from moderation.forms import DUE_DATE_INVALID, UNKNOWN_CASE_REFERENCE
from moderation.models import LoopedAudit
from moderation.services import LOOP_NOT_READY, LOOP_SAME_AUDITOR, loop_create
from tests.factories import ChildFactory, UserFactory, complete_audit

from .conftest import MONTH

pytestmark = pytest.mark.django_db

G, RI = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT
TODAY = datetime.datetime(2026, 10, 5, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def second_auditor(org):
    return UserFactory(roles=[Role.AUDITOR], team=org.team_a, email="second@council.example")


@pytest.fixture
def loop(org, template, second_auditor):
    return loop_create(
        child=ChildFactory(team=org.team_a, case_reference="NC424242"),
        auditors=(org.users["auditor"], second_auditor),
        template=template,
        month=MONTH,
        due_date=None,
        user=org.users["qa_lead"],
    )


def submit(audit, grade):
    complete_audit(audit, grade=grade)
    audit_submit(audit=audit, user=audit.auditor, today=datetime.date(2026, 10, 20))


def detail(loop):
    return reverse("moderation:loop_detail", args=[loop.pk])


@time_machine.travel(TODAY, tick=False)
def test_qa_lead_creates_a_looped_audit(client, org, template, second_auditor):
    ChildFactory(team=org.team_a, case_reference="NC555001")
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:loops"),
        {
            "case_reference": "nc555001",
            "first_auditor": org.users["auditor"].pk,
            "second_auditor": second_auditor.pk,
            "template": template.pk,
            "month": "2026-10-01",
            "due_date_0": "",
            "due_date_1": "",
            "due_date_2": "",
        },
    )
    loop = LoopedAudit.objects.get()
    assert response.status_code == 302
    assert response.url == detail(loop)
    assert {loop.first.auditor, loop.second.auditor} == {org.users["auditor"], second_auditor}
    assert loop.first.child.case_reference == "NC555001"
    assert loop.first.due_date == datetime.date(2026, 10, 31)
    assert loop.first.status == AuditStatus.ALLOCATED
    html = client.get(reverse("moderation:loops")).content.decode()
    assert detail(loop) in html


@time_machine.travel(TODAY, tick=False)
def test_the_same_auditor_twice_is_refused(client, org, template):
    ChildFactory(team=org.team_a, case_reference="NC555002")
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:loops"),
        {
            "case_reference": "NC555002",
            "first_auditor": org.users["auditor"].pk,
            "second_auditor": org.users["auditor"].pk,
            "template": template.pk,
            "month": "2026-10-01",
        },
    )
    assert response.status_code == 200
    assert f'<a href="#id_second_auditor">{LOOP_SAME_AUDITOR}</a>' in response.content.decode()
    assert not LoopedAudit.objects.exists()
    assert not Audit.objects.exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("30", "6", "99999999999999999999"), "The due date must be in a year from 1900 to 2100"),
        (("30", "", "2026"), "The due date must include a month"),
        (("31", "2", "2027"), DUE_DATE_INVALID),
    ],
)
def test_a_bad_due_date_is_refused(client, org, template, second_auditor, parts, message):
    ChildFactory(team=org.team_a, case_reference="NC555003")
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:loops"),
        {
            "case_reference": "NC555003",
            "first_auditor": org.users["auditor"].pk,
            "second_auditor": second_auditor.pk,
            "template": template.pk,
            "month": "2026-10-01",
            "due_date_0": parts[0],
            "due_date_1": parts[1],
            "due_date_2": parts[2],
        },
    )
    assert response.status_code == 200
    assert f'<a href="#id_due_date_0">{message}</a>' in response.content.decode()
    assert not LoopedAudit.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_an_unknown_case_reference_is_refused(client, org, template, second_auditor):
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:loops"),
        {
            "case_reference": "NC000000",
            "first_auditor": org.users["auditor"].pk,
            "second_auditor": second_auditor.pk,
            "template": template.pk,
            "month": "2026-10-01",
        },
    )
    message = UNKNOWN_CASE_REFERENCE.format(reference="NC000000")
    assert f'<a href="#id_case_reference">{message}</a>' in response.content.decode()
    assert not LoopedAudit.objects.exists()


@pytest.mark.parametrize("who", ["moderator", "auditor", "leader"])
def test_only_the_qa_lead_manages_looped_audits(client, org, who):
    client.force_login(org.users[who])
    assert client.get(reverse("moderation:loops")).status_code == 403
    assert client.post(reverse("moderation:loops"), {}).status_code == 403


def test_looped_audits_page_refuses_other_methods(client, org):
    client.force_login(org.users["qa_lead"])
    assert client.delete(reverse("moderation:loops")).status_code == 405


def test_the_comparison_is_blind_until_both_are_submitted(client, org, loop, second_auditor):
    submit(loop.first, G)
    # The first auditor has submitted; the second has not: neither may look.
    for auditor in (org.users["auditor"], second_auditor):
        client.force_login(auditor)
        assert client.get(detail(loop)).status_code == 403
    # The QA Lead sees the statuses, but there is nothing to compare yet.
    client.force_login(org.users["qa_lead"])
    html = client.get(detail(loop)).content.decode()
    assert LOOP_NOT_READY in html
    assert "Submitted" in html and "Allocated" in html
    assert 'data-testid="loop-blind"' in html

    loop.second.refresh_from_db()
    submit(loop.second, RI)
    for auditor in (org.users["auditor"], second_auditor):
        client.force_login(auditor)
        response = client.get(detail(loop))
        assert response.status_code == 200
        html = response.content.decode()
        assert LOOP_NOT_READY not in html
        assert "Requires Improvement" in html and "Good" in html
        assert "Differs" in html


@pytest.mark.parametrize("who", ["moderator", "team_manager", "no_role"])
def test_people_outside_the_loop_get_404(client, org, loop, who):
    submit(loop.first, G)
    loop.second.refresh_from_db()
    submit(loop.second, G)
    client.force_login(org.users[who])
    assert client.get(detail(loop)).status_code == 404


def test_loop_detail_refuses_post(client, org, loop):
    client.force_login(org.users["qa_lead"])
    assert client.post(detail(loop)).status_code == 405
