"""Reading cells and files: grade spellings, yes / no, dates, encodings, Excel cells."""

import datetime

import pytest

from audits.importer import messages as m
from audits.importer import values
from audits.importer.reading import FileUnreadable, column_letter, read_table
from audits.models import AuditType, Grade, Involvement, LegalStatus, RIBand
from tests.fixtures.imports import xlsx_bytes

RI = Grade.REQUIRES_IMPROVEMENT


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Outstanding", (Grade.OUTSTANDING, "")),
        ("  GOOD ", (Grade.GOOD, "")),
        ("good", (Grade.GOOD, "")),
        ("Requires Improvement", (RI, "")),
        ("requires  improvement", (RI, "")),
        ("Requires improvement - lower", (RI, RIBand.LOWER)),
        ("Requires Improvement (Upper)", (RI, RIBand.UPPER)),
        ("RI", (RI, "")),
        ("ri upper", (RI, RIBand.UPPER)),
        ("RI-Lower", (RI, RIBand.LOWER)),
        ("Lower RI", (RI, RIBand.LOWER)),
        ("requires_improvement", (RI, "")),
        ("Inadequate", (Grade.INADEQUATE, "")),
        ("", (Grade.NOT_GRADED, "")),
        ("N/A", (Grade.NOT_GRADED, "")),
        ("n/a", (Grade.NOT_GRADED, "")),
        ("Not graded", (Grade.NOT_GRADED, "")),
        ("NOT GRADED", (Grade.NOT_GRADED, "")),
    ],
)
def test_domain_grade_spellings(cell, expected):
    assert values.domain_grade(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Very good", m.DOMAIN_GRADE_UNKNOWN),
        ("Good upper", m.BAND_ONLY_FOR_RI),
        ("Inadequate - lower", m.BAND_ONLY_FOR_RI),
        ("RI middle", m.DOMAIN_GRADE_UNKNOWN),
        ("3", m.DOMAIN_GRADE_UNKNOWN),
    ],
)
def test_domain_grade_refusals(cell, message):
    with pytest.raises(values.BadValue) as refused:
        values.domain_grade(cell)
    assert refused.value.message == message


@pytest.mark.parametrize("cell", ["", " ", "N/A", "Not graded"])
def test_the_overall_grade_cannot_be_blank_or_not_graded(cell):
    with pytest.raises(values.BadValue) as refused:
        values.overall_grade(cell)
    assert refused.value.message == m.OVERALL_GRADE_MISSING


def test_the_overall_grade_reads_bands():
    assert values.overall_grade("RI lower") == (RI, RIBand.LOWER)
    assert values.overall_grade("outstanding") == (Grade.OUTSTANDING, "")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("yes", Involvement.YES),
        ("YES", Involvement.YES),
        ("Y", Involvement.YES),
        ("no", Involvement.NO),
        ("n", Involvement.NO),
        ("Not applicable", Involvement.NOT_APPLICABLE),
        ("N/A", Involvement.NOT_APPLICABLE),
        ("na", Involvement.NOT_APPLICABLE),
        ("", ""),
    ],
)
def test_yes_no_answers(cell, expected):
    assert values.involvement(cell) == expected


def test_yes_no_refusal():
    with pytest.raises(values.BadValue) as refused:
        values.involvement("sometimes")
    assert refused.value.message == m.YES_NO_UNKNOWN


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("", AuditType.CHILD_JOURNEY),
        ("Child Journey Audit", AuditType.CHILD_JOURNEY),
        ("CJA", AuditType.CHILD_JOURNEY),
        ("case file audit", AuditType.CHILD_JOURNEY),
        ("Re-audit", AuditType.RE_AUDIT),
        ("Reaudit", AuditType.RE_AUDIT),
        ("re_audit", AuditType.RE_AUDIT),
    ],
)
def test_audit_types(cell, expected):
    assert values.audit_type(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Child in Need", LegalStatus.CHILD_IN_NEED),
        ("child in need", LegalStatus.CHILD_IN_NEED),
        ("child_in_need", LegalStatus.CHILD_IN_NEED),
        ("CHILD PROTECTION", LegalStatus.CHILD_PROTECTION),
        ("Subject to assessment", LegalStatus.SUBJECT_TO_ASSESSMENT),
    ],
)
def test_legal_statuses(cell, expected):
    assert values.legal_status(cell) == expected


