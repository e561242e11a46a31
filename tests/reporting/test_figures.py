"""Every figure of a slice against a small case counted by hand."""

import datetime

import pytest

from audits.models import (
    AuditType,
    Exemption,
    ExemptionKind,
    ExemptionStatus,
    LegalStatus,
    StandingReason,
)
from common.dates import financial_year, quarter
from reporting.selectors import (
    Slice,
    audit_counts,
    domain_grades,
    grade_figures,
    grades_by_month,
    grades_by_service_area,
    moderation,
)

from .conftest import NG, G, audit, moderate

pytestmark = pytest.mark.django_db

D = datetime.date
Q1 = Slice(D(2026, 4, 1), D(2026, 6, 30))  # April to June 2026
Q2 = Slice(D(2026, 7, 1), D(2026, 9, 30))


def grades(out, good, ri, inad):
    return {"Outstanding": out, "Good": good, "Requires Improvement": ri, "Inadequate": inad}


def test_allocated_completed_accepted_and_completion_rate(audits):
    counts = audit_counts(Q1)
    # Allocated: A C D E I K L (H is March's; F exempted and G cancelled left out).
    assert counts["allocated"] == 7
    # Of those, completed by 30 June: all but E.
    assert counts["allocated_completed"] == 6
    assert counts["completion_rate"] == round(6 / 7, 4)
    # Completed in the quarter: A C D H I K L (B is July's, J a re-audit).
    assert counts["completed"] == 7
    # Accepted: all but I, which is only submitted.
    assert counts["accepted"] == 6


@pytest.mark.parametrize(
    ("exemption", "allocated"),
    [
        ({"kind": ExemptionKind.SINGLE_MONTH, "month": D(2026, 5, 1)}, 6),
        # Part-time: alternate months from April, so May is covered.
        (
            {
                "kind": ExemptionKind.STANDING,
                "standing_reason": StandingReason.PART_TIME,
                "starts_on": D(2026, 4, 1),
            },
            6,
        ),
        # Part-time from March: April and June are covered, and their audits completed.
        (
            {
                "kind": ExemptionKind.STANDING,
                "standing_reason": StandingReason.PART_TIME,
                "starts_on": D(2026, 3, 1),
            },
            7,
        ),
        ({"kind": ExemptionKind.SINGLE_MONTH, "month": D(2026, 5, 1), "status": "rejected"}, 7),
        ({"kind": ExemptionKind.SINGLE_MONTH, "month": D(2026, 5, 1), "status": "pending"}, 7),
    ],
)
def test_an_exemption_takes_the_audits_it_covers_out_of_the_completion_rate(
    audits, org, exemption, allocated
):
    # E (May, still allocated) is the auditor's; so is I (May), completed anyway.
    Exemption.objects.create(
        auditor=org.users["auditor"],
        reason="Away",
        **({"status": ExemptionStatus.APPROVED} | exemption),
    )
    counts = audit_counts(Q1)
    assert counts["allocated"] == allocated
    assert counts["allocated_completed"] == 6
    assert counts["completion_rate"] == round(6 / allocated, 4)


def test_completed_on_the_quarters_last_day_counts_and_the_next_day_does_not(audits):
    assert grade_figures(Slice(D(2026, 6, 30), D(2026, 6, 30)))["completed"] == 1  # A
    assert grade_figures(Q2)["overall"] == grades(0, 0, 0, 1)  # B, 1 July
    assert grade_figures(Slice(D(2026, 4, 1), D(2026, 6, 29)))["completed"] == 6


def test_final_and_original_overall_grades(audits):
    figures = grade_figures(Q1)
    # Final: D Out; A Good; C, H (moderated), I RI; K, L (moderated) Inadequate.
    assert figures["overall"] == grades(1, 1, 3, 2)
    # The auditors': D Out; A, H, L Good; C, I RI; K Inadequate.
    assert figures["overall_original"] == grades(1, 3, 2, 1)


def test_lower_ri_band_counts_only_the_lower_band(audits):
    assert grade_figures(Q1)["lower_ri"] == 1  # C; I is upper


