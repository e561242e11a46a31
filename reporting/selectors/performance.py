"""The performance snapshot: each measure for a month or quarter, against its target
(RAG), with the three periods before it and one sentence saying what happened.

RAG, on the value as shown (one decimal place):

- a percentage with a target to reach: at or above the target, green; short of it by
  the amber margin or less (5 points by default), amber; further short, red;
- a percentage with a limit not to pass (Inadequate, at most): at or below the limit,
  green; above it by the amber margin or less, amber; further above, red;
- audits completed: below the baseline, red; at or above the stretch, green; between,
  amber. The baseline (45 a month by default) is the whole organisation's; a service
  area's or team's is its share of the organisation's active teams, rounded up. The
  stretch is 2 a month for each active team in the slice. A quarter's are three months'.

A percentage resting on fewer than 20 audits (or actions) is not rated: it is shown
with its 95% Wilson interval and the grey "Too few audits to rate".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Count, Q

from accounts.models import Team
from actions.selectors.figures import actions_completed_within_timescale
from common.dates import Period, add_months, month_period, quarter_of
from common.stats import wilson_interval

from ..models import Targets
from ..targets import SMALL_SAMPLE
from .audits import audit_counts, grade_figures
from .other_apps import _actions_scope
from .slice import Slice

#: a percentage on fewer than this many audits is shown with its interval, not rated
MIN_SAMPLE = SMALL_SAMPLE

COUNT, AT_LEAST, AT_MOST = "count", "at_least", "at_most"
GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
#: the words shown with each rating (never colour alone), and the GOV.UK tag colour
RAG_LABELS = {GREEN: "Green", AMBER: "Amber", RED: "Red"}
TOO_FEW = "Too few {unit} to rate"
NO_FIGURE = "No figure"
TAG_CLASSES = {GREEN: "govuk-tag--green", AMBER: "govuk-tag--yellow", RED: "govuk-tag--red"}


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    kind: str
    target: str  # the Targets field
    unit: str = "audits"


MEASURES = [
    Measure("audits", "Audits completed", COUNT, "audits_baseline"),
    Measure("completion_rate", "Completion rate", AT_LEAST, "completion_rate"),
    Measure("good_or_better", "Good or better", AT_LEAST, "good_or_better"),
    Measure("inadequate", "Inadequate", AT_MOST, "inadequate_at_most"),
    Measure(
        "actions",
        "Previous month's actions completed within timescale",
        AT_LEAST,
        "actions_within_timescale",
        unit="actions",
    ),
    Measure("child", "Children aged 4 or over spoken to", AT_LEAST, "child_spoken_to"),
    Measure("family", "Parents or carers spoken to", AT_LEAST, "parent_carer_spoken_to"),
    Measure("social_worker", "Social worker involvement", AT_LEAST, "social_worker_involved"),
    Measure("team_manager", "Team manager involvement", AT_LEAST, "team_manager_involved"),
    Measure("iro_cp_chair", "IRO or CP chair involvement", AT_LEAST, "iro_involved"),
]


def rate_at_least(value: float, target: float, margin: float) -> str:
    if value >= target:
        return GREEN
    return AMBER if value >= target - margin else RED


def rate_at_most(value: float, limit: float, margin: float) -> str:
    if value <= limit:
        return GREEN
    return AMBER if value <= limit + margin else RED


def rate_count(value: int, baseline: int, stretch: int) -> str:
    if value < baseline:
        return RED
    return GREEN if value >= stretch else AMBER


def percent(part: int, whole: int) -> float | None:
    """A percentage to one decimal place; None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def show(value) -> str:
    """44, 85%, 85.5%: how a value is written in the table and the sentences."""
    if value is None:
        return "No figure"
    if isinstance(value, int):
        return str(value)
    return f"{value:.1f}".removesuffix(".0") + "%"


@dataclass
class Figure:
    """A measure in one period: a count (``value``) or a percentage of ``part`` in
    ``whole``."""

    value: int | float | None
    part: int | None = None
    whole: int | None = None


