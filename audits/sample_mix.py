"""Whether a month's sample looks like the open caseload: the share of each age band,
sex, ethnicity group and level of need among the open cases and among the children in
the sample, side by side, so that the QA Lead (and an inspector) can see at a glance
whether a group is under- or over-sampled. Counted in the database: one query for each
of the two populations, whatever their size.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet

from .caselist import ETHNICITY_GROUPS
from .models import Child, LegalStatus, Sex

#: age bands as the Children in Need census counts them, by age on the month's first day
AGE_BANDS = [("Under 1", 0, 1), ("1 to 4", 1, 5), ("5 to 9", 5, 10), ("10 to 15", 10, 16)]
OVER = "16 and over"
UNKNOWN = "Not recorded"
#: the equality measure councils report on most: one row of its own
BLACK_AND_MIXED = "Black and mixed-heritage"


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _conditions(on: datetime.date) -> dict[str, dict[str, Q]]:
    """Each dimension's groups as conditions on a child, in the order they are shown."""
    ages = {}
    for label, youngest, oldest in AGE_BANDS:
        # Aged at least ``youngest`` and under ``oldest`` on the day.
        ages[label] = Q(
            date_of_birth__lte=_years_before(on, youngest),
            date_of_birth__gt=_years_before(on, oldest),
        )
    ages[OVER] = Q(date_of_birth__lte=_years_before(on, 16))
    ages[UNKNOWN] = Q(date_of_birth__isnull=True) | Q(date_of_birth__gt=on)
    ethnicity = {group: Q(ethnicity__in=codes) for group, codes in ETHNICITY_GROUPS.items()}
    known = [code for codes in ETHNICITY_GROUPS.values() for code in codes]
    ethnicity[UNKNOWN] = ~Q(ethnicity__in=known)
    ethnicity[BLACK_AND_MIXED] = Q(
        ethnicity__in=ETHNICITY_GROUPS["Black or Black British"] + ETHNICITY_GROUPS["Mixed"]
    )
    sex = {label: Q(sex=value) for value, label in Sex.choices}
    sex[UNKNOWN] = Q(sex="")
    need = {label: Q(legal_status=value) for value, label in LegalStatus.choices}
    return {
        "Level of need": need,
        "Age": ages,
        "Sex": sex,
        "Ethnicity": ethnicity,
    }


def _counts(children: QuerySet, conditions) -> dict[str, int]:
    names = {}
    aggregates = {"total": Count("pk")}
    for dimension, groups in conditions.items():
        for group, condition in groups.items():
            name = f"c{len(names)}"
            names[(dimension, group)] = name
            aggregates[name] = Count("pk", filter=condition)
    row = children.order_by().aggregate(**aggregates)
    return {key: row[name] for key, name in names.items()} | {"total": row["total"]}


def _percent(count: int, total: int) -> int | None:
    return round(100 * count / total) if total else None


#: a group's share of the sample this many points from its share of the open cases is
#: pointed out
NOTABLE_GAP = 10


def _gap(open_count, open_total, sample_count, sample_total) -> str:
    """ "fewer" or "more" when the group's share of the sample is NOTABLE_GAP points or
    more below or above its share of the open cases; "" otherwise."""
    if not open_total or not sample_total:
        return ""
    points = 100 * sample_count / sample_total - 100 * open_count / open_total
    if points <= -NOTABLE_GAP:
        return "fewer"
    if points >= NOTABLE_GAP:
        return "more"
    return ""


def sample_mix(allocation_round) -> list[dict]:
    """For each dimension, its groups with the open caseload's and the sample's count
    and share (whole percent). Groups with no child in either are left out. Two
    queries."""
    on = allocation_round.month
    conditions = _conditions(on)
    caseload = _counts(Child.objects.filter(is_open=True, team__is_active=True), conditions)
    sample = _counts(
        Child.objects.filter(pk__in=allocation_round.audits.values("child_id")), conditions
    )
    mix = []
    for dimension, groups in conditions.items():
        rows = []
        for group in groups:
            open_count, sample_count = caseload[(dimension, group)], sample[(dimension, group)]
            if not open_count and not sample_count:
                continue
            rows.append(
                {
                    "group": group,
                    "open": open_count,
                    "open_percent": _percent(open_count, caseload["total"]),
                    "sample": sample_count,
                    "sample_percent": _percent(sample_count, sample["total"]),
                    "combined": group == BLACK_AND_MIXED,
                    "gap": _gap(open_count, caseload["total"], sample_count, sample["total"]),
                }
            )
        recorded = [row for row in rows if row["group"] != UNKNOWN and not row["combined"]]
        mix.append({"dimension": dimension, "rows": rows, "recorded": bool(recorded)})
    return mix


def mix_sentence(row: dict) -> str:
    """ "Black and mixed-heritage children: 14% of open cases, 13% of the sample"."""
    open_share = "no" if row["open_percent"] is None else f"{row['open_percent']}%"
    sample_share = "none" if row["sample_percent"] is None else f"{row['sample_percent']}%"
    return f"{row['group']} children: {open_share} of open cases, {sample_share} of the sample"


def strata(child: Child, on: datetime.date) -> tuple[str, str, str]:
    """The child's age band, sex and ethnicity group on the day, as ``sample_mix`` counts
    them (its conditions, for one child in memory): what a proposal balances."""
    born = child.date_of_birth
    if born is None or born > on:
        age = UNKNOWN
    else:
        age = OVER
        for label, youngest, oldest in AGE_BANDS:
            if _years_before(on, oldest) < born <= _years_before(on, youngest):
                age = label
                break
    group = next(
        (name for name, codes in ETHNICITY_GROUPS.items() if child.ethnicity in codes), UNKNOWN
    )
    return age, child.sex or UNKNOWN, group
