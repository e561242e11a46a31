"""GOV.UK form helpers every app shares: the form helper, the one date field, the month
list, free text with its length limit, and ids.

Every message names what it is about ("Enter the due date", "The reason must be 20,000
characters or fewer"); the templates below are the only wording, so one rule reads the
same everywhere.
"""

from __future__ import annotations

import datetime
import re

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst

from .dates import add_months, month_label, month_start

#: the years a date typed into any form or API may fall in
MIN_YEAR = 1900
MAX_YEAR = 2100
#: the most characters of free text in one field, unless the field sets fewer
TEXT_MAX_LENGTH = 20_000
#: the largest id the database holds (a 64-bit primary key)
ID_MAX = 2**63 - 1

# Messages, as templates the tests format and assert on.
DATE_ENTER = "Enter {name}"
DATE_INCLUDE = "{Name} must include a {parts}"
DATE_NOT_REAL = "{Name} must be a real date"
DATE_NOT_REAL_EXAMPLE = "{Name} must be a real date, like {example}"
DATE_YEAR_RANGE = "{Name} must be in a year from {min_year} to {max_year}"
TEXT_TOO_LONG = "{Name} must be {max_length:,} characters or fewer"
ID_INVALID = "Enter the {what} id as a whole number from 1 to {max}"

_DIGITS = re.compile(r"[0-9]+")  # ASCII digits only: "²".isdigit() is True
_ISO_DATE = re.compile(r"\s*([0-9]{4,})-([0-9]+)-([0-9]+)\s*")
_DAY_FIRST_DATE = re.compile(r"\s*([0-9]+)[/ .-]([0-9]+)[/ .-]([0-9]+)\s*")
_PARTS = ("day", "month", "year")


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def gds_helper(*fields) -> FormHelper:
    """A GOV.UK form helper; templates write the <form> tag and the error summary."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


# Dates ------------------------------------------------------------------------------


def date_messages(
    name: str, example: str | None = None, min_year: int = MIN_YEAR, max_year: int = MAX_YEAR
) -> dict[str, str]:
    """The messages of a date called ``name`` ("the due date"), by error code."""
    Name = capfirst(name)
    not_real = (
        DATE_NOT_REAL_EXAMPLE.format(Name=Name, example=example)
        if example
        else DATE_NOT_REAL.format(Name=Name)
    )
    return {
        "required": DATE_ENTER.format(name=name),
        "invalid": not_real,
        "year_range": DATE_YEAR_RANGE.format(Name=Name, min_year=min_year, max_year=max_year),
    }


def date_from_parts(
    day: str | None,
    month: str | None,
    year: str | None,
    *,
    name: str,
    example: str | None = None,
    required: bool = True,
    min_year: int = MIN_YEAR,
    max_year: int = MAX_YEAR,
) -> datetime.date | None:
    """The date typed as day, month and year, or a ValidationError naming the date.

    Empty: None, or "Enter <name>" when required. Some parts missing: "<Name> must
    include a month" (or "a day and month"). Anything but digits, or no such day: "<Name>
    must be a real date". A year outside ``min_year``..``max_year``: its own message,
    before any arithmetic, so an absurd year is an answer rather than an overflow.
    """
    messages = date_messages(name, example, min_year, max_year)
    parts = [(p or "").strip() for p in (day, month, year)]
    if not any(parts):
        if required:
            raise ValidationError(messages["required"], code="required")
        return None
    missing = [label for label, value in zip(_PARTS, parts, strict=True) if not value]
    if missing:
        raise ValidationError(
            DATE_INCLUDE.format(Name=capfirst(name), parts=" and ".join(missing)),
            code="incomplete",
        )
    if not all(_DIGITS.fullmatch(p) for p in parts):
        raise ValidationError(messages["invalid"], code="invalid")
    # Without leading zeros, and short, before int(): Python refuses over 4,300 digits.
    day_text, month_text, year_text = (p.lstrip("0") or "0" for p in parts)
    if len(year_text) > 4 or not min_year <= int(year_text) <= max_year:
        raise ValidationError(messages["year_range"], code="year_range")
    if len(day_text) > 2 or len(month_text) > 2:
        raise ValidationError(messages["invalid"], code="invalid")
    try:
        return datetime.date(int(year_text), int(month_text), int(day_text))
    except ValueError:
        raise ValidationError(messages["invalid"], code="invalid") from None


def is_digits(text: str) -> bool:
    """True for ASCII digits only ("²".isdigit() is True, and int("²") raises)."""
    return bool(_DIGITS.fullmatch(text))


def split_date_text(text: str) -> tuple[str, str, str] | None:
    """Day, month and year from one typed date: 2026-03-27 (what a browser's date
    picker sends) or 27/3/2026, 27 3 2026, 27-3-2026, 27.3.2026. None if it is neither."""
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
        return day, month, year
    if match := _DAY_FIRST_DATE.fullmatch(text):
        return match.groups()
    return None


class CompactDateInput(forms.DateInput):
    """One box for a date (the browser's date picker), styled as a GOV.UK input: for a
    row of a list where "done on <date>" must fit in one step."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "govuk-input govuk-input--width-10", **(attrs or {})},
            format="%Y-%m-%d",
        )


