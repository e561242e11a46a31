"""Every figure against a small case counted by hand."""

import datetime

import pytest

from audits.models import Grade
from common.dates import Period, quarter
from moderation.statistics import (
    Scope,
    moderation_breakdown,
    moderation_figures,
    most_regraded_auditors,
    weighted_kappa,
)

from .conftest import accepted_audit, moderate

pytestmark = pytest.mark.django_db

G, RI, INAD, OUT = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE, Grade.OUTSTANDING
PERIOD = quarter(2026, 3)  # October to December 2026


def test_kappa_matches_the_textbook_two_by_two_example():
    # Cohen's kappa, the classic example: 50 proposals, two readers; kappa = 0.4.
    # With two categories the weighted kappa equals the unweighted one.
    assert weighted_kappa([[20, 5], [10, 15]]) == (0.4, 50)
    assert weighted_kappa([[20, 5], [10, 15]], weights="linear") == (0.4, 50)


def test_quadratic_kappa_counted_by_hand():
    # n = 7, rows (3, 3, 1), columns (2, 3, 2).
    # Observed weighted disagreement: cells (0,1) and (1,2), weight 1 each: 2 / 7.
    # Expected: sum w_ij r_i c_j / n^2 = (9 + 24 + 6 + 6 + 8 + 3) / 49 = 56 / 49.
    # kappa = 1 - (2/7) / (56/49) = 1 - 0.25 = 0.75.
    assert weighted_kappa([[2, 1, 0], [0, 2, 1], [0, 0, 1]]) == (0.75, 7)


def test_kappa_is_undefined_without_pairs_or_spread():
    assert weighted_kappa([[0, 0], [0, 0]]) == (None, 0)
    assert weighted_kappa([[5, 0], [0, 0]]) == (None, 5)


@pytest.fixture
def hand_counted(org, template, panel, moderator):
    """Six audits completed in the quarter, five moderated:
    A Good -> Good (agreed), B Good -> RI (down), C RI -> Inadequate (down),
    D Inadequate -> Inadequate (agreed), E RI -> Good (up), F Inadequate, not moderated.
    In team B: none. One audit completed outside the quarter (September): ignored."""
    audits = {
        "A": accepted_audit(org, template, G),
        "B": accepted_audit(org, template, G, domain_grades={"Visits": G, "Assessments": G}),
        "C": accepted_audit(org, template, RI),
        "D": accepted_audit(org, template, INAD),
        "E": accepted_audit(org, template, RI, auditor=org.users["moderator"]),
        "F": accepted_audit(org, template, INAD),
        "old": accepted_audit(org, template, G, completed=datetime.date(2026, 9, 30)),
    }
    moderate(audits["A"], panel, moderator, G)
    moderate(audits["B"], panel, moderator, RI, domain_grades={"Visits": RI})
    moderate(
        audits["C"], panel, moderator, INAD, reasons=["statutory_timescales", "poor_recording"]
    )
    moderate(audits["D"], panel, moderator, INAD)
    moderate(audits["E"], panel, org.users["qa_lead"], G)
    moderate(audits["old"], panel, moderator, RI)
    return audits


def test_counts_and_shares(hand_counted):
    figures = moderation_figures(PERIOD)
    assert figures.completed == 6
    assert figures.moderated == 5
    assert figures.moderated_share == 83.3
    assert (figures.agreed, figures.upgraded, figures.downgraded) == (2, 1, 2)
    assert (figures.agreed_pct, figures.upgraded_pct, figures.downgraded_pct) == (40.0, 20.0, 40.0)


def test_transition_table(hand_counted):
    figures = moderation_figures(PERIOD)
    assert figures.transitions == {
        (G, G): 1,
        (G, RI): 1,
        (RI, INAD): 1,
        (INAD, INAD): 1,
        (RI, G): 1,
    }
    rows = {row["grade"]: row["cells"] for row in figures.transition_rows()}
    assert rows["Good"] == [0, 1, 1, 0]
    assert rows["Requires Improvement"] == [0, 1, 0, 1]
    assert rows["Inadequate"] == [0, 0, 0, 1]
    assert rows["Outstanding"] == [0, 0, 0, 0]


def test_moderator_effect_on_inadequate(hand_counted):
    figures = moderation_figures(PERIOD)
    # Final Inadequate: C (moderated), D (agreed), F (not moderated) = 3; only C was
    # found by moderation.
    assert figures.final_inadequate == 3
    assert figures.inadequate_found_by_moderation == 1
    assert figures.inadequate_found_by_moderation_pct == 33.3


