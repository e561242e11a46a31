"""The rules of moderation: rationale, lock, concurrency, looped audits, panels,
pairings and endorsement."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from audits.models import AuditStatus, GradeChange, GradeChangeStage
from audits.services.audit import audit_submit
from audits.signals import final_grade_set
from moderation.models import (
    EndorsementOverride,
    LoopStatus,
    ModerationReview,
    ModerationSettings,
    Outcome,
    Pairing,
    ReviewStatus,
)
from moderation.services import (
    CHOOSE_OVERALL,
    LOOP_NOT_READY,
    LOOP_SAME_AUDITOR,
    REASON_NEEDED,
    REVIEW_FINAL,
    UNLOCK_REASON_NEEDED,
    ReviewConflictError,
    endorsed_auditor_ids,
    endorsement_override_set,
    last_outcomes,
    loop_create,
    loop_differences,
    loop_record_outcome,
    pairings_generate,
    panel_add_audit,
    panel_create,
    panel_progress,
    panel_remove_audit,
    review_finalise,
    review_outcome,
    review_save,
    review_unlock,
)
from tests.factories import ChildFactory, UserFactory, complete_audit

from .conftest import MONTH, Grade, accepted_audit, moderate

pytestmark = pytest.mark.django_db

G, RI, INAD, OUT = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE, Grade.OUTSTANDING


@pytest.mark.parametrize(
    ("before", "after", "outcome"),
    [
        (G, G, Outcome.AGREED),
        (G, RI, Outcome.DOWNGRADED),
        (RI, OUT, Outcome.UPGRADED),
        (INAD, RI, Outcome.UPGRADED),
    ],
)
def test_outcome_follows_from_the_grades(before, after, outcome):
    assert review_outcome(before, after) == outcome


def review_for(org, template, panel, moderator, grade=G):
    audit = accepted_audit(org, template, grade)
    return panel_add_audit(panel=panel, audit=audit, user=moderator, moderator=moderator)


def domain_rows(review, change=None):
    change = change or {}
    return {
        row.domain_id: (change.get(row.domain.name, (row.original_grade, "")))
        for row in review.domain_grades.select_related("domain")
    }


def test_a_changed_grade_needs_a_rationale(org, template, panel, moderator):
    review = review_for(org, template, panel, moderator)
    review = review_save(
        review=review,
        user=moderator,
        moderated_grade=RI,
        rationale="",
        feedback="",
        domain_grades=domain_rows(review, {"Visits": (RI, "")}),
        reasons=[],
    )
    with pytest.raises(ValidationError) as error:
        review_finalise(review=review, user=moderator)
    problems = error.value.message_dict
    assert problems["rationale"] == ["Explain why you changed the grade for the overall grade"]
    visits = next(r for r in review.domain_grades.all() if r.domain.name == "Visits")
    assert problems[f"domain-{visits.domain_id}-rationale"] == [
        "Explain why you changed the grade for Visits"
    ]
    assert problems["reasons"] == [REASON_NEEDED]
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_PROGRESS
    assert not GradeChange.objects.filter(stage=GradeChangeStage.MODERATED).exists()


def test_overall_grade_must_be_chosen(org, template, panel, moderator):
    review = review_for(org, template, panel, moderator)
    with pytest.raises(ValidationError) as error:
        review_finalise(review=review, user=moderator)
    assert error.value.message_dict["moderated_grade"] == [CHOOSE_OVERALL]


def test_finalising_records_regrades_tells_the_auditor_and_sends_the_final_grade(
    org, template, panel, moderator, django_capture_on_commit_callbacks
):
    audit = accepted_audit(org, template, G)
    seen = []

    def receiver(sender, audit, grade, previous_grade, user, **kwargs):
        seen.append((audit.pk, grade, previous_grade))

    final_grade_set.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            review = moderate(audit, panel, moderator, RI, domain_grades={"Visits": RI})
    finally:
        final_grade_set.disconnect(receiver)
    assert review.outcome == Outcome.DOWNGRADED
    assert seen == [(audit.pk, RI, G)]
    moderated = GradeChange.objects.filter(audit=audit, stage=GradeChangeStage.MODERATED)
    assert sorted(
        (c.domain.name if c.domain else "Overall", c.old_grade, c.new_grade) for c in moderated
    ) == [
        ("Overall", G, RI),
        ("Visits", G, RI),
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [org.users["auditor"].email]
    assert "requires improvement" in mail.outbox[0].body.lower()


def test_agreeing_sends_no_new_final_grade(org, template, panel, moderator):
    audit = accepted_audit(org, template, G)
    seen = []
    final_grade_set.connect(seen.append, weak=False, dispatch_uid="t")
    try:
        moderate(audit, panel, moderator, G)
    finally:
        final_grade_set.disconnect(dispatch_uid="t")
    assert seen == []


def test_a_final_review_is_locked_until_the_qa_lead_unlocks_it_with_a_reason(
    org, template, panel, moderator
):
    audit = accepted_audit(org, template, G)
    review = moderate(audit, panel, moderator, G)
    with pytest.raises(ValidationError):
        review_save(
            review=review,
            user=moderator,
            moderated_grade=RI,
            rationale="x",
            feedback="",
            domain_grades={},
            reasons=[],
        )
    with pytest.raises(ValidationError) as error:
        review_unlock(review=review, user=org.users["qa_lead"], reason=" ")
    assert UNLOCK_REASON_NEEDED in error.value.messages
    with pytest.raises(PermissionDenied):
        review_unlock(review=review, user=moderator, reason="INAD changed my mind")
    unlocked = review_unlock(review=review, user=org.users["qa_lead"], reason="New evidence")
    assert unlocked.status == ReviewStatus.IN_PROGRESS
    assert unlocked.events.filter(kind="unlocked", reason="New evidence").exists()
    # Regrading after the unlock records the change from the earlier final grade.
    review_save(
        review=unlocked,
        user=moderator,
        moderated_grade=RI,
        rationale="New evidence",
        feedback="",
        domain_grades=domain_rows(unlocked),
        reasons=["outdated_plan"],
    )
    review_finalise(review=unlocked, user=moderator)
    last = GradeChange.objects.filter(audit=audit, domain__isnull=True).last()
    assert (last.old_grade, last.new_grade, last.stage) == (G, RI, GradeChangeStage.MODERATED)


def test_saving_a_final_review_is_refused_with_the_message(org, template, panel, moderator):
    audit = accepted_audit(org, template, G)
    review = moderate(audit, panel, moderator, G)
    with pytest.raises(ValidationError) as error:
        review_save(
            review=review,
            user=org.users["qa_lead"],
            moderated_grade=RI,
            rationale="x",
            feedback="",
            domain_grades={},
            reasons=[],
        )
    assert REVIEW_FINAL in error.value.messages


def test_the_second_of_two_concurrent_saves_is_refused_and_writes_nothing(
    org, template, panel, moderator
):
    review = review_for(org, template, panel, moderator)
    loaded_version = review.lock_version
    review_save(
        review=review,
        user=moderator,
        moderated_grade=G,
        rationale="",
        feedback="First",
        domain_grades={},
        reasons=[],
        expected_version=loaded_version,
    )
    with pytest.raises(ReviewConflictError):
        review_save(
            review=review,
            user=org.users["qa_lead"],
            moderated_grade=INAD,
            rationale="Second",
            feedback="Second",
            domain_grades={},
            reasons=[],
            expected_version=loaded_version,
        )
    review.refresh_from_db()
    assert (review.moderated_grade, review.feedback) == (G, "First")


def test_other_moderators_cannot_edit_a_review(org, template, panel, moderator):
    review = review_for(org, template, panel, moderator)
    stranger = UserFactory(roles=[Role.MODERATOR])
    with pytest.raises(PermissionDenied):
        review_save(
            review=review,
            user=stranger,
            moderated_grade=G,
            rationale="",
            feedback="",
            domain_grades={},
            reasons=[],
        )


def test_only_unstarted_reviews_leave_the_panel(org, template, panel, moderator):
    review = review_for(org, template, panel, moderator)
    started = review_save(
        review=review,
        user=moderator,
        moderated_grade=G,
        rationale="",
        feedback="",
        domain_grades={},
        reasons=[],
    )
    with pytest.raises(ValidationError):
        panel_remove_audit(review=started, user=org.users["qa_lead"])
    fresh = review_for(org, template, panel, moderator)
    panel_remove_audit(review=fresh, user=org.users["qa_lead"])
    assert not ModerationReview.objects.filter(pk=fresh.pk).exists()


def test_panel_takes_accepted_audits_but_endorsed_auditors_and_keeps_pairings(org, template):
    qa = org.users["qa_lead"]
    UserFactory(roles=[Role.MODERATOR])  # free, yet the pairing decides
    second = UserFactory(roles=[Role.MODERATOR])
    endorsed = UserFactory(roles=[Role.AUDITOR], team=org.team_b)
    EndorsementOverride.objects.create(
        auditor=endorsed, endorsed=True, reason="Consistently accurate", set_by=qa
    )
    Pairing.objects.create(
        auditor=org.users["auditor"],
        moderator=second,
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    mine = [accepted_audit(org, template, G) for _ in range(2)]
    theirs = accepted_audit(org, template, G, auditor=endorsed, team=org.team_b)
    panel = panel_create(month=MONTH, date=datetime.date(2026, 11, 12), user=qa)
    reviews = {r.audit_id: r for r in panel.reviews.all()}
    assert set(reviews) == {a.pk for a in mine}
    assert theirs.pk not in reviews
    assert all(r.moderator_id == second.pk for r in reviews.values())
    assert set(panel.moderators.all()) >= {second}
    progress = panel_progress(panel)
    assert (progress["accepted_audits"], progress["on_panel"], progress["actual_share"]) == (
        3,
        2,
        67,
    )


def test_target_share_limits_the_panel(org, template):
    UserFactory(roles=[Role.MODERATOR])
    for _ in range(4):
        accepted_audit(org, template, G)
    panel = panel_create(
        month=MONTH, date=datetime.date(2026, 11, 12), user=org.users["qa_lead"], target_share=50
    )
    assert panel.reviews.count() == 2


def test_moderators_are_rotated_within_capacity(org, template):
    ModerationSettings.objects.update_or_create(pk=1, defaults={"default_capacity": 2})
    for _ in range(3):
        UserFactory(roles=[Role.MODERATOR])
    for _ in range(3):
        accepted_audit(org, template, G)
    panel = panel_create(month=MONTH, date=datetime.date(2026, 11, 12), user=org.users["qa_lead"])
    # 3 audits, capacity 2 each: two moderators are enough.
    assert panel.moderators.count() == 2
    loads = sorted(panel.reviews.values_list("moderator", flat=True))
    assert len(loads) == 3 and max(loads.count(m) for m in set(loads)) == 2


def test_endorsed_after_a_run_of_agreements_until_one_is_regraded(org, template, panel, moderator):
    ModerationSettings.objects.update_or_create(pk=1, defaults={"endorsement_run": 3})
    auditor = org.users["auditor"]
    for _ in range(3):
        moderate(accepted_audit(org, template, G), panel, moderator, G)
    assert auditor.pk in endorsed_auditor_ids()
    moderate(accepted_audit(org, template, G), panel, moderator, RI)
    assert auditor.pk not in endorsed_auditor_ids()
    endorsement_override_set(
        auditor=auditor, endorsed=True, reason="Reviewed by QA Lead", user=org.users["qa_lead"]
    )
    assert auditor.pk in endorsed_auditor_ids()
    with pytest.raises(ValidationError):
        endorsement_override_set(
            auditor=auditor, endorsed=False, reason="", user=org.users["qa_lead"]
        )


def test_the_run_counts_only_each_auditors_last_n_final_reviews(org, template, panel, moderator):
    """A regrade older than the run no longer counts; one inside it does; each auditor's
    reviews are ranked apart from the others'."""
    ModerationSettings.objects.update_or_create(pk=1, defaults={"endorsement_run": 3})
    ann, bob = org.users["auditor"], UserFactory(roles=[Role.AUDITOR])
    moderate(accepted_audit(org, template, G, auditor=ann), panel, moderator, RI)
    moderate(accepted_audit(org, template, G, auditor=bob), panel, moderator, G)
    for _ in range(3):
        moderate(accepted_audit(org, template, G, auditor=ann), panel, moderator, G)
    moderate(accepted_audit(org, template, G, auditor=bob), panel, moderator, RI)
    moderate(accepted_audit(org, template, G, auditor=bob), panel, moderator, G)
    assert last_outcomes([ann.pk, bob.pk]) == {
        ann.pk: ["agreed", "agreed", "agreed"],
        bob.pk: ["agreed", "downgraded", "agreed"],
    }
    assert endorsed_auditor_ids() == {ann.pk}
    assert endorsed_auditor_ids([bob.pk]) == set()


