"""The demo council's year of audits: believable, consistent with the rules, and with
something of everything for each demo sign-in."""

import datetime
from collections import Counter, defaultdict

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import User
from audits.demo_year import QUIET_MONTH
from audits.models import (
    AllocationRound,
    Audit,
    AuditEvent,
    AuditEventKind,
    AuditStatus,
    AuditType,
    Child,
    Exemption,
    GradeChange,
    GradeChangeStage,
    MultiAgencyAudit,
    PracticeObservation,
    ProgrammeSettings,
    RoundStatus,
    SampleAudit,
    SampleKind,
    SocialWorkerReply,
    grade_rank,
)
from audits.services.audit import audit_missing_items
from common.dates import add_months, month_start, months_between

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    # The audit year on its own: moderation and actions add to it (looped audits,
    # regrades, re-audits) and are tested by their own demo tests.
    call_command("seed_demo", "--parts", "audits")


def small_demo():
    call_command("seed_demo", "--staff", "120", "--children", "200", "--parts", "audits")


def test_no_child_is_audited_twice_within_12_months(demo):
    months = defaultdict(list)
    for child_id, month in Audit.objects.filter(audit_type=AuditType.CHILD_JOURNEY).values_list(
        "child_id", "month"
    ):
        months[child_id].append(month)
    assert sum(len(m) for m in months.values()) > 300
    for audited in months.values():
        audited.sort()
        for earlier, later in zip(audited, audited[1:], strict=False):
            assert months_between(earlier, later) >= 12


def test_every_accepted_audit_has_all_its_domain_gradings(demo):
    minimum = ProgrammeSettings.load().evidence_min_length
    accepted = Audit.objects.filter(status=AuditStatus.ACCEPTED).prefetch_related(
        "gradings", "template__sections"
    )
    assert accepted.count() > 250
    for audit in accepted:
        domains = {s.domain_id for s in audit.template.sections.all() if s.domain_id}
        gradings = {g.domain_id: g for g in audit.gradings.all()}
        assert set(gradings) == domains, audit.pk
        for grading in gradings.values():
            assert grading.grade, audit.pk
            assert len(grading.evidence) >= minimum, audit.pk


def test_completed_audits_pass_the_submission_rules(demo):
    for audit in Audit.objects.filter(
        status__in=[AuditStatus.SUBMITTED, AuditStatus.ACCEPTED, AuditStatus.RETURNED]
    ).select_related("child", "template"):
        assert audit_missing_items(audit) == [], audit.pk


def test_domain_grades_sit_close_to_the_overall_grade(demo):
    steps = Counter()
    for audit in Audit.objects.filter(status=AuditStatus.ACCEPTED).prefetch_related("gradings"):
        overall = grade_rank(audit.overall_grade)
        for grading in audit.gradings.all():
            if grade_rank(grading.grade) is not None:
                steps[abs(grade_rank(grading.grade) - overall)] += 1
    total = sum(steps.values())
    assert steps[0] / total > 0.45
    assert (steps[0] + steps[1]) / total > 0.9
    assert steps[3] == 0


def test_grades_improve_over_the_year(demo):
    today = timezone.localdate()
    halfway = add_months(month_start(today), -5)
    graded = Audit.objects.filter(
        audit_type=AuditType.CHILD_JOURNEY,
        status__in=[AuditStatus.SUBMITTED, AuditStatus.ACCEPTED, AuditStatus.RETURNED],
    )

    def good_or_better(audits):
        ranks = [grade_rank(g) for g in audits.values_list("overall_grade", flat=True)]
        return sum(r >= 3 for r in ranks) / len(ranks)

    assert good_or_better(graded.filter(month__gte=halfway)) > good_or_better(
        graded.filter(month__lt=halfway)
    )


def test_rounds_cover_twelve_months_and_next_month_in_draft(demo):
    this_month = month_start(timezone.localdate())
    rounds = list(AllocationRound.objects.order_by("month"))
    assert [r.month for r in rounds] == [add_months(this_month, k) for k in range(-11, 2)]
    assert [r.status for r in rounds] == [RoundStatus.PUBLISHED] * 12 + [RoundStatus.DRAFT]
    assert all(r.per_team is None and r.total == r.audits.count() for r in rounds)
    draft = rounds[-1]
    assert set(draft.audits.values_list("status", flat=True)) == {AuditStatus.PROPOSED}
    assert 20 <= draft.audits.count() <= 30
    # One quiet month (the last whole August, as a rule): a quarter of the teams, and
    # the weaker team
    quiet = [r for r in rounds[:-1] if r.audits.count() < 20]
    assert len(quiet) == 1 and 4 <= quiet[0].audits.count() < 12
    if this_month.month not in (8, 9):  # else August is too recent: six months ago
        assert quiet[0].month.month == QUIET_MONTH
    for allocation in rounds[:-1]:
        if allocation not in quiet:
            assert 20 <= allocation.audits.count() <= 30
        assert AuditStatus.PROPOSED not in set(allocation.audits.values_list("status", flat=True))
        assert allocation.published_at <= timezone.now()


