import datetime
import uuid

import pytest

from audits.models import AuditStatus, Involvement
from feedback.models import Answer, Channel, Feedback, Outcome, Respondent, Source
from tests.factories import AuditFactory, ChildFactory, complete_audit, make_template

COMPLETED_ON = datetime.date(2026, 5, 12)


@pytest.fixture
def template(db):
    return make_template(domains=("Visits", "Seeing and hearing the child"), questions=False)


def make_audit(
    team,
    auditor,
    *,
    template=None,
    status=AuditStatus.ACCEPTED,
    completed_on=COMPLETED_ON,
    **kwargs,
):
    """A completed audit in ``team`` (child and parent spoken to unless said)."""
    child = ChildFactory(
        team=team, date_of_birth=kwargs.pop("date_of_birth", datetime.date(2014, 3, 1))
    )
    extra = {"template": template} if template is not None else {}
    month = kwargs.pop("month_override", datetime.date(2026, 4, 1))
    audit = AuditFactory(child=child, auditor=auditor, month=month, **extra)
    complete_audit(audit)
    audit.status = status
    audit.completed_on = completed_on if status in ("submitted", "accepted") else None
    for name, value in kwargs.items():
        setattr(audit, name, value)
    audit.save()
    return audit


def give(
    audit=None,
    *,
    team=None,
    respondent=Respondent.MOTHER,
    given_on=COMPLETED_ON,
    source=Source.RECORDED,
    **values,
):
    """A complete record of feedback given (or, with outcome, not obtained)."""
    position = values.pop("position", None)
    defaults = {
        "outcome": Outcome.GIVEN,
        "channel": Channel.PHONE,
        "listened": Answer.YES,
    }
    defaults.update(values)
    if defaults["outcome"] != Outcome.GIVEN:
        defaults.pop("listened")
    consent = defaults.pop("consent_to_quote", False)
    return Feedback.objects.create(
        source=source,
        audit=audit,
        team=team or audit.team,
        respondent=respondent,
        given_on=given_on,
        consent_to_quote=consent,
        quote_key=uuid.uuid4() if consent else None,
        position=position,
        **defaults,
    )


@pytest.fixture
def auditor(org):
    return org.users["auditor"]


@pytest.fixture
def audit(org, auditor):
    return make_audit(org.team_a, auditor)


__all__ = ["Involvement", "make_audit", "give"]
