"""Open data files (docs/decisions/0031-open-data-files.md): the index as CSV and JSON with the API's filters and
euro rule, the snapshots as a time series, the data dictionary, the DCAT-AP catalogue, ETag/304."""

import csv
import datetime
import io
import json
import tracemalloc

from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from national_index.models import IndexEntry, Snapshot
from portals import open_data
from tenants.models import Portal
from tests.national_index.test_euro_rule import _show_amounts
from tests.support import AMSTERDAM, ROTTERDAM, THOLEN, VLISSINGEN, register, register_with

CONTACT = {
    "contact_name": "Open Geheim",
    "contact_email": "open-geheim@voorbeeld.example",
    "contact_phone": "0611122233",
}


def _csv(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def _api_items(client, **params) -> list[dict]:
    items, page = [], 1
    while True:
        data = client.get("/api/v1/initiatives", {**params, "page": page, "page_size": 100}).json()
        items += data["items"]
        if len(items) >= data["count"]:
            return items
        page += 1


def test_the_csv_filters_like_the_api_and_holds_its_values_under_the_euro_rule(national, client_for):
    # Given Zeeland shows euro amounts and Rotterdam hides them, with initiatives in both
    _show_amounts("zeeland")
    alfa, _ = register(code=VLISSINGEN, name="Opendata Alfa", sdgs=[3], value_domains=["zorg"])
    beta, _ = register(code=THOLEN, name="Opendata Beta", sdgs=[7], value_domains=["energie"])
    gamma, _ = register(code=ROTTERDAM, name="Opendata Gamma", sdgs=[3, 8], value_domains=["werk"])
    client = client_for(national)

    # Lists, not sets: initiatives of different portals may share a primary key, and model instances compare by it.
    for params, expected in [
        ({"q": "Opendata"}, [alfa, beta, gamma]),
        ({"q": "Opendata", "sdg": "3"}, [alfa, gamma]),
        ({"q": "Opendata", "province": "PV29"}, [alfa, beta]),
        ({"q": "Opendata", "portal": "rotterdam"}, [gamma]),
        ({"q": "Opendata", "domain": "energie"}, [beta]),
        ({"q": "Opendata", "municipality": VLISSINGEN}, [alfa]),
    ]:
        # When the CSV is downloaded with a filter
        rows = _csv(client.get("/open-data/initiatieven.csv", params))
        # Then it holds those initiatives, each with every value the API gives for the same filter
        api = {item["uuid"]: item for item in _api_items(client, **params)}
        assert {r["uuid"] for r in rows} == set(api) == {str(i.uuid) for i in expected}, params
        for row in rows:
            item = api[row["uuid"]]
            for name in open_data.INITIATIVE_FIELDS:
                assert row[name] == open_data.cell(item[name]), name

    # And the euro columns are empty exactly where the API gives null: Rotterdam hides its amounts
    rows = {r["uuid"]: r for r in _csv(client.get("/open-data/initiatieven.csv", {"q": "Opendata"}))}
    hidden, shown = rows[str(gamma.uuid)], rows[str(alfa.uuid)]
    assert hidden["social_value"] == hidden["value_by_domain"] == hidden["value_by_sdg"] == ""
    assert hidden["share_by_domain"] and hidden["people_reached"]
    assert shown["social_value"] and shown["value_by_sdg"]
    # And the price-list version and whether an example value counts are stated, the latter under the euro rule
    assert shown["valued_with"] and shown["uses_examples"] in ("true", "false")
    assert hidden["uses_examples"] == ""


def test_json_and_json_lines_are_the_api_items(national, client_for):
    _show_amounts("zeeland")
    register(code=VLISSINGEN, name="Opendata Json")
    register(code=ROTTERDAM, name="Opendata Json Verborgen")
    client = client_for(national)
    api = {item["uuid"]: item for item in _api_items(client, q="Opendata Json")}

    response = client.get("/open-data/initiatieven.json", {"q": "Opendata Json"})
    array = json.loads(b"".join(response.streaming_content))
    response = client.get("/open-data/initiatieven.jsonl", {"q": "Opendata Json"})
    lines = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]

    assert array == lines and len(array) == 2
    for item in array:
        expected = {k: v for k, v in api[item["uuid"]].items() if k in open_data.INITIATIVE_FIELDS}
        assert item == expected
    assert client.get("/open-data/initiatieven.json", {"q": "Niets Hiervan"}).getvalue() == b"[]\n"


