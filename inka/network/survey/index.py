"""The site index of the partner survey: pure arithmetic on answers, no database (docs/survey.md).

For one site and wave, with an instrument whose scale runs from `min` to `max`:

* **Dimension score**: the weighted mean of all valid answers to the dimension's items over all
  responses of the wave (item weights, default 1; "no answer" is left out), rescaled to 0–100:

      mean  = Σ (item weight × answer) / Σ item weight      over every valid answer
      score = (mean − min) / (max − min) × 100

  A dimension without any valid answer has no score.
* **Site index**: the weighted mean of the dimension scores (dimension weights); dimensions without
  a score are left out and the remaining weights count in full (they are renormalised).
* **Response rate**: responded / invited. The result is **flagged** when fewer partners answered than
  the instrument's minimum (default 5): it is shown, but marked as uncertain.
* **Change**: index − index of the site's previous wave, an absolute difference in points. No
  significance test: with a few dozen partners it would almost never say anything.

Worked example, scale 1–5, two dimensions of weight 1, two responses:

    dimension A, item a1 (weight 2): 5 and 4; item a2 (weight 1): 3 and "no answer"
        mean  = (2·5 + 2·4 + 1·3) / (2 + 2 + 1) = 21 / 5 = 4.2
        score = (4.2 − 1) / (5 − 1) × 100 = 80
    dimension B, item b1 (weight 1): 2 and 3
        mean  = 2.5, score = (2.5 − 1) / 4 × 100 = 37.5
    index = (80 + 37.5) / 2 = 58.75, shown as "58,8"; flagged, as 2 < 5.

Everything is computed in floats and rounded only for display (one decimal).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_MIN_RESPONSES = 5


@dataclass(frozen=True)
class ItemSpec:
    id: int
    weight: float = 1.0


@dataclass(frozen=True)
class DimensionSpec:
    id: int
    title: str
    items: Sequence[ItemSpec]
    weight: float = 1.0


@dataclass(frozen=True)
class InstrumentSpec:
    scale_min: int
    scale_max: int
    dimensions: Sequence[DimensionSpec]
    min_responses: int = DEFAULT_MIN_RESPONSES


@dataclass(frozen=True)
class ItemTally:
    """The valid answers to one item in a wave: their sum and their number ("no answer" not counted)."""

    total: int = 0
    count: int = 0


@dataclass(frozen=True)
class DimensionScore:
    id: int
    title: str
    weight: float
    score: float | None
    n_answers: int  # valid answers that went into the score


@dataclass(frozen=True)
class WaveResult:
    n_invited: int
    n_responded: int
    dimensions: tuple[DimensionScore, ...]
    index: float | None
    min_responses: int
    change: float | None = None

    @property
    def response_rate(self) -> float | None:
        """Share of invited partners who answered, 0–100; None before anyone was invited."""
        return self.n_responded / self.n_invited * 100 if self.n_invited else None

    @property
    def flagged(self) -> bool:
        return self.n_responded < self.min_responses


def tally(answers: Iterable[tuple[int, int | None]]) -> dict[int, ItemTally]:
    """Tallies per item from (item id, answer) pairs; None is "no answer" and is not counted."""
    sums: dict[int, list[int]] = {}
    for item_id, value in answers:
        entry = sums.setdefault(item_id, [0, 0])
        if value is not None:
            entry[0] += value
            entry[1] += 1
    return {item_id: ItemTally(total, count) for item_id, (total, count) in sums.items()}


def rescale(mean: float, scale_min: int, scale_max: int) -> float:
    """A mean on the answer scale as a value from 0 (lowest answer) to 100 (highest answer)."""
    return (mean - scale_min) / (scale_max - scale_min) * 100


def dimension_score(
    dimension: DimensionSpec, tallies: Mapping[int, ItemTally], spec: InstrumentSpec
) -> DimensionScore:
    """Weighted mean of the dimension's valid answers, rescaled to 0–100 (None without answers)."""
    weighted_sum = weight_total = 0.0
    n_answers = 0
    for item in dimension.items:
        counted = tallies.get(item.id, ItemTally())
        weighted_sum += item.weight * counted.total
        weight_total += item.weight * counted.count
        n_answers += counted.count
    score = rescale(weighted_sum / weight_total, spec.scale_min, spec.scale_max) if weight_total else None
    return DimensionScore(dimension.id, dimension.title, dimension.weight, score, n_answers)


def site_index(scores: Iterable[DimensionScore]) -> float | None:
    """Weighted mean of the dimension scores that exist; None when no dimension has one."""
    scored = [(score.weight, score.score) for score in scores if score.score is not None and score.weight > 0]
    weight_total = sum(weight for weight, _score in scored)
    if not weight_total:
        return None
    return sum(weight * score for weight, score in scored) / weight_total


def change(index: float | None, previous_index: float | None) -> float | None:
    """Points gained (+) or lost (−) since the previous wave; None when either index is missing."""
    if index is None or previous_index is None:
        return None
    return index - previous_index


def wave_result(
    spec: InstrumentSpec,
    tallies: Mapping[int, ItemTally],
    *,
    n_invited: int,
    n_responded: int,
    previous_index: float | None = None,
) -> WaveResult:
    """Dimension scores, index, counts, flag and change of one site's wave."""
    scores = tuple(dimension_score(dimension, tallies, spec) for dimension in spec.dimensions)
    index = site_index(scores)
    return WaveResult(
        n_invited=n_invited,
        n_responded=n_responded,
        dimensions=scores,
        index=index,
        min_responses=spec.min_responses,
        change=change(index, previous_index),
    )