TODAY = datetime.date(2025, 6, 15)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2025-03-14", datetime.date(2025, 3, 14)),
        ("2025-3-4", datetime.date(2025, 3, 4)),
        ("2025-03-14 00:00:00", datetime.date(2025, 3, 14)),
        (datetime.date(2025, 3, 14), datetime.date(2025, 3, 14)),
        (datetime.datetime(2025, 3, 14, 9, 30), datetime.date(2025, 3, 14)),
        ("2025-06-15", TODAY),
    ],
)
def test_completed_on(cell, expected):
    assert values.completed_on(cell, TODAY) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("2025-06-16", m.DATE_FUTURE),
        (datetime.date(2026, 1, 1), m.DATE_FUTURE),
        ("03/14/2025", m.DATE_INVALID),
        ("2025-13-01", m.DATE_INVALID),
        ("", m.DATE_MISSING),
    ],
)
def test_completed_on_refusals(cell, message):
    with pytest.raises(values.BadValue) as refused:
        values.completed_on(cell, TODAY)
    assert refused.value.message == message


# Files ------------------------------------------------------------------------------

CSV = "audit_ref,team\r\nA-1,Équipe Nord\r\n,\r\nA-2,Team 2\r\n"


def test_utf8_csv_with_a_bom():
    table = read_table(b"\xef\xbb\xbf" + CSV.encode("utf-8"), "a.csv")

    assert table.headers == ["audit_ref", "team"]
    assert list(table.rows) == [(2, ["A-1", "Équipe Nord"]), (4, ["A-2", "Team 2"])]
    assert table.notes == []


def test_excel_cp1252_csv_is_read_with_a_note():
    table = read_table(CSV.encode("cp1252"), "a.csv")

    assert list(table.rows)[0] == (2, ["A-1", "Équipe Nord"])
    assert table.notes == [m.NOTE_CP1252]


def test_utf16_and_semicolon_csv():
    assert list(read_table(CSV.encode("utf-16"), "a.csv").rows)[0] == (2, ["A-1", "Équipe Nord"])
    semicolons = CSV.replace(",", ";").encode("utf-8")
    assert read_table(semicolons, "a.csv").headers == ["audit_ref", "team"]


def test_a_quoted_value_over_two_lines_is_one_row():
    data = b'audit_ref,evidence: Visits\r\nA-1,"line one\r\nline two"\r\nA-2,x\r\n'

    table = read_table(data, "a.csv")

    assert list(table.rows) == [(2, ["A-1", "line one\r\nline two"]), (3, ["A-2", "x"])]


def test_the_rows_are_read_from_the_file_each_time_they_are_needed(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(CSV.encode("utf-8"))

    with path.open("rb") as stream:
        table = read_table(stream, "a.csv")
        first, second = list(table.rows), list(table.rows)

    assert first == second == [(2, ["A-1", "Équipe Nord"]), (4, ["A-2", "Team 2"])]


def test_an_xlsx_file_is_read_from_an_open_file(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(
        xlsx_bytes([["A-1", "Team 1"], [None, None], ["A-2", "Team 2"]], headers=["ref", "team"])
    )

    with path.open("rb") as stream:
        table = read_table(stream, "a.xlsx")
        first, second = list(table.rows), list(table.rows)

    assert first == second == [(2, ["A-1", "Team 1"]), (4, ["A-2", "Team 2"])]


def test_a_cp1252_byte_deep_in_a_file_is_noticed(tmp_path):
    data = ("audit_ref,team\r\n" + "A-1,Team\r\n" * 200_000 + "A-2,Équipe\r\n").encode("cp1252")

    table = read_table(data, "a.csv")

    assert table.notes == [m.NOTE_CP1252]
    assert list(table.rows)[-1] == (200_002, ["A-2", "Équipe"])


def test_binary_files_are_refused():
    with pytest.raises(FileUnreadable) as refused:
        read_table(b"\x00\x01\x02 binary", "a.csv")
    assert str(refused.value) == m.FILE_NOT_TEXT


def test_xlsx_cells_keep_dates_and_whole_numbers():
    data = xlsx_bytes(
        [[700123, datetime.datetime(2025, 3, 14), 2.5, True, None]],
        headers=["child_ref", "completed_on", "x", "y", "z"],
        other_sheet_rows=[["ignored"]],
    )

    table = read_table(data, "a.xlsx")

    assert table.headers == ["child_ref", "completed_on", "x", "y", "z"]
    assert list(table.rows) == [(2, ["700123", datetime.date(2025, 3, 14), "2.5", "yes", ""])]


def test_the_first_row_must_hold_the_headings():
    with pytest.raises(FileUnreadable) as refused:
        read_table(b",,\r\naudit_ref,team\r\n", "a.csv")
    assert str(refused.value) == m.FILE_NO_HEADINGS


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
