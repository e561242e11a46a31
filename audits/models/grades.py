from django.db import models


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires Improvement"
    INADEQUATE = "inadequate", "Inadequate"
    NOT_GRADED = "not_graded", "Not graded"


#: the four grades of a judgement, best first (a domain may also be "Not graded")
GRADED = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE]

_RANK = {Grade.OUTSTANDING: 4, Grade.GOOD: 3, Grade.REQUIRES_IMPROVEMENT: 2, Grade.INADEQUATE: 1}


def grade_rank(grade: str) -> int | None:
    """4 for Outstanding down to 1 for Inadequate; None for not graded or blank."""
    return _RANK.get(grade)


class RIBand(models.TextChoices):
    UPPER = "upper", "Upper"
    LOWER = "lower", "Lower"
