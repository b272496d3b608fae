"""A price-list CSV with a NUL character or with digits of another script is refused row by row with a message,
never stored (PostgreSQL cannot store NUL: it was a 500), and a version name in other digits is refused."""

import pytest

from valuation import selectors, services
from valuation.admin_forms import PriceListCreateForm

HEADER = ",".join(services.COLUMNS)


@pytest.fixture
def draft(db):
    return services.create_draft(version="2099.7", title="Invoer", copy_from=selectors.current_price_list())


def test_a_csv_with_a_nul_character_is_refused_and_nothing_changes(draft):
    before = services.export_csv(draft)
    text = f"{HEADER}\nnieuw,Ni\x00euw,New,zorg,3:100,uren,hour,14.40,Bron,2025,false"
    result = services.import_csv(draft, text)
    assert result.errors == ["Het bestand bevat een NUL-teken en is geen tekstbestand (CSV)."]
    assert services.export_csv(draft) == before


@pytest.mark.parametrize(
    ("weights", "year", "message"),
    [
        ("٣:100", "2025", "SDG-gewichten moeten de vorm '3:60;10:40' hebben en samen 100 zijn"),
        ("3:１００", "2025", "SDG-gewichten moeten de vorm '3:60;10:40' hebben en samen 100 zijn"),
        ("3:100", "٢٠٢٥", "jaar van de bron is geen jaartal"),
    ],
    ids=["arabic-indic-sdg", "full-width-weight", "arabic-indic-year"],
)
def test_csv_numbers_in_other_digits_are_refused(weights, year, message, draft):
    result = services.parse_csv(f"{HEADER}\nnieuw,Nieuw,New,zorg,{weights},uren,hour,14.40,Bron,{year},false")
    assert result.errors == [f"Regel 2: {message}."]


def test_a_version_name_in_other_digits_is_refused(db):
    form = PriceListCreateForm({"version": "２０９９.８", "title": "Tweeling"})
    assert not form.is_valid()
    assert form.errors["version"] == ["Gebruik in de versie de gewone cijfers 0 tot en met 9."]
