"""The SVG map: point-in-district lookup, projection and the template."""

import re

import pytest
from django.template.loader import render_to_string

from inka.programme.map import MAP_PADDING, MapPoint, _projection, district_key_at, thuringia_map
from inka.programme.seed import SITES


@pytest.mark.parametrize(
    ("longitude", "latitude", "key"),
    [
        (11.0290, 50.9780, "16051"),  # Erfurt, Domplatz
        (11.3290, 50.9795, "16055"),  # Weimar, Markt: inside Weimarer Land's hole
        (11.4300, 50.9900, "16071"),  # Weimarer Land east of Weimar (Umpferstedt)
        (11.5860, 50.9270, "16053"),  # Jena
        (12.0820, 50.8800, "16052"),  # Gera
        (10.7000, 50.9480, "16067"),  # Gotha
        (10.4470, 50.7220, "16066"),  # Schmalkalden (the larger part of Schmalkalden-Meiningen)
        (10.4160, 50.5700, "16066"),  # Meiningen
        (10.3200, 50.9740, "16063"),  # Eisenach, merged into the Wartburgkreis
        (12.4330, 50.9850, "16077"),  # Altenburg
    ],
)
def test_district_key_at_known_towns(longitude, latitude, key):
    assert district_key_at(longitude, latitude) == key


@pytest.mark.parametrize(
    ("longitude", "latitude"),
    [(13.4050, 52.5200), (11.5820, 48.1350), (12.3730, 51.3400), (0.0, 0.0)],  # Berlin, Munich, Leipzig
)
def test_district_key_at_outside_thuringia(longitude, latitude):
    assert district_key_at(longitude, latitude) is None


def sample_points() -> list[MapPoint]:
    return [
        MapPoint(
            code=seed.code,
            name=seed.name,
            url=f"/standorte/{seed.code.lower()}/",
            latitude=float(seed.latitude),
            longitude=float(seed.longitude),
            status=seed.status,
        )
        for seed in SITES
        if seed.latitude
    ]


def test_thuringia_map_has_all_districts_and_points():
    points = sample_points()
    result = thuringia_map(points, highlight_districts={"16067"})
    assert len(result.districts) == 22
    assert len({district.key for district in result.districts}) == 22
    assert len(result.points) == len(points)
    min_x, min_y, width, height = (float(value) for value in result.view_box.split())
    assert (min_x, min_y, width) == (0, 0, 600)
    assert 400 < height < 600  # Thuringia is wider than tall
    for point in result.points:
        assert 0 < point.x < width and 0 < point.y < height
        assert 0 <= point.label_x <= width and 0 <= point.label_y <= height
    for district in result.districts:
        assert district.d.startswith("M") and district.d.endswith("Z")
        assert 0 < district.label_x < width and 0 < district.label_y < height
        numbers = re.findall(r"-?\d+\.\d+", district.d)
        assert all(len(number.split(".")[1]) == 1 for number in numbers)
    with_site = {district.key for district in result.districts if district.has_site}
    assert "16067" in with_site
    assert "16077" in with_site  # Altenburg
    assert "16069" not in with_site  # Hildburghausen has no site
    weimarer_land = next(d for d in result.districts if d.key == "16071")
    assert weimarer_land.d.count("M") == 2  # exterior and the hole where Weimar lies


def test_district_labels_lie_inside_their_district():
    projection = _projection()
    for district in thuringia_map([]).districts:
        # Invert the equirectangular projection of the label position.
        longitude = projection.min_lon + (district.label_x - MAP_PADDING) / (
            projection.x_factor * projection.scale
        )
        latitude = projection.max_lat - (district.label_y - MAP_PADDING) / projection.scale
        assert district_key_at(longitude, latitude) == district.key, district.name


def test_point_order_and_fields_are_kept():
    point = MapPoint(
        code="ALT", name="ThINKA Altenburg-Nord", url="/a/", latitude=51.0, longitude=12.44, status="ended"
    )
    (placed,) = thuringia_map([point]).points
    assert (placed.code, placed.name, placed.url, placed.status) == (
        "ALT",
        "ThINKA Altenburg-Nord",
        "/a/",
        "ended",
    )
    assert placed.label_anchor in {"start", "middle", "end"}


def test_template_renders_svg_with_attribution():
    points = sample_points()
    html = render_to_string("programme/_map.html", {"map": thuringia_map(points)})
    assert html.count("<path") == 22
    assert html.count('class="map-district-label"') == 22
    assert 'role="group"' in html  # a group, not an image: it holds links
    assert 'aria-labelledby="map-title" aria-describedby="map-desc"' in html
    assert '<title id="map-title">' in html
    assert '<desc id="map-desc">' in html
    assert html.count('<a href="/standorte/') == len(points)
    assert 'class="map-site map-site--ended"' in html
    assert "<title>ALT – ThINKA Altenburg-Nord</title>" in html
    assert "<title>Weimarer Land</title>" in html
    assert "style=" not in html and "<script" not in html
    assert '<figcaption class="map-attribution">' in html
    assert "© GeoBasis-DE / " in html
    assert '<a href="https://www.bkg.bund.de">BKG</a> 2021 (Daten verändert)' in html
    assert '<a href="https://www.govdata.de/dl-de/by-2-0">dl-de/by-2-0</a>' in html
    text = re.sub(r"<[^>]+>", "", html.split('<figcaption class="map-attribution">')[1])
    assert "© GeoBasis-DE / BKG 2021 (Daten verändert), dl-de/by-2-0" in " ".join(text.split())
    # Numbers are never localised (a German decimal comma would break the SVG).
    assert not re.search(r'(cx|cy|x|y)="\d+,\d', html)


def test_template_escapes_names():
    point = MapPoint(code="XY", name="<b>Böse</b>", url="/x/?a=1&b=2", latitude=51.0, longitude=11.0)
    html = render_to_string("programme/_map.html", {"map": thuringia_map([point])})
    assert "<b>Böse</b>" not in html
    assert "&lt;b&gt;Böse&lt;/b&gt;" in html
    assert 'href="/x/?a=1&amp;b=2"' in html
