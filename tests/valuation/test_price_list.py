"""The versioned price list: published versions never change; CSV import explains every bad row."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from valuation import selectors, services
from valuation.engine import ActivityLine, value
from valuation.models import PriceItem, PriceList, PublishedPriceListError


@pytest.fixture
def published(db):
    return selectors.current_price_list()


def test_the_platform_ships_a_published_default_list_where_every_figure_has_a_source_or_says_it_has_none(published):
    items = list(published.items.all())
    assert published.is_published and len(items) >= 10
    for item in items:
        assert item.source or item.is_example
        assert item.source_label  # shown wherever the figure is
    assert any(not i.is_example for i in items) and any(i.is_example for i in items)
    assert all(i.source_label == "Voorbeeldwaarde: geen citeerbare bron" for i in items if i.is_example)


def test_a_published_version_never_changes_not_even_by_bulk_update(published):
    before = services.export_csv(published)
    item = published.items.first()
    item.unit_value = Decimal("999.99")
    with pytest.raises(PublishedPriceListError):
        item.save()
    for attempt in (
        lambda: PriceItem.objects.filter(price_list=published).update(unit_value=1),
        lambda: PriceItem.objects.filter(price_list=published).delete(),
        lambda: PriceList.objects.filter(pk=published.pk).update(status="draft"),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    with pytest.raises(PublishedPriceListError):
        services.import_csv(published, before)
    assert services.export_csv(published) == before


def test_a_published_version_gives_the_same_figures_later(published):
    activities = [ActivityLine(code, Decimal("12.5")) for code in list(selectors.price_book(published).prices)[:5]]
    first = value(selectors.price_book(published), activities)
    draft = services.create_draft(version="2099.1", title="Later", copy_from=published)
    services.import_csv(draft, services.export_csv(published).replace("14.40", "20.00"))
    again = value(selectors.price_book(PriceList.objects.get(pk=published.pk)), activities)
    assert again == first


def test_export_and_import_round_trip(published):
    draft = services.create_draft(version="2099.2", title="Kopie")
    result = services.import_csv(draft, services.export_csv(published))
    assert not result.errors
    assert services.export_csv(draft) == services.export_csv(published)


def test_bad_csv_rows_get_dutch_messages_with_their_row_numbers_and_nothing_is_saved(published):
    draft = services.create_draft(version="2099.3", title="Fout", copy_from=published)
    before = services.export_csv(draft)
    header = ",".join(services.COLUMNS)
    text = "\n".join(
        [
            header,
            "goed,Goed,Good,zorg,3:100,uren,hour,14.40,Bron,2025,false",
            "slecht,Slecht,Bad,onbekend,3:60,uren,lichtjaar,-1,,,false",
            "goed,Dubbel,Double,zorg,3:100,uren,hour,1.234,Bron,twintig,false",
        ]
    )
    result = services.import_csv(draft, text)
    assert result.errors == [
        "Regel 3: onbekend waardedomein 'onbekend'; SDG-gewichten moeten de vorm '3:60;10:40' hebben en samen 100 "
        "zijn; onbekende eenheid 'lichtjaar'; waarde per eenheid moet een bedrag van 0 of meer zijn, met hoogstens 2 "
        "decimalen; zonder bron moet de regel als voorbeeldwaarde gemarkeerd zijn.",
        "Regel 4: code goed staat er twee keer in; waarde per eenheid moet een bedrag van 0 of meer zijn, met "
        "hoogstens 2 decimalen; jaar van de bron is geen jaartal.",
    ]
    assert services.export_csv(draft) == before
    assert services.parse_csv("code,activity_nl\n").errors[0].startswith("Kolommen ontbreken:")


def test_publishing_a_draft_freezes_it_and_makes_it_current(published, django_capture_on_commit_callbacks):
    draft = services.create_draft(version="2099.4", title="Nieuw", copy_from=published)
    with django_capture_on_commit_callbacks() as callbacks:
        services.publish(draft)
    assert selectors.current_price_list().version == "2099.4"
    assert PriceList.objects.get(pk=draft.pk).is_published
    assert len(callbacks) == 1  # the recomputation is enqueued after commit
    with pytest.raises(PublishedPriceListError):
        services.publish(PriceList.objects.get(pk=draft.pk))
