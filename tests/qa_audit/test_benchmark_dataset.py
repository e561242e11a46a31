"""The benchmark's synthetic dataset: the shape of the data the pages are measured on,
and that building it again reuses it."""

from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import Role, ServiceArea, User
from actions.models import Action, ActionUpdate, CaseAudit, CaseOfConcern, CaseUpdate
from actions.selectors.scope import case_list, tracker_actions, tracker_counts
from actions.selectors.scope import with_today_status as actions_with_status
from actions.status import store_update_dates
from audits.models import Audit, AuditStatus, DomainGrading, Grade
from audits.models.audit import COMPLETED_STATUSES
from common.dates import financial_year, financial_year_start, month_start
from feedback.models import Feedback
from moderation.models import ModerationReview, Panel, ReviewDomainGrade, ReviewStatus
from qa_audit.benchmark import dataset
from qa_audit.benchmark.dataset import AUDIT_PREFIX, build_dataset
from reporting.models import Report, ReportKind
from reporting.selectors import Slice, summary

pytestmark = pytest.mark.django_db

N = 200


@pytest.fixture
def built():
    return build_dataset(N)


def completed():
    return Audit.objects.filter(status__in=COMPLETED_STATUSES)


def test_it_builds_n_audits_and_says_what_it_built(built):
    assert Audit.objects.count() == N
    assert Audit.objects.filter(reference__startswith=AUDIT_PREFIX).count() == N
    assert built["audits"] == N
    assert built["gradings"] == DomainGrading.objects.count()
    assert built["reviews"] == ModerationReview.objects.count()
    assert built["actions"] == Action.objects.count()
    assert built["updates"] == ActionUpdate.objects.count()
    assert built["feedback"] == Feedback.objects.count()
    assert built["cases"] == CaseOfConcern.objects.count()
    assert built["seconds"] >= 0


def test_every_audit_begun_has_its_templates_five_to_seven_domain_grades(built):
    begun = Audit.objects.exclude(status=AuditStatus.ALLOCATED).annotate(n=Count("gradings"))
    assert begun.count() > N * 0.9
    assert {a.n for a in begun} <= {5, 6, 7}
    assert not DomainGrading.objects.filter(audit__status=AuditStatus.ALLOCATED).exists()
    assert not completed().filter(Q(overall_grade="") | Q(completed_on__isnull=True)).exists()


def test_most_audits_are_completed_and_this_month_has_open_audits(built):
    assert completed().count() > N * 0.85
    this_month = Audit.objects.filter(month=month_start(timezone.localdate()))
    assert this_month.filter(status__in=[AuditStatus.ALLOCATED, AuditStatus.IN_PROGRESS]).exists()
    months = Audit.objects.values("month").distinct().count()
    assert months >= 40  # spread over five financial years


def test_about_a_third_are_moderated_at_a_panel_a_month(built):
    final = ModerationReview.objects.filter(status=ReviewStatus.FINAL)
    share = final.count() / completed().count()
    assert 0.25 < share < 0.42
    assert Panel.objects.count() == 60
    assert not final.exclude(panel__month=F("audit__month")).exists()
    for review in final.annotate(
        rows=Count("domain_grades", distinct=True), gradings=Count("audit__gradings", distinct=True)
    ):
        assert review.rows == review.gradings
    outcomes = Counter(final.values_list("outcome", flat=True))
    assert outcomes["agreed"] > outcomes["downgraded"] > 0
    assert ReviewDomainGrade.objects.exclude(moderated_grade="").exists()


def test_accepted_audits_raise_about_two_actions_with_a_mix_of_outcomes(built):
    accepted = Audit.objects.filter(status=AuditStatus.ACCEPTED).count()
    assert 1.6 < Action.objects.count() / accepted < 2.3
    assert not Action.objects.exclude(audit__status=AuditStatus.ACCEPTED).exists()
    statuses = Counter(actions_with_status(Action.objects.all()).values_list("status", flat=True))
    assert statuses["completed_on_time"] > statuses["completed_late"] > 0
    assert statuses["overdue"] > 0
    assert Action.objects.filter(updates__isnull=True).exists()  # never updated
    assert ActionUpdate.objects.filter(kind="note").exists()


