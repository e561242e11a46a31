"""The targets the teams table is read against, and the small-sample rule.

These are the defaults councils use; ``team_targets`` is the one place that reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Good or better: at least this share of the audits
GOOD_OR_BETTER_TARGET = 0.50
#: Inadequate: at most this share of the audits
INADEQUATE_TARGET = 0.09
#: weaker practice (Inadequate plus the lower RI band): a concern at this share or more
WEAKER_PRACTICE_CONCERN = 0.40
#: a percentage resting on fewer audits than this shows its 95% Wilson interval
SMALL_SAMPLE = 20
#: the teams table looks back this many months, the current one included
TEAMS_MONTHS = 6


@dataclass(frozen=True)
class TeamTargets:
    good_or_better: float = GOOD_OR_BETTER_TARGET
    inadequate_at_most: float = INADEQUATE_TARGET
    weaker_practice_concern: float = WEAKER_PRACTICE_CONCERN


def team_targets() -> TeamTargets:
    """The Good and Inadequate targets in force: the one place the teams table reads them."""
    return TeamTargets()
