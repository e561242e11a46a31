import datetime

import pytest

from actions.models import Action, ActionKind
from audits.models import Audit, AuditStatus, Grade, ProposedAction
from audits.services.audit import audit_accept, audit_submit
from tests.factories import AuditFactory, ChildFactory, complete_audit, make_template


@pytest.fixture
def template(db):
    return make_template()


@pytest.fixture
def accept(org, template):
    """Accept an audit of a child in team A through the real services."""

    def _accept(grade=Grade.GOOD, proposals=(), child=None, domain_grades=None, **audit_fields):
        child = child or ChildFactory(team=org.team_a, social_worker=org.users["no_role"])
        audit = AuditFactory(
            child=child, template=template, auditor=org.users["auditor"], **audit_fields
        )
        complete_audit(audit, grade=grade, domain_grades=domain_grades)
        for order, proposal in enumerate(proposals):
            ProposedAction.objects.create(audit=audit, order=order, **proposal)
        audit_submit(audit=audit, user=org.users["auditor"])
        return audit_accept(audit=Audit.objects.get(pk=audit.pk), user=org.users["qa_lead"])

    return _accept


@pytest.fixture
def make_action(org, template):
    """An action raised directly, for tests that need exact dates."""

    def _make(
        *,
        raised_on=datetime.date(2026, 3, 2),
        due_date=datetime.date(2026, 3, 30),
        kind=ActionKind.OTHER,
        owner=None,
        child=None,
        team=None,
        text="Update the chronology",
    ):
        child = child or ChildFactory(team=team or org.team_a)
        audit = AuditFactory(
            child=child,
            template=template,
            auditor=org.users["auditor"],
            status=AuditStatus.ACCEPTED,
        )
        return Action.objects.create(
            audit=audit,
            child=child,
            team=child.team,
            text=text,
            kind=kind,
            owner=owner if owner is not None else child.team.manager,
            raised_on=raised_on,
            due_date=due_date,
        )

    return _make


@pytest.fixture
def make_improvement(org):
    """A service improvement action raised directly, for tests that need exact dates.
    By default Sam (no role) leads it, in Alice's service area (A)."""
    from actions.models import ServiceImprovementAction

    def _make(
        *,
        title="Service Managers will agree what a good chronology looks like",
        leads=None,
        service_area="a",
        raised_on=datetime.date(2026, 4, 10),
        timescale=datetime.date(2026, 6, 30),
        completed_on=None,
        raised_in="Quarterly report Q4 2025/26",
        **fields,
    ):
        area = {"a": org.area_a, "b": org.area_b, None: None}[service_area]
        improvement = ServiceImprovementAction.objects.create(
            title=title,
            service_area=area,
            raised_on=raised_on,
            timescale=timescale,
            completed_on=completed_on,
            raised_in=raised_in,
            created_by=org.users["qa_lead"],
            **fields,
        )
        improvement.leads.set(leads if leads is not None else [org.users["no_role"]])
        return improvement

    return _make
