"""The printable report of an area (/rapport/<key>/, portals/reports.py,
docs/decisions/0036-areas-side-by-side-and-reports.md): the area's figures as the comparison shows them, its
initiatives only (published, no contact details), its SDG contribution, needs, districts and MAEX Impuls awards with
their totals; the euro rule holds; the queries do not grow with the area."""

from __future__ import annotations

import re
from datetime import date

from django_tenants.utils import schema_context

from initiatives import services
from national_index import areas, figures
from national_index.models import IndexEntry
from portals import reports
from tenants.middleware import forget_host
from tenants.models import Portal
from tests.impuls.award_builders import HOLDER, IBAN, award
from tests.support import ROTTERDAM, THOLEN, VLISSINGEN, count_queries, make_user, profile, register

EURO = "€"


def _show_amounts(*schemas):
    """These portals show euro amounts, every other portal hides them."""
    Portal.objects.filter(schema_name__in=schemas).update(show_amounts=True)
    Portal.objects.exclude(schema_name__in=schemas).update(show_amounts=False)
    for portal in Portal.objects.with_domains():
        for domain in portal.domains.all():
            forget_host(domain.domain)


def _with_needs(code, *needs, owner=None, **fields):
    """A published initiative in ``code`` whose profile has these open needs (kinds) and no others."""
    given = profile(code, **fields)
    given.needs = [{"kind": kind, "text": "Gezocht.", "fulfilled": False} for kind in needs]
    initiative, portal = services.register_initiative(owner=owner or make_user(), profile=given)
    if not initiative.is_published:
        with schema_context(portal.schema_name):
            initiative = services.publish(initiative, portal)
    return initiative


