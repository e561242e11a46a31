import pytest

from common.stats import wilson_interval


def pct(bounds):
    return tuple(round(100 * b, 1) for b in bounds)


def test_15_of_30_gives_the_published_33_2_to_66_8_percent():
    assert pct(wilson_interval(15, 30)) == (33.2, 66.8)


@pytest.mark.parametrize(
    ("successes", "n", "expected"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857, table I, method 3 (score).
        (81, 263, (0.2553, 0.3662)),
        (15, 148, (0.0624, 0.1605)),
        (0, 20, (0.0, 0.1611)),
        (1, 29, (0.0061, 0.1718)),
    ],
)
def test_matches_newcombes_published_intervals(successes, n, expected):
    assert tuple(round(b, 4) for b in wilson_interval(successes, n)) == expected


def test_none_of_n_starts_at_zero():
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert round(high, 4) == 0.2775


def test_all_of_n_ends_at_one():
    low, high = wilson_interval(10, 10)
    assert high == 1.0
    assert round(low, 4) == 0.7225


def test_no_audits_gives_no_interval():
    assert wilson_interval(0, 0) is None


def test_a_wider_z_gives_a_wider_interval():
    narrow = wilson_interval(15, 30, z=1.645)
    wide = wilson_interval(15, 30)
    assert wide[0] < narrow[0] and wide[1] > narrow[1]


def test_more_successes_than_trials_is_refused():
    with pytest.raises(ValueError):
        wilson_interval(31, 30)
