"""Every way a file can be wrong: each error names the row, column, value and why, and a
file with any error imports nothing."""

import datetime

import pytest
import time_machine

from accounts.models import ServiceArea, Team, User
from audits.importer import RowError, audits_import
from audits.importer import messages as m
from audits.models import Audit, AuditTemplate, Child, Domain, GradeChange
from tests.factories import (
    AuditFactory,
    ChildFactory,
    DomainFactory,
    TeamFactory,
    make_template,
)
from tests.fixtures.imports import HEADERS, TODAY, csv_bytes, good_row

pytestmark = pytest.mark.django_db

UNKNOWN_TEAM_IN_SAFEGUARDING = m.TEAM_UNKNOWN.format(area="Safeguarding")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def template(org):
    return make_template(family="child-journey-audit", questions=False)


def run(data, **options):
    return audits_import(data=data, file_name="audits.csv", user=None, today=TODAY, **options)


def errors_of(result):
    return [(e.row, e.column, e.value, e.message) for e in result.sorted_errors()]


@pytest.mark.parametrize(
    ("values", "column", "value", "message"),
    [
        ({"team": "Nowhere Team"}, "team", "Nowhere Team", UNKNOWN_TEAM_IN_SAFEGUARDING),
        ({"team": ""}, "team", "", m.TEAM_MISSING),
        (
            {"service_area": "Atlantis"},
            "service_area",
            "Atlantis",
            m.SERVICE_AREA_UNKNOWN,
        ),
        ({"service_area": " "}, "service_area", "", m.SERVICE_AREA_MISSING),
        (
            {"team": "Children in Care 1"},
            "team",
            "Children in Care 1",
            "This team is in Children in Care, not in Safeguarding",
        ),
        (
            {"auditor_email": "nobody@council.example"},
            "auditor_email",
            "nobody@council.example",
            m.AUDITOR_UNKNOWN,
        ),
        ({"auditor_email": "not an email"}, "auditor_email", "not an email", m.AUDITOR_INVALID),
        ({"auditor_email": ""}, "auditor_email", "", m.AUDITOR_MISSING),
        ({"completed_on": "14/03/2025"}, "completed_on", "14/03/2025", m.DATE_INVALID),
        ({"completed_on": "2025-02-30"}, "completed_on", "2025-02-30", m.DATE_INVALID),
        ({"completed_on": "2025-06-16"}, "completed_on", "2025-06-16", m.DATE_FUTURE),
        ({"completed_on": ""}, "completed_on", "", m.DATE_MISSING),
        ({"overall_grade": "Very good"}, "overall_grade", "Very good", m.OVERALL_GRADE_UNKNOWN),
        ({"overall_grade": ""}, "overall_grade", "", m.OVERALL_GRADE_MISSING),
        ({"overall_grade": "N/A"}, "overall_grade", "N/A", m.OVERALL_GRADE_MISSING),
        ({"overall_grade": "Good upper"}, "overall_grade", "Good upper", m.BAND_ONLY_FOR_RI),
        (
            {"domain: Visits": "Satisfactory"},
            "domain: Visits",
            "Satisfactory",
            m.DOMAIN_GRADE_UNKNOWN,
        ),
        ({"child_spoken_to": "maybe"}, "child_spoken_to", "maybe", m.YES_NO_UNKNOWN),
        ({"audit_type": "Dip sample"}, "audit_type", "Dip sample", m.AUDIT_TYPE_UNKNOWN),
        (
            {"legal_status": "Looked after"},
            "legal_status",
            "Looked after",
            "Use one of: Early Help, Child in Need, Child Protection, Child in Care, "
            "Care Leaver, Disabled Children, Subject to assessment",
        ),
        ({"legal_status": ""}, "legal_status", "", m.LEGAL_STATUS_MISSING),
        ({"audit_ref": ""}, "audit_ref", "", m.AUDIT_REF_MISSING),
        ({"child_ref": ""}, "child_ref", "", m.CHILD_REF_MISSING),
        ({"child_ref": "X" * 41}, "child_ref", "X" * 41, m.NAME_TOO_LONG.format(limit=40)),
    ],
)
def test_a_bad_value_is_reported_with_its_row_column_and_why(
    org, template, values, column, value, message
):
    data = csv_bytes([good_row(1), good_row(2), good_row(3, **values)])

    result = run(data)

    assert errors_of(result) == [(4, column, value, message)]
    assert not result.imported
    assert Audit.objects.count() == 0
    assert Child.objects.count() == 0