@dataclass
class Row:
    measure: Measure
    figure: Figure
    target: str
    rag: str
    rag_label: str
    earlier: list[tuple[str, Figure]]
    direction: str
    sentence: str
    interval: tuple[float, float] | None = None
    tag_class: str = field(default="govuk-tag--grey")

    @property
    def value(self) -> str:
        return show(self.figure.value)

    @property
    def earlier_shown(self) -> list[tuple[str, str]]:
        return [(label, show(figure.value)) for label, figure in self.earlier]

    @property
    def small_sample(self) -> bool:
        return self.interval is not None


@dataclass
class Snapshot:
    period: Period
    earlier: list[Period]
    rows: list[Row]


def previous_periods(period: Period, quarterly: bool, count: int = 3) -> list[Period]:
    """The ``count`` months or quarters before ``period``, latest first."""
    step = 3 if quarterly else 1
    of = quarter_of if quarterly else month_period
    return [of(add_months(period.start, -step * k)) for k in range(1, count + 1)]


def _figures(s: Slice, actions_scope) -> dict[str, Figure]:
    """Every measure's figure for one period: each from its one selector."""
    counts = audit_counts(s)
    grades = grade_figures(s)
    actions = actions_completed_within_timescale(s.period, actions_scope)["all"]
    overall = grades["overall"]
    graded = sum(overall.values())
    good = overall["Outstanding"] + overall["Good"]
    figures = {
        "audits": Figure(counts["completed"]),
        "completion_rate": Figure(
            percent(counts["allocated_completed"], counts["allocated"]),
            counts["allocated_completed"],
            counts["allocated"],
        ),
        "good_or_better": Figure(percent(good, graded), good, graded),
        "inadequate": Figure(percent(overall["Inadequate"], graded), overall["Inadequate"], graded),
        "actions": Figure(
            percent(actions["within_timescale"], actions["judged"]),
            actions["within_timescale"],
            actions["judged"],
        ),
    }
    for key, counted in grades["participation_counts"].items():
        figures[key] = Figure(
            percent(counted["yes"], counted["applies"]), counted["yes"], counted["applies"]
        )
    return figures


def _volume_targets(targets: Targets, s: Slice, months: int) -> tuple[int, int]:
    """The baseline and stretch for audits completed in the slice over ``months``."""
    active = Team.objects.filter(is_active=True)
    mine = Q()
    if s.team:
        mine = Q(pk=s.team)
    elif s.service_area:
        mine = Q(service_area=s.service_area)
    teams = active.aggregate(all=Count("pk"), mine=Count("pk", filter=mine))
    baseline = targets.audits_baseline
    if (s.team or s.service_area) and teams["all"]:
        baseline = math.ceil(baseline * teams["mine"] / teams["all"])
    return baseline * months, targets.audits_stretch_per_team * teams["mine"] * months


def _short(period: Period, current: Period) -> str:
    """June (in the current period's year), or the period's full label."""
    if period.end.month - period.start.month == 0 and period.start.year == current.start.year:
        return f"{period.start:%B}"
    return period.label


def movement(current: Figure, earlier: list[tuple[str, Figure]]) -> tuple[str, str]:
    """The direction against the period before, and the sentence's first clause: the
    earlier periods, latest first, that the value is above (or below) in a row."""
    if current.value is None:
        return "", ""
    if not earlier or earlier[0][1].value is None:
        label = earlier[0][0] if earlier else "the period before"
        return "No earlier figure", f"No figure for {label} to compare"
    before = earlier[0][1].value
    if current.value == before:
        return "No change", f"Unchanged from {show(before)} in {earlier[0][0]}"
    up = current.value > before
    passed = []
    for label, figure in earlier:
        if figure.value is None or (current.value > figure.value) != up:
            break
        if current.value == figure.value:
            break
        passed.append(f"{show(figure.value)} in {label}")
    listed = passed[0] if len(passed) == 1 else ", ".join(passed[:-1]) + " and " + passed[-1]
    return ("Up" if up else "Down"), f"{'Increased' if up else 'Decreased'} from {listed}"


