"""Uploaded files: a portal's images only on its own hosts, documents only through Wagtail's serve view, which
checks the collection's privacy; never a path out of the portal's folder (docs/architecture.md, "Files and media")."""

import importlib
import io
import os
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches
from django_tenants.utils import schema_context

from tests.support import make_user

PDF = b"%PDF-1.4 verslag van de besloten vergadering"


def _image(title="Testbeeld"):
    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#336699").save(buffer, format="PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="beeld.png"))


def _document(collection=None, name="verslag.pdf"):
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    collection = collection or Collection.get_first_root_node()
    return get_document_model().objects.create(title="Verslag", file=ContentFile(PDF, name=name), collection=collection)


def _login_only_collection():
    from wagtail.models import Collection, CollectionViewRestriction

    collection = Collection.get_first_root_node().add_child(name="Alleen voor leden")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    return collection


def _body(response) -> bytes:
    return response.getvalue()


@pytest.fixture(params=[False, True], ids=["production-urls", "debug-urls"])
def urls(request, settings):
    """The portal URLs as production builds them and as ``make run`` (DEBUG) builds them."""
    import maex.urls

    settings.DEBUG = request.param
    importlib.reload(maex.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(maex.urls)
    clear_url_caches()


def test_an_image_and_its_rendition_are_served_on_their_portal_and_are_404_on_another(
    zeeland, rotterdam, client_for, media_root, urls
):
    with schema_context("zeeland"):
        image = _image()
        original, rendition = image.file.url, image.get_rendition("width-20").url
        stored = (media_root / "zeeland" / image.file.name).read_bytes()

    assert original.startswith("/media/zeeland/original_images/")
    assert rendition.startswith("/media/zeeland/images/")
    own = client_for(zeeland).get(original)
    assert own.status_code == 200
    assert _body(own) == stored
    assert own["Content-Type"] == "image/png"
    assert own["Content-Security-Policy"] == "default-src 'none'"
    assert _body(client_for(zeeland).get(rendition)).startswith(b"\x89PNG")
    for url in (original, rendition):
        assert client_for(rotterdam).get(url).status_code == 404


def test_paths_out_of_the_portals_folder_are_404(zeeland, rotterdam, client_for, media_root, urls):
    with schema_context("zeeland"):
        secret = _image("Zeeuws beeld").file.name  # original_images/beeld.png, in media/zeeland/
    with schema_context("rotterdam"):
        own = _image("Rotterdams beeld").file.url
    os.symlink(media_root / "zeeland" / secret, media_root / "rotterdam" / "original_images" / "link.png")
    (media_root / "geheim.txt").write_text("buiten elk portaal")
    rotterdam_client = client_for(rotterdam)

    assert rotterdam_client.get(own).status_code == 200
    for attempt in [
        f"/media/zeeland/{secret}",
        f"/media/rotterdam/../zeeland/{secret}",
        f"/media/rotterdam/%2e%2e/zeeland/{secret}",
        f"/media/rotterdam/original_images/..%2f..%2fzeeland%2f{secret}",
        f"/media/rotterdam/original_images/%2e%2e/%2e%2e/zeeland/{secret}",
        f"/media/rotterdam//{secret}",
        f"/media/rotterdam/original_images/..\\..\\zeeland\\{secret}",
        "/media/rotterdam/original_images/link.png",
        "/media/geheim.txt",
        "/media/rotterdam/../geheim.txt",
        "/media/rotterdam/original_images",
        "/media/",
    ]:
        response = rotterdam_client.get(attempt)
        assert response.status_code == 404, attempt
        assert b"buiten elk portaal" not in response.content and not response.streaming


def test_the_documents_folder_is_never_served_as_media_only_through_the_document_view(
    zeeland, client_for, media_root, urls
):
    with schema_context("zeeland"):
        document = _document()
        direct = document.file.url
        served = document.url

    assert direct.startswith("/media/zeeland/documents/")
    assert client_for(zeeland).get(direct).status_code == 404
    response = client_for(zeeland).get(served)
    assert served.startswith("/documenten/")
    assert response.status_code == 200
    assert _body(response) == PDF


def test_a_private_document_is_refused_to_a_visitor_and_served_to_a_member_on_its_own_portal_only(
    zeeland, rotterdam, client_for, media_root, urls
):
    member = make_user()
    with schema_context("zeeland"):
        document = _document(_login_only_collection(), name="besloten.pdf")
        served, direct = document.url, document.file.url

    anonymous = client_for(zeeland).get(served)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/account/login/?next=/documenten/")
    assert PDF not in anonymous.content
    assert client_for(zeeland).get(direct).status_code == 404

    signed_in = client_for(zeeland, member).get(served)
    assert signed_in.status_code == 200
    assert _body(signed_in) == PDF
    assert client_for(zeeland, member).get(direct).status_code == 404
    elsewhere = client_for(rotterdam, member).get(served)
    assert elsewhere.status_code == 404
    assert PDF not in elsewhere.content


@pytest.fixture
def nginx(settings):
    from wagtail.utils.sendfile import _get_sendfile

    settings.SENDFILE_BACKEND = "maex.sendfile_nginx"
    _get_sendfile.clear()
    yield
    _get_sendfile.clear()


def test_with_nginx_django_checks_and_nginx_sends_the_file(zeeland, client_for, media_root, nginx):
    member = make_user()
    with schema_context("zeeland"):
        image = _image()
        document = _document(_login_only_collection(), name="besloten.pdf")
        picture_url, document_url = image.file.url, document.url

    picture = client_for(zeeland).get(picture_url)
    assert picture["X-Accel-Redirect"] == f"/_media_intern/zeeland/{image.file.name}"
    assert _body(picture) == b""
    refused = client_for(zeeland).get(document_url)
    assert refused.status_code == 302
    assert "X-Accel-Redirect" not in refused
    granted = client_for(zeeland, member).get(document_url)
    assert granted["X-Accel-Redirect"] == f"/_media_intern/zeeland/{document.file.name}"
    assert granted["Content-Disposition"] == 'inline; filename="besloten.pdf"'


def test_an_unknown_media_serve_method_stops_the_start():
    env = {**os.environ, "MAEX_MEDIA_SERVE_METHOD": "apache", "DJANGO_SETTINGS_MODULE": "maex.settings.base"}
    result = subprocess.run(
        [sys.executable, "-c", "import django.conf as c; c.settings.INSTALLED_APPS"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "MAEX_MEDIA_SERVE_METHOD must be one of ['django', 'nginx']" in result.stderr
