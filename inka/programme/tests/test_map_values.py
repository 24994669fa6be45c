"""Sites coloured by a value: the quantile classes and the colour passed through to the markers."""

from decimal import Decimal

import pytest

from inka.programme.map import CLASS_COLOURS, MapPoint, ValueClass, thuringia_map, value_classes


def test_five_classes_of_about_equal_size():
    values = {site: site * 10 for site in range(1, 11)}  # 10 … 100
    colours, classes = value_classes(values)
    assert [colours[site] for site in range(1, 11)] == [colour for colour in CLASS_COLOURS for _ in range(2)]
    assert classes == tuple(
        ValueClass(colour, low, low + 10)
        for colour, low in zip(CLASS_COLOURS, (10, 30, 50, 70, 90), strict=True)
    )


def test_equal_values_share_a_class():
    colours, classes = value_classes({"a": 5, "b": 5, "c": 5, "d": 9})
    assert colours["a"] == colours["b"] == colours["c"] == CLASS_COLOURS[0]
    assert colours["d"] == CLASS_COLOURS[3]  # three of four values are smaller: 5 * 3 // 4 = 3
    assert classes == (ValueClass(CLASS_COLOURS[0], 5, 5), ValueClass(CLASS_COLOURS[3], 9, 9))


def test_few_values_spread_over_the_scale():
    colours, classes = value_classes({"a": Decimal("12.5"), "b": Decimal("40.0")})
    assert (colours["a"], colours["b"]) == (CLASS_COLOURS[0], CLASS_COLOURS[2])
    assert [found.low for found in classes] == [Decimal("12.5"), Decimal("40.0")]


def test_one_value_is_the_lightest_class():
    assert value_classes({"a": 7}) == ({"a": CLASS_COLOURS[0]}, (ValueClass(CLASS_COLOURS[0], 7, 7),))


def test_classes_are_ordered_light_to_dark():
    """Each class is darker than the one before (relative luminance), so a grey print keeps the order."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    levels = [luminance(colour) for colour in CLASS_COLOURS]
    assert levels == sorted(levels, reverse=True)


def test_fill_and_value_reach_the_placed_site():
    point = MapPoint(
        code="ALT",
        name="ThINKA Altenburg-Nord",
        url="",
        latitude=50.99,
        longitude=12.43,
        fill="#21918c",
        value_label="1.234",
    )
    (placed,) = thuringia_map([point]).points
    assert (placed.fill, placed.value_label) == ("#21918c", "1.234")
    plain = thuringia_map([MapPoint(code="ALT", name="A", url="/a/", latitude=50.99, longitude=12.43)])
    assert (plain.points[0].fill, plain.points[0].value_label) == ("", "")


@pytest.mark.parametrize("fill", ["red", "#FFF", "#12345g", '#123456" onload="x'])
def test_fill_must_be_a_hex_colour(fill):
    with pytest.raises(ValueError, match="fill"):
        MapPoint(code="ALT", name="A", url="", latitude=50.99, longitude=12.43, fill=fill)
