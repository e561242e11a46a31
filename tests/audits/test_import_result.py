"""ImportResult keeps the first errors only, and counts them all."""

from audits.importer import messages as m
from audits.importer.result import ImportResult, RowError


def row_errors(*rows):
    return [RowError(row, "overall_grade", "x", m.OVERALL_GRADE_UNKNOWN) for row in rows]


def test_as_many_errors_as_the_cap_are_all_kept():
    result = ImportResult(max_errors=3)

    result.add_errors(row_errors(2, 3, 4))

    assert [error.row for error in result.sorted_errors()] == [2, 3, 4]
    assert (result.error_count, result.errors_not_kept) == (3, 0)


def test_one_error_over_the_cap_is_counted_but_not_kept():
    result = ImportResult(max_errors=3)

    result.add_errors(row_errors(2, 3, 4, 5))

    assert [error.row for error in result.sorted_errors()] == [2, 3, 4]
    assert (result.error_count, result.errors_not_kept) == (4, 1)
    assert not result.ok


def test_the_cap_defaults_to_the_setting(settings):
    settings.IMPORT_MAX_ERRORS = 2

    result = ImportResult(errors=row_errors(2, 3, 4))

    assert [error.row for error in result.sorted_errors()] == [2, 3]
    assert result.error_count == 3


def test_memory_holds_at_most_twice_the_cap_while_errors_come_in():
    result = ImportResult(max_errors=10)

    for row in range(2, 10_002):
        result.add_errors(row_errors(row))
        assert len(result.errors) <= 20

    assert result.error_count == 10_000
    assert [error.row for error in result.sorted_errors()] == list(range(2, 12))


def test_a_whole_file_error_found_last_is_kept_first():
    result = ImportResult(max_errors=2)

    result.add_errors(row_errors(*range(2, 50)))
    result.add_error(RowError(None, "", "", m.NO_TEMPLATE))

    assert [error.row for error in result.sorted_errors()] == [None, 2]


def test_errors_of_one_row_keep_their_order():
    first, second = (
        RowError(2, "team", "x", m.TEAM_MISSING),
        RowError(2, "legal_status", "", m.LEGAL_STATUS_MISSING),
    )
    result = ImportResult(max_errors=1)

    result.add_errors([first, second, *row_errors(3, 4)])

    assert result.sorted_errors() == [first]


def test_bad_rows_counts_every_row_with_an_error_kept_or_not():
    result = ImportResult(max_errors=1)

    result.add_errors([*row_errors(2, 2, 3, 7), RowError(None, "", "", m.NO_TEMPLATE)])

    assert result.bad_rows == 3
    assert result.error_count == 5


def test_a_name_that_could_be_created_is_noticed_even_beyond_the_cap():
    result = ImportResult(max_errors=1)

    result.add_errors(row_errors(2))
    assert not result.names_missing
    result.add_error(RowError(9, "team", "Nowhere", m.TEAM_UNKNOWN.format(area="Safeguarding")))

    assert result.names_missing
    assert len(result.sorted_errors()) == 1