def test_each_demo_round_page_asks_for_what_it_lists(demo, client):
    """The demo takes two children from some of the teams each month, not from each team:
    its allocation pages say so, and the programme page's totals add up."""
    client.force_login(User.objects.get(email=demo_email("qa.lead")))
    this_month = month_start(timezone.localdate())
    allocation = AllocationRound.objects.get(month=this_month)
    count = allocation.audits.count()
    page = " ".join(
        client.get(reverse("programme:round_detail", args=[allocation.pk])).content.decode().split()
    )
    assert f"{count} in total, spread over the teams" in page
    assert "for each team" not in page
    index = " ".join(client.get(reverse("programme:index")).content.decode().split())
    total = Audit.objects.filter(month=this_month).count()
    assert f"{total} audits for {this_month:%B %Y}: {count} in the allocation" in index


def test_history_events_and_replies_match_each_audits_state(demo):
    graded = Audit.objects.filter(
        status__in=[AuditStatus.SUBMITTED, AuditStatus.ACCEPTED, AuditStatus.RETURNED]
    ).annotate(changes=Count("grade_changes"))
    for audit in graded.prefetch_related("template__sections"):
        domains = sum(1 for s in audit.template.sections.all() if s.domain_id)
        assert audit.changes == domains + 1, audit.pk
    assert not GradeChange.objects.exclude(stage=GradeChangeStage.SUBMITTED).exists()
    for change in GradeChange.objects.select_related("audit")[:50]:
        assert change.changed_at == change.audit.submitted_at
        assert change.changed_by == change.audit.auditor

    accepted = Audit.objects.filter(status=AuditStatus.ACCEPTED)
    assert not accepted.filter(accepted_at__isnull=True).exists()
    assert AuditEvent.objects.filter(kind=AuditEventKind.ACCEPTED).count() == accepted.count()
    returned = Audit.objects.filter(status=AuditStatus.RETURNED)
    assert returned.exists() and not returned.filter(return_comments="").exists()
    assert not Audit.objects.filter(
        status__in=[AuditStatus.ALLOCATED, AuditStatus.PROPOSED], gradings__isnull=False
    ).exists()
    drafts = Audit.objects.filter(status=AuditStatus.IN_PROGRESS)
    assert drafts.filter(gradings__isnull=False).exists()
    assert not drafts.exclude(overall_grade="").exists()

    replies = SocialWorkerReply.objects.select_related("audit__child")
    assert replies.count() >= 5
    for reply in replies:
        assert reply.audit.status == AuditStatus.ACCEPTED
        assert reply.author_id == reply.audit.child.social_worker_id
        assert reply.created_at >= reply.audit.accepted_at

    exempted = Audit.objects.filter(status=AuditStatus.EXEMPTED)
    for audit in exempted:
        assert Exemption.objects.filter(auditor=audit.auditor, month=audit.month).exists()
    assert Audit.objects.filter(status=AuditStatus.CANCELLED).exists()

    actions = Audit.objects.filter(proposed_actions__isnull=False).distinct()
    assert set(actions.values_list("overall_grade", flat=True)) == {
        "requires_improvement",
        "inadequate",
    }


def test_auditors_never_audit_their_own_casework(demo):
    audits = Audit.objects.select_related("auditor", "child").exclude(auditor__isnull=True)
    assert not audits.filter(auditor_id=F("child__social_worker_id")).exists()
    own_team = sum(1 for a in audits if a.auditor.team_id == a.child.team_id)
    assert own_team / audits.count() < 0.02
    # The work is spread: nobody but the demo auditor has more than a handful.
    counts = Counter(
        audits.exclude(auditor__email=demo_email("auditor")).values_list("auditor", flat=True)
    )
    assert max(counts.values()) <= 6


def test_reaudits_follow_an_inadequate_audit(demo):
    reaudits = Audit.objects.filter(audit_type=AuditType.RE_AUDIT).select_related("reaudit_of")
    assert reaudits.exists()
    for audit in reaudits:
        assert audit.reaudit_of.overall_grade == "inadequate"
        assert audit.child_id == audit.reaudit_of.child_id
        assert months_between(audit.reaudit_of.month, audit.month) == 3
        assert audit.allocation_round is None


