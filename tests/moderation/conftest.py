import datetime

import pytest

from accounts.models import Role
from audits.models import AuditStatus, Grade
from audits.services.audit import audit_accept, audit_submit
from moderation.models import DowngradeReason, Panel
from moderation.services import panel_add_audit, review_finalise, review_save
from tests.factories import AuditFactory, ChildFactory, UserFactory, complete_audit, make_template

MONTH = datetime.date(2026, 10, 1)


@pytest.fixture
def template(db):
    return make_template(domains=("Visits", "Assessments"), questions=False)


@pytest.fixture
def moderator(org):
    return org.users["moderator"]


@pytest.fixture
def panel(org):
    panel = Panel.objects.create(
        month=MONTH, date=datetime.date(2026, 11, 10), created_by=org.users["qa_lead"]
    )
    panel.moderators.add(org.users["moderator"])
    return panel


def accepted_audit(
    org, template, grade, domain_grades=None, auditor=None, team=None, completed=None
):
    auditor = auditor or org.users["auditor"]
    child = ChildFactory(team=team or org.team_a)
    audit = AuditFactory(child=child, template=template, auditor=auditor, month=MONTH)
    complete_audit(audit, grade=grade, domain_grades=domain_grades)
    audit_submit(audit=audit, user=auditor, today=completed or datetime.date(2026, 10, 20))
    return audit_accept(audit=audit, user=org.users["qa_lead"])


def moderate(audit, panel, moderator, grade, domain_grades=None, reasons=None):
    """Agree with every domain unless told otherwise; regrade the overall to ``grade``."""
    review = panel_add_audit(panel=panel, audit=audit, user=moderator, moderator=moderator)
    domain_grades = domain_grades or {}
    rows = {}
    for row in review.domain_grades.select_related("domain"):
        new = domain_grades.get(row.domain.name, row.original_grade)
        rows[row.domain_id] = (new, "Changed at panel" if new != row.original_grade else "")
    changed = grade != audit.overall_grade
    review = review_save(
        review=review,
        user=moderator,
        moderated_grade=grade,
        rationale="The evidence does not support the grade" if changed else "",
        feedback="Thank you: clear evidence.",
        domain_grades=rows,
        reasons=reasons
        if reasons is not None
        else ([DowngradeReason.POOR_RECORDING] if changed else []),
    )
    return review_finalise(review=review, user=moderator)


@pytest.fixture
def extra_moderator(db):
    return UserFactory(roles=[Role.MODERATOR, Role.AUDITOR])


__all__ = ["AuditStatus", "Grade", "accepted_audit", "moderate"]
