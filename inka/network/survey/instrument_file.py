"""Reading a survey questionnaire from its JSON file (docs/survey.md): check everything, then build.

No database here: `parse_instrument` returns the questionnaire as plain data or raises
`InstrumentFileError` with every problem found, each with the place in the file.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

MAX_SCALE_STEPS = 10  # eleven answer options at most (0–10): more do not fit a phone screen
MAX_WEIGHT = Decimal("999.99")
TOP_LEVEL_KEYS = {
    "name", "introduction", "scale", "no_answer_label", "min_responses", "open_question", "is_active",
    "dimensions",
}  # fmt: skip


@dataclass(frozen=True)
class ItemData:
    text: str
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class DimensionData:
    title: str
    items: list[ItemData]
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class InstrumentData:
    name: str
    scale_min: int
    scale_max: int
    scale_labels: list[dict[str, Any]]
    dimensions: list[DimensionData]
    introduction: str = ""
    no_answer_label: str = "keine Angabe"
    min_responses: int = 5
    open_question: str = ""
    is_active: bool = True


@dataclass
class InstrumentFileError(Exception):
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(self.problems)


class _Checker:
    """Collects problems as "place: message" while reading the file's values."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}" if place else message)

    def text(self, data: dict[str, Any], key: str, place: str, *, max_length: int, required: bool) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.problem(place, _("Expected text."))
            return ""
        value = value.strip()
        if required and not value:
            self.problem(place, _("This entry is required."))
        elif len(value) > max_length:
            self.problem(place, _("At most %(count)s characters.") % {"count": max_length})
        return value

    def integer(self, value: Any, place: str, *, low: int, high: int) -> int | None:
        # bool is an int in Python, but `true` is no answer value.
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(place, _("Expected a whole number."))
            return None
        if not low <= value <= high:
            self.problem(place, _("Expected a number from %(low)s to %(high)s.") % {"low": low, "high": high})
            return None
        return value

    def weight(self, data: dict[str, Any], place: str) -> Decimal:
        value = data.get("weight", 1)
        try:
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise InvalidOperation
            weight = Decimal(str(value))
        except InvalidOperation:
            self.problem(place, _("Expected a number."))
            return Decimal(1)
        if (
            not weight.is_finite()
            or not Decimal(0) < weight <= MAX_WEIGHT
            or weight != weight.quantize(Decimal("0.01"))
        ):
            self.problem(place, _("A weight must be above 0 and at most 999.99, with at most two decimals."))
        return weight

    def mapping(self, value: Any, place: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(place, _("Expected an object with named entries."))
            return {}
        for key in sorted(set(value) - allowed):
            self.problem(f"{place}.{key}" if place else key, _("Unknown entry."))
        return value

    def sequence(self, value: Any, place: str) -> list[Any]:
        if not isinstance(value, list) or not value:
            self.problem(place, _("Expected a list with at least one entry."))
            return []
        return value


def parse_instrument(content: str | bytes) -> InstrumentData:
    """The questionnaire in a JSON file, fully checked; raises InstrumentFileError listing every problem."""
    try:
        raw = json.loads(content)
    except UnicodeDecodeError:
        raise InstrumentFileError([_("The file is not UTF-8 text.")]) from None
    except json.JSONDecodeError as error:
        message = _("This is not valid JSON (line %(line)s, column %(column)s): %(error)s.")
        raise InstrumentFileError(
            [message % {"line": error.lineno, "column": error.colno, "error": error.msg}]
        ) from None
    check = _Checker()
    data = check.mapping(raw, "", TOP_LEVEL_KEYS)
    if not data:
        raise InstrumentFileError(check.problems or [_("The file holds no questionnaire.")])

    scale = check.mapping(data.get("scale"), "scale", {"min", "max", "labels"})
    low = check.integer(scale.get("min"), "scale.min", low=-100, high=100) if scale else None
    high = check.integer(scale.get("max"), "scale.max", low=-100, high=100) if scale else None
    labels: list[dict[str, Any]] = []
    if low is not None and high is not None:
        if not 0 < high - low <= MAX_SCALE_STEPS:
            check.problem(
                "scale.max",
                _("The highest value must be above the lowest, with at most %(steps)s steps between them.")
                % {"steps": MAX_SCALE_STEPS},
            )
        else:
            labels = _labels(check, scale.get("labels"), low, high)

    dimensions = []
    for d_number, raw_dimension in enumerate(check.sequence(data.get("dimensions"), "dimensions")):
        place = f"dimensions[{d_number}]"
        dimension = check.mapping(raw_dimension, place, {"title", "weight", "items"})
        if not dimension:
            continue
        items = []
        for i_number, raw_item in enumerate(check.sequence(dimension.get("items"), f"{place}.items")):
            item_place = f"{place}.items[{i_number}]"
            item = check.mapping(raw_item, item_place, {"text", "weight"})
            if item:
                text = check.text(item, "text", f"{item_place}.text", max_length=400, required=True)
                items.append(ItemData(text=text, weight=check.weight(item, f"{item_place}.weight")))
        title = check.text(dimension, "title", f"{place}.title", max_length=200, required=True)
        dimensions.append(
            DimensionData(title=title, items=items, weight=check.weight(dimension, f"{place}.weight"))
        )

    min_responses = check.integer(data.get("min_responses", 5), "min_responses", low=1, high=1000)
    is_active = data.get("is_active", True)
    if not isinstance(is_active, bool):
        check.problem("is_active", _("Expected true or false."))
    instrument = InstrumentData(
        name=check.text(data, "name", "name", max_length=200, required=True),
        introduction=check.text(data, "introduction", "introduction", max_length=5000, required=False),
        scale_min=low or 0,
        scale_max=high or 0,
        scale_labels=labels,
        no_answer_label=check.text(
            {"no_answer_label": data.get("no_answer_label", "keine Angabe")},
            "no_answer_label",
            "no_answer_label",
            max_length=100,
            required=True,
        ),
        min_responses=min_responses or 5,
        open_question=check.text(data, "open_question", "open_question", max_length=300, required=False),
        is_active=bool(is_active),
        dimensions=dimensions,
    )
    if check.problems:
        raise InstrumentFileError(check.problems)
    return instrument


def _labels(check: _Checker, raw: Any, low: int, high: int) -> list[dict[str, Any]]:
    """One label for every value of the scale, in order."""
    by_value: dict[int, str] = {}
    for number, raw_label in enumerate(check.sequence(raw, "scale.labels")):
        place = f"scale.labels[{number}]"
        entry = check.mapping(raw_label, place, {"value", "label"})
        if not entry:
            continue
        value = check.integer(entry.get("value"), f"{place}.value", low=low, high=high)
        label = check.text(entry, "label", f"{place}.label", max_length=100, required=True)
        if value is None:
            continue
        if value in by_value:
            check.problem(f"{place}.value", _("This value has a label already."))
        by_value[value] = label
    missing = [str(value) for value in range(low, high + 1) if value not in by_value]
    if raw and missing:
        check.problem(
            "scale.labels", _("Labels are missing for: %(values)s.") % {"values": ", ".join(missing)}
        )
    return [{"value": value, "label": by_value[value]} for value in range(low, high + 1) if value in by_value]
