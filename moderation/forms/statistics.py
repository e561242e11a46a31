"""The moderation figures: the period and the scope, limited to what the user may see."""

from __future__ import annotations

import datetime

from django import forms

from common.dates import (
    Period,
    add_months,
    financial_year,
    financial_year_start,
    month_period,
    month_start,
    quarter,
    quarter_of,
)

from ..selectors import (
    sees_all_statistics,
    statistics_auditors,
    statistics_moderators,
    statistics_service_areas,
    statistics_teams,
)
from .common import ErrorLinksMixin, UserChoiceField

CHOOSE_PERIOD = "Choose a month, a quarter or a financial year"
CHOOSE_YEAR = "Choose a financial year from the list"
CHOOSE_QUARTER = "Choose a quarter from 1 to 4"
CHOOSE_MONTH_NUMBER = "Choose a month from the list"
CHOOSE_AREA = "Choose a service area from the list"
CHOOSE_TEAM = "Choose a team from the list"
CHOOSE_STAT_AUDITOR = "Choose an auditor from the list"
CHOOSE_STAT_MODERATOR = "Choose a moderator from the list"
CHOOSE_BREAKDOWN = "Choose how to break the figures down"
TEAM_OUTSIDE_AREA = "Choose a team in the service area you chose"

PERIODS = [("month", "Month"), ("quarter", "Quarter"), ("year", "Financial year")]
FY_MONTHS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
BREAKDOWN_CHOICES = [
    ("service_area", "Service area"),
    ("team", "Team"),
    ("moderator", "Moderator"),
]


def last_complete_quarter(today: datetime.date):
    return quarter_of(add_months(quarter_of(today).start, -1))


class StatisticsForm(ErrorLinksMixin, forms.Form):
    """The period and scope of the figures, limited to what the user may see.

    The period is ``period`` (month, quarter or year), ``year`` (the financial year's
    first calendar year) and ``number`` (the month 1 to 12 or the quarter 1 to 4). The page
    offers separate ``quarter`` and ``month`` lists so that it works without JavaScript;
    either fills ``number``.
    """

    period = forms.ChoiceField(
        label="Period",
        choices=PERIODS,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": CHOOSE_PERIOD},
    )
    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": CHOOSE_YEAR},
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[
            (1, "Quarter 1: April to June"),
            (2, "Quarter 2: July to September"),
            (3, "Quarter 3: October to December"),
            (4, "Quarter 4: January to March"),
        ],
        error_messages={"invalid_choice": CHOOSE_QUARTER},
    )
    month = forms.TypedChoiceField(
        label="Month",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[(m, datetime.date(2000, m, 1).strftime("%B")) for m in FY_MONTHS],
        error_messages={"invalid_choice": CHOOSE_MONTH_NUMBER},
    )
    number = forms.IntegerField(required=False, widget=forms.HiddenInput)
    service_area = forms.ModelChoiceField(
        label="Service area",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": CHOOSE_AREA},
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": CHOOSE_TEAM},
    )
    auditor = UserChoiceField(
        label="Auditor",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": CHOOSE_STAT_AUDITOR},
    )
    moderator = UserChoiceField(
        label="Moderator",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": CHOOSE_STAT_MODERATOR},
    )
    breakdown = forms.ChoiceField(
        label="Break the figures down by",
        choices=BREAKDOWN_CHOICES,
        required=False,
        error_messages={"invalid_choice": CHOOSE_BREAKDOWN},
    )

    def __init__(self, data=None, *, user, today: datetime.date, **kwargs):
        default = last_complete_quarter(today)
        self.default_year = financial_year_start(default.start)
        self.default_quarter = (default.start.month - 4) % 12 // 3 + 1
        self.default_month = add_months(month_start(today), -1).month
        if data is not None:
            data = data.copy()
            period = data.get("period") or "quarter"
            number = data.get("number")
            if number and period in ("quarter", "month") and not data.get(period):
                data[period] = number
        super().__init__(data, **kwargs)
        self.user = user
        self.restricted = not sees_all_statistics(user)
        this_year = financial_year_start(today)
        self.fields["year"].choices = [
            (y, f"{y}/{str(y + 1)[-2:]}") for y in range(this_year, this_year - 6, -1)
        ]
        self.fields["service_area"].queryset = statistics_service_areas(user)
        self.fields["service_area"].empty_label = None if self.restricted else "All service areas"
        self.fields["team"].queryset = statistics_teams(user)
        self.fields["team"].empty_label = "All teams"
        self.fields["auditor"].queryset = statistics_auditors(user)
        self.fields["auditor"].empty_label = "All auditors"
        self.fields["moderator"].queryset = statistics_moderators(user)
        self.fields["moderator"].empty_label = "All moderators"
        self.initial.update(
            {
                "period": "quarter",
                "year": self.default_year,
                "quarter": self.default_quarter,
                "month": self.default_month,
                "breakdown": "team" if self.restricted else "service_area",
            }
        )

    def clean(self):
        data = super().clean()
        period = data.get("period") or "quarter"
        data["period"] = period
        if data.get("year") is None and "year" not in self.errors:
            data["year"] = self.default_year
        if period == "quarter":
            data["number"] = data.get("quarter") or self.default_quarter
        elif period == "month":
            data["number"] = data.get("month") or self.default_month
        else:
            data["number"] = None
        area, team = data.get("service_area"), data.get("team")
        if self.restricted and area is None and "service_area" not in self.errors:
            area = data["service_area"] = self.fields["service_area"].queryset.first()
        if area is not None and team is not None and team.service_area_id != area.pk:
            self.add_error("team", TEAM_OUTSIDE_AREA)
        data["breakdown"] = data.get("breakdown") or self.initial["breakdown"]
        return data

    def has_scope(self) -> bool:
        """False for a Head of Service who heads no service area: nothing to show."""
        return not self.restricted or self.fields["service_area"].queryset.exists()

    def period_of(self, data: dict) -> Period:
        return statistics_period(data["period"], data["year"], data["number"])


def statistics_period(kind: str, year: int, number: int | None) -> Period:
    if kind == "year":
        return financial_year(year)
    if kind == "month":
        calendar_year = year if number >= 4 else year + 1
        return month_period(datetime.date(calendar_year, number, 1))
    return quarter(year, number)