def test_one_bad_row_among_good_rows_imports_nothing(org, template):
    good = [good_row(n) for n in range(1, 20)]
    data = csv_bytes([*good[:10], good_row(99, overall_grade="Excellent"), *good[10:]])

    result = run(data, create_missing=True)

    assert errors_of(result) == [(12, "overall_grade", "Excellent", m.OVERALL_GRADE_UNKNOWN)]
    assert Audit.objects.count() == 0
    assert Child.objects.count() == 0
    assert GradeChange.objects.count() == 0


def test_every_bad_row_is_listed(org, template):
    data = csv_bytes(
        [
            good_row(1, team="Nowhere", completed_on="yesterday"),
            good_row(2),
            good_row(3, iro_involved="perhaps"),
        ]
    )

    result = run(data)

    assert errors_of(result) == [
        (2, "team", "Nowhere", UNKNOWN_TEAM_IN_SAFEGUARDING),
        (2, "completed_on", "yesterday", m.DATE_INVALID),
        (4, "iro_involved", "perhaps", m.YES_NO_UNKNOWN),
    ]
    assert result.bad_rows == 2


def test_a_duplicate_audit_ref_names_the_first_row(org, template):
    data = csv_bytes([good_row(1), good_row(2), good_row(3, audit_ref="CJA-0001")])

    result = run(data)

    assert errors_of(result) == [
        (
            4,
            "audit_ref",
            "CJA-0001",
            "This audit_ref is already used on row 2: each audit can appear only once",
        )
    ]


def test_an_audit_done_in_the_system_cannot_be_overwritten(org, template):
    AuditFactory(reference="CJA-0001", template=template)

    result = run(csv_bytes([good_row(1)]))

    assert errors_of(result) == [(2, "audit_ref", "CJA-0001", m.AUDIT_REF_NOT_IMPORTED)]


def test_headings_are_matched_in_any_case_order_and_spacing(org, template):
    headers = [f"  {h.upper()} " for h in reversed(HEADERS)]
    row = good_row(1)
    data = csv_bytes([[row[h] for h in reversed(HEADERS)]], headers=headers)

    result = run(data)

    assert result.ok, result.errors
    assert Audit.objects.get().gradings.count() == 2


def test_a_missing_required_column_is_reported(org, template):
    headers = [h for h in HEADERS if h not in ("team", "completed_on")]

    result = run(csv_bytes([good_row(1)], headers=headers))

    assert errors_of(result) == [
        (1, "team, completed_on", "", "Missing required columns: team, completed_on")
    ]


def test_unknown_columns_are_reported_together(org, template):
    headers = [*HEADERS, "Grade", "Teem"]

    result = run(csv_bytes([good_row(1)], headers=headers))

    assert errors_of(result) == [
        (
            1,
            "Grade, Teem",
            "",
            "Unknown columns: 'Grade', 'Teem'. Check the spelling against the import format; "
            "domain grades go in columns named 'domain: <domain name>'",
        )
    ]
    assert Audit.objects.count() == 0


def test_a_column_given_twice_is_reported(org, template):
    headers = [*HEADERS, "Domain:  visits"]

    result = run(csv_bytes([good_row(1)], headers=headers))

    assert errors_of(result) == [
        (1, "domain: Visits", "", "This column appears more than once (columns J, R)")
    ]


def test_evidence_needs_its_domain_column(org, template):
    headers = [*HEADERS, "evidence: Supervision"]

    result = run(csv_bytes([good_row(1)], headers=headers))

    assert errors_of(result) == [
        (
            1,
            "evidence: Supervision",
            "",
            "There is no 'domain: Supervision' column for this evidence",
        )
    ]


def test_an_unknown_domain_is_reported_on_the_heading_row(org, template):
    data = csv_bytes([good_row(1, **{"domain: Supervison": "Good"})])

    result = run(data)

    assert errors_of(result) == [
        (1, "domain: Supervison", "Supervison", m.UNKNOWN_DOMAIN.format(name="Supervison"))
    ]
    assert not Domain.objects.filter(name="Supervison").exists()


def test_empty_moderation_columns_are_accepted(org, template):
    row = good_row(
        1,
        moderated_overall_grade="",
        moderated_on=" ",
        moderator_email="",
        **{"moderated: Visits": ""},
    )

    result = run(csv_bytes([row]))

    assert result.ok, result.errors