def _points(gap: float) -> str:
    number = show(gap).removesuffix("%")
    return f"{number} point" if number == "1" else f"{number} points"


def _interval(figure: Figure) -> tuple[float, float] | None:
    if figure.whole is None or figure.whole == 0 or figure.whole >= MIN_SAMPLE:
        return None
    low, high = wilson_interval(figure.part, figure.whole)
    return round(100 * low, 1), round(100 * high, 1)


def _rate(measure, figure, targets, volume) -> tuple[str, str, str, tuple | None]:
    """(rating, label, target clause of the sentence, interval)."""
    margin = targets.amber_points
    if measure.kind == COUNT:
        baseline, stretch = volume
        rag = rate_count(figure.value, baseline, stretch)
        clause = {
            RED: f"below baseline ({baseline})",
            AMBER: f"between baseline ({baseline}) and stretch ({stretch})",
            GREEN: f"at or above stretch ({stretch})",
        }[rag]
        return rag, RAG_LABELS[rag], clause, None
    target = getattr(targets, measure.target)
    if figure.value is None:
        return GREY, NO_FIGURE, "", None
    interval = _interval(figure)
    if interval is not None:
        label = TOO_FEW.format(unit=measure.unit)
        clause = (
            f"{label.lower()}: {figure.part} of {figure.whole}, 95% interval "
            f"{show(interval[0])} to {show(interval[1])}"
        )
        return GREY, label, clause, interval
    if measure.kind == AT_LEAST:
        rag = rate_at_least(figure.value, target, margin)
        gap = round(target - figure.value, 1)
        clause = (
            f"meets the target ({target}%)"
            if rag == GREEN
            else f"{_points(gap)} below the target ({target}%)"
        )
    else:
        rag = rate_at_most(figure.value, target, margin)
        gap = round(figure.value - target, 1)
        clause = (
            f"within the limit ({target}%)"
            if rag == GREEN
            else f"{_points(gap)} above the limit ({target}%)"
        )
    return rag, RAG_LABELS[rag], clause, None


def _target_text(measure: Measure, targets: Targets, volume: tuple[int, int]) -> str:
    if measure.kind == COUNT:
        return f"Baseline {volume[0]}, stretch {volume[1]}"
    target = getattr(targets, measure.target)
    return f"At most {target}%" if measure.kind == AT_MOST else f"{target}%"


def performance(
    period: Period,
    *,
    quarterly: bool = False,
    service_area: int | None = None,
    team: int | None = None,
    targets: Targets | None = None,
) -> Snapshot:
    """Every measure for ``period`` (a month, or a quarter if ``quarterly``) and the three
    periods before it, in the service area or team given, rated against the targets.
    The number of queries does not grow with the number of audits."""
    targets = targets or Targets.load()
    periods = [period, *previous_periods(period, quarterly)]
    slices = [Slice.of(p, service_area=service_area, team=team) for p in periods]
    actions_scope = _actions_scope(slices[0])
    figures = [_figures(s, actions_scope) for s in slices]
    volume = _volume_targets(targets, slices[0], 3 if quarterly else 1)
    labels = [_short(p, period) for p in periods]
    rows = []
    for measure in MEASURES:
        figure = figures[0][measure.key]
        earlier = [(labels[k], figures[k][measure.key]) for k in range(1, len(periods))]
        direction, moved = movement(figure, earlier)
        if figure.value is None:
            rag, label, clause, interval = GREY, NO_FIGURE, "", None
            sentence = f"Nothing to count in {period.label}"
        else:
            rag, label, clause, interval = _rate(measure, figure, targets, volume)
            sentence = "; ".join(part for part in (moved, clause) if part)
        rows.append(
            Row(
                measure=measure,
                figure=figure,
                target=_target_text(measure, targets, volume),
                rag=rag,
                rag_label=label,
                earlier=earlier,
                direction=direction,
                sentence=sentence[:1].upper() + sentence[1:],
                interval=interval,
                tag_class=TAG_CLASSES.get(rag, "govuk-tag--grey"),
            )
        )
    return Snapshot(period=period, earlier=periods[1:], rows=rows)
