import datetime

import pytest

from audits.models import (
    AuditStatus,
    AuditType,
    DomainGrading,
    Grade,
    Involvement,
    LegalStatus,
    RIBand,
)
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


D = datetime.date


@pytest.fixture
def audits(org, template, panel):
    """Q1 2026/27, Child Journey Audits unless said otherwise.

    A  June, completed 30 June (the quarter's last day)    Good; Assessments not graded;
       social worker not involved
    B  July, completed 1 July (the next quarter's first)   Inadequate
    C  April, completed late on 20 May                     RI lower; child under 4, not
       spoken to
    D  April, completed 1 April, team B, another auditor   Outstanding; team manager not
       applicable, IRO blank
    E  May, still allocated                                 -
    F  June, exempted; G June, cancelled                    -
    H  March, completed 2 April                             Good, moderated to RI (Visits
       to RI); IRO not involved
    I  May, submitted (not accepted) 5 May                  RI upper; Assessments blank;
       parent not spoken to
    J  a re-audit completed in May                          Good
    K  June, child protection, completed 10 June            Inadequate, moderation agrees;
       child not applicable
    L  June, completed 15 June                              Good, moderated to Inadequate
       (Visits to Inadequate); child not spoken to
    """
    moderator = org.users["moderator"]
    made = {
        "A": audit(
            org,
            template,
            G,
            completed=D(2026, 6, 30),
            domains={"Assessments": NG},
            social_worker_involved=Involvement.NO,
        ),
        "B": audit(org, template, INAD, completed=D(2026, 7, 1)),
        "C": audit(
            org,
            template,
            RI,
            completed=D(2026, 5, 20),
            month=D(2026, 4, 1),
            ri_band=RIBand.LOWER,
            born=D(2023, 1, 1),
            child_spoken_to=Involvement.NO,
        ),
        "D": audit(
            org,
            template,
            OUT,
            completed=D(2026, 4, 1),
            team=org.team_b,
            auditor=moderator,
            team_manager_involved=Involvement.NOT_APPLICABLE,
            iro_involved="",
        ),
        "E": audit(org, template, G, month=D(2026, 5, 1), status=AuditStatus.ALLOCATED),
        "F": audit(org, template, G, month=D(2026, 6, 1), status=AuditStatus.EXEMPTED),
        "G": audit(org, template, G, month=D(2026, 6, 1), status=AuditStatus.CANCELLED),
        "H": audit(
            org,
            template,
            G,
            completed=D(2026, 4, 2),
            month=D(2026, 3, 1),
            iro_involved=Involvement.NO,
        ),
        "I": audit(
            org,
            template,
            RI,
            completed=D(2026, 5, 5),
            status=AuditStatus.SUBMITTED,
            ri_band=RIBand.UPPER,
            domains={"Assessments": ""},
            parent_carer_spoken_to=Involvement.NO,
        ),
        "J": audit(org, template, G, completed=D(2026, 5, 6)),
        "K": audit(
            org,
            template,
            INAD,
            completed=D(2026, 6, 10),
            legal_status=LegalStatus.CHILD_PROTECTION,
            child_spoken_to=Involvement.NOT_APPLICABLE,
        ),
        "L": audit(org, template, G, completed=D(2026, 6, 15), child_spoken_to=Involvement.NO),
    }
    made["J"].audit_type = AuditType.RE_AUDIT
    made["J"].save()
    moderate(made["H"], panel, moderator, RI, domain_grades={"Visits": RI})
    moderate(made["K"], panel, moderator, INAD)
    moderate(made["L"], panel, moderator, INAD, domain_grades={"Visits": INAD})
    return made


__all__ = ["G", "INAD", "NG", "OUT", "RI", "audit", "moderate"]