def test_pairings_never_pair_oneself_nor_repeat_a_recent_pairing(org):
    moderators = [UserFactory(roles=[Role.MODERATOR, Role.AUDITOR]) for _ in range(3)]
    auditors = [UserFactory(roles=[Role.AUDITOR]) for _ in range(6)]
    first = pairings_generate(starts_on=datetime.date(2026, 4, 1))
    second = pairings_generate(starts_on=datetime.date(2026, 10, 1))
    assert all(p.auditor_id != p.moderator_id for p in first + second)
    before = {(p.auditor_id, p.moderator_id) for p in first}
    after = {(p.auditor_id, p.moderator_id) for p in second}
    assert before.isdisjoint(after)
    assert {p.ends_on for p in first} == {datetime.date(2026, 9, 30)}
    loads = [sum(1 for p in second if p.moderator_id == m.pk) for m in moderators]
    assert max(loads) - min(loads) <= 1
    assert {a.pk for a in auditors} <= {p.auditor_id for p in first}
    assert {a.pk for a in auditors} <= {p.auditor_id for p in second}


def test_looped_audits_stay_blind_until_both_are_submitted(org, template):
    qa, one = org.users["qa_lead"], org.users["auditor"]
    two = org.users["moderator"]
    with pytest.raises(ValidationError) as error:
        loop_create(
            child=ChildFactory(team=org.team_a),
            auditors=(one, one),
            template=template,
            month=MONTH,
            due_date=None,
            user=qa,
        )
    assert LOOP_SAME_AUDITOR in error.value.messages
    loop = loop_create(
        child=ChildFactory(team=org.team_a),
        auditors=(one, two),
        template=template,
        month=MONTH,
        due_date=None,
        user=qa,
    )
    assert one.has_perm("moderation.view_loop", loop) is False
    complete_audit(loop.first, grade=G)
    audit_submit(audit=loop.first, user=one)
    loop.refresh_from_db()
    assert loop.status == LoopStatus.AWAITING
    assert not one.has_perm("moderation.view_loop", loop)
    with pytest.raises(PermissionDenied) as blind:
        loop_differences(loop)
    assert str(blind.value) == LOOP_NOT_READY
    complete_audit(loop.second, grade=RI)
    audit_submit(audit=loop.second, user=two)
    loop.refresh_from_db()
    assert loop.status == LoopStatus.DIFFERS
    assert one.has_perm("moderation.view_loop", loop)
    assert not UserFactory(roles=[Role.AUDITOR]).has_perm("moderation.view_loop", loop)
    overall = loop_differences(loop)[0]
    assert (overall["first"], overall["second"], overall["differs"]) == (G, RI, True)
    discussed = loop_record_outcome(loop=loop, user=qa, outcome="Agreed RI: plan out of date")
    assert discussed.status == LoopStatus.DISCUSSED


def test_matching_looped_audits_need_no_discussion(org, template):
    one, two = org.users["auditor"], org.users["moderator"]
    loop = loop_create(
        child=ChildFactory(team=org.team_a),
        auditors=(one, two),
        template=template,
        month=MONTH,
        due_date=None,
        user=org.users["qa_lead"],
    )
    for audit, user in ((loop.first, one), (loop.second, two)):
        complete_audit(audit, grade=G)
        audit_submit(audit=audit, user=user)
    loop.refresh_from_db()
    assert loop.status == LoopStatus.MATCHED
    assert loop.first.status == AuditStatus.SUBMITTED


def test_nobody_moderates_their_own_audit(org, template, panel, moderator):
    from moderation.services import OWN_AUDIT, review_reassign

    own = accepted_audit(org, template, G, auditor=moderator)
    with pytest.raises(ValidationError) as error:
        panel_add_audit(panel=panel, audit=own, user=org.users["qa_lead"], moderator=moderator)
    assert error.value.message_dict == {"moderator": [OWN_AUDIT]}
    review = review_for(org, template, panel, moderator)
    with pytest.raises(ValidationError):
        review_reassign(review=review, moderator=org.users["auditor"], user=org.users["qa_lead"])
