"""Small-sample honesty: the 95% Wilson score interval for a proportion."""

from __future__ import annotations

import math


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval for ``successes`` out of ``n``, as fractions (low, high).

    Unlike the usual "p plus or minus 1.96 standard errors", it stays inside 0 to 1 and
    is honest at 0 of n and n of n. None when there is nothing to estimate (n = 0).
    """
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # At 0 of n and n of n the bound is exactly 0 or 1; rounding must not stray past it.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high