def test_agreement_per_domain(hand_counted):
    figures = moderation_figures(PERIOD)
    # Visits: B changed Good -> RI; 5 pairs, 4 agreed. Assessments: 5 pairs, all agreed.
    assert figures.domain_agreement == [
        {"domain": "Assessments", "pairs": 5, "agreed": 5, "agreed_pct": 100.0},
        {"domain": "Visits", "pairs": 5, "agreed": 4, "agreed_pct": 80.0},
    ]


def test_kappa_from_the_reviews(hand_counted):
    figures = moderation_figures(PERIOD)
    # Grades in order OUT, G, RI, I. Pairs: (G,G) (G,RI) (RI,INAD) (INAD,INAD) (RI,G).
    # Matrix rows (auditor) G: [0,1,1,0], RI: [0,1,0,1], INAD: [0,0,0,1]; n = 5.
    # Row totals (0,2,2,1), column totals (0,2,1,2).
    # Observed: three off-diagonal cells of weight 1: 3/5 = 0.6.
    # Expected sum w r_i c_j: r_G=2: c_RI 1*1*2=2, c_I 4*2*2=16; r_RI=2: c_G 1*2*2=4,
    # c_I 1*2*2=4; r_I=1: c_G 4*1*2=8, c_RI 1*1*1=1. Total 35 / 25 = 1.4.
    # kappa = 1 - 0.6/1.4 = 0.571.
    assert (figures.kappa, figures.kappa_pairs) == (0.571, 5)


def test_downgrade_reasons_are_counted(hand_counted):
    reasons = moderation_figures(PERIOD).downgrade_reasons
    assert reasons == [
        {"reason": "Poor recording", "count": 2},
        {"reason": "Statutory timescales not met", "count": 1},
    ]


def test_scope_by_auditor_and_moderator(hand_counted, org):
    by_moderator = moderation_figures(PERIOD, Scope(moderator=org.users["qa_lead"].pk))
    assert (by_moderator.moderated, by_moderator.upgraded) == (1, 1)
    by_auditor = moderation_figures(PERIOD, Scope(auditor=org.users["auditor"].pk))
    assert (by_auditor.completed, by_auditor.moderated, by_auditor.downgraded) == (5, 4, 2)
    outside = moderation_figures(PERIOD, Scope(service_area=org.area_b.pk))
    assert (outside.completed, outside.moderated) == (0, 0)


def test_breakdown_and_most_regraded(hand_counted, org):
    rows = moderation_breakdown(PERIOD, "team")
    assert [
        (r["name"], r["moderated"], r["agreed"], r["upgraded"], r["downgraded"]) for r in rows
    ] == [("Family Support North", 5, 2, 1, 2)]
    regraded = most_regraded_auditors(PERIOD)
    assert [(r["id"], r["upgraded"] + r["downgraded"]) for r in regraded] == [
        (org.users["auditor"].pk, 2),
        (org.users["moderator"].pk, 1),
    ]


def test_empty_period_has_no_figures(db):
    figures = moderation_figures(Period(datetime.date(2020, 1, 1), datetime.date(2020, 1, 31), "x"))
    assert figures.completed == figures.moderated == 0
    assert figures.moderated_share is None
    assert figures.kappa is None


def test_scope_by_legal_status_and_audit_type(hand_counted):
    in_need = moderation_figures(PERIOD, Scope(legal_status="child_in_need"))
    assert (in_need.completed, in_need.moderated) == (6, 5)
    protection = moderation_figures(PERIOD, Scope(legal_status="child_protection"))
    assert (protection.completed, protection.moderated) == (0, 0)
    journeys = moderation_figures(PERIOD, Scope(audit_type="child_journey"))
    assert (journeys.completed, journeys.moderated) == (6, 5)
    reaudits = moderation_figures(PERIOD, Scope(audit_type="re_audit"))
    assert (reaudits.completed, reaudits.moderated) == (0, 0)


def test_the_figures_take_four_queries_however_many_audits(
    hand_counted, org, template, panel, moderator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        moderation_figures(PERIOD)
    for grade in (G, RI, INAD, G, OUT):
        moderate(accepted_audit(org, template, grade), panel, moderator, INAD)
    with CaptureQueriesContext(connection) as large:
        figures = moderation_figures(PERIOD)
    assert len(small) == len(large) == 4
    assert figures.completed == 11
    assert figures.final_inadequate == 2 + 1 + 5
    assert figures.inadequate_found_by_moderation == 1 + 4
