"""The seed ../shared/seeds/002_ed1c7473d3bf88df.txt ("Summary audit grades -
April-June 24"): overall grades, moderation and seven domains by month, reproduced by
importing 77 audits with those grades and reading the summary API.

The report's own slips, which the audits below do not reproduce:

1. Moderation: the text says "13 audits have been moderated and 11 have retained the
   same overall grade (85%)"; its table moderated 7 + 4 + 5 = 16 audits.
2. Quality of plans, May: the percentages are of 29 audits, not May's 30 (Good "8
   (24.1%)" is 7 of 29; 8 of 30 is 26.7%). The count, 8, agrees with the total column
   (4 + 8 + 7 = 19) and with May's 30 audits, so 8 is kept.
3. Quality of assessment: the table lost its heading and its Outstanding and Good rows.
   The rows that remain are reproduced; each month's rest (11, 7 and 8 audits) is
   imported as Good. May's percentages are again of 29 (14 is "48.3%").
4. Decision making, April: the text says "19 of 31 audits (55%)" graded Good; the table
   has 17 (54.8%), and 17 agrees with the total of 37.
5. Rounding and typing: Meetings and Reviews, April RI 14 of 31 is 45.2% (printed 45.1%);
   Quality of plans, Outstanding total 2 of 77 is 2.6% (printed 2.5%) and Good 19 of 77
   is 24.7% (printed 24.6%); Decision making's Inadequate total is printed "9)11%)" (9,
   11.7%); Supervision's totals lack their % signs ("40.26").
6. "June also had the highest number of audits graded Good (43.75%)": June's 7 Good
   audits are as many as April's and May's; it is the highest share, 7 of 16.
"""

import datetime

import pytest

from .seeds import column, import_audits, rows_for, summary, table

pytestmark = pytest.mark.django_db

SEEING = "Seeing and Hearing the Child"
ASSESSMENT = "Quality of Assessment"
PLANS = "Quality of Plans"
DECISIONS = "Decision making and management oversight"
MEETINGS = "Meetings and Reviews"
SUPERVISION = "Supervision"
DIVERSITY = "Consideration of Impact of Diversity"

#: month: (overall grades, moderated, {domain: (Outstanding, Good, RI, Inadequate, N/A)})
PUBLISHED = {
    "2024-04": (
        (0, 7, 22, 2),
        7,
        {
            SEEING: (0, 7, 21, 3),
            ASSESSMENT: (0, 11, 13, 4, 3),
            PLANS: (1, 4, 20, 6, 0),
            DECISIONS: (1, 17, 12, 1),
            MEETINGS: (1, 12, 14, 3, 1),
            SUPERVISION: (1, 11, 17, 2),
            DIVERSITY: (1, 15, 15, 0),
        },
    ),
    "2024-05": (
        (0, 7, 18, 5),
        4,
        {
            SEEING: (0, 16, 11, 3),
            ASSESSMENT: (0, 7, 14, 9, 0),
            PLANS: (1, 8, 10, 4, 7),
            DECISIONS: (0, 9, 14, 7),
            MEETINGS: (1, 10, 14, 3, 2),
            SUPERVISION: (0, 9, 14, 7),
            DIVERSITY: (0, 16, 12, 2),
        },
    ),
    "2024-06": (
        (0, 7, 9, 0),
        5,
        {
            SEEING: (0, 7, 9, 0),
            ASSESSMENT: (0, 8, 8, 0, 0),
            PLANS: (0, 7, 9, 0, 0),
            DECISIONS: (1, 11, 3, 1),
            MEETINGS: (0, 7, 9, 0, 0),
            SUPERVISION: (0, 11, 5, 0),
            DIVERSITY: (1, 12, 3, 0),
        },
    ),
}


@pytest.fixture
def imported(org, template, tmp_path):
    rows = []
    for month, (overall, moderated, domains) in PUBLISHED.items():
        rows += rows_for(
            datetime.date.fromisoformat(f"{month}-01"),
            column(*overall),
            {name: column(*counts) for name, counts in domains.items()},
            start=len(rows) + 1,
            moderated=moderated,
        )
    printed = import_audits(tmp_path, rows)
    assert "Checked 77 rows: 77 to create" in printed


def month_summary(client, org, month: str) -> dict:
    first = datetime.date.fromisoformat(f"{month}-01")
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return summary(client, org.users["leader"], first.isoformat(), last.isoformat())


def with_not_graded(counts: tuple) -> dict:
    return table(*counts) | ({} if len(counts) == 5 else {"Not graded": 0})


@pytest.mark.parametrize("month", list(PUBLISHED))
def test_each_months_grades_and_domains_as_published(client, org, imported, month):
    overall, moderated, domains = PUBLISHED[month]
    data = month_summary(client, org, month)
    assert data["overall"] == table(*overall)
    assert data["audits"]["completed"] == sum(overall)  # Total Audits: 31, 30, 16
    assert data["moderation"]["moderated"] == moderated  # Moderated: 7, 4, 5
    assert data["moderation"]["agreed"] == moderated
    for name, counts in domains.items():
        assert data["domains"][name] == with_not_graded(counts), name


def test_the_quarter_as_published(client, org, imported):
    data = summary(client, org.users["leader"], "2024-04-01", "2024-06-30")
    # "Within the quarter 77 case file audit have been undertaken": 7 Inadequate (9%),
    # 49 Requires Improvement (64%), 21 Good (27%).
    assert data["audits"]["completed"] == 77
    assert data["overall"] == table(0, 21, 49, 7)
    assert data["by_month"] == {month: table(*PUBLISHED[month][0]) for month in PUBLISHED}
    assert data["moderation"]["moderated"] == 16  # not the text's 13 (slip 1)
    # The Total columns.
    assert data["domains"][SEEING] == table(0, 30, 41, 6, 0)
    assert data["domains"][PLANS] == table(2, 19, 39, 10, 7)
    assert data["domains"][DECISIONS] == table(2, 37, 29, 9, 0)
    assert data["domains"][MEETINGS] == table(2, 29, 37, 6, 3)
    assert data["domains"][SUPERVISION] == table(1, 31, 36, 9, 0)
    assert data["domains"][ASSESSMENT]["Requires Improvement"] == 35  # 45%
    assert data["domains"][ASSESSMENT]["Inadequate"] == 13  # 17%
