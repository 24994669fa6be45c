"""The site index with values computed by hand (inka/network/survey/index.py, docs/survey.md)."""

import pytest

from inka.network.survey.index import (
    DimensionSpec,
    InstrumentSpec,
    ItemSpec,
    ItemTally,
    change,
    rescale,
    tally,
    wave_result,
)

# The worked example of index.py: scale 1–5; A = a1 (weight 2) + a2; B = b1.
A = DimensionSpec(1, "Ziele", [ItemSpec(11, 2.0), ItemSpec(12)])
B = DimensionSpec(2, "Koordination", [ItemSpec(21)])
ONE_TO_FIVE = InstrumentSpec(scale_min=1, scale_max=5, dimensions=[A, B])
TWO_RESPONSES = [(11, 5), (12, 3), (21, 2), (11, 4), (12, None), (21, 3)]


def result(spec=ONE_TO_FIVE, answers=TWO_RESPONSES, *, n_invited=10, n_responded=2, previous_index=None):
    return wave_result(
        spec, tally(answers), n_invited=n_invited, n_responded=n_responded, previous_index=previous_index
    )


@pytest.mark.parametrize(
    ("mean", "low", "high", "expected"),
    [
        (1, 1, 5, 0),
        (5, 1, 5, 100),
        (3, 1, 5, 50),
        (4.2, 1, 5, 80),
        (0, 0, 10, 0),
        (7, 0, 10, 70),
        (2.5, 0, 10, 25),
        (10, 0, 10, 100),
    ],
)
def test_a_mean_is_rescaled_from_the_answer_scale_to_0_100(mean, low, high, expected):
    assert rescale(mean, low, high) == pytest.approx(expected)


def test_tally_counts_valid_answers_only():
    assert tally([(1, 5), (1, None), (1, 3), (2, None)]) == {1: ItemTally(8, 2), 2: ItemTally(0, 0)}


def test_the_worked_example_item_weights_and_no_answer():
    # A: (2·5 + 2·4 + 1·3) / (2 + 2 + 1) = 4.2 → 80; the "no answer" to a2 does not count.
    # B: (2 + 3) / 2 = 2.5 → 37.5; index (80 + 37.5) / 2 = 58.75.
    computed = result()
    assert [d.score for d in computed.dimensions] == [pytest.approx(80), pytest.approx(37.5)]
    assert [d.n_answers for d in computed.dimensions] == [3, 2]
    assert computed.index == pytest.approx(58.75)


def test_without_weights_the_items_count_equally():
    unweighted = InstrumentSpec(1, 5, [DimensionSpec(1, "Ziele", [ItemSpec(11), ItemSpec(12)]), B])
    # A: (5 + 4 + 3) / 3 = 4 → 75.
    assert result(unweighted).dimensions[0].score == pytest.approx(75)


def test_dimension_weights():
    weighted = InstrumentSpec(1, 5, [DimensionSpec(1, "Ziele", A.items, weight=3.0), B])
    # (3·80 + 1·37.5) / 4 = 69.375
    assert result(weighted).index == pytest.approx(69.375)


def test_a_dimension_without_valid_answers_has_no_score_and_the_weights_are_renormalised():
    heavy_b = InstrumentSpec(1, 5, [A, DimensionSpec(2, "Koordination", B.items, weight=5.0)])
    computed = result(heavy_b, [(11, 5), (12, 3), (21, None), (11, 4), (12, None), (21, None)])
    assert computed.dimensions[1].score is None
    assert computed.dimensions[1].n_answers == 0
    assert computed.index == pytest.approx(80)  # A alone, whatever B's weight


def test_only_no_answers_give_no_index():
    computed = result(answers=[(11, None), (12, None), (21, None)], n_responded=1)
    assert computed.index is None
    assert [d.score for d in computed.dimensions] == [None, None]


def test_a_0_to_10_scale():
    spec = InstrumentSpec(0, 10, [DimensionSpec(1, "Nutzen", [ItemSpec(1), ItemSpec(2, 0.5)])])
    # (7 + 9 + 0.5·4) / (1 + 1 + 0.5) = 18 / 2.5 = 7.2 → 72
    computed = result(spec, [(1, 7), (1, 9), (2, 4), (2, None)])
    assert computed.index == pytest.approx(72)


@pytest.mark.parametrize(
    ("n_responded", "minimum", "flagged"),
    [(4, 5, True), (5, 5, False), (0, 5, True), (2, 3, True), (3, 3, False)],
)
def test_fewer_answers_than_the_minimum_are_flagged_but_still_computed(n_responded, minimum, flagged):
    spec = InstrumentSpec(1, 5, [A, B], min_responses=minimum)
    computed = result(spec, n_responded=n_responded)
    assert computed.flagged is flagged
    assert computed.index == pytest.approx(58.75)


def test_response_rate():
    assert result(n_invited=8, n_responded=2).response_rate == pytest.approx(25)
    assert result(n_invited=3, n_responded=2).response_rate == pytest.approx(66.6667, abs=1e-3)
    assert result(n_invited=0, n_responded=0, answers=[]).response_rate is None


def test_change_against_the_previous_wave():
    assert result(previous_index=50.0).change == pytest.approx(8.75)
    assert result(previous_index=70.0).change == pytest.approx(-11.25)
    assert result(previous_index=None).change is None
    assert result(answers=[], previous_index=50.0).change is None
    assert change(60.0, 60.0) == 0
    assert change(None, 60.0) is None