def test_a_fictional_initiative_of_the_demo_says_so_in_every_file_and_the_api(national, client_for):
    # Given a real initiative and a fictional one of the demo
    real, _ = register(code=VLISSINGEN, name="Opendata Echt")
    fictional = register_with(VLISSINGEN, is_demo=True)
    client = client_for(national)
    wanted = {str(real.uuid): False, str(fictional.uuid): True}

    # When the index is read as CSV, JSON and from the API
    rows = _csv(client.get("/open-data/initiatieven.csv", {"municipality": VLISSINGEN}))
    array = json.loads(
        b"".join(client.get("/open-data/initiatieven.json", {"municipality": VLISSINGEN}).streaming_content)
    )
    api = _api_items(client, municipality=VLISSINGEN)

    # Then each row says whether it is demodata, and the data dictionary explains the column
    assert {r["uuid"]: r["is_demo"] for r in rows if r["uuid"] in wanted} == {
        u: open_data.cell(d) for u, d in wanted.items()
    }
    assert {i["uuid"]: i["is_demo"] for i in array if i["uuid"] in wanted} == wanted
    assert {i["uuid"]: i["is_demo"] for i in api if i["uuid"] in wanted} == wanted
    assert "is_demo" in client.get("/open-data/").content.decode()


def test_a_regional_portal_gives_its_own_area(zeeland, client_for):
    alfa, _ = register(code=VLISSINGEN, name="Opendata Regio Alfa")
    register(code=ROTTERDAM, name="Opendata Regio Gamma")
    client = client_for(zeeland)

    rows = _csv(client.get("/open-data/initiatieven.csv", {"q": "Opendata Regio"}))
    assert [r["uuid"] for r in rows] == [str(alfa.uuid)]
    assert _csv(client.get("/open-data/initiatieven.csv", {"q": "Opendata Regio", "portal": "rotterdam"})) == []


def test_no_personal_data_in_any_file(national, client_for):
    register(code=AMSTERDAM, name="Opendata Privé", **CONTACT)
    client = client_for(national)
    for path in ("/open-data/initiatieven.csv", "/open-data/initiatieven.json", "/open-data/initiatieven.jsonl"):
        body = b"".join(client.get(path, {"q": "Opendata Privé"}).streaming_content).decode()
        assert "Opendata Privé" in body
        for value in CONTACT.values():
            assert value not in body
        assert "contact" not in body.lower() and "@" not in body


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_written_as_text(national, client_for):
    initiative, _ = register(code=VLISSINGEN, name='=HYPERLINK("http://x.example";"Opendata")')
    rows = _csv(client_for(national).get("/open-data/initiatieven.csv", {"q": "x.example"}))
    assert [r["name"] for r in rows] == ["'" + initiative.name]
    json_rows = client_for(national).get("/open-data/initiatieven.json", {"q": "x.example"})
    assert json.loads(b"".join(json_rows.streaming_content))[0]["name"] == initiative.name


def test_bad_filters_are_a_400_not_a_server_error(national, client_for):
    client = client_for(national)
    client.raise_request_exception = False
    for params in ({"sdg": "18"}, {"sdg": "drie"}, {"q": "moes\x00tuin"}):
        response = client.get("/open-data/initiatieven.csv", params)
        assert response.status_code == 400
    assert _csv(client.get("/open-data/initiatieven.csv", {"province": "x" * 5000})) == []  # matches nothing
    assert client.post("/open-data/initiatieven.csv").status_code == 405


