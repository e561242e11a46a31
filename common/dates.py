"""Months, quarters and the UK financial year (April to March; Q1 is April to June)."""

import calendar
import datetime
from dataclasses import dataclass


def month_label(month: datetime.date) -> str:
    """ "April 2026"."""
    return month.strftime("%B %Y")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month ``months`` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from start's month to end's month."""
    return (end.year - start.year) * 12 + end.month - start.month


@dataclass(frozen=True)
class Period:
    """A span of whole days, start and end inclusive, with a label for reports."""

    start: datetime.date
    end: datetime.date
    label: str

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def financial_year_start(day: datetime.date) -> int:
    """The calendar year in which the financial year containing ``day`` starts."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year(start_year: int) -> Period:
    return Period(
        datetime.date(start_year, 4, 1),
        datetime.date(start_year + 1, 3, 31),
        f"{start_year}/{str(start_year + 1)[-2:]}",
    )


def quarter(start_year: int, number: int) -> Period:
    """Quarter 1 to 4 of the financial year starting in April of ``start_year``."""
    if number not in (1, 2, 3, 4):
        raise ValueError("A quarter is numbered 1 to 4.")
    first = add_months(datetime.date(start_year, 4, 1), 3 * (number - 1))
    last = month_end(add_months(first, 2))
    return Period(first, last, f"Q{number} {financial_year(start_year).label}")


def quarter_of(day: datetime.date) -> Period:
    start_year = financial_year_start(day)
    number = (day.month - 4) % 12 // 3 + 1
    return quarter(start_year, number)


def month_period(day: datetime.date) -> Period:
    first = month_start(day)
    return Period(first, month_end(first), first.strftime("%B %Y"))
