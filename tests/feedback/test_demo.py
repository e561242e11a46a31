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


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False)
def test_the_demo_has_a_year_of_ambassadors_reviews_made_by_the_services(org, audits):
    from feedback.demo_ambassadors import delete_ambassador_data, seed_ambassador_reviews
    from feedback.models import AmbassadorReview, AmbassadorSample, ReviewStatus
    from feedback.selectors.ambassadors import ambassador_results

    UserFactory(email="ash@council.example", roles=[Role.AMBASSADOR])
    seeded = seed_ambassador_reviews(random.Random("ambassadors-2026"), TODAY)
    months = set(AmbassadorSample.objects.values_list("month", flat=True))
    # The fixture's audits are in the eight months from April to November 2026.
    assert months == {datetime.date(2026, m, 1) for m in range(4, 11)}
    reviews = AmbassadorReview.objects.all()
    assert seeded["reviews"] == reviews.count() > 7
    open_reviews = reviews.filter(status=ReviewStatus.OPEN)
    assert set(open_reviews.values_list("month", flat=True)) == {datetime.date(2026, 10, 1)}
    # No child is reviewed twice within 12 months.
    children = list(reviews.values_list("child_id", flat=True))
    assert len(children) == len(set(children))
    results = ambassador_results(datetime.date(2026, 10, 1))
    assert sum(m["total"] for m in results[0]["months"]) == reviews.count() - open_reviews.count()
    delete_ambassador_data()
    assert not AmbassadorReview.objects.exists()
