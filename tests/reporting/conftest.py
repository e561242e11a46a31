import datetime

import pytest

from audits.models import AuditStatus, DomainGrading, Grade, Involvement, LegalStatus
from moderation.models import Panel
from tests.factories import AuditFactory, ChildFactory, make_template
from tests.moderation.conftest import moderate

G, RI, INAD, OUT = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE, Grade.OUTSTANDING
NG = Grade.NOT_GRADED


@pytest.fixture
def template(db):
    return make_template(domains=("Visits", "Assessments"), questions=False)


def audit(
    org,
    template,
    grade=G,
    *,
    completed=datetime.date(2026, 5, 10),
    month=None,
    status=AuditStatus.ACCEPTED,
    team=None,
    legal_status=LegalStatus.CHILD_IN_NEED,
    domains=None,
    born=datetime.date(2015, 6, 1),
    ri_band="",
    auditor=None,
    **involvement,
):
    """A completed audit made straight in the database: what the figures read."""
    child = ChildFactory(team=team or org.team_a, legal_status=legal_status, date_of_birth=born)
    fields = dict.fromkeys(
        (
            "social_worker_involved",
            "team_manager_involved",
            "iro_involved",
            "child_spoken_to",
            "parent_carer_spoken_to",
        ),
        Involvement.YES,
    )
    fields.update(involvement)
    made = AuditFactory(
        child=child,
        template=template,
        auditor=auditor or org.users["auditor"],
        month=month or completed.replace(day=1),
        status=status,
        completed_on=completed if status in (AuditStatus.SUBMITTED, AuditStatus.ACCEPTED) else None,
        overall_grade=grade,
        overall_ri_band=ri_band,
        **fields,
    )
    for section in template.sections.filter(domain__isnull=False).select_related("domain"):
        DomainGrading.objects.create(
            audit=made,
            domain=section.domain,
            grade=(domains or {}).get(section.domain.name, grade),
        )
    return made


@pytest.fixture
def panel(org):
    panel = Panel.objects.create(
        month=datetime.date(2026, 4, 1),
        date=datetime.date(2026, 6, 10),
        created_by=org.users["qa_lead"],
    )
    panel.moderators.add(org.users["moderator"])
    return panel


__all__ = ["G", "INAD", "NG", "OUT", "RI", "audit", "moderate"]