def test_nothing_is_created_without_create_missing(org, template):
    data = csv_bytes(
        [
            good_row(
                1,
                team="New Team",
                service_area="New Area",
                auditor_email="new.person@council.example",
                **{"domain: Supervision": "Good"},
            )
        ]
    )
    counts = (ServiceArea.objects.count(), Team.objects.count(), User.objects.count())

    result = run(data)

    assert errors_of(result) == [
        (1, "domain: Supervision", "Supervision", m.UNKNOWN_DOMAIN.format(name="Supervision")),
        (2, "service_area", "New Area", m.SERVICE_AREA_UNKNOWN),
        (2, "auditor_email", "new.person@council.example", m.AUDITOR_UNKNOWN),
    ]
    assert (ServiceArea.objects.count(), Team.objects.count(), User.objects.count()) == counts
    assert not Domain.objects.filter(name="Supervision").exists()


def test_a_team_in_another_area_is_an_error_even_with_create_missing(org, template):
    data = csv_bytes([good_row(1, team="Children in Care 1", service_area="New Area")])

    result = run(data, create_missing=True)

    assert errors_of(result) == [
        (2, "team", "Children in Care 1", "This team is in Children in Care, not in New Area")
    ]
    assert not ServiceArea.objects.filter(name="New Area").exists()


def test_a_team_name_in_two_areas_is_found_in_the_named_one(org, template):
    TeamFactory(name="Family Support North", service_area=org.area_b)

    assert run(csv_bytes([good_row(1)])).ok
    assert Audit.objects.get().team == org.team_a


def test_without_a_template_nothing_can_be_created(org):
    assert not AuditTemplate.objects.exists()
    DomainFactory(name="Visits")
    DomainFactory(name="Assessments")

    result = run(csv_bytes([good_row(1)]))

    assert errors_of(result) == [
        (
            None,
            "",
            "",
            m.NO_TEMPLATE,
        )
    ]
    # The message is shown on a web page: it names what to do there, not a command.
    assert "manage.py" not in m.NO_TEMPLATE
    assert "Audit templates" in m.NO_TEMPLATE


def test_an_active_template_of_another_family_is_used_when_there_is_no_cja(org):
    other = make_template(family="practice-review", questions=False)

    assert run(csv_bytes([good_row(1)])).ok
    assert Audit.objects.get().template == other


def test_values_beyond_the_headings_are_refused(org, template):
    row = good_row(1)
    data = csv_bytes([[*(row[h] for h in HEADERS), "stray"]], headers=HEADERS)

    result = run(data)

    assert errors_of(result) == [(2, "column R", "stray", m.TOO_MANY_VALUES)]


def test_empty_rows_are_skipped_and_row_numbers_still_match(org, template):
    blank = [""] * len(HEADERS)
    data = csv_bytes([good_row(1), blank, blank, good_row(2, overall_grade="bad")])

    result = run(data)

    assert errors_of(result) == [(5, "overall_grade", "bad", m.OVERALL_GRADE_UNKNOWN)]
    assert result.rows == 2


def test_a_file_with_only_headings_is_refused(org, template):
    result = run(csv_bytes([], headers=HEADERS))

    assert result.errors == [RowError(None, "", "", m.FILE_NO_ROWS)]


def test_an_empty_file_is_refused(org, template):
    assert run(b"").errors == [RowError(None, "", "", m.FILE_EMPTY)]


def test_a_file_that_is_not_an_excel_workbook_is_refused(org, template):
    result = audits_import(data=b"PK\x03\x04garbage", file_name="x.xlsx", user=None)

    assert result.errors == [RowError(None, "", "", m.FILE_NOT_XLSX)]


def test_an_existing_child_is_not_duplicated_when_named_again(org, template):
    ChildFactory(case_reference="NC700001", team=org.team_a)

    assert run(csv_bytes([good_row(1), good_row(2, child_ref="NC700001")])).ok
    assert Child.objects.count() == 1


def test_a_csv_that_breaks_after_its_first_rows_is_refused_and_imports_nothing(org, template):
    """The file is read as a stream: a problem deep in the file stops the import with
    the reader's message, not a crash."""
    too_long = "x" * 200_000  # over the CSV reader's field limit
    data = csv_bytes([good_row(1), good_row(2), good_row(3, **{"evidence: Visits": too_long})])

    result = run(data)

    assert [(e.row, e.message.split(":")[0]) for e in result.errors] == [
        (None, m.FILE_NOT_CSV.split(":")[0])
    ]
    assert Audit.objects.count() == 0


def test_an_open_file_is_read_without_being_loaded_whole(org, template, tmp_path):
    path = tmp_path / "audits.csv"
    path.write_bytes(csv_bytes([good_row(1), good_row(2, overall_grade="bad")]))

    with path.open("rb") as data:
        result = audits_import(data=data, file_name="audits.csv", user=None, today=TODAY)

    assert errors_of(result) == [(3, "overall_grade", "bad", m.OVERALL_GRADE_UNKNOWN)]
