"""The CBS population and the municipality boundaries are imported from CBS's and PDOK's services (only their HTTP
answer is a double: the small samples in tests/fixtures/map) or from a file, and land on the municipalities."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from geo import boundaries, http
from geo.models import Municipality, MunicipalityShape
from tests.support import AMSTERDAM, MIDDELBURG, ROTTERDAM, THOLEN, UTRECHT, VLISSINGEN

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "map"


def _json(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def cbs_service(monkeypatch):
    """CBS StatLine, answering two pages; the URLs asked are kept."""
    asked = []
    pages = iter([_json("cbs_70072ned_page1.json"), _json("cbs_70072ned_page2.json")])

    def get_json(url):
        asked.append(url)
        return next(pages)

    monkeypatch.setattr(http, "get_json", get_json)
    return asked


@pytest.fixture
def pdok_service(monkeypatch):
    asked = []

    def get_json(url):
        asked.append(url)
        return _json("pdok_gemeenten_sample.geojson")

    monkeypatch.setattr(http, "get_json", get_json)
    return asked


def _population(code):
    return Municipality.objects.values_list("population", "population_year").get(cbs_code=code)


def test_the_population_import_reads_every_page_of_the_year_and_updates_the_municipalities(db, cbs_service):
    # Given Tholen has a figure of an earlier year
    Municipality.objects.filter(cbs_code=THOLEN).update(population=25000, population_year=2024)
    out = StringIO()

    # When the population of 2025 is imported from CBS
    call_command("import_cbs_population", "--year", "2025", stdout=out)

    # Then the municipalities have CBS's figures of 1 January 2025, from both pages
    assert "70072ned/TypedDataSet" in cbs_service[0] and "2025JJ00" in cbs_service[0]
    assert cbs_service[1].endswith("$skip=4")
    assert _population(VLISSINGEN) == (40000, 2025)
    assert _population(MIDDELBURG) == (50000, 2025)
    assert _population(ROTTERDAM) == (600000, 2025)  # not the 2024 row
    # And a municipality CBS gives no figure for keeps its own; a code of no municipality is skipped
    assert _population(THOLEN) == (25000, 2024)
    assert "3 gemeenten bijgewerkt" in out.getvalue() and "GM9999" in out.getvalue()


def test_the_population_import_reads_a_saved_answer_and_refuses_a_year_without_figures(db, tmp_path):
    saved = tmp_path / "cbs.json"
    saved.write_text(json.dumps(_json("cbs_70072ned_page2.json")), encoding="utf-8")

    call_command("import_cbs_population", "--year", "2024", "--file", str(saved), stdout=StringIO())
    assert _population(ROTTERDAM) == (590000, 2024)

    with pytest.raises(CommandError, match="Geen inwonertallen"):
        call_command("import_cbs_population", "--year", "2023", "--file", str(saved), stdout=StringIO())
    assert _population(ROTTERDAM) == (590000, 2024)  # nothing changed


def test_the_population_import_says_so_when_cbs_cannot_be_reached(db, monkeypatch):
    def unreachable(url):
        raise http.FetchError(f"{url} is niet bereikbaar: timed out.")

    monkeypatch.setattr(http, "get_json", unreachable)
    with pytest.raises(CommandError, match="niet bereikbaar"):
        call_command("import_cbs_population", "--year", "2025", stdout=StringIO())


def test_the_boundary_import_stores_a_compact_path_per_municipality_from_pdok(db, pdok_service):
    out = StringIO()

    # When the boundaries of 2024 are imported from PDOK
    call_command("import_municipality_boundaries", "--year", "2024", stdout=out)

    # Then PDOK's OGC API was asked for the year's generalised municipalities in RD New
    assert "gemeente_gegeneraliseerd/items" in pdok_service[0] and "jaarcode=2024" in pdok_service[0]
    assert "EPSG%2F0%2F28992" in pdok_service[0]
    # And each known municipality has a closed SVG path in hectometres, y pointing south, from this import
    shapes = {
        s.municipality.cbs_code: s
        for s in MunicipalityShape.objects.select_related("municipality").filter(
            source="CBS/PDOK gebiedsindelingen, gemeenten 2024"
        )
    }
    assert sorted(shapes) == sorted([VLISSINGEN, MIDDELBURG, THOLEN, ROTTERDAM])
    vlissingen = shapes[VLISSINGEN]
    assert vlissingen.path == "M300 2400l80 0 0 -80 -80 0z"
    assert (vlissingen.min_x, vlissingen.min_y, vlissingen.max_x, vlissingen.max_y) == (300, 2320, 380, 2400)
    assert shapes[THOLEN].path.count("M") == 2  # both parts of a multipolygon
    assert shapes[ROTTERDAM].path.count(" ") < 12  # the 50 m bend is simplified away
    assert vlissingen.year == 2024 and "PDOK" in vlissingen.source
    assert "4 gemeentegrenzen opgeslagen" in out.getvalue() and "GM9999" in out.getvalue()

    # And an import replaces the shapes of the municipalities it names, and adds none
    call_command("import_municipality_boundaries", "--year", "2024", stdout=StringIO())
    assert MunicipalityShape.objects.count() == Municipality.objects.count()


def test_the_boundary_import_reads_topojson_and_neighbours_share_their_border(db):
    call_command(
        "import_municipality_boundaries", "--file", str(FIXTURES / "gemeenten_sample.topojson"), stdout=StringIO()
    )

    utrecht = MunicipalityShape.objects.get(municipality__cbs_code=UTRECHT)
    amsterdam = MunicipalityShape.objects.get(municipality__cbs_code=AMSTERDAM)
    assert (utrecht.max_x, amsterdam.min_x) == (1050, 1050)  # the shared border, at x = 105 000 m
    assert utrecht.source == "gemeenten_sample.topojson"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "geen leesbaar JSON"),
        ('{"type": "Feature"}', "Geen GeoJSON"),
        ('{"type": "FeatureCollection", "features": []}', "Geen gemeentegrenzen"),
    ],
)
def test_the_boundary_import_refuses_a_file_it_cannot_read_and_changes_nothing(db, tmp_path, content, message):
    before = list(MunicipalityShape.objects.order_by("municipality_id").values_list("path", flat=True))
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_municipality_boundaries", "--file", str(bad), stdout=StringIO())
    assert list(MunicipalityShape.objects.order_by("municipality_id").values_list("path", flat=True)) == before


def test_the_shipped_boundaries_cover_every_municipality_with_a_closed_path(db):
    shapes = list(MunicipalityShape.objects.select_related("municipality"))
    assert len(shapes) == Municipality.objects.count() == 342
    for shape in shapes:
        assert shape.path.startswith("M") and shape.path.endswith("z"), shape.municipality.cbs_code
        assert shape.min_x < shape.max_x and shape.min_y < shape.max_y
    # Vlissingen lies south-west of Groningen (y points south in the map frame)
    frame = {s.municipality.cbs_code: s for s in shapes}
    assert frame[VLISSINGEN].max_x < frame["GM0014"].min_x and frame[VLISSINGEN].min_y > frame["GM0014"].max_y


def test_wgs84_boundaries_are_projected_into_the_same_frame_as_rd():
    # Vlissingen's town hall, about RD (30 900, 385 600) and 51.443° N, 3.573° E
    rd = boundaries.project_rd(30900, 385600)
    wgs = boundaries.project_wgs84(3.573, 51.443)
    assert boundaries.guess_projection(3.573, 51.443) is boundaries.project_wgs84
    assert boundaries.guess_projection(30900, 385600) is boundaries.project_rd
    # an equirectangular projection is not RD: the same place lands within a few kilometres of the RD frame
    assert abs(rd[0] - wgs[0]) < 30 and abs(rd[1] - wgs[1]) < 30  # hectometres


def test_douglas_peucker_keeps_the_corners_and_drops_what_is_within_the_tolerance():
    line = [(0, 0), (5, 1), (10, 0), (10, 10)]
    assert boundaries.simplify(line, 2) == [(0, 0), (10, 0), (10, 10)]
    assert boundaries.simplify(line, 0.5) == line
