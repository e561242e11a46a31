"""The demo year of moderation, built on the demo council and its year of audits."""

import datetime
import random

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.db.models import Count

from accounts.demo import demo_email, seed_organisation
from audits.demo import seed_audit_year, seed_children
from audits.models import Audit, AuditStatus, GradeChange, GradeChangeStage
from audits.template_library import install_standard_templates
from common.dates import add_months, month_start
from moderation.demo import seed_moderation
from moderation.models import (
    EndorsementOverride,
    LoopedAudit,
    LoopStatus,
    ModerationReview,
    Pairing,
    Panel,
    PanelStatus,
    ReviewStatus,
)
from moderation.services import review_outcome, review_problems

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 25, 9, 30, tzinfo=datetime.UTC)
TODAY = NOW.date()
THIS_MONTH = month_start(TODAY)


@pytest.fixture
def council():
    """A small demo council with its year of audits (as seed_demo builds it)."""
    with time_machine.travel(NOW, tick=False):
        rng = random.Random(2026)
        organisation = seed_organisation(rng, staff_count=120)
        seed_children(rng, organisation.teams, today=TODAY, count=300)
        install_standard_templates()
        seed_audit_year(random.Random("audits-2026"), TODAY)
    return organisation


def seed():
    with time_machine.travel(NOW, tick=False):
        return seed_moderation(random.Random("moderation-2026"), TODAY)


def test_a_year_of_moderation(council, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        summary = seed()
    # The auditors were told at the time: no moderation feedback is sent now.
    assert not [m for m in mail.outbox if m.subject.startswith("Moderation feedback")]

    # Two six-month pairing periods, the second one current.
    starts = sorted(set(Pairing.objects.values_list("starts_on", flat=True)))
    assert starts == [add_months(THIS_MONTH, -11), add_months(THIS_MONTH, -5)]

    # A panel for each of the last 12 months with accepted audits.
    months_with_audits = set(
        Audit.objects.filter(
            status=AuditStatus.ACCEPTED,
            month__gte=add_months(THIS_MONTH, -12),
            month__lt=THIS_MONTH,
        ).values_list("month", flat=True)
    )
    assert set(Panel.objects.values_list("month", flat=True)) == months_with_audits
    assert len(months_with_audits) >= 10
    assert summary["panels"] == len(months_with_audits)

    # Past panels are closed with every review done; the current one is in progress.
    current = Panel.objects.get(month=add_months(THIS_MONTH, -1))
    assert current.status == PanelStatus.PLANNED
    past = ModerationReview.objects.exclude(panel=current)
    assert not past.exclude(status=ReviewStatus.FINAL).exists()
    assert not Panel.objects.exclude(pk=current.pk).exclude(status=PanelStatus.CLOSED).exists()
    statuses = dict(current.reviews.values_list("status").annotate(n=Count("pk")).order_by())
    assert statuses.get(ReviewStatus.ASSIGNED, 0) >= 3
    assert statuses.get(ReviewStatus.IN_PROGRESS, 0) >= 1

    # Most of each month's accepted audits are moderated.
    accepted = Audit.objects.filter(month__in=months_with_audits, status=AuditStatus.ACCEPTED)
    assert 0.6 <= ModerationReview.objects.count() / accepted.count() <= 1

    # A realistic moderator effect: mostly agreed, more down than up.
    final = past.filter(status=ReviewStatus.FINAL)
    outcomes = dict(final.values_list("outcome").annotate(n=Count("pk")).order_by())
    total = sum(outcomes.values())
    assert 0.6 <= outcomes["agreed"] / total <= 0.85
    assert outcomes["downgraded"] > outcomes.get("upgraded", 0) > 0

    # Each final review is what the services would make: complete, outcome from the
    # grades, regrades recorded on the audit, and dated when the panel met.
    for review in final.select_related("audit", "panel").prefetch_related("domain_grades"):
        assert review_problems(review) == {}
        assert review.outcome == review_outcome(review.original_grade, review.moderated_grade)
        assert review.feedback
        assert review.panel.date - datetime.timedelta(days=3) <= review.finalised_at.date()
        assert review.finalised_at <= NOW
        if review.moderated_grade != review.original_grade:
            assert review.rationale
            assert GradeChange.objects.filter(
                audit=review.audit,
                domain__isnull=True,
                stage=GradeChangeStage.MODERATED,
                new_grade=review.moderated_grade,
            ).exists()

    # The demo moderator has reviews to do on the current panel.
    moderator = council.demo_users["moderator"]
    assert current.moderators.filter(pk=moderator.pk).exists()
    theirs = dict(
        current.reviews.filter(moderator=moderator)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assert theirs.get(ReviewStatus.ASSIGNED, 0) >= 2
    assert theirs.get(ReviewStatus.IN_PROGRESS, 0) == 1

    # The demo auditor has feedback to read, including a regrade.
    auditor = council.demo_users["auditor"]
    assert auditor.email == demo_email("auditor")
    mine = ModerationReview.objects.filter(audit__auditor=auditor, status=ReviewStatus.FINAL)
    assert mine.exclude(feedback="").exists()
    assert mine.filter(outcome="downgraded").exists()

    # Looped audits: some matched, some differing and discussed, one for this panel.
    loops = dict(LoopedAudit.objects.values_list("status").annotate(n=Count("pk")).order_by())
    assert loops.get(LoopStatus.MATCHED, 0) >= 2
    assert loops.get(LoopStatus.DISCUSSED, 0) >= 2
    assert LoopedAudit.objects.filter(status=LoopStatus.DIFFERS, panel=current).exists()
    assert not LoopedAudit.objects.filter(status=LoopStatus.DISCUSSED, outcome="").exists()

    # Two endorsement decisions by the QA Lead.
    assert sorted(EndorsementOverride.objects.values_list("endorsed", flat=True)) == [
        False,
        True,
    ]


class Rollback(Exception):
    pass


def signature():
    return list(
        ModerationReview.objects.order_by(
            "audit__child__case_reference", "audit__month", "audit__auditor__email"
        ).values_list(
            "audit__child__case_reference",
            "audit__month",
            "audit__auditor__email",
            "moderator__email",
            "status",
            "moderated_grade",
            "outcome",
            "rationale",
            "feedback",
        )
    )


def test_the_demo_is_deterministic(council):
    with pytest.raises(Rollback), transaction.atomic():
        seed()
        first = signature()
        raise Rollback
    assert not ModerationReview.objects.exists()
    seed()
    assert signature() == first
    assert len(first) > 100


def test_without_audits_there_is_nothing_to_moderate(db):
    with time_machine.travel(NOW, tick=False):
        organisation = seed_organisation(random.Random(1), staff_count=60)
    assert organisation.demo_users["qa.lead"]
    summary = seed()
    assert summary["panels"] == summary["reviews"] == 0
    assert Pairing.objects.exists()
