"""The monthly allocation: proposing, adjusting, publishing, the monthly task, ad hoc."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.models import Role
from audits.models import (
    AllocationRound,
    Audit,
    AuditEvent,
    AuditEventKind,
    AuditStatus,
    Exemption,
    ExemptionKind,
    ExemptionStatus,
    LegalStatus,
    ProgrammeSettings,
    RoundStatus,
    StandingReason,
)
from audits.services import allocation
from audits.services.allocation import (
    adhoc_allocate,
    round_audit_add,
    round_audit_change_auditor,
    round_audit_remove,
    round_audit_swap_child,
    round_propose,
    round_publish,
)
from audits.tasks.reminders import propose_next_month_allocation
from tests.factories import (
    AuditFactory,
    ChildFactory,
    ServiceAreaFactory,
    TeamFactory,
    UserFactory,
    make_template,
)

pytestmark = pytest.mark.django_db

DEC = datetime.date(2026, 12, 1)
TODAY = datetime.date(2026, 11, 15)
CIN, CP, CIC, EH = (
    LegalStatus.CHILD_IN_NEED,
    LegalStatus.CHILD_PROTECTION,
    LegalStatus.CHILD_IN_CARE,
    LegalStatus.EARLY_HELP,
)


def messages_of(error: ValidationError) -> list[str]:
    return error.messages


@pytest.fixture
def template():
    return make_template(family="child-journey-audit")


@pytest.fixture
def qa_lead():
    return UserFactory(email="qa.lead@council.example", roles=[Role.QA_LEAD])


def audited(child, month, status=AuditStatus.ACCEPTED, **kwargs):
    return AuditFactory(child=child, month=month, due_date=month, status=status, **kwargs)


@pytest.fixture
def council(template, qa_lead):
    """Three teams of four children, with known history, and four auditors.

    Team A (Alpha): A1 CIN, A2 CP, A3 CIC audited March 2026, A4 CIN.
    Team B (Bravo): B1 CP (social worker: Wendy), B2 CP audited December 2025 (exactly 12
    months before), B3 Early Help, B4 closed.
    Team C (Charlie): C1 CIC, C2 CIC, C3 CIN, C4 CIC.
    Auditors: Wendy in team A; Xavier exempt in December; Yasmin part-time from
    November (so exempt in December, an odd month after); Zara in team D (no children),
    who has a pending exemption (which does not count).
    """
    area = ServiceAreaFactory(name="Safeguarding")
    teams = {
        key: TeamFactory(name=name, service_area=area)
        for key, name in (("A", "Alpha"), ("B", "Bravo"), ("C", "Charlie"), ("D", "Delta"))
    }
    people = {
        "W": UserFactory(
            email="wendy@council.example", first_name="Wendy", team=teams["A"], roles=[Role.AUDITOR]
        ),
        "X": UserFactory(
            email="xavier@council.example",
            first_name="Xavier",
            team=teams["B"],
            roles=[Role.AUDITOR],
        ),
        "Y": UserFactory(
            email="yasmin@council.example",
            first_name="Yasmin",
            team=teams["C"],
            roles=[Role.AUDITOR],
        ),
        "Z": UserFactory(
            email="zara@council.example", first_name="Zara", team=teams["D"], roles=[Role.AUDITOR]
        ),
    }
    UserFactory(email="inactive@council.example", is_active=False, roles=[Role.AUDITOR])
    UserFactory(email="worker@council.example", team=teams["C"])  # not an auditor
    Exemption.objects.create(
        auditor=people["X"],
        kind=ExemptionKind.SINGLE_MONTH,
        month=DEC,
        reason="Court work",
        status=ExemptionStatus.APPROVED,
    )
    Exemption.objects.create(
        auditor=people["Y"],
        kind=ExemptionKind.STANDING,
        standing_reason=StandingReason.PART_TIME,
        starts_on=datetime.date(2026, 11, 1),
        reason="Part-time",
        status=ExemptionStatus.APPROVED,
    )
    Exemption.objects.create(
        auditor=people["Z"],
        kind=ExemptionKind.SINGLE_MONTH,
        month=DEC,
        reason="Leave",
        status=ExemptionStatus.PENDING,
    )
    Exemption.objects.create(
        auditor=people["W"],
        kind=ExemptionKind.SINGLE_MONTH,
        month=DEC,
        reason="Leave",
        status=ExemptionStatus.REJECTED,
    )
    spec = {
        "A1": ("A", CIN),
        "A2": ("A", CP),
        "A3": ("A", CIC),
        "A4": ("A", CIN),
        "B1": ("B", CP),
        "B2": ("B", CP),
        "B3": ("B", EH),
        "B4": ("B", CIN),
        "C1": ("C", CIC),
        "C2": ("C", CIC),
        "C3": ("C", CIN),
        "C4": ("C", CIC),
    }
    children = {
        ref: ChildFactory(case_reference=ref, team=teams[team], legal_status=status)
        for ref, (team, status) in spec.items()
    }
    children["B1"].social_worker = people["W"]
    children["B1"].save()
    children["B4"].is_open = False
    children["B4"].save()
    audited(children["A3"], datetime.date(2026, 3, 1), template=template, auditor=people["Z"])
    audited(children["B2"], datetime.date(2025, 12, 1), template=template, auditor=people["Z"])
    return {"teams": teams, "people": people, "children": children}


def allocation_of(allocation_round):
    return {
        a.child.case_reference: a.auditor.first_name if a.auditor else None
        for a in allocation_round.audits.select_related("child", "auditor")
    }


def test_hand_checked_allocation(council, qa_lead, template):
    result = round_propose(month=DEC, created_by=qa_lead, per_team=2, today=TODAY)

    # C goes first (no audits in the last 12 months), then A and B (one each), by name.
    # Pass 1: C3 (Child in Need: least audited status), A2 (CP: not yet picked), B3 (Early
    # Help: not yet picked). Pass 2: C1 (by record), A1 (by record), B1 (never audited,
    # before B2 audited exactly 12 months ago). A3 (11 months ago) and B4 (closed) never.
    # Auditors: only Wendy (team A) and Zara are available; Wendy never gets team A, nor
    # B1 (her own case); the rest alternate, fewest first.
    assert allocation_of(result.round) == {
        "C3": "Wendy",
        "A2": "Zara",
        "B3": "Wendy",
        "C1": "Zara",
        "A1": "Zara",
        "B1": "Zara",
    }
    assert (result.requested, result.proposed, result.without_auditor) == (6, 6, 0)
    assert result.warnings == []
    allocation_round = result.round
    assert allocation_round.status == RoundStatus.DRAFT
    assert allocation_round.due_date == datetime.date(2026, 12, 31)
    assert allocation_round.per_team == 2 and allocation_round.total is None
    audits = list(allocation_round.audits.all())
    assert {a.status for a in audits} == {AuditStatus.PROPOSED}
    assert {a.template_id for a in audits} == {template.pk}
    assert {a.month for a in audits} == {DEC}
    assert all(a.team_id == a.child.team_id for a in audits)


def test_proposed_audits_are_invisible_to_auditors(council, qa_lead):
    from audits.selectors import audits_for_auditor, audits_visible_to

    round_propose(month=DEC, created_by=qa_lead, per_team=2, today=TODAY)
    zara = council["people"]["Z"]
    assert not audits_for_auditor(zara).filter(month=DEC).exists()
    assert not audits_visible_to(zara).filter(month=DEC).exists()


def test_days_to_complete_moves_the_due_date(council, qa_lead):
    settings = ProgrammeSettings.load()
    settings.days_to_complete = 10
    settings.save()
    result = round_propose(month=DEC, created_by=qa_lead, today=TODAY)
    assert result.round.due_date == datetime.date(2027, 1, 10)
    assert result.round.per_team == settings.default_per_team


def test_shortfall_is_reported_per_team(council, qa_lead):
    result = round_propose(month=DEC, created_by=qa_lead, per_team=3, today=TODAY)
    # A: A1, A2, A4 (3); B: B1, B2, B3 (3); C: 4 eligible. No shortfall at 3 ...
    assert result.proposed == 9
    result = round_propose(
        month=DEC, created_by=qa_lead, per_team=4, today=TODAY, replace_draft=True
    )
    assert result.proposed == 10
    assert result.warnings == [
        "Alpha has only 3 children who have not been audited in the last 12 months",
        "Bravo has only 3 children who have not been audited in the last 12 months",
    ]


def test_shortfall_of_one_child_says_child(template, qa_lead):
    team = TeamFactory(name="Permanence")
    only = ChildFactory(team=team)
    ChildFactory(team=team, is_open=False)
    UserFactory(roles=[Role.AUDITOR])
    result = round_propose(month=DEC, created_by=qa_lead, per_team=2, today=TODAY)
    assert result.warnings == [
        "Permanence has only 1 child who has not been audited in the last 12 months"
    ]
    assert allocation_of(result.round).keys() == {only.case_reference}


def test_twelve_month_rule_at_its_boundary(template, qa_lead):
    team = TeamFactory(name="Boundary")
    UserFactory(roles=[Role.AUDITOR])
    twelve = ChildFactory(case_reference="TWELVE", team=team)
    eleven = ChildFactory(case_reference="ELEVEN", team=team)
    cancelled = ChildFactory(case_reference="CANCELLED", team=team)
    later = ChildFactory(case_reference="LATER", team=team)
    audited(twelve, datetime.date(2025, 12, 1))
    audited(eleven, datetime.date(2026, 1, 1))
    audited(cancelled, datetime.date(2026, 6, 1), status=AuditStatus.CANCELLED)
    # proposed in a later month's draft counts too
    audited(later, datetime.date(2027, 1, 1), status=AuditStatus.PROPOSED)

    result = round_propose(month=DEC, created_by=qa_lead, per_team=10, today=TODAY)

    assert set(allocation_of(result.round)) == {"TWELVE", "CANCELLED"}


def test_total_is_spread_one_per_team_before_any_team_gets_two(template, qa_lead):
    teams = [TeamFactory(name=f"Team {n:02d}") for n in range(40)]
    for team in teams:
        ChildFactory(team=team)
        ChildFactory(team=team)
    for _ in range(3):
        UserFactory(roles=[Role.AUDITOR])

    result = round_propose(month=DEC, created_by=qa_lead, total=25, today=TODAY)

    per_team = Counter(result.round.audits.values_list("team", flat=True))
    assert len(per_team) == 25 and set(per_team.values()) == {1}
    assert result.round.total == 25 and result.round.per_team is None
    # balanced auditors: 25 over 3 is 9, 8, 8
    assert sorted(Counter(result.round.audits.values_list("auditor", flat=True)).values()) == [
        8,
        8,
        9,
    ]

    result = round_propose(month=DEC, created_by=qa_lead, total=50, today=TODAY, replace_draft=True)
    per_team = Counter(result.round.audits.values_list("team", flat=True))
    assert sorted(Counter(per_team.values()).items()) == [(1, 30), (2, 10)]


def test_total_shortfall_is_reported(template, qa_lead):
    team = TeamFactory(name="Small")
    ChildFactory(team=team)
    UserFactory(roles=[Role.AUDITOR])
    result = round_propose(month=DEC, created_by=qa_lead, total=5, today=TODAY)
    assert result.proposed == 1
    assert result.warnings == [
        "Only 1 of 5 audits could be proposed: there are not enough open cases that have "
        "not been audited in the last 12 months"
    ]


def test_the_same_data_gives_the_same_allocation(council, qa_lead):
    first = allocation_of(round_propose(month=DEC, created_by=qa_lead, total=7, today=TODAY).round)
    again = allocation_of(
        round_propose(month=DEC, created_by=qa_lead, total=7, today=TODAY, replace_draft=True).round
    )
    AllocationRound.objects.get(month=DEC).audits.all().delete()
    AllocationRound.objects.filter(month=DEC).delete()
    fresh = allocation_of(round_propose(month=DEC, created_by=qa_lead, total=7, today=TODAY).round)
    assert first == again == fresh
    assert len(first) == 7


def test_own_team_auditor_is_used_only_when_nobody_else_is(template, qa_lead):
    team = TeamFactory(name="Lonely")
    ChildFactory(case_reference="NC1", team=team)
    mine = UserFactory(first_name="Mina", team=team, roles=[Role.AUDITOR])
    result = round_propose(month=DEC, created_by=qa_lead, per_team=1, today=TODAY)
    assert allocation_of(result.round) == {"NC1": "Mina"}
    assert result.warnings == [
        f"NC1 is proposed for {mine}, who works in Lonely, because no auditor from another "
        "team was available"
    ]


def test_no_auditor_available_proposes_the_children_and_says_so(template, qa_lead):
    team = TeamFactory(name="Nobody")
    ChildFactory(case_reference="NC2", team=team)
    result = round_propose(month=DEC, created_by=qa_lead, per_team=1, today=TODAY)
    assert allocation_of(result.round) == {"NC2": None}
    assert result.without_auditor == 1
    assert result.warnings == [allocation.NO_AUDITORS.format(month="December 2026")]


def test_the_childs_social_worker_is_never_the_auditor(template, qa_lead):
    team = TeamFactory(name="Solo")
    worker = UserFactory(roles=[Role.AUDITOR])
    ChildFactory(case_reference="NC3", team=team, social_worker=worker)
    result = round_propose(month=DEC, created_by=qa_lead, per_team=1, today=TODAY)
    assert allocation_of(result.round) == {"NC3": None}
    assert result.warnings == [allocation.CHILD_WITHOUT_AUDITOR.format(reference="NC3")]


def test_months_in_the_past_are_refused(council, qa_lead):
    with pytest.raises(ValidationError) as error:
        round_propose(month=datetime.date(2026, 10, 1), created_by=qa_lead, today=TODAY)
    assert messages_of(error.value) == ["October 2026 has passed: choose this month or a later one"]
    assert not AllocationRound.objects.exists()


def test_a_published_round_is_never_replaced(council, qa_lead):
    result = round_propose(month=DEC, created_by=qa_lead, today=TODAY)
    AllocationRound.objects.filter(pk=result.round.pk).update(status=RoundStatus.PUBLISHED)
    with pytest.raises(ValidationError) as error:
        round_propose(month=DEC, created_by=qa_lead, today=TODAY, replace_draft=True)
    assert messages_of(error.value) == [allocation.ROUND_PUBLISHED.format(month="December 2026")]
    assert result.round.audits.count() == 6


def test_a_draft_is_replaced_only_when_asked(council, qa_lead):
    round_propose(month=DEC, created_by=qa_lead, per_team=1, today=TODAY)
    with pytest.raises(ValidationError) as error:
        round_propose(month=DEC, created_by=qa_lead, per_team=2, today=TODAY)
    assert messages_of(error.value) == [allocation.DRAFT_EXISTS.format(month="December 2026")]
    assert Audit.objects.filter(month=DEC).count() == 3
    round_propose(month=DEC, created_by=qa_lead, per_team=2, today=TODAY, replace_draft=True)
    assert Audit.objects.filter(month=DEC).count() == 6
    assert AllocationRound.objects.count() == 1


def test_per_team_and_total_together_are_refused(council, qa_lead):
    with pytest.raises(ValidationError) as error:
        round_propose(month=DEC, created_by=qa_lead, per_team=2, total=5, today=TODAY)
    assert messages_of(error.value) == [allocation.BOTH_BASES]


def test_only_the_qa_lead_proposes(council):
    with pytest.raises(PermissionDenied):
        round_propose(month=DEC, created_by=council["people"]["W"], today=TODAY)


def test_the_child_journey_template_is_the_default(qa_lead):
    make_template(family="thematic", name="Thematic")
    cja = make_template(family="child-journey-audit", name="Zeta CJA")
    team = TeamFactory()
    ChildFactory(team=team)
    UserFactory(roles=[Role.AUDITOR])
    result = round_propose(month=DEC, created_by=qa_lead, per_team=1, today=TODAY)
    assert result.round.audits.get().template == cja


# Adjusting --------------------------------------------------------------------------


@pytest.fixture
def draft(council, qa_lead):
    return round_propose(month=DEC, created_by=qa_lead, per_team=2, today=TODAY).round


def audit_of(allocation_round, reference):
    return allocation_round.audits.get(child__case_reference=reference)


def test_change_auditor_warns_about_own_team(draft, council, qa_lead):
    audit = audit_of(draft, "A2")
    warnings = round_audit_change_auditor(audit=audit, auditor=council["people"]["W"], user=qa_lead)
    audit.refresh_from_db()
    assert audit.auditor == council["people"]["W"]
    assert warnings == [
        allocation.SAME_TEAM_WARNING.format(auditor=council["people"]["W"], team="Alpha")
    ]


def test_change_auditor_refuses_the_social_worker_and_the_exempt(draft, council, qa_lead):
    audit = audit_of(draft, "B1")
    with pytest.raises(ValidationError) as error:
        round_audit_change_auditor(audit=audit, auditor=council["people"]["W"], user=qa_lead)
    assert messages_of(error.value) == [
        f"{council['people']['W']} is the allocated social worker for B1: choose another auditor"
    ]
    with pytest.raises(ValidationError) as error:
        round_audit_change_auditor(audit=audit, auditor=council["people"]["X"], user=qa_lead)
    assert messages_of(error.value) == [
        f"{council['people']['X']} is exempt from audits in December 2026: choose another auditor"
    ]
    audit.refresh_from_db()
    assert audit.auditor == council["people"]["Z"]


def test_swap_child_checks_team_and_twelve_month_rule(draft, council, qa_lead):
    audit = audit_of(draft, "A2")
    with pytest.raises(ValidationError) as error:
        round_audit_swap_child(audit=audit, case_reference="A3", user=qa_lead)
    assert messages_of(error.value) == [
        "A3 has an audit in March 2026, within 12 months of December 2026: choose another child"
    ]
    with pytest.raises(ValidationError) as error:
        round_audit_swap_child(audit=audit, case_reference="C2", user=qa_lead)
    assert messages_of(error.value) == ["C2 is in Charlie, not Alpha: choose a child of Alpha"]
    with pytest.raises(ValidationError) as error:
        round_audit_swap_child(audit=audit, case_reference="NC999", user=qa_lead)
    assert messages_of(error.value) == ["NC999 is not a known case reference"]
    with pytest.raises(ValidationError) as error:
        round_audit_swap_child(audit=audit, case_reference="A1", user=qa_lead)
    assert messages_of(error.value) == ["A1 is already in this allocation"]
    audit.refresh_from_db()
    assert audit.child.case_reference == "A2"

    swapped = round_audit_swap_child(audit=audit, case_reference="a4", user=qa_lead)
    assert swapped.child.case_reference == "A4"


def test_remove_and_add(draft, council, qa_lead):
    round_audit_remove(audit=audit_of(draft, "A2"), user=qa_lead)
    assert not draft.audits.filter(child__case_reference="A2").exists()
    audit, warnings = round_audit_add(
        allocation_round=draft,
        team=council["teams"]["A"],
        case_reference="A2",
        auditor=council["people"]["Z"],
        user=qa_lead,
    )
    assert (audit.status, audit.auditor, audit.month) == (
        AuditStatus.PROPOSED,
        council["people"]["Z"],
        DEC,
    )
    assert warnings == []
    with pytest.raises(ValidationError) as error:
        round_audit_add(
            allocation_round=draft,
            team=council["teams"]["B"],
            case_reference="B4",
            auditor=council["people"]["Z"],
            user=qa_lead,
        )
    assert messages_of(error.value) == ["B4 is a closed case: choose an open case"]


def test_a_published_round_cannot_be_adjusted(draft, council, qa_lead):
    round_publish(allocation_round=draft, user=qa_lead)
    with pytest.raises(ValidationError) as error:
        round_audit_remove(audit=audit_of(draft, "A2"), user=qa_lead)
    assert messages_of(error.value) == [allocation.ROUND_NOT_DRAFT.format(month="December 2026")]


# Publishing -------------------------------------------------------------------------


def test_publish_allocates_logs_and_emails_each_auditor_once(
    draft, council, qa_lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = round_publish(allocation_round=draft, user=qa_lead)

    assert count == 6
    draft.refresh_from_db()
    assert draft.status == RoundStatus.PUBLISHED and draft.published_by == qa_lead
    audits = list(draft.audits.all())
    assert {a.status for a in audits} == {AuditStatus.ALLOCATED}
    assert {a.due_date for a in audits} == {datetime.date(2026, 12, 31)}
    assert AuditEvent.objects.filter(kind=AuditEventKind.ALLOCATED).count() == 6

    assert sorted(m.to[0] for m in mail.outbox) == [
        "wendy@council.example",
        "zara@council.example",
    ]
    by_person = {m.to[0]: m for m in mail.outbox}
    zara = by_person["zara@council.example"]
    assert zara.subject == "4 audits have been allocated to you for December 2026"
    for reference in ("A1", "A2", "B1", "C1"):
        assert f"Case {reference}," in zara.body
    assert "C3" not in zara.body
    pk = audit_of(draft, "A2").pk
    assert f"/audits/{pk}/edit/" in zara.body
    assert "Due 31 December 2026" in zara.body
    assert "Child Protection" in zara.body
    wendy = by_person["wendy@council.example"]
    assert "Case C3," in wendy.body and "Case B3," in wendy.body

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as error,
    ):
        round_publish(allocation_round=draft, user=qa_lead)
    assert messages_of(error.value) == [allocation.ALREADY_PUBLISHED.format(month="December 2026")]
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(kind=AuditEventKind.ALLOCATED).count() == 6


def test_publish_needs_an_auditor_for_every_audit(
    draft, qa_lead, django_capture_on_commit_callbacks
):
    draft.audits.filter(child__case_reference__in=["A1", "C1"]).update(auditor=None)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as error,
    ):
        round_publish(allocation_round=draft, user=qa_lead)
    assert messages_of(error.value) == ["Choose an auditor for A1, C1 before publishing"]
    draft.refresh_from_db()
    assert draft.status == RoundStatus.DRAFT
    assert not draft.audits.exclude(status=AuditStatus.PROPOSED).exists()
    assert mail.outbox == []


# The monthly task -------------------------------------------------------------------


def test_monthly_task_proposes_next_month_once_and_tells_the_qa_leads(
    council, qa_lead, django_capture_on_commit_callbacks
):
    UserFactory(email="second.lead@council.example", roles=[Role.QA_LEAD])
    with time_machine.travel(datetime.datetime(2026, 11, 1, 7, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = propose_next_month_allocation.delay().get()
        with django_capture_on_commit_callbacks(execute=True):
            second = propose_next_month_allocation.delay().get()
    assert first == AllocationRound.objects.get(month=DEC).pk
    assert second is None
    assert AllocationRound.objects.count() == 1
    # One email to each QA Lead: each has their own copy, delivered (or failed) alone.
    assert sorted(to for m in mail.outbox for to in m.to) == [
        "qa.lead@council.example",
        "second.lead@council.example",
    ]
    message = mail.outbox[0]
    assert message.subject == "The draft audit allocation for December 2026 is ready to review"
    assert f"/programme/rounds/{first}/" in message.body
    round_ = AllocationRound.objects.get()
    assert round_.created_by is None and round_.status == RoundStatus.DRAFT
    assert round_.audits.count() == 6


def test_monthly_task_leaves_an_existing_round_alone(
    council, qa_lead, django_capture_on_commit_callbacks
):
    round_propose(month=DEC, created_by=qa_lead, per_team=1, today=TODAY)
    with (
        time_machine.travel(datetime.datetime(2026, 11, 1, 7, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert propose_next_month_allocation.delay().get() is None
    assert Audit.objects.filter(month=DEC).count() == 3
    assert mail.outbox == []


def test_default_schedules_are_registered():
    from qa_audit.schedules import DEFAULT_SCHEDULES

    tasks = dict(DEFAULT_SCHEDULES.values())
    monthly = tasks["audits.tasks.reminders.propose_next_month_allocation"]
    assert (monthly["day_of_month"], monthly["hour"], monthly["minute"]) == ("1", "7", "0")
    daily = tasks["audits.tasks.reminders.send_audit_reminders"]
    assert (daily["day_of_month"], daily["hour"], daily["minute"]) == ("*", "7", "30")


# Ad hoc -----------------------------------------------------------------------------


def adhoc(**kwargs):
    defaults = {
        "auditor": None,
        "due_date": datetime.date(2026, 12, 4),
        "reason": "Ofsted inspection",
        "today": TODAY,
    }
    return adhoc_allocate(**{**defaults, **kwargs})


def test_adhoc_with_unknown_references_creates_nothing(council, qa_lead, template):
    with pytest.raises(ValidationError) as error:
        adhoc(references="A1\nNC123, c1, NC456", template=template, user=qa_lead)
    assert error.value.message_dict == {
        "references": [
            "NC123 is not a known case reference",
            "NC456 is not a known case reference",
        ]
    }
    assert not Audit.objects.filter(allocation_round=None, month=datetime.date(2026, 11, 1))


def test_adhoc_warns_about_recent_audits_and_allocates_once_confirmed(
    council, qa_lead, template, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as error:
        adhoc(references="A3, A1", template=template, user=qa_lead)
    assert error.value.message_dict == {
        "confirm": ["A3 has an audit in March 2026, within 12 months of this one"]
    }
    assert not Audit.objects.filter(allocation_note="Ofsted inspection").exists()

    with django_capture_on_commit_callbacks(execute=True):
        created = adhoc(
            references="A3, A1",
            auditor=council["people"]["Z"],
            template=template,
            user=qa_lead,
            confirmed=True,
        )

    assert [a.child.case_reference for a in created] == ["A3", "A1"]
    for audit in created:
        assert audit.status == AuditStatus.ALLOCATED
        assert audit.allocation_round is None
        assert audit.allocation_note == "Ofsted inspection"
        assert audit.due_date == datetime.date(2026, 12, 4)
        assert audit.auditor == council["people"]["Z"]
    assert (
        AuditEvent.objects.filter(
            kind=AuditEventKind.ALLOCATED, audit__in=created, note="Ofsted inspection"
        ).count()
        == 2
    )
    assert [m.to for m in mail.outbox] == [["zara@council.example"]]
    assert "Case A3," in mail.outbox[0].body and "Case A1," in mail.outbox[0].body
    assert "Reason: Ofsted inspection" in mail.outbox[0].body


def test_adhoc_spreads_over_available_auditors(council, qa_lead, template):
    # In November nobody is exempt: Xavier's exemption is for December, and Yasmin's
    # part-time months are December, February, ... (counted from November).
    created = adhoc(references="C2 C4 B3", template=template, user=qa_lead)
    assert {a.child.case_reference: a.auditor.first_name for a in created} == {
        "C2": "Wendy",  # not Yasmin (team C); all on 0 open audits: by pk
        "C4": "Xavier",
        "B3": "Yasmin",  # not Xavier (team B); Wendy has one already
    }


def test_adhoc_named_auditor_must_not_be_the_social_worker(council, qa_lead, template):
    with pytest.raises(ValidationError) as error:
        adhoc(references="B1", auditor=council["people"]["W"], template=template, user=qa_lead)
    assert error.value.message_dict == {
        "auditor": [
            f"{council['people']['W']} is the allocated social worker for B1: choose another "
            "auditor"
        ]
    }


def test_adhoc_checks_its_inputs(council, qa_lead, template):
    with pytest.raises(ValidationError) as error:
        adhoc(
            references=" ,\n",
            template=None,
            user=qa_lead,
            reason=" ",
            due_date=datetime.date(2026, 11, 14),
        )
    assert error.value.message_dict == {
        "references": [allocation.ADHOC_NO_REFERENCES],
        "due_date": [allocation.ADHOC_DUE_PAST],
        "reason": [allocation.ADHOC_NO_REASON],
        "template": [allocation.ADHOC_CHOOSE_TEMPLATE],
    }


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two requests at once need a database with row locks (PostgreSQL)",
)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_publishes_at_once_allocate_and_email_once():
    import threading

    make_template(family="child-journey-audit")
    lead = UserFactory(roles=[Role.QA_LEAD])
    for n in range(3):
        UserFactory(email=f"auditor{n}@council.example", roles=[Role.AUDITOR])
        team = TeamFactory(name=f"Team {n}")
        ChildFactory(team=team)
        ChildFactory(team=team)
    draft = round_propose(month=DEC, created_by=lead, per_team=2, today=TODAY).round
    outcomes = []
    barrier = threading.Barrier(2)

    def publish():
        try:
            barrier.wait()
            outcomes.append(round_publish(allocation_round=draft, user=lead))
        except ValidationError as error:
            outcomes.append(error.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == [
        6,
        [allocation.ALREADY_PUBLISHED.format(month="December 2026")],
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [f"auditor{n}@council.example" for n in range(3)]
    assert AuditEvent.objects.filter(kind=AuditEventKind.ALLOCATED).count() == 6
