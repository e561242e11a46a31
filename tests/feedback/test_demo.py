"""The demo's family feedback, built from whatever completed audits exist."""

import datetime
import random

import pytest
import time_machine

from accounts.demo import demo_email
from accounts.models import Role
from feedback import masking
from feedback.demo import delete_feedback_data, seed_feedback
from feedback.models import FamilyLink, Feedback, Outcome, Quote, QuoteStatus, Respondent
from feedback.services.links import LinkState, link_open
from tests.factories import UserFactory

from .conftest import make_audit

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)
PARENTS = {Respondent.MOTHER, Respondent.FATHER, Respondent.PARENT, Respondent.CARER}


@pytest.fixture
def audits(org, auditor):
    UserFactory(email=demo_email("qa.lead"), roles=[Role.QA_LEAD])
    for index in range(120):
        month = datetime.date(2026, 11 - index % 8, 1)
        audit = make_audit(
            org.team_a if index % 2 else org.team_b,
            auditor,
            completed_on=month + datetime.timedelta(days=20),
            month_override=month,
        )
        audit.child.social_worker = org.users["no_role"]
        audit.child.save()


def snapshot():
    return list(
        Feedback.objects.order_by("audit__child__case_reference", "source", "position").values_list(
            "audit__child__case_reference", "respondent", "outcome", "given_on", "comments", "score"
        )
    ), list(Quote.objects.order_by("text", "pk").values_list("text", "status", "tone"))


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False)
def test_the_demo_has_feedback_in_realistic_proportions(audits):
    seeded = seed_feedback(random.Random("feedback-2026"), TODAY)
    rows = list(Feedback.objects.all())
    with_feedback = Feedback.objects.values("audit").distinct().count()
    assert 0.4 <= with_feedback / 120 <= 0.75
    parents = sum(1 for f in rows if f.respondent in PARENTS)
    children = sum(1 for f in rows if f.respondent == Respondent.CHILD)
    assert parents > children > 0
    reasons = {f.not_obtained_reason for f in rows if f.outcome == Outcome.NOT_OBTAINED}
    assert {"declined", "unreachable"} <= reasons
    states = [link.state() for link in FamilyLink.objects.all()]
    assert {"used", "unused", "expired"} <= set(states)
    assert link_open(seeded["try_token"], address="127.0.0.1")[0] == LinkState.OPEN
    statuses = set(Quote.objects.values_list("status", flat=True))
    assert statuses == {QuoteStatus.READY, QuoteStatus.DRAFT}
    # Ready quotes have no name the product holds for their case.
    for quote in Quote.objects.filter(status=QuoteStatus.READY).select_related("feedback"):
        names = masking.names_for_audit(masking.audit_for_masking(quote.feedback.audit_id))
        assert masking.find_identifiers(quote.text, names) == []


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False)
def test_the_demo_is_deterministic(audits):
    seed_feedback(random.Random("feedback-2026"), TODAY)
    first = snapshot()
    delete_feedback_data()
    assert not Feedback.objects.exists() and not FamilyLink.objects.exists()
    seed_feedback(random.Random("feedback-2026"), TODAY)
    assert snapshot() == first
