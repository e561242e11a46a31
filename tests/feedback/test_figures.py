"""Feedback figures against a small case counted by hand, at each boundary: the period's
first and last days count, the day either side does not; the outsider team counts only
in the whole organisation; drafts of unfinished audits do not count."""

import datetime
import uuid

import pytest
from django.utils import timezone

from audits.models import AuditStatus, Grade, GradeChange, GradeChangeStage, Involvement
from common.dates import Period
from feedback.models import (
    Audience,
    Channel,
    FamilyLink,
    NotObtainedReason,
    Outcome,
    Quote,
    QuoteStatus,
    QuoteTheme,
    Respondent,
    Source,
)
from feedback.selectors import Scope, agreement_by_grade, feedback_figures, reach

from .conftest import give, make_audit

pytestmark = pytest.mark.django_db
Q1 = Period(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), "Q1 2026/27")
D = datetime.date


def link(audit, audience, used=False):
    now = timezone.now()
    return FamilyLink.objects.create(
        audit=audit,
        audience=audience,
        selector=uuid.uuid4().hex,
        verifier_hash="x",
        expires_at=now + datetime.timedelta(days=14),
        used_at=now if used else None,
    )


@pytest.fixture
def case(org, auditor):
    a, b = org.team_a, org.team_b
    a1 = make_audit(a, auditor, completed_on=D(2026, 4, 1))
    a2 = make_audit(a, auditor, completed_on=D(2026, 6, 30), date_of_birth=D(2023, 1, 1))
    a3 = make_audit(a, auditor, completed_on=D(2026, 3, 31))
    a4 = make_audit(a, auditor, completed_on=D(2026, 7, 1))
    a5 = make_audit(b, auditor, completed_on=D(2026, 5, 1))
    a6 = make_audit(a, auditor, status=AuditStatus.IN_PROGRESS)
    a7 = make_audit(
        a,
        auditor,
        completed_on=D(2026, 5, 10),
        child_spoken_to=Involvement.NO,
        parent_carer_spoken_to=Involvement.NO,
    )
    a8 = make_audit(a, auditor, completed_on=D(2026, 5, 20))
    a8.child.date_of_birth = None
    a8.child.save()

    give(a1, respondent=Respondent.CHILD, given_on=D(2026, 4, 1), channel=Channel.VISIT, score=8)
    give(
        a1,
        respondent=Respondent.MOTHER,
        given_on=D(2026, 5, 1),
        channel=Channel.VISIT,
        listened="partly",
        score=6,
    )
    give(
        a1,
        respondent=Respondent.SCHOOL,
        given_on=D(2026, 6, 30),
        channel=Channel.ONLINE,
        listened="not_answered",
    )
    give(a1, respondent=Respondent.SCHOOL, given_on=D(2026, 7, 1))
    give(a1, respondent=Respondent.SCHOOL, given_on=D(2026, 3, 31))
    give(
        a2,
        respondent=Respondent.FATHER,
        given_on=D(2026, 6, 30),
        outcome=Outcome.NOT_OBTAINED,
        not_obtained_reason=NotObtainedReason.UNREACHABLE,
        attempts=3,
    )
    mum3 = give(
        a3,
        respondent=Respondent.MOTHER,
        given_on=D(2026, 4, 5),
        score=9,
        comments="Good",
        consent_to_quote=True,
    )
    give(a4, respondent=Respondent.MOTHER, given_on=D(2026, 6, 1), listened="no")
    give(a5, respondent=Respondent.MOTHER, given_on=D(2026, 5, 1), listened="no", score=2)
    give(
        a6,
        respondent=Respondent.MOTHER,
        source=Source.AUDIT_FORM,
        position=0,
        given_on=D(2026, 5, 1),
    )
    link(a7, Audience.CHILD)
    link(a8, Audience.CHILD)
    GradeChange.objects.create(
        audit=a3,
        old_grade=Grade.GOOD,
        new_grade=Grade.REQUIRES_IMPROVEMENT,
        stage=GradeChangeStage.MODERATED,
    )
    theme = QuoteTheme.objects.first()
    Quote.objects.create(
        feedback=mum3,
        text="Good",
        attribution="Mum",
        tone="positive",
        theme=theme,
        status=QuoteStatus.READY,
        ready_at=timezone.now(),
    )
    Quote.objects.create(feedback=mum3, text="Draft", attribution="Mum")
    return {"a4": a4}