def test_participation_leaves_out_audits_where_it_does_not_apply(audits):
    figures = grade_figures(Q1)
    assert figures["participation_counts"] == {
        "social_worker": {"yes": 6, "applies": 7},  # A no
        "team_manager": {"yes": 6, "applies": 6},  # D not applicable
        "iro_cp_chair": {"yes": 5, "applies": 6},  # D blank, H no
        "child": {"yes": 4, "applies": 5},  # C under 4, K not applicable; L no
        "family": {"yes": 6, "applies": 7},  # I no
    }
    assert figures["participation"]["child"] == 0.8
    assert figures["participation"]["social_worker"] == round(6 / 7, 4)


def test_a_late_audit_counts_in_the_month_it_was_completed(audits):
    assert grades_by_month(Q1) == {
        "2026-04": grades(1, 0, 1, 0),  # D; H (March's audit, moderated to RI)
        "2026-05": grades(0, 0, 2, 0),  # C (April's audit, completed late); I
        "2026-06": grades(0, 1, 0, 2),  # A; K; L
    }


def test_by_service_area_shows_every_area(audits, org):
    assert grades_by_service_area(Q1) == {
        "Children in Care": {"completed": 1} | grades(1, 0, 0, 0),
        "Safeguarding": {"completed": 6} | grades(0, 1, 3, 2),
    }
    assert grades_by_service_area(Slice(D(2026, 1, 1), D(2026, 1, 31))) == {
        "Children in Care": {"completed": 0} | grades(0, 0, 0, 0),
        "Safeguarding": {"completed": 0} | grades(0, 0, 0, 0),
    }


def test_domains_use_the_moderated_grade_and_count_not_graded(audits):
    assert domain_grades(Q1) == {
        # A Good; C, H (moderated), I RI; D Out; K, L (moderated) Inadequate
        "Visits": grades(1, 1, 3, 2) | {"Not graded": 0},
        # A not graded, I blank; C RI; D Out; H, L Good; K Inadequate
        "Assessments": grades(1, 2, 1, 1) | {"Not graded": 2},
    }


def test_a_domain_the_moderator_did_not_grade_is_not_graded(org, template, panel):
    made = audit(org, template, G, completed=D(2026, 5, 1))
    moderate(made, panel, org.users["moderator"], G, domain_grades={"Visits": NG})
    assert domain_grades(Q1)["Visits"] == grades(0, 0, 0, 0) | {"Not graded": 1}


def test_moderation_figures(audits):
    figures = moderation(Q1)
    assert (figures["moderated"], figures["agreed"], figures["upgraded"]) == (3, 1, 0)
    assert figures["downgraded"] == 2
    assert figures["inadequate_identified_by_moderation"] == 1  # L
    assert figures["transitions"] == [
        {"from": "Good", "to": "Inadequate", "count": 1},
        {"from": "Good", "to": "Requires Improvement", "count": 1},
        {"from": "Inadequate", "to": "Inadequate", "count": 1},
    ]


@pytest.mark.parametrize(
    ("narrowing", "completed"),
    [
        ({"service_area": "area_b"}, 1),  # D
        ({"team": "team_a"}, 6),
        ({"legal_status": LegalStatus.CHILD_PROTECTION}, 1),  # K
        ({"audit_type": AuditType.RE_AUDIT}, 1),  # J
        ({"audit_type": None}, 8),  # every type
        ({"auditor": "moderator"}, 1),  # D
    ],
)
def test_each_filter_narrows_the_audits(audits, org, narrowing, completed):
    resolve = {
        "area_b": org.area_b.pk,
        "team_a": org.team_a.pk,
        "moderator": org.users["moderator"].pk,
    }
    values = {key: resolve.get(value, value) for key, value in narrowing.items()}
    s = Slice(Q1.start, Q1.end, **values)
    assert grade_figures(s)["completed"] == completed
    assert audit_counts(s)["completed"] == completed


def test_a_slice_of_a_financial_quarter_runs_april_to_june(audits):
    assert Slice.of(quarter(2026, 1)) == Q1
    assert Slice.of(quarter(2026, 2), team=7) == Slice(D(2026, 7, 1), D(2026, 9, 30), team=7)
    # The financial year: April 2026 to March 2027 holds B (July) as well as Q1's 7.
    assert grade_figures(Slice.of(financial_year(2026)))["completed"] == 8
