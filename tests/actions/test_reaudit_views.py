"""The re-audit pages: the list, allocating, dismissing and the comparison."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from actions.models import Comparison, ReauditProposal, ReauditStatus
from actions.services import reaudit_record_final_grade
from audits.models import Audit, AuditType, DomainGrading, Grade
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 5, 6, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def proposals(org, make_action):
    due = make_action().audit
    reaudit_record_final_grade(audit=due, grade=Grade.INADEQUATE, today=datetime.date(2026, 1, 3))
    later = make_action(team=org.team_b).audit
    reaudit_record_final_grade(audit=later, grade=Grade.INADEQUATE, today=datetime.date(2026, 4, 3))
    return {
        "due": ReauditProposal.objects.get(audit=due),
        "later": ReauditProposal.objects.get(audit=later),
    }


def test_qa_lead_sees_proposals_with_the_due_ones_marked(client, org, proposals):
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("actions:reaudits"))
    assert response.status_code == 200
    assert [p.pk for p in response.context["page"].object_list] == [
        proposals["due"].pk,
        proposals["later"].pk,
    ]
    page = response.content.decode()
    assert page.count('govuk-tag govuk-tag--orange">Due') == 1
    assert reverse("actions:reaudit_allocate", args=[proposals["due"].pk]) in page


def test_head_of_service_sees_their_area_only_and_cannot_allocate(client, org, proposals):
    client.force_login(org.users["head_of_service"])
    response = client.get(reverse("actions:reaudits"))
    assert [p.pk for p in response.context["page"].object_list] == [proposals["due"].pk]
    assert "/allocate/" not in response.content.decode()
    url = reverse("actions:reaudit_allocate", args=[proposals["due"].pk])
    assert client.get(url).status_code == 403
    other = reverse("actions:reaudit_detail", args=[proposals["later"].pk])
    assert client.get(other).status_code == 404


def test_team_managers_have_no_re_audit_pages(client, org, proposals):
    client.force_login(org.users["team_manager"])
    assert client.get(reverse("actions:reaudits")).status_code == 403


def test_allocating_in_one_step(client, org, proposals):
    auditor = UserFactory(roles=[Role.AUDITOR])
    client.force_login(org.users["qa_lead"])
    url = reverse("actions:reaudit_allocate", args=[proposals["due"].pk])
    form = client.get(url).context["form"]
    # Due in April, allocated in May: this month is offered.
    assert form["month"].value() == datetime.date(2026, 5, 1)
    assert proposals["due"].due_month == datetime.date(2026, 4, 1)
    response = client.post(url, {"auditor": auditor.pk, "month": "2026-05"})
    assert response.status_code == 302
    reaudit = Audit.objects.get(audit_type=AuditType.RE_AUDIT)
    assert (reaudit.auditor, reaudit.reaudit_of, reaudit.month) == (
        auditor,
        proposals["due"].audit,
        datetime.date(2026, 5, 1),
    )
    assert ReauditProposal.objects.get(pk=proposals["due"].pk).status == ReauditStatus.ALLOCATED


def test_allocating_with_bad_input(client, org, proposals):
    client.force_login(org.users["qa_lead"])
    url = reverse("actions:reaudit_allocate", args=[proposals["due"].pk])
    response = client.post(url, {"auditor": "", "month": "soon"})
    page = response.content.decode()
    assert "Choose the auditor for the re-audit" in page
    assert "The month of the re-audit must be a real month, like 2026-05" in page
    response = client.post(url, {"auditor": org.users["auditor"].pk, "month": "2026-03"})
    assert "The month of the re-audit must be this month or later" in response.content.decode()
    assert not Audit.objects.filter(audit_type=AuditType.RE_AUDIT).exists()


def test_dismissing(client, org, proposals):
    client.force_login(org.users["qa_lead"])
    url = reverse("actions:reaudit_dismiss", args=[proposals["due"].pk])
    response = client.post(url, {"reason": ""})
    assert "Enter why no re-audit is needed" in response.content.decode()
    response = client.post(url, {"reason": "The case has closed."})
    assert response.status_code == 302
    proposal = ReauditProposal.objects.get(pk=proposals["due"].pk)
    assert (proposal.status, proposal.dismiss_reason) == (
        ReauditStatus.DISMISSED,
        "The case has closed.",
    )
    again = client.post(url, {"reason": "Twice"}, follow=True)
    assert "This re-audit has already been dismissed. Nothing has changed." in (
        again.content.decode()
    )


def test_decisions_wrong_method(client, org, proposals):
    client.force_login(org.users["qa_lead"])
    url = reverse("actions:reaudit_dismiss", args=[proposals["due"].pk])
    assert client.delete(url).status_code == 405


def test_the_comparison_shows_on_the_proposal_page(client, org, proposals, make_action, template):
    earlier = proposals["due"].audit
    visits = template.sections.get(domain__name="Visits").domain
    DomainGrading.objects.create(audit=earlier, domain=visits, grade=Grade.INADEQUATE)
    later = make_action(child=earlier.child).audit
    later.audit_type, later.reaudit_of = AuditType.RE_AUDIT, earlier
    later.save()
    DomainGrading.objects.create(audit=later, domain=visits, grade=Grade.GOOD)
    reaudit_record_final_grade(audit=later, grade=Grade.GOOD, today=datetime.date(2026, 5, 5))
    assert ReauditProposal.objects.get(pk=proposals["due"].pk).outcome == Comparison.IMPROVED
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("actions:reaudit_detail", args=[proposals["due"].pk]))
    page = response.content.decode()
    assert response.context["comparison"]["domains"][0]["outcome"] == Comparison.IMPROVED
    assert "Improved" in page and "Visits" in page
    assert earlier.events.filter(kind="viewed", user=org.users["qa_lead"]).exists()


def test_no_proposed_re_audits_says_when_one_is_proposed(client, org):
    client.force_login(org.users["qa_lead"])
    page = client.get(reverse("actions:reaudits")).content.decode()
    assert "There are no re-audits to show." in page
    assert "One is proposed some months after an audit's final grade is Inadequate." in page
    page = client.get(reverse("actions:reaudits"), {"status": "dismissed"}).content.decode()
    assert "There are no re-audits to show." in page
    assert "One is proposed" not in page
