"""The price list in the national portal's Wagtail admin: only there, only for national admins (and staff)."""

from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support import make_user, sign_in_with_mfa, with_role
from valuation import selectors, services
from valuation.models import PriceItem, PriceList

BASE = "/beheer/prijslijst/"


def detail_url(price_list):
    return f"{BASE}{price_list.pk}/"


def item_url(price_list, item=None):
    return f"{BASE}{price_list.pk}/regels/{item.pk}/" if item else f"{BASE}{price_list.pk}/regels/nieuw/"


def html(response) -> str:
    return unescape(response.content.decode())


def item_data(item=None, **overrides) -> dict:
    data = {
        "code": "buurtmaaltijd-test",
        "activity_nl": "Buurtmaaltijd",
        "activity_en": "Neighbourhood meal",
        "value_domain": "zorg",
        "sdg_weights": "2:60;10:40",
        "indicator": "maaltijden",
        "unit": "meal",
        "unit_value": "7.50",
        "source": "",
        "source_year": "",
        "is_example": "on",
    }
    if item is not None:
        data.update(
            code=item.code,
            activity_nl=item.activity_nl,
            activity_en=item.activity_en,
            value_domain=item.value_domain_id,
            sdg_weights=services.format_weights(item.sdg_weights),
            indicator=item.indicator,
            unit=item.unit,
            unit_value=f"{item.unit_value:.2f}",
            source=item.source,
            source_year=item.source_year or "",
            is_example="on" if item.is_example else None,
        )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def csv_upload(text: str, name: str = "prijslijst.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def published(db):
    return selectors.current_price_list()


@pytest.fixture
def national_admin(national, client_for):
    return client_for(national, with_role(make_user(), national, "national_admin"))


@pytest.fixture
def draft(published):
    return services.create_draft(version="2099.1", title="Concept voor de test", copy_from=published)


def test_a_national_admin_sees_the_menu_item_and_the_versions(national_admin, published):
    assert BASE in national_admin.get("/beheer/").content.decode()
    response = national_admin.get(BASE)
    assert response.status_code == 200
    page = html(response)
    assert published.version in page and published.title in page and "gepubliceerd" in page
    assert str(published.items.count()) in page


def test_a_national_admin_creates_a_draft_copied_from_the_default_list_and_edits_an_item(national_admin, published):
    # When the national admin makes a draft copied from the published default list
    assert national_admin.get(f"{BASE}nieuw/").status_code == 200
    response = national_admin.post(
        f"{BASE}nieuw/", {"version": "2099.1", "title": "Nieuwe bedragen", "copy_from": published.pk}
    )
    # Then it is a draft with the same lines, shown in a table with their sources
    draft = PriceList.objects.get(version="2099.1")
    assert response.status_code == 302 and response["Location"] == detail_url(draft)
    assert not draft.is_published
    assert services.export_csv(draft) == services.export_csv(published)
    page = html(national_admin.get(detail_url(draft)))
    assert "Voorbeeldwaarde: geen citeerbare bron" in page and "Wet minimumloon" in page
    assert item_url(draft) in page and f"{BASE}{draft.pk}/importeren/" in page
    # When they change one line's value
    item = draft.items.get(code="informele-zorg-uur")
    assert national_admin.get(item_url(draft, item)).status_code == 200
    response = national_admin.post(item_url(draft, item), item_data(item, unit_value="15.25"))
    # Then that line changed in the draft, and the published list did not
    assert response.status_code == 302, html(response)[:3000]
    assert PriceItem.objects.get(pk=item.pk).unit_value == Decimal("15.25")
    assert published.items.get(code="informele-zorg-uur").unit_value == Decimal("14.40")


def test_a_draft_version_that_exists_gets_a_field_error(national_admin, published):
    response = national_admin.post(f"{BASE}nieuw/", {"version": published.version, "title": "Dubbel"})
    assert response.status_code == 400
    assert f"Versie {published.version} bestaat al." in html(response)
    assert PriceList.objects.filter(version=published.version).count() == 1


def test_bad_weights_give_a_field_error_and_change_nothing(national_admin, draft):
    item = draft.items.get(code="informele-zorg-uur")
    before = services.export_csv(draft)
    response = national_admin.post(item_url(draft, item), item_data(item, sdg_weights="3:60;10:30"))
    assert response.status_code == 400
    assert "Vul de SDG-gewichten in als '3:60;10:40'" in html(response)
    assert services.export_csv(draft) == before


def test_a_new_item_is_checked_field_by_field(national_admin, draft):
    taken = draft.items.first()
    response = national_admin.post(
        item_url(draft),
        item_data(code=taken.code, unit_value="-1.005", is_example=None, source="", sdg_weights="18:100"),
    )
    page = html(response)
    assert response.status_code == 400
    assert f"Code {taken.code} staat al in deze versie." in page
    assert "Vul de SDG-gewichten in als" in page
    assert "Vul een bron in, of vink 'voorbeeldwaarde' aan" in page
    assert "De waarde per eenheid kan niet negatief zijn." in page or "Gebruik hoogstens 2 decimalen." in page
    assert not draft.items.filter(activity_nl="Buurtmaaltijd").exists()
    # A valid example line is added, and shown as an example
    response = national_admin.post(item_url(draft), item_data())
    assert response.status_code == 302
    added = draft.items.get(code="buurtmaaltijd-test")
    assert added.is_example and added.weights == {2: 60, 10: 40} and added.unit_value == Decimal("7.50")


def test_an_item_is_deleted_after_confirmation(national_admin, draft):
    item = draft.items.first()
    delete_url = f"{item_url(draft, item)}verwijderen/"
    assert national_admin.get(delete_url).status_code == 200
    assert PriceItem.objects.filter(pk=item.pk).exists()
    assert national_admin.post(delete_url).status_code == 302
    assert not PriceItem.objects.filter(pk=item.pk).exists()


def test_a_csv_with_one_bad_row_is_refused_with_its_row_number_and_nothing_is_saved(national_admin, draft):
    before = services.export_csv(draft)
    lines = before.splitlines()
    # Row 4 of the file (the third item) gets weights that do not add up to 100; every other row changes too
    header, rows = lines[0], [line.replace("14.40", "20.00") for line in lines[1:]]
    code = rows[2].split(",")[0]
    weights = services.format_weights(draft.items.get(code=code).sdg_weights)
    rows[2] = rows[2].replace(f",{weights},", ",3:50;10:40,", 1)
    assert rows[2] != lines[3].replace("14.40", "20.00")
    text = "\n".join([header, *rows]) + "\n"
    response = national_admin.post(f"{BASE}{draft.pk}/importeren/", {"file": csv_upload(text)})
    page = html(response)
    assert response.status_code == 400
    assert "Regel 4: SDG-gewichten moeten de vorm '3:60;10:40' hebben en samen 100 zijn." in page
    assert "Er is niets geïmporteerd" in page
    assert services.export_csv(draft) == before
    # The same file without the error replaces the lines
    fixed = text.replace(",3:50;10:40,", f",{weights},")
    response = national_admin.post(f"{BASE}{draft.pk}/importeren/", {"file": csv_upload(fixed)})
    assert response.status_code == 302
    assert services.export_csv(draft) == fixed


def test_a_file_that_is_not_utf8_or_too_large_is_refused(national_admin, draft):
    before = services.export_csv(draft)
    latin = SimpleUploadedFile("x.csv", "code,activiteit\nmoestuin,Ca\xeff\xe9\n".encode("latin-1"))
    big = SimpleUploadedFile("x.csv", b"a" * (1024 * 1024 + 1))
    for upload, message in [(latin, "geen UTF-8-tekst"), (big, "groter dan 1 MB")]:
        response = national_admin.post(f"{BASE}{draft.pk}/importeren/", {"file": upload})
        assert response.status_code == 400 and message in html(response)
    assert services.export_csv(draft) == before


def test_a_version_is_exported_as_a_csv_download(national_admin, published):
    response = national_admin.get(f"{BASE}{published.pk}/exporteren/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="prijslijst-2026-1.csv"'
    assert response.content.decode() == services.export_csv(published)


def test_a_national_admin_publishes_a_draft_and_the_recomputation_is_queued(
    national_admin, draft, django_capture_on_commit_callbacks
):
    publish_url = f"{BASE}{draft.pk}/publiceren/"
    confirmation = national_admin.get(publish_url)
    assert confirmation.status_code == 200 and "verandert deze versie nooit meer" in html(confirmation)
    assert PriceList.objects.get(pk=draft.pk).status == PriceList.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = national_admin.post(publish_url)
    assert response.status_code == 302
    assert len(callbacks) == 1
    draft.refresh_from_db()
    assert draft.is_published and draft.published_on is not None
    assert selectors.current_price_list() == draft


def test_a_published_version_is_read_only_and_its_edits_are_refused(national_admin, published):
    item = published.items.get(code="informele-zorg-uur")
    before = services.export_csv(published)
    page = html(national_admin.get(detail_url(published)))
    assert "Wet minimumloon" in page and f"{BASE}{published.pk}/exporteren/" in page
    assert item_url(published, item) not in page and f"{BASE}{published.pk}/importeren/" not in page
    assert f"{BASE}{published.pk}/publiceren/" not in page
    assert "Herberekening" in page
    responses = [
        national_admin.post(item_url(published, item), item_data(item, unit_value="99.99")),
        national_admin.post(item_url(published), item_data()),
        national_admin.post(f"{item_url(published, item)}verwijderen/"),
        national_admin.post(f"{BASE}{published.pk}/importeren/", {"file": csv_upload(before)}),
        national_admin.post(f"{BASE}{published.pk}/publiceren/"),
    ]
    for response in responses:
        assert response.status_code == 302 and response["Location"] == detail_url(published)
    followed = html(national_admin.get(detail_url(published)))
    assert "Deze versie is gepubliceerd en verandert nooit meer." in followed
    assert services.export_csv(published) == before


def test_the_recomputation_progress_shows_on_a_published_version(national_admin, published):
    from valuation.models import Recomputation

    Recomputation.objects.create(price_list=published, portals_total=4, portals_done=1, initiatives_done=37)
    page = html(national_admin.get(detail_url(published)))
    assert "1 van 4" in page and "37" in page and "Nog bezig" in page


@pytest.mark.parametrize("who", ["portal_admin", "superuser"])
def test_a_regional_portal_has_no_price_list_admin(who, zeeland, client_for, published):
    user = make_user()
    if who == "superuser":
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    else:
        with_role(user, zeeland, "portal_admin")
    client = client_for(zeeland, user)
    count = PriceList.objects.count()
    responses = [
        client.get(BASE),
        client.get(detail_url(published)),
        client.post(f"{BASE}nieuw/", {"version": "2099.9", "title": "Gekaapt", "copy_from": published.pk}),
        client.get(f"{BASE}{published.pk}/exporteren/"),
    ]
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert BASE not in client.get("/beheer/").content.decode()
    assert PriceList.objects.count() == count


@pytest.mark.parametrize("role", [None, "editor", "national_analyst"])
def test_national_people_without_the_permission_are_refused(role, national, client_for, published):
    user = make_user()
    if role:
        with_role(user, national, role)
    client = client_for(national, user)
    count = PriceList.objects.count()
    item = published.items.first()
    responses = [
        client.get(BASE),
        client.get(detail_url(published)),
        client.get(f"{BASE}{published.pk}/exporteren/"),
        client.post(f"{BASE}nieuw/", {"version": "2099.9", "title": "Gekaapt", "copy_from": published.pk}),
        client.post(item_url(published, item), item_data(item, unit_value="0.00")),
    ]
    for response in responses:
        assert response.status_code == 302, response
        assert response["Location"] == "/beheer/" or response["Location"].startswith("/beheer/login/")
    assert PriceList.objects.count() == count
    if role:
        assert BASE not in client.get("/beheer/").content.decode()


def test_platform_staff_may_maintain_the_price_list_in_the_national_admin(national, client_for):
    user = make_user()
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    response = client_for(national, user).get(BASE)
    assert response.status_code == 200
    listed = unescape(response.content.decode())
    versions = list(PriceList.objects.values_list("version", flat=True))
    assert versions and all(version in listed for version in versions)


def test_a_post_without_a_csrf_token_is_refused(national, draft):
    from django.test import Client

    client = Client(HTTP_HOST=national.primary_host, enforce_csrf_checks=True)
    sign_in_with_mfa(client, with_role(make_user(), national, "national_admin"))
    response = client.post(f"{BASE}{draft.pk}/publiceren/")
    assert response.status_code == 403
    assert not PriceList.objects.get(pk=draft.pk).is_published