def test_nothing_happens_in_the_future(demo):
    now = timezone.now()
    for model, field in (
        (Audit, "submitted_at"),
        (Audit, "accepted_at"),
        (Audit, "returned_at"),
        (Audit, "started_at"),
        (AuditEvent, "at"),
        (GradeChange, "changed_at"),
        (SocialWorkerReply, "created_at"),
        (PracticeObservation, "created_at"),
        (SampleAudit, "created_at"),
    ):
        assert not model.objects.filter(**{f"{field}__gt": now}).exists(), (model, field)
    assert not Audit.objects.filter(completed_on__gt=timezone.localdate()).exists()


def test_other_audit_types_at_the_scale_of_a_real_council(demo):
    today = timezone.localdate()
    start = add_months(month_start(today), -11)
    dip = SampleAudit.objects.filter(kind=SampleKind.DIP_SAMPLE)
    assert dip.filter(month__lt=start).count() == 0
    per_quarter = sum(dip.values_list("records_sampled", flat=True)) / 4
    assert 300 <= per_quarter <= 450  # the seed: 340 to 388 records a quarter
    assert SampleAudit.objects.filter(kind=SampleKind.THEMATIC).count() == 12
    assert MultiAgencyAudit.objects.count() == 4
    assert PracticeObservation.objects.count() >= 55
    for observation in PracticeObservation.objects.select_related("practitioner")[:20]:
        assert observation.team_id == observation.practitioner.team_id
        assert observation.observer_id != observation.practitioner_id


@pytest.mark.parametrize("day", [datetime.date(2026, 3, 1), datetime.date(2026, 11, 25)])
def test_the_demo_auditor_has_one_of_everything(day):
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12, 0), tick=False):
        small_demo()
        alex = User.objects.get(email=demo_email("auditor"))
        mine = Audit.objects.filter(auditor=alex)
        this_month = month_start(day)
        allocated = mine.get(status=AuditStatus.ALLOCATED)
        assert allocated.month == this_month and allocated.due_date.month == day.month
        draft = mine.get(status=AuditStatus.IN_PROGRESS)
        assert draft.gradings.exists() and draft.started_at is not None
        returned = mine.get(status=AuditStatus.RETURNED)
        assert returned.return_comments
        assert mine.filter(status=AuditStatus.SUBMITTED).count() == 1
        assert mine.filter(status=AuditStatus.ACCEPTED).count() >= 4
        assert not mine.filter(child__team=alex.team).exists()
        assert not mine.filter(status=AuditStatus.PROPOSED).exists()


def test_a_small_demo_still_has_every_state_and_no_repeats():
    small_demo()
    states = set(Audit.objects.values_list("status", flat=True))
    assert states == set(AuditStatus.values)
    repeats = (
        Audit.objects.filter(audit_type=AuditType.CHILD_JOURNEY)
        .values("child")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for row in repeats:
        months = sorted(Audit.objects.filter(child=row["child"]).values_list("month", flat=True))
        for earlier, later in zip(months, months[1:], strict=False):
            assert months_between(earlier, later) >= 12


def test_a_moment_today_is_never_after_now():
    """The demo built just after midnight: today's moments stop at now."""
    from audits.demo_year import moment

    now = timezone.make_aware(datetime.datetime(2026, 12, 6, 0, 10))
    with time_machine.travel(now, tick=False):
        today = timezone.localdate()
        assert moment(today, today, 50) == now
        assert moment(today, today, 5) == now - datetime.timedelta(minutes=5)
        yesterday = today - datetime.timedelta(days=1)
        assert moment(yesterday, today, 50).hour == 9


def test_the_demo_children_have_the_case_lists_sex_and_ethnicity_and_the_draft_shows_the_mix(
    demo, client
):
    children = Child.objects.all()
    assert not children.filter(sex="").exists() and not children.filter(ethnicity="").exists()
    white_british = children.filter(ethnicity="WBRI").count() / children.count()
    assert 0.55 < white_british < 0.72  # about 64%, as among children in need in England
    draft = AllocationRound.objects.order_by("-month").first()
    client.force_login(User.objects.get(email=demo_email("qa.lead")))
    page = client.get(reverse("programme:round_detail", args=[draft.pk])).content.decode()
    assert 'data-testid="mix-ethnicity"' in page and 'data-testid="mix-sex"' in page
    assert "Black and mixed-heritage children: " in page
