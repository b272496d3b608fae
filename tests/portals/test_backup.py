"""One portal exported and brought back on its own: its rows, its files, its index rows; other portals untouched
(manage.py export_portal / import_portal, tenants/backup.py)."""

import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import schema_context

from initiatives import services
from initiatives.models import Initiative, MovedAway
from national_index import projector
from national_index.models import IndexEntry, InitiativeLocator
from portals.reconcile import reconcile
from tests.support import MIDDELBURG, ROTTERDAM, THOLEN, VLISSINGEN, edits_go_live, make_user, profile, register


def _image(title):
    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    Image.new("RGB", (30, 10), "#993366").save(buffer, format="PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="foto.png"))


def _state(schema):
    """What a portal holds: its initiatives, index and locator rows, images and files on disk."""
    from pathlib import Path

    from django.conf import settings
    from wagtail.images import get_image_model

    with schema_context(schema):
        initiatives = sorted(Initiative.objects.values_list("uuid", "slug", "name", "kvk_number", "updated_at"))
        images = sorted(get_image_model().objects.values_list("title", "file"))
    folder = Path(settings.MEDIA_ROOT) / schema
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    return {
        "initiatives": initiatives,
        "index": sorted(IndexEntry.objects.filter(portal__schema_name=schema).values_list("uuid", "name", "url")),
        "locator": sorted(InitiativeLocator.objects.filter(portal__schema_name=schema).values_list("uuid", "slug")),
        "images": images,
        "files": files,
    }


def _rename(initiative, portal, name):
    edits_go_live(portal)
    with schema_context(portal.schema_name):
        return services.update_profile(
            initiative=initiative,
            portal=portal,
            profile=profile(VLISSINGEN, name=name, kvk_number=initiative.kvk_number),
        )


def _delete(initiative, portal):
    with schema_context(portal.schema_name):
        Initiative.objects.get(uuid=initiative.uuid).delete()
        projector.forget(initiative.uuid)


def test_a_portal_comes_back_as_exported_and_the_others_stay_as_they_are(
    zeeland, rotterdam, media_root, tmp_path, client_for
):
    owner = make_user()
    kept, _ = register(owner, VLISSINGEN, name="Repair Café Vlissingen", kvk_number="12345678")
    deleted, _ = register(owner, THOLEN, name="Buurttuin Tholen")
    theirs, _ = register(owner, ROTTERDAM, name="Voedselbank Rotterdam Zuid")
    with schema_context("zeeland"):
        photo = _image("Zeeuwse foto")
        photo_name = photo.file.name
    with schema_context("rotterdam"):
        _image("Rotterdamse foto")
    exported_zeeland = _state("zeeland")
    archive = tmp_path / "zeeland.tar.gz"
    out = io.StringIO()
    call_command("export_portal", "zeeland", str(archive), stdout=out)
    assert "Portaal zeeland geëxporteerd" in out.getvalue()

    # after the export: a rename, a deletion, a new registration, a lost file; Rotterdam changes too
    _rename(kept, zeeland, "Repair Café Vlissingen Nieuw")
    _delete(deleted, zeeland)
    newcomer, _ = register(owner, MIDDELBURG, name="Taalcafé Middelburg")
    (media_root / "zeeland" / photo_name).unlink()
    (media_root / "zeeland" / "original_images" / "later.png").write_bytes(b"na de export")
    later_rotterdam, _ = register(owner, ROTTERDAM, name="Speeltuin Rotterdam Noord")
    rotterdam_before = _state("rotterdam")

    out = io.StringIO()
    call_command("import_portal", str(archive), stdout=out)

    assert _state("zeeland") == exported_zeeland
    assert _state("rotterdam") == rotterdam_before
    assert f"verdwenen (na de export aangemeld): {newcomer.slug}" in out.getvalue()
    assert not InitiativeLocator.objects.filter(uuid=newcomer.uuid).exists()
    assert IndexEntry.objects.get(uuid=kept.uuid).name == "Repair Café Vlissingen"
    assert IndexEntry.objects.get(uuid=deleted.uuid).portal_id == zeeland.pk
    assert reconcile().clean
    page = client_for(zeeland).get(f"/initiatieven/{deleted.slug}/")
    assert "Buurttuin Tholen" in page.content.decode()
    picture = client_for(zeeland).get(f"/media/zeeland/{photo_name}")
    assert picture.getvalue() == (media_root / "zeeland" / photo_name).read_bytes()
    # the sequences continue after the restored rows: a new registration gets a fresh key
    again, _ = register(owner, MIDDELBURG, name="Taalcafé Middelburg Opnieuw")
    with schema_context("zeeland"):
        assert Initiative.objects.get(uuid=again.uuid).pk > max(
            Initiative.objects.exclude(uuid=again.uuid).values_list("pk", flat=True)
        )
    assert InitiativeLocator.objects.get(uuid=later_rotterdam.uuid).portal_id == rotterdam.pk
    assert theirs.uuid in {row[0] for row in rotterdam_before["index"]}


def test_an_initiative_that_moved_away_since_the_export_stays_where_it_lives_now(
    zeeland, rotterdam, media_root, tmp_path
):
    from portals.moves import move_and_reproject
    from tests.support import municipality

    wanderer, _ = register(make_user(), THOLEN, name="Zorgboerderij Tholen")
    archive = tmp_path / "zeeland.tar.gz"
    call_command("export_portal", "zeeland", str(archive), stdout=io.StringIO())
    move_and_reproject([municipality(THOLEN).pk], rotterdam)  # as if Rotterdam took Tholen over

    out = io.StringIO()
    call_command("import_portal", str(archive), stdout=out)

    assert "niet teruggezet (woont nu op een ander portaal): " + wanderer.slug in out.getvalue()
    with schema_context("zeeland"):
        assert not Initiative.objects.filter(uuid=wanderer.uuid).exists()
        assert MovedAway.objects.get(slug=wanderer.slug).uuid == wanderer.uuid
    with schema_context("rotterdam"):
        assert Initiative.objects.filter(uuid=wanderer.uuid).exists()
    assert InitiativeLocator.objects.get(uuid=wanderer.uuid).portal_id == rotterdam.pk
    assert reconcile().clean


def test_an_import_that_would_lose_an_initiative_that_moved_in_is_refused_and_changes_nothing(
    zeeland, rotterdam, media_root, tmp_path
):
    from portals.moves import move_and_reproject
    from tests.support import municipality

    archive = tmp_path / "rotterdam.tar.gz"
    call_command("export_portal", "rotterdam", str(archive), stdout=io.StringIO())
    arrival, _ = register(make_user(), THOLEN, name="Dorpshuis Tholen")
    move_and_reproject([municipality(THOLEN).pk], rotterdam)
    before = _state("rotterdam")

    with pytest.raises(CommandError, match="na de export naar dit portaal verhuisd.*dorpshuis-tholen"):
        call_command("import_portal", str(archive), stdout=io.StringIO())

    assert _state("rotterdam") == before
    assert InitiativeLocator.objects.get(uuid=arrival.uuid).portal_id == rotterdam.pk
    assert not list((media_root).glob(".import-*"))


def test_a_kvk_number_registered_elsewhere_since_the_export_is_refused(zeeland, rotterdam, media_root, tmp_path):
    gone, _ = register(make_user(), VLISSINGEN, name="Kringloop Vlissingen", kvk_number="87654321")
    archive = tmp_path / "zeeland.tar.gz"
    call_command("export_portal", "zeeland", str(archive), stdout=io.StringIO())
    _delete(gone, zeeland)
    register(make_user(), ROTTERDAM, name="Kringloop Rotterdam", kvk_number="87654321")
    before = _state("zeeland")

    with pytest.raises(CommandError, match="87654321 \\(MAEX Rotterdam\\)"):
        call_command("import_portal", str(archive), stdout=io.StringIO())

    assert _state("zeeland") == before


def _rewrite_manifest(archive, target, change):
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else b""
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))