def _body(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split("</header>", 1)[1]


def _listed(html: str) -> list[str]:
    """The names in the report's table of initiatives."""
    table = re.search(r'<table class="report-initiatives">(.*?)</table>', html, re.S).group(1)
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', table)


def test_the_report_lists_the_initiatives_of_its_area_only_and_no_contact_details(zeeland, national, client_for):
    # Given two published initiatives in Vlissingen (one with contact details), an unpublished one there, and
    # initiatives in Tholen and Rotterdam
    _show_amounts("zeeland")
    first, _ = register(
        code=VLISSINGEN, name="Aa Vlissingse Moestuin", district="Oost", contact_email="geheim@example.org"
    )
    register(code=VLISSINGEN, name="Bb Vlissingse Repaircafé", contact_name="Petra Privé", contact_phone="0612345678")
    register(code=VLISSINGEN, name="Cc Nog Niet Gepubliceerd", publish=False)
    register(code=THOLEN, name="Tholense Tuin")
    register(code=ROTTERDAM, name="Rotterdamse Ronde")

    # When Zeeland's portal shows the report of Vlissingen
    response = client_for(zeeland).get(f"/rapport/gemeente:{VLISSINGEN}/")

    # Then it lists the two published initiatives of Vlissingen, linked to their pages, and nothing else
    html = _body(response)
    assert _listed(html) == ["Aa Vlissingse Moestuin", "Bb Vlissingse Repaircafé"]
    assert f'href="{IndexEntry.objects.get(uuid=first.uuid).url}"' in html
    for elsewhere in ("Cc Nog Niet Gepubliceerd", "Tholense Tuin", "Rotterdamse Ronde"):
        assert elsewhere not in html
    # And no contact details (the index holds none)
    for private in ("geheim@example.org", "Petra Privé", "0612345678"):
        assert private not in response.content.decode()
    # And its figures are the area's, with the source line, the date and the licence of the open data
    area = areas.parse(f"gemeente:{VLISSINGEN}")
    assert response.context["c"]["figures"] == figures.area_figures(area.filter)
    assert "Bron: MAEX, MAEX Zeeland, peildatum" in html and "CC BY 4.0" in html
    # And a municipality's report breaks its initiatives down by district
    assert re.search(r'<table class="area-districts">.*Oost', html, re.S)


def test_a_long_list_is_capped_with_a_link_to_the_open_data(national, client_for, monkeypatch):
    # Given three initiatives in Vlissingen and a report that lists two (the cap, made small for the test)
    monkeypatch.setattr(reports, "REPORT_INITIATIVES", 2)
    for name in ("Aa Een", "Bb Twee", "Cc Drie"):
        register(code=VLISSINGEN, name=name)

    # Then it lists the first two by name and links to the CSV of all of them
    html = _body(client_for(national).get(f"/rapport/gemeente:{VLISSINGEN}/"))
    assert _listed(html) == ["Aa Een", "Bb Twee"]
    assert "de eerste 2 van de 3 initiatieven" in html
    assert f"/open-data/initiatieven.csv?municipality={VLISSINGEN}" in html


def test_the_report_shows_the_impuls_awards_of_its_area_with_their_totals(zeeland, national, client_for):
    # Given two paid and unpaid awards to initiatives in Vlissingen, and one to an initiative in Rotterdam
    owner = make_user()
    first, _ = register(owner, VLISSINGEN, name="Aa Eerste Winnaar")
    second, _ = register(owner, VLISSINGEN, name="Bb Tweede Winnaar")
    third, _ = register(owner, ROTTERDAM, name="Rotterdamse Winnaar")
    award("zeeland", first, owner, amount=100_000, decided_on=date(2026, 3, 2), paid_on=date(2026, 3, 9))
    award("zeeland", second, owner, amount=50_000, decided_on=date(2026, 4, 1))
    award("rotterdam", third, owner, amount=200_000, decided_on=date(2026, 4, 1), amounts=(500_000,))

    # When the national portal shows the report of Vlissingen
    response = client_for(national).get(f"/rapport/gemeente:{VLISSINGEN}/")

    # Then it lists Vlissingen's two awards, newest first, with their totals
    html = _body(response)
    totals = response.context["award_totals"]
    assert totals["awards"] == 2 and totals["money_cents"] == 150_000 and totals["paid"] == 1
    assert [a.initiative_name for a in response.context["awards"]] == ["Bb Tweede Winnaar", "Aa Eerste Winnaar"]
    awards = re.search(r'<table class="report-awards">(.*?)</table>', html, re.S).group(1)
    assert "€ 1.000,00" in awards and "€ 500,00" in awards and "€ 1.500,00" in awards
    assert "Rotterdamse Winnaar" not in html and "€ 2.000,00" not in html
    # And never an IBAN or the account holder
    assert IBAN not in response.content.decode() and HOLDER not in response.content.decode()


def test_a_portal_that_hides_amounts_shows_no_euro_in_its_report(national, rotterdam, client_for):
    # Given Rotterdam hides euro amounts and has initiatives with a value (and no Impuls awards)
    _show_amounts("zeeland")
    initiative, _ = register(code=ROTTERDAM)
    register(code=ROTTERDAM)
    assert initiative.social_value > 0

    # Then its report, on its own portal and on the national one, holds no euro amount
    for client in (client_for(rotterdam), client_for(national)):
        for key in (f"gemeente:{ROTTERDAM}", "portal:rotterdam"):
            html = _body(client.get(f"/rapport/{key}/"))
            assert EURO not in html, key
            assert "niet openbaar" in html


def test_the_report_names_the_initiatives_with_an_open_need_per_kind(national, client_for):
    # Given an initiative in Vlissingen that looks for volunteers and one that does not
    _with_needs(VLISSINGEN, "vrijwilligers", "geld", name="Aa Zoekt Handen")
    _with_needs(VLISSINGEN, "geld", name="Bb Zoekt Geld")
    _with_needs(VLISSINGEN, name="Cc Heeft Alles")

    # Then the report lists it under volunteers
    response = client_for(national).get(f"/rapport/gemeente:{VLISSINGEN}/")
    needs = {n["kind"]: [e.name for e in n["entries"]] for n in response.context["open_needs"]}
    assert needs == {"vrijwilligers": ["Aa Zoekt Handen"], "geld": ["Aa Zoekt Handen", "Bb Zoekt Geld"]}
    html = _body(response)
    assert re.search(r'data-need="vrijwilligers".*?Aa Zoekt Handen', html, re.S)
    assert (
        "Cc Heeft Alles"
        not in re.search(r'(<section class="report-open-need".*)', html, re.S)
        .group(1)
        .split('aria-labelledby="r-districts"')[0]
    )


def test_an_unknown_or_foreign_area_is_a_clear_page_not_an_error(zeeland, national, client_for):
    unknown = client_for(national).get("/rapport/onzin/")
    assert unknown.status_code == 404 and "geen bekend gebied" in unknown.content.decode()
    foreign = client_for(zeeland).get("/rapport/province:PV28/")
    assert foreign.status_code == 404 and "maakt dit portaal geen rapportage" in foreign.content.decode()
    # And a regional portal does report its own area and its municipalities
    assert client_for(zeeland).get("/rapport/portal:zeeland/").status_code == 200
    assert client_for(zeeland).get(f"/rapport/gemeente:{THOLEN}/").status_code == 200
    # And the national portal reports a province and the country
    assert client_for(national).get("/rapport/province:PV29/").status_code == 200
    assert client_for(national).get("/rapport/nl/").status_code == 200


def test_the_queries_do_not_grow_with_the_initiatives_and_awards(zeeland, national, client_for):
    client = client_for(national)
    path = "/rapport/province:PV29/"
    owner = make_user()

    def add(n):
        for k in range(n):
            kinds = ["vrijwilligers", "geld", "kennis", "materialen", "media", "samenwerking", "huisvesting"]
            initiative = _with_needs(VLISSINGEN if k % 2 else THOLEN, *kinds[: k + 1], owner=owner)
            award("zeeland", initiative, owner, decided_on=date(2026, 3, 2), paid_on=date(2026, 3, 9))

    add(1)
    client.get(path)
    few, _ = count_queries(client, path)
    add(4)
    client.get(path)
    many, _ = count_queries(client, path)
    assert many == few, f"{few} queries with 1 initiative, {many} with 5"
    assert many <= 30


def test_the_report_is_made_to_print_and_works_without_javascript(national, client_for):
    register(code=VLISSINGEN)
    html = client_for(national).get(f"/rapport/gemeente:{VLISSINGEN}/").content.decode()
    assert "<script" not in html
    assert "themes/default/report.css" in html
    assert 'class="report-section report-section--new-page"' in html