def test_reach_counts_the_audits_where_it_applies(case, org):
    area = reach(Q1, Scope(service_area=org.area_a.pk))
    assert area["completed_audits"] == 4  # a1, a2, a7, a8
    # Children: a1 (12) and a8 (no date of birth); a2's child is 3, a7's not spoken to.
    assert area["children"] == {
        "audits": 2,
        "asked": 2,
        "answered": 1,
        "asked_pct": 100.0,
        "answered_pct": 50.0,
        "answered_of_asked_pct": 50.0,
    }
    # Parents and carers: a1, a2 and a8 spoke to one; a1 and a2 asked, a1 answered.
    assert area["parents_carers"] == {
        "audits": 3,
        "asked": 2,
        "answered": 1,
        "asked_pct": 66.7,
        "answered_pct": 33.3,
        "answered_of_asked_pct": 50.0,
    }
    whole = reach(Q1)
    assert whole["completed_audits"] == 5
    assert (whole["children"]["audits"], whole["children"]["asked"]) == (3, 2)
    assert whole["parents_carers"]["answered"] == 2
    team_b = reach(Q1, Scope(team=org.team_b.pk))
    assert team_b["parents_carers"]["answered"] == 1
    assert team_b["completed_audits"] == 1


def test_the_child_age_boundary_is_the_fourth_birthday(org, auditor):
    # Audited in April 2026: 4 on 1 April counts, 4 on 2 April does not.
    four = make_audit(org.team_a, auditor, date_of_birth=D(2022, 4, 1))
    make_audit(org.team_a, auditor, date_of_birth=D(2022, 4, 2))
    assert reach(Q1)["children"]["audits"] == 1
    give(four, respondent=Respondent.CHILD)
    assert reach(Q1)["children"]["answered"] == 1


def test_feedback_figures_count_by_hand(case, org):
    f = feedback_figures(Q1, Scope(service_area=org.area_a.pk))
    # a1 child, a1 mum, a1 school (30 June), a2 dad (not obtained), a3 mum (5 April),
    # a4 mum (1 June: the feedback's date counts, not the audit's).
    assert (f["records"], f["given"], f["not_obtained"]) == (6, 5, 1)
    by = {r["respondent"]: (r["given"], r["not_obtained"]) for r in f["by_respondent"]}
    assert by == {
        "child": (1, 0),
        "parent": (3, 1),
        "carer": (0, 0),
        "family_member": (0, 0),
        "professional": (1, 0),
    }
    assert {r["channel"]: r["count"] for r in f["by_channel"]} == {
        "phone": 2,
        "visit": 2,
        "online": 1,
        "family_link": 0,
    }
    listened = f["questions"][0]
    assert listened["question"] == "listened"
    assert (listened["yes"], listened["partly"], listened["no"], listened["not_answered"]) == (
        2,
        1,
        1,
        1,
    )
    assert listened["yes_pct"] == 50.0
    assert f["questions"][1]["not_answered"] == 5
    assert f["questions"][1]["yes_pct"] is None
    assert f["scores"]["scored"] == 3
    assert f["scores"]["median"] == 8.0
    assert [d["count"] for d in f["scores"]["distribution"]][6:10] == [1, 0, 1, 1]
    assert {r["reason"]: r["count"] for r in f["reasons"]} == {
        "not_appropriate": 0,
        "unreachable": 1,
        "declined": 0,
        "other": 0,
    }
    assert f["reasons"][1]["pct"] == 100.0
    assert f["quotes"] == [
        {
            "text": "Good",
            "attribution": "Mum",
            "tone": "positive",
            "theme": QuoteTheme.objects.first().name,
        }
    ]


def test_the_outsider_team_counts_only_in_its_own_scope(case, org):
    assert feedback_figures(Q1)["records"] == 7
    team_b = feedback_figures(Q1, Scope(team=org.team_b.pk))
    assert team_b["records"] == 1
    assert team_b["questions"][0]["no"] == 1
    assert team_b["quotes"] == []


def test_agreement_sets_answers_beside_the_final_grade(case, org):
    rows = {r["question"]: r for r in agreement_by_grade(Q1, Scope(service_area=org.area_a.pk))}
    grades = {g["grade"]: g for g in rows["listened"]["grades"]}
    # Good: a1's child yes, mum partly, school not answered; a4's mum no.
    # a3, moderated to RI: mum yes.
    assert (grades["good"]["feedback"], grades["good"]["yes"], grades["good"]["partly"]) == (
        4,
        1,
        1,
    )
    assert grades["good"]["no"] == 1
    assert grades["good"]["yes_pct"] == 33.3
    assert (grades["requires_improvement"]["yes"], grades["requires_improvement"]["yes_pct"]) == (
        1,
        100.0,
    )
    assert grades["outstanding"]["feedback"] == 0 and grades["outstanding"]["yes_pct"] is None


def test_agreement_by_a_domain_uses_its_grade(case, org):
    visits = case["a4"].template.sections.get(domain__name="Visits").domain
    rows = agreement_by_grade(Q1, Scope(service_area=org.area_a.pk), visits.pk)
    grades = {g["grade"]: g["feedback"] for g in rows[0]["grades"]}
    assert grades["good"] == 5  # every domain is graded Good by the factory


def test_figures_take_a_constant_number_of_queries(case, org, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as captured:
        feedback_figures(Q1)
    for _ in range(5):
        extra = make_audit(org.team_a, org.users["auditor"])
        give(extra, respondent=Respondent.CARER)
    with django_assert_max_num_queries(len(captured)):
        feedback_figures(Q1)