def test_an_export_of_other_migrations_or_no_export_at_all_is_refused(zeeland, media_root, tmp_path):
    register(make_user(), VLISSINGEN, name="Wijkcentrum Vlissingen")
    archive, newer = tmp_path / "zeeland.tar.gz", tmp_path / "newer.tar.gz"
    call_command("export_portal", "zeeland", str(archive), stdout=io.StringIO())
    _rewrite_manifest(archive, newer, lambda m: m["migrations"].append(["initiatives", "9999_from_the_future"]))
    not_an_export = tmp_path / "foto.tar.gz"
    not_an_export.write_bytes(b"geen archief")
    before = _state("zeeland")

    with pytest.raises(CommandError, match="andere migraties.*initiatives.9999_from_the_future"):
        call_command("import_portal", str(newer), stdout=io.StringIO())
    with pytest.raises(CommandError, match="geen leesbare portaalexport"):
        call_command("import_portal", str(not_an_export), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Er is geen portaal met schema 'public'"):
        call_command("import_portal", str(archive), "--schema", "public", stdout=io.StringIO())

    assert _state("zeeland") == before
    assert connection.schema_name == "public"


def test_an_export_that_points_at_a_deleted_account_is_refused_and_changes_nothing(zeeland, media_root, tmp_path):
    from accounts.services import delete_account

    owner = make_user()
    register(owner, VLISSINGEN, name="Speelotheek Vlissingen")
    archive = tmp_path / "zeeland.tar.gz"
    call_command("export_portal", "zeeland", str(archive), stdout=io.StringIO())
    delete_account(owner)
    before = _state("zeeland")

    with pytest.raises(CommandError, match="verwijst naar gegevens die niet meer bestaan"):
        call_command("import_portal", str(archive), stdout=io.StringIO())

    assert _state("zeeland") == before


def test_an_export_restored_into_another_portal_takes_that_portals_domain_and_leaves_the_initiatives_home(
    zeeland, denhaag, media_root, tmp_path, client_for
):
    from wagtail.models import Site

    initiative, _ = register(make_user(), VLISSINGEN, name="Energiecoöperatie Vlissingen")
    with schema_context("zeeland"):
        photo = _image("Zeeuwse foto").file.name
    archive = tmp_path / "zeeland.tar.gz"
    call_command("export_portal", "zeeland", str(archive), stdout=io.StringIO())
    zeeland_before = _state("zeeland")

    call_command("import_portal", str(archive), "--schema", "denhaag", stdout=io.StringIO())

    with schema_context("denhaag"):
        assert Site.objects.get(is_default_site=True).hostname == "denhaag.localhost"
        assert not Initiative.objects.filter(uuid=initiative.uuid).exists()
    served = client_for(denhaag).get(f"/media/denhaag/{photo}")
    assert served.getvalue() == (media_root / "zeeland" / photo).read_bytes()
    assert _state("zeeland") == zeeland_before
    assert InitiativeLocator.objects.get(uuid=initiative.uuid).portal_id == zeeland.pk
    assert reconcile().clean
