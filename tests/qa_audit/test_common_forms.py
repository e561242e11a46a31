"""The one GOV.UK date field and the month list (common.forms), at their boundaries. The
pages that use them are tested with each exact bad input in their own test files."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from common.forms import GovDateField, month_choices

DUE = "the due date"


def clean(value, **kwargs):
    return GovDateField(name=DUE, **kwargs).clean(value)


def message(value, **kwargs):
    with pytest.raises(ValidationError) as error:
        clean(value, **kwargs)
    return error.value.messages


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["1", "1", "1900"], datetime.date(1900, 1, 1)),
        (["31", "12", "2100"], datetime.date(2100, 12, 31)),
        (["04", "03", "2026"], datetime.date(2026, 3, 4)),
        ([" 4 ", "3", "2026"], datetime.date(2026, 3, 4)),
        (["0" * 5000 + "1", "1", "2026"], datetime.date(2026, 1, 1)),
    ],
)
def test_dates_in_range_are_read(parts, expected):
    assert clean(parts) == expected


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["31", "12", "1899"], "The due date must be in a year from 1900 to 2100"),
        (["1", "1", "2101"], "The due date must be in a year from 1900 to 2100"),
        (["1", "1", "99999999999999999999"], "The due date must be in a year from 1900 to 2100"),
        (["1", "1", "9" * 5000], "The due date must be in a year from 1900 to 2100"),
        (["1", "1", "0" * 5000 + "1"], "The due date must be in a year from 1900 to 2100"),
        (["1", "99999999999999999999", "2026"], "The due date must be a real date"),
        (["29", "2", "2027"], "The due date must be a real date"),
        (["²", "2", "2026"], "The due date must be a real date"),
        (["-1", "2", "2026"], "The due date must be a real date"),
        (["", "", ""], "Enter the due date"),
        (["1", "", ""], "The due date must include a month and year"),
        (["", "2", "2026"], "The due date must include a day"),
    ],
)
def test_bad_dates_are_named(parts, expected):
    assert message(parts) == [expected]


def test_an_optional_date_may_be_empty():
    assert clean(["", "", ""], required=False) is None
    assert message(["", "3", ""], required=False) == ["The due date must include a day and year"]


def test_the_example_is_added_to_the_real_date_message():
    assert message(["31", "2", "2026"], example="30 6 2026") == [
        "The due date must be a real date, like 30 6 2026"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-27", datetime.date(2026, 3, 27)),
        ("27/3/2026", datetime.date(2026, 3, 27)),
        ("27 3 2026", datetime.date(2026, 3, 27)),
        ("27-03-2026", datetime.date(2026, 3, 27)),
        ("27.3.2026", datetime.date(2026, 3, 27)),
    ],
)
def test_the_compact_field_reads_one_typed_date(text, expected):
    assert clean(text, compact=True) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("99999999999999999999-01-01", "The due date must be in a year from 1900 to 2100"),
        ("0001-01-01", "The due date must be in a year from 1900 to 2100"),
        ("31/02/2026", "The due date must be a real date"),
        ("next week", "The due date must be a real date"),
        ("", "Enter the due date"),
    ],
)
def test_the_compact_field_names_bad_dates(text, expected):
    assert message(text, compact=True) == [expected]


def test_month_choices_run_from_back_to_ahead():
    today = datetime.date(2026, 11, 15)
    assert month_choices(today, back=1, ahead=2) == [
        ("2026-10-01", "October 2026"),
        ("2026-11-01", "November 2026"),
        ("2026-12-01", "December 2026"),
        ("2027-01-01", "January 2027"),
    ]
    assert [m for m, _ in month_choices(today, ahead=1, newest_first=True)] == [
        "2026-12-01",
        "2026-11-01",
    ]