def test_each_actions_stored_dates_are_what_its_updates_say(built):
    """The rows go in without signals: the builder stores the dates itself."""
    fields = ("pk", "updates_completed_on", "updates_transferred_on", "updates_follow_up_on")
    built_dates = list(Action.objects.order_by("pk").values_list(*fields))
    assert any(row[1] for row in built_dates) and any(row[2] for row in built_dates)
    store_update_dates(Action.objects.all())
    assert list(Action.objects.order_by("pk").values_list(*fields)) == built_dates


def test_about_half_the_completed_audits_have_feedback(built):
    with_feedback = completed().filter(feedback__isnull=False).distinct().count()
    assert 0.4 < with_feedback / completed().count() < 0.6


def test_inadequate_audits_open_cases_of_concern_some_still_open(built):
    cases = CaseOfConcern.objects.all()
    assert cases.exists()
    assert CaseAudit.objects.count() == cases.count()
    assert not CaseAudit.objects.exclude(final_grade=Grade.INADEQUATE).exists()
    assert cases.filter(resolved_on__isnull=True).exists()
    assert cases.filter(resolved_on__isnull=False).exists()
    assert CaseUpdate.objects.exists()


def test_building_the_same_size_again_adds_nothing_and_a_larger_size_adds_the_rest(built):
    again = build_dataset(N)
    assert again["audits"] == again["actions"] == again["gradings"] == 0
    assert Audit.objects.count() == N
    more = build_dataset(N + 10)
    assert more["audits"] == 10
    assert Audit.objects.count() == N + 10
    assert Audit.objects.filter(reference=f"{AUDIT_PREFIX}{N + 10:07d}").exists()
    # Keys were chosen by the builder: the next row the product writes gets a new one.
    assert ServiceArea.objects.exists()
    audit = Audit.objects.first()
    Action.objects.create(
        audit=audit,
        child=audit.child,
        team=audit.team,
        text="One more",
        raised_on=audit.month,
        due_date=audit.month,
    )


def test_the_leaders_summary_and_the_trackers_run_over_it(built):
    year = financial_year(financial_year_start(timezone.localdate()) - 1)
    figures = summary(Slice.of(year))
    assert figures["audits"]["completed"] > 0
    assert figures["moderation"]["moderated"] > 0
    assert figures["actions"]["by_status"]
    qa_lead = User.objects.filter(role_assignments__role=Role.QA_LEAD).first()
    assert len(list(tracker_actions(qa_lead))) == Action.objects.count()
    assert tracker_counts(qa_lead)
    head = ServiceArea.objects.filter(head_of_service__isnull=False).first().head_of_service
    list(case_list(head))


def test_it_can_also_generate_the_last_two_quarters_reports():
    built = build_dataset(N, reports=True)
    assert built["reports"] == 2
    assert Report.objects.filter(kind=ReportKind.QUARTERLY, versions__isnull=False).count() == 2
    assert build_dataset(N + 1, reports=True)["reports"] == 0  # they have their versions


def snapshot():
    """The dataset by what people see, not by keys the database chose."""
    audits = list(
        Audit.objects.order_by("reference").values_list(
            "reference",
            "status",
            "month",
            "overall_grade",
            "completed_on",
            "child__case_reference",
            "auditor__email",
        )
    )
    related = [
        list(Counter(m.objects.values_list(f"{path}reference", flat=True)).items())
        for m, path in (
            (DomainGrading, "audit__"),
            (ModerationReview, "audit__"),
            (Action, "audit__"),
            (ActionUpdate, "action__audit__"),
            (Feedback, "audit__"),
            (CaseAudit, "audit__"),
        )
    ]
    return audits, [sorted(r) for r in related]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_writes_in_a_thread_and_builds_the_same_data():
    with transaction.atomic():
        build_dataset(N)  # inside a transaction: written as it goes
        inside = snapshot()
        transaction.set_rollback(True)
    assert not Audit.objects.exists()
    built = build_dataset(N)  # on PostgreSQL, by the writer thread
    assert snapshot() == inside
    assert built["audits"] == Audit.objects.count() == N
    assert built["updates"] == ActionUpdate.objects.count()
    audit = Audit.objects.first()
    Action.objects.create(
        audit=audit,
        child=audit.child,
        team=audit.team,
        text="One more",
        raised_on=audit.month,
        due_date=audit.month,
    )


@pytest.mark.django_db(transaction=True)
def test_an_error_while_writing_stops_the_build(monkeypatch):
    def fail(model, prepared):
        raise RuntimeError("disk full")

    monkeypatch.setattr(dataset, "_write", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        build_dataset(N)
    assert not Audit.objects.exists()
