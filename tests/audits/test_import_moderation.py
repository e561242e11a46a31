"""The moderation columns of an import become moderation reviews."""

import datetime

import pytest
import time_machine

from actions.models import CaseOfConcern
from audits.importer import audits_import
from audits.importer import messages as m
from audits.models import Audit, Grade, GradeChange, GradeChangeStage
from moderation.models import ModerationReview, Outcome, ReviewStatus
from tests.factories import make_template
from tests.fixtures.imports import TODAY, csv_bytes, good_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def template(org):
    return make_template(family="child-journey-audit", questions=False)


def run(data, **options):
    return audits_import(data=data, file_name="audits.csv", user=None, today=TODAY, **options)


def moderated_row(number=1, **values):
    moderation = {
        "moderated_overall_grade": "Requires Improvement",
        "moderated_on": "2025-04-02",
        "moderator_email": "moderator@council.example",
        "moderated: Visits": "RI",
        "moderated: Assessments": "",
    }
    return good_row(number, **{**moderation, **values})


def errors_of(result):
    return [(e.row, e.column, e.value, e.message) for e in result.errors]


def test_a_moderated_row_becomes_a_final_review(org, template):
    result = run(csv_bytes([moderated_row()]))

    assert result.ok, result.errors
    audit = Audit.objects.get(reference="CJA-0001")
    review = ModerationReview.objects.get(audit=audit)
    assert review.status == ReviewStatus.FINAL
    assert review.is_imported
    assert (review.original_grade, review.moderated_grade) == (
        Grade.GOOD,
        Grade.REQUIRES_IMPROVEMENT,
    )
    assert review.outcome == Outcome.DOWNGRADED
    assert review.moderator == org.users["moderator"]
    assert review.finalised_at.date() == datetime.date(2025, 4, 2)
    grades = {
        row.domain.name: (row.original_grade, row.moderated_grade)
        for row in review.domain_grades.all()
    }
    # A blank moderated domain grade is an agreement with the auditor's.
    assert grades == {
        "Visits": (Grade.GOOD, Grade.REQUIRES_IMPROVEMENT),
        "Assessments": (Grade.REQUIRES_IMPROVEMENT, Grade.REQUIRES_IMPROVEMENT),
    }
    moderated = GradeChange.objects.filter(audit=audit, stage=GradeChangeStage.MODERATED)
    assert sorted(
        (c.domain.name if c.domain else "Overall", c.old_grade, c.new_grade) for c in moderated
    ) == [
        ("Overall", Grade.GOOD, Grade.REQUIRES_IMPROVEMENT),
        ("Visits", Grade.GOOD, Grade.REQUIRES_IMPROVEMENT),
    ]


def test_a_moderated_grade_equal_to_the_original_is_an_agreement(org, template):
    row = moderated_row(moderated_overall_grade="good", **{"moderated: Visits": ""})

    assert run(csv_bytes([row])).ok

    review = ModerationReview.objects.get()
    assert review.outcome == Outcome.AGREED
    assert not GradeChange.objects.filter(stage=GradeChangeStage.MODERATED).exists()


def test_reimporting_the_same_moderation_changes_nothing(org, template):
    data = csv_bytes([moderated_row()])
    run(data)
    changes = GradeChange.objects.count()

    result = run(data)

    assert result.ok
    assert result.unchanged == 1
    assert GradeChange.objects.count() == changes
    assert ModerationReview.objects.count() == 1


def test_a_changed_moderation_updates_the_review(org, template):
    run(csv_bytes([moderated_row()]))

    result = run(csv_bytes([moderated_row(moderated_overall_grade="Inadequate")]))

    assert result.ok and result.to_update == 1
    review = ModerationReview.objects.get()
    assert review.moderated_grade == Grade.INADEQUATE
    last = GradeChange.objects.filter(domain__isnull=True).last()
    assert (last.old_grade, last.new_grade) == (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)


@pytest.mark.parametrize(
    ("values", "column", "value", "message"),
    [
        (
            {"moderated_overall_grade": ""},
            "moderated_overall_grade",
            "",
            m.MODERATED_OVERALL_MISSING,
        ),
        ({"moderated_overall_grade": "Great"}, "moderated_overall_grade", "Great", None),
        (
            {"moderated_on": "2025-03-01"},
            "moderated_on",
            "2025-03-01",
            m.MODERATED_BEFORE_COMPLETED,
        ),
        ({"moderated_on": "2025-13-01"}, "moderated_on", "2025-13-01", None),
        (
            {"moderator_email": "nobody@council.example"},
            "moderator_email",
            "nobody@council.example",
            m.MODERATOR_UNKNOWN,
        ),
        (
            {"moderator_email": "not an email"},
            "moderator_email",
            "not an email",
            m.MODERATOR_INVALID,
        ),
    ],
)
def test_bad_moderation_values_are_reported_and_nothing_is_imported(
    org, template, values, column, value, message
):
    result = run(csv_bytes([moderated_row(1, **values), good_row(2)]))

    errors = errors_of(result)
    assert [(row, col, val) for row, col, val, _ in errors] == [(2, column, value)]
    if message:
        assert errors[0][3] == message
    assert not Audit.objects.exists()
    assert not ModerationReview.objects.exists()


def test_a_moderated_domain_needs_its_domain_column(org, template):
    row = moderated_row(**{"moderated: Supervision": "Good"})

    result = run(csv_bytes([row]))

    assert errors_of(result) == [
        (2, "moderated: Supervision", "Good", m.MODERATED_DOMAIN_WITHOUT_GRADE)
    ]


def test_create_missing_adds_an_unknown_moderator(org, template):
    row = moderated_row(moderator_email="new.moderator@council.example")

    result = run(csv_bytes([row]), create_missing=True)

    assert result.ok, result.errors
    review = ModerationReview.objects.get()
    assert review.moderator.email == "new.moderator@council.example"
    assert not review.moderator.is_active


def test_an_imported_moderation_to_inadequate_opens_the_case_on_its_own_day(org, template):
    result = run(csv_bytes([moderated_row(moderated_overall_grade="Inadequate")]))

    assert result.ok, result.errors
    case = CaseOfConcern.objects.get(child__audits__reference="CJA-0001")
    assert case.opened_on == datetime.date(2025, 4, 2)