class GovDateField(DateInputField):
    """The date field of every form: the GOV.UK day, month and year boxes (or, with
    ``compact=True``, one box), with messages that name the date and a year range.

    ``name`` is the date as a message speaks of it ("the due date"); ``example`` is
    added to "must be a real date" when given ("like 12 5 2026").
    """

    def __init__(
        self,
        *,
        name: str,
        example: str | None = None,
        min_year: int = MIN_YEAR,
        max_year: int = MAX_YEAR,
        compact: bool = False,
        **kwargs,
    ):
        if compact:
            kwargs.setdefault("widget", CompactDateInput())
        super().__init__(require_all_fields=False, **kwargs)
        self.date_name = name
        self.example = example
        self.min_year = min_year
        self.max_year = max_year
        self.compact = compact
        self.error_messages.update(date_messages(name, example, min_year, max_year))
        self.error_messages["incomplete"] = self.error_messages["required"]

    def _parts(self, value) -> tuple[str, str, str] | str | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return str(value.day), str(value.month), str(value.year)
        if isinstance(value, list | tuple):
            values = [("" if v is None else str(v)) for v in list(value)[:3]]
            values += [""] * (3 - len(values))
            return values[0], values[1], values[2]
        text = str(value)
        if not text.strip():
            return None
        return split_date_text(text) or text

    def clean(self, value):
        parts = self._parts(value)
        if isinstance(parts, str):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        day, month, year = parts or ("", "", "")
        result = date_from_parts(
            day,
            month,
            year,
            name=self.date_name,
            example=self.example,
            required=self.required,
            min_year=self.min_year,
            max_year=self.max_year,
        )
        self.run_validators(result)
        return result

    def compress(self, data_list):
        day, month, year = (list(data_list) + [None, None, None])[:3]
        return date_from_parts(
            day,
            month,
            year,
            name=self.date_name,
            example=self.example,
            required=False,
            min_year=self.min_year,
            max_year=self.max_year,
        )

    def has_changed(self, initial, data):
        try:
            new = self.clean(data)
        except ValidationError:
            return True
        if isinstance(initial, str) and initial:
            try:
                initial = datetime.date.fromisoformat(initial)
            except ValueError:
                return True
        return new != (initial or None)


# Months -----------------------------------------------------------------------------


def month_choices(
    today: datetime.date, *, back: int = 0, ahead: int = 12, newest_first: bool = False
) -> list[tuple[str, str]]:
    """The months from ``back`` months before today's to ``ahead`` months after it, as
    (first day in ISO form, "April 2026")."""
    this_month = month_start(today)
    months = [add_months(this_month, n) for n in range(-back, ahead + 1)]
    if newest_first:
        months.reverse()
    return [(m.isoformat(), month_label(m)) for m in months]


# Free text --------------------------------------------------------------------------


def text_too_long(name: str, max_length: int) -> str:
    return TEXT_TOO_LONG.format(Name=capfirst(name), max_length=max_length)


class TextField(forms.CharField):
    """Free text of at most ``max_length`` characters (TEXT_MAX_LENGTH unless fewer are
    given), shown as a textarea, with a message that names it: ``name`` is the text as a
    message speaks of it ("the rationale")."""

    widget = forms.Textarea

    def __init__(self, *, name: str, max_length: int | None = TEXT_MAX_LENGTH, **kwargs):
        max_length = TEXT_MAX_LENGTH if max_length is None else min(max_length, TEXT_MAX_LENGTH)
        error_messages = {"max_length": text_too_long(name, max_length)}
        error_messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(max_length=max_length, error_messages=error_messages, **kwargs)
        self.text_name = name


def limited_text_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A ModelForm's ``formfield_callback``: every model TextField becomes a TextField
    above, named after the model field ("the findings")."""
    if isinstance(db_field, models.TextField) and not db_field.choices:
        return db_field.formfield(
            form_class=TextField, name=f"the {db_field.verbose_name}", **kwargs
        )
    return db_field.formfield(**kwargs)


# Ids --------------------------------------------------------------------------------


def id_invalid(what: str) -> str:
    return ID_INVALID.format(what=what, max=ID_MAX)


class IdField(forms.IntegerField):
    """The id of a row: a whole number the database can hold. Anything else is refused
    before it reaches a query (SQLite raises OverflowError on a 64-bit overflow)."""

    def __init__(self, *, what: str, **kwargs):
        message = id_invalid(what)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)
        for code in ("invalid", "min_value", "max_value", "step_size"):
            self.error_messages[code] = message


def parse_id(value) -> int | None:
    """``value`` as an id, or None if it is not one (not ASCII digits, 0, or too big)."""
    text = str(value)
    if not _DIGITS.fullmatch(text) or len(text) > len(str(ID_MAX)):
        return None
    number = int(text)
    return number if 1 <= number <= ID_MAX else None