def test_downloads_and_api_answers_carry_etag_and_last_modified_and_answer_304(national, client_for):
    register(code=VLISSINGEN, name="Opendata Etag")
    client = client_for(national)
    for path in (
        "/open-data/initiatieven.csv",
        "/open-data/initiatieven.json",
        "/open-data/momentopnamen.csv",
        "/open-data/catalogus.jsonld",
        "/api/v1/initiatives",
        "/api/v1/totals",
        "/api/v1/impuls/awards",
    ):
        # Given a first download
        first = client.get(path)
        assert first.status_code == 200, path
        assert first["ETag"] and first["Last-Modified"], path
        # When it is asked again with its tag, or its date
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        since = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        # Then the answer is 304 without content
        assert again.status_code == since.status_code == 304, path
        assert not again.content
    # And after a change of the index the tag no longer matches
    tag = client.get("/open-data/initiatieven.csv")["ETag"]
    register(code=THOLEN, name="Opendata Etag Nieuw")
    assert client.get("/open-data/initiatieven.csv", HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_the_tag_moves_when_a_portal_starts_or_stops_showing_euro_amounts(committed):
    # Given the tag of the initiatives file (the same rows, but other euro columns after the change)
    national = committed(Portal.objects.with_domains().get, schema_name="landelijk")
    zeeland = committed(Portal.objects.get, schema_name="zeeland")

    def show(value):
        Portal.objects.filter(pk=zeeland.pk).update(show_amounts=value)

    committed.cleanup(show, zeeland.show_amounts)
    client = Client(HTTP_HOST=national.primary_host)
    tag = committed(lambda: client.get("/open-data/initiatieven.csv")["ETag"])
    # When Zeeland changes its choice (its row only, committed)
    committed(show, not zeeland.show_amounts)
    # Then the old tag no longer matches
    assert committed(lambda: client.get("/open-data/initiatieven.csv", HTTP_IF_NONE_MATCH=tag).status_code) == 200


def test_the_snapshots_are_a_time_series_without_euros(national, client_for):
    from national_index.tasks import take_snapshot

    register(code=VLISSINGEN, name="Opendata Reeks")
    take_snapshot("2026-11-30")
    take_snapshot("2026-12-02")  # 1 December missing: a gap, not filled in
    rows = _csv(client_for(national).get("/open-data/momentopnamen.csv"))
    assert list(rows[0]) == open_data.SNAPSHOT_FIELDS and "social_value" not in rows[0]
    national_rows = [r for r in rows if r["scope"] == "nl"]
    assert [r["date"] for r in national_rows] == ["2026-11-30", "2026-12-02"]
    assert national_rows[-1]["initiatives"] == str(IndexEntry.objects.count())
    assert len(rows) == Snapshot.objects.count()
    assert {r["scope"] for r in rows} >= {"nl", "portal:zeeland", "province:PV29"}
    assert datetime.date.fromisoformat(rows[0]["date"])


def test_a_new_day_of_snapshots_moves_the_files_tag_though_the_index_did_not_change(national, client_for):
    from national_index.tasks import take_snapshot

    # Given a reader who holds the snapshots' file of one day, with its tag
    register(code=VLISSINGEN, name="Opendata Dag")
    take_snapshot("2026-11-30")
    client = client_for(national)
    first = client.get("/open-data/momentopnamen.csv")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get("/open-data/momentopnamen.csv", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # When the next day's snapshot is taken, nothing else having changed
    take_snapshot("2026-12-01")
    # Then the file is new for them: 200 with the new day, not 304
    again = client.get("/open-data/momentopnamen.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert "2026-12-01" in {r["date"] for r in _csv(again)}


def test_the_data_dictionary_and_the_catalogue(zeeland, client_for, settings):
    client = client_for(zeeland)
    page = client.get("/open-data/", HTTP_HOST=zeeland.primary_host)
    assert page.status_code == 200
    html = page.content.decode()
    for name, _meaning, _unit in (
        open_data.INITIATIVE_COLUMNS + open_data.SNAPSHOT_COLUMNS + open_data.GRAADMETER_COLUMNS
    ):
        assert f"<code>{name}</code>" in html
    assert open_data.LICENCE_URL in html and "CC BY 4.0" in html
    assert zeeland.absolute_url("/open-data/initiatieven.csv") in html
    # And in English for a visitor who chose English
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/open-data/").content.decode()
    assert "Columns of" in english and "Attribution:" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    # And a HEAD of a file answers with its headers
    head = client.head("/open-data/initiatieven.csv")
    assert head.status_code == 200 and head["ETag"]

    # The catalogue: DCAT-AP in JSON-LD, absolute URLs on the portal's canonical host whatever host was asked
    response = client.get("/open-data/catalogus.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    document = response.json()
    assert document["@type"] == "dcat:Catalog"
    assert document["dct:publisher"]["foaf:name"] == zeeland.name
    datasets = document["dcat:dataset"]
    assert {d["dct:identifier"] for d in datasets} == {"initiatieven", "momentopnamen", "graadmeter"}
    for dataset in datasets:
        assert dataset["@type"] == "dcat:Dataset" and dataset["dct:license"]["@id"] == open_data.LICENCE_URL
        assert dataset["dct:publisher"]["@id"] == zeeland.absolute_url("/")
        for distribution in dataset["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dcat:downloadURL"]["@id"].startswith(zeeland.absolute_url("/open-data/"))
    urls = [d["dcat:downloadURL"]["@id"] for ds in datasets for d in ds["dcat:distribution"]]
    for url in urls:
        path = url.removeprefix(zeeland.absolute_url("/").rstrip("/"))
        assert client.get(path).status_code == 200, path


def test_queries_do_not_grow_with_the_rows(national, client_for):
    client = client_for(national)
    register(code=VLISSINGEN, name="Opendata Tellen 1")

    def queries():
        connection.set_schema_to_public()
        with CaptureQueriesContext(connection) as ctx:
            b"".join(client.get("/open-data/initiatieven.csv", {"q": "Opendata Tellen"}).streaming_content)
        return len(ctx.captured_queries)

    queries()  # the portal of this host, read once and then cached
    few = queries()
    for i in range(2, 6):
        register(code=ROTTERDAM, name=f"Opendata Tellen {i}")
    queries()  # the Last-Modified date of the new index version, read once and then cached (decision 0034)
    assert queries() == few <= 6


def _peak_bytes(client, rows: int) -> int:
    """The peak memory Python allocates while streaming a CSV of ``rows`` index rows."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    response = client.get("/open-data/initiatieven.csv", {"q": "Massa"})
    seen = sum(1 for _ in response.streaming_content) - 1
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seen == rows
    return peak


def test_the_csv_streams_with_constant_memory(national, client_for, monkeypatch):
    monkeypatch.setattr(open_data, "CHUNK", 100)
    # Given index rows copied from one real initiative (fast; the projector is not what is measured)
    initiative, _ = register(code=VLISSINGEN, name="Massa 0")
    template = IndexEntry.objects.get(uuid=initiative.uuid)
    client = client_for(national)

    def grow_to(n):
        import uuid

        have = IndexEntry.objects.filter(name__startswith="Massa").count()
        copies = []
        for i in range(have, n):
            copy = IndexEntry.objects.get(pk=template.pk)
            copy.uuid, copy.name, copy.slug = uuid.uuid4(), f"Massa {i:05d}", f"massa-{i}"
            copies.append(copy)
        IndexEntry.objects.bulk_create(copies)

    grow_to(100)
    small = _peak_bytes(client, 100)
    grow_to(2000)
    large = _peak_bytes(client, 2000)
    # Twenty times the rows, about the same memory: no list of rows is built (chunks of open_data.CHUNK)
    assert large < small * 3, (small, large)


def test_the_data_dictionary_in_english_translates_every_column(national, client_for, settings):
    # Given a reader who chose English
    client = client_for(national)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # When they open the data dictionary
    html = client.get("/open-data/").content.decode()
    # Then the graadmeter's columns are English too, the note on hidden euro amounts included
    assert "Total: chain-linked index, 100 at the first measurement; empty where the area&#x27;s euro amounts" in html
    assert "Totaal: kettingindex" not in html and "leeg waar de eurobedragen" not in html


def test_moments_are_given_in_amsterdam_time_with_their_offset(national, client_for):
    from django.utils import timezone

    # Given an initiative published at a known moment
    initiative, _ = register(code=VLISSINGEN, name="Opendata Tijd")
    IndexEntry.objects.filter(uuid=initiative.uuid).update(
        published_at=datetime.datetime(2026, 7, 1, 22, 30, tzinfo=datetime.UTC)
    )
    client = client_for(national)
    # When it is read from the API and the CSV
    (item,) = _api_items(client, q="Opendata Tijd")
    (row,) = _csv(client.get("/open-data/initiatieven.csv", {"q": "Opendata Tijd"}))
    # Then both give the Dutch date and time, with the offset: 2 July, 00:30 summer time
    assert item["published_at"] == row["published_at"] == "2026-07-02T00:30:00+02:00"
    assert datetime.datetime.fromisoformat(item["published_at"]) == timezone.make_aware(
        datetime.datetime(2026, 7, 2, 0, 30)
    )
