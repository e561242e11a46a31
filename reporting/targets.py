"""The targets the teams table is read against, and the small-sample rule.

The Good and Inadequate targets are the QA Lead's (``reporting.models.Targets``);
``team_targets`` is the one place the teams table reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Targets

#: weaker practice (Inadequate plus the lower RI band): a concern at this share or more
WEAKER_PRACTICE_CONCERN = 0.40
#: a percentage resting on fewer audits than this shows its 95% Wilson interval
SMALL_SAMPLE = 20
#: the teams table looks back this many months, the current one included
TEAMS_MONTHS = 6


@dataclass(frozen=True)
class TeamTargets:
    good_or_better: float
    inadequate_at_most: float
    weaker_practice_concern: float = WEAKER_PRACTICE_CONCERN


def team_targets() -> TeamTargets:
    """The Good and Inadequate targets in force: the one place the teams table reads them."""
    targets = Targets.load()
    return TeamTargets(
        good_or_better=targets.good_or_better / 100,
        inadequate_at_most=targets.inadequate_at_most / 100,
    )
