"""Yearly editions of the Stand van het Land (docs/decisions/0035-yearly-editions.md): figures frozen on the first
save of the draft, the same as the Stand's page, API and CSV at that moment, and never changed after publication."""

import json
import re
import zlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_tenants.utils import schema_context

from cms import editions, services
from cms.edition_pdf import latin1, render_pdf
from cms.models import EditionFrozen, EditionPage, HomePage
from geo.models import ValueDomain
from national_index import areas
from national_index.licence import LICENCE_URL
from national_index.stand import figures_of
from tenants.models import Portal
from tests.national_index.test_one_source import leaves
from tests.support import ROTTERDAM, THOLEN, VLISSINGEN, figures_csv, make_user, register_with, with_role


def make_edition(portal, year, *, publish=True, **fields):
    with schema_context(portal.schema_name):
        index = services.ensure_editions_index(HomePage.objects.get())
        page = services.add_edition(index, year, publish_it=publish, **fields)
        page.address = page.get_url()  # read in the portal's schema
        return page


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF: its content streams, inflated (fpdf2 compresses them)."""
    found = []
    # Each stream is read by its /Length: compressed bytes may end in a line break of their own.
    for match in re.finditer(rb"<<([^<>]*)>>\s*stream\r?\n", data):
        length = re.search(rb"/Length (\d+)", match.group(1))
        stream = data[match.end() : match.end() + int(length.group(1))]
        compressed = b"/FlateDecode" in match.group(1)
        found.append((zlib.decompress(stream) if compressed else stream).decode("latin-1"))
    return "\n".join(found)


@pytest.fixture
def spread(zeeland, rotterdam):
    Portal.objects.filter(schema_name="zeeland").update(show_amounts=True)
    Portal.objects.filter(schema_name="rotterdam").update(show_amounts=False)
    register_with(VLISSINGEN, district="Oost", needs=[("geld", False), ("kennis", True)], partners=["fonds"])
    register_with(VLISSINGEN, phase="start", needs=[("vrijwilligers", False)], is_demo=True)
    register_with(THOLEN, partners=["bedrijf"], legal_form="vereniging")
    register_with(ROTTERDAM, needs=[("geld", False)], partners=["fonds"])


def test_frozen_figures_thaw_to_exactly_the_figures_of_the_moment(spread, national):
    figures = figures_of(areas.country())
    stored = json.loads(json.dumps(editions.freeze(figures)))  # as the JSON column gives them back

    thawed = editions.thaw(stored)

    assert thawed == figures
    assert list(thawed) == list(figures)
    for name in figures:
        assert list(thawed[name]) == list(figures[name]), name
    assert isinstance(thawed["totals"]["paid_fte"], Decimal)
    assert editions.digest(stored) == editions.digest(json.loads(editions.canonical(stored)))


def test_an_edition_keeps_the_figures_of_its_first_save_after_publication(spread, national, client_for):
    client = client_for(national)
    api_then = client.get("/api/v1/figures", {"gebied": "nl"}).json()
    stand_csv_then = figures_csv(client.get("/stand-van-het-land/cijfers.csv", {"gebied": "nl"}))

    # Given the national edition of 2026, frozen and published now (by someone whose admin speaks English)
    with translation.override("en"):
        edition = make_edition(national, 2026, intro="<p>De stand van 2026.</p>")
    assert edition.live and edition.title == "Stand van het Land 2026" and edition.area_key == "nl"
    assert edition.area_name == "Nederland"  # content, in Dutch
    sha = edition.figures_sha256
    url = edition.address

    # Then its numbers are those of the Stand's API and CSV at that moment
    page = client.get(url)
    assert page.status_code == 200
    assert leaves(page.context["figures"]) == leaves(api_then)
    edition_csv = client.get(url + "cijfers.csv")
    assert figures_csv(edition_csv) == stand_csv_then
    assert edition_csv["Link"] == f'<{LICENCE_URL}>; rel="license"'  # under the open data's licence
    initiatives_then = api_then["totals"]["initiatives"]
    assert initiatives_then == 4

    # When the data changes afterwards
    for _n in range(3):
        register_with(THOLEN)

    # Then the Stand shows the new figures, the edition (page, CSV, PDF) the frozen ones
    assert client.get("/api/v1/figures", {"gebied": "nl"}).json()["totals"]["initiatives"] == 7
    page = client.get(url)
    html = page.content.decode()
    assert "{#" not in html and "{%" not in html  # no template comment or tag shows as text
    assert page.context["figures"]["totals"]["initiatives"] == 4
    assert "<strong>4</strong> initiatieven" in html
    assert "De stand van 2026." in html and "Demodata" in html
    assert figures_csv(client.get(url + "cijfers.csv")) == stand_csv_then
    with schema_context(national.schema_name):
        again = EditionPage.objects.get(pk=edition.pk)
        assert again.figures_sha256 == sha and again.verified()
        assert again.figures()["totals"]["initiatives"] == 4
    pdf = client.get(url + "pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"Stand van het Land 2026" in pdf.content
    text = pdf_text(pdf.content)
    assert "(Stand van het Land 2026)" in text and "(De stand van 2026.)" in text and "Demodata" in text
    # the value per domain by the domains' names, as the page names them
    assert any(f"({domain.name}) Tj" in text for domain in ValueDomain.objects.all())
    # the frozen count of initiatives, not today's (7), in the demo notice and as the first row of the totals
    assert "van de 4 initiatieven" in text and "van de 7 initiatieven" not in text
    assert re.search(r"\(Initiatieven\) Tj ET\n(?:(?!\(Mensen).)*?\((\d+)\) Tj", text, re.S).group(1) == "4"
    assert client.get(url + "pdf/").content == pdf.content  # the same file every time


def test_a_published_edition_refuses_new_figures(spread, national, client_for):
    edition = make_edition(national, 2026)
    register_with(THOLEN)
    with schema_context(national.schema_name):
        # Not through the service
        with pytest.raises(EditionFrozen) as refused:
            services.refreeze_edition(edition.pk)
        assert "gepubliceerd" in refused.value.messages[0]
        # Nor by writing the fields and saving
        page = EditionPage.objects.get(pk=edition.pk)
        page.area_figures = {**page.area_figures, "totals": {**page.area_figures["totals"], "initiatives": 99}}
        with pytest.raises(EditionFrozen):
            page.save()
        # Nor by an update that bypasses the model (the database refuses)
        with pytest.raises(IntegrityError), transaction.atomic():
            EditionPage.objects.filter(pk=edition.pk).update(figures_sha256="0" * 64)
        # Nor by publishing a new revision of the text
        page = EditionPage.objects.get(pk=edition.pk)
        page.intro = "<p>Nieuwe tekst.</p>"
        page.save_revision().publish()
        page = EditionPage.objects.get(pk=edition.pk)
        assert page.intro == "<p>Nieuwe tekst.</p>"
        assert page.figures_sha256 == edition.figures_sha256 and page.area_figures["totals"]["initiatives"] == 4

    # And the admin's action says why
    editor = with_role(make_user(), national, "editor")
    response = client_for(national, editor).post(f"/beheer/edities/{edition.pk}/vastleggen/", follow=True)
    assert "Deze editie is gepubliceerd" in response.content.decode()


def test_a_draft_takes_its_figures_again_on_request(spread, national, client_for):
    draft = make_edition(national, 2026, publish=False)
    register_with(THOLEN)
    editor = with_role(make_user(), national, "editor")
    client = client_for(national, editor)
    assert "Cijfers opnieuw vastleggen" in client.get(f"/beheer/edities/{draft.pk}/vastleggen/").content.decode()
    assert f"/beheer/edities/{draft.pk}/vastleggen/" in client.get(f"/beheer/pages/{draft.pk}/edit/").content.decode()

    response = client.post(f"/beheer/edities/{draft.pk}/vastleggen/")

    assert response.status_code == 302
    with schema_context(national.schema_name):
        page = EditionPage.objects.get(pk=draft.pk)
        assert page.area_figures["totals"]["initiatives"] == 5 and page.frozen_at > draft.frozen_at
        assert page.figures_sha256 != draft.figures_sha256 and page.verified()
        # And publishing the draft's revision (taken before) keeps the figures taken last
        page.get_latest_revision().publish()
        assert EditionPage.objects.get(pk=draft.pk).area_figures["totals"]["initiatives"] == 5


def test_a_locked_draft_keeps_its_figures_and_the_action_says_why(spread, national, client_for):
    # Given a draft another editor has locked while they check its figures
    draft = make_edition(national, 2026, publish=False)
    other = with_role(make_user(), national, "editor")
    with schema_context(national.schema_name):
        EditionPage.objects.filter(pk=draft.pk).update(locked=True, locked_by=other)
    register_with(THOLEN)
    editor = with_role(make_user(), national, "editor")
    # When an editor asks for the figures again
    response = client_for(national, editor).post(f"/beheer/edities/{draft.pk}/vastleggen/", follow=True)
    # Then they are told why not, and the figures stay as they were
    assert "Deze editie is vergrendeld" in response.content.decode()
    with schema_context(national.schema_name):
        assert EditionPage.objects.get(pk=draft.pk).figures_sha256 == draft.figures_sha256
    # And the action answers only GET and POST
    assert client_for(national, editor).put(f"/beheer/edities/{draft.pk}/vastleggen/").status_code == 405


def test_a_copy_of_a_published_edition_kept_live_takes_its_own_figures(spread, national, client_for):
    # Given a published edition, and one initiative more since
    edition = make_edition(national, 2025)
    register_with(THOLEN)
    # When an editor copies it, published, to another year
    with schema_context(national.schema_name):
        original = EditionPage.objects.get(pk=edition.pk)
        copy = original.copy(keep_live=True, update_attrs={"slug": "2027", "year": 2027, "title": "Stand 2027"})
        copy = EditionPage.objects.get(pk=copy.pk)
        # Then the copy holds today's figures, checked by its own hash, and the original is unchanged
        assert copy.live and copy.verified() and copy.figures_sha256 != original.figures_sha256
        assert copy.area_figures["totals"]["initiatives"] == original.area_figures["totals"]["initiatives"] + 1
        assert EditionPage.objects.get(pk=edition.pk).figures_sha256 == original.figures_sha256


@pytest.mark.parametrize("file", ["cijfers.csv", "pdf/"])
def test_an_editions_files_carry_their_licence_and_answer_a_conditional_get(spread, national, client_for, file):
    edition = make_edition(national, 2026)
    client = client_for(national)
    # Given a reader who downloaded a file of the edition
    first = client.get(edition.address + file)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert first["Link"] == f'<{LICENCE_URL}>; rel="license"'
    # When they ask again with its tag or its date
    by_tag = client.get(edition.address + file, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(edition.address + file, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    # Then nothing is sent again, the licence still named
    assert by_tag.status_code == by_date.status_code == 304 and by_tag["Link"] == first["Link"]
    # And a HEAD answers as a GET does; the file has one address only
    assert client.head(edition.address + file).status_code == 200
    assert client.get(edition.address + "pdf/cijfers.csv").status_code == 404


def test_the_pdf_names_its_licence_and_source(spread, national):
    edition = make_edition(national, 2026)
    with schema_context(national.schema_name):
        text = pdf_text(render_pdf(EditionPage.objects.get(pk=edition.pk)))
    assert "CC BY 4.0" in text and LICENCE_URL in text and "Stand van het Land 2026" in text
    # and, as the page, how many initiatives its euros count (Rotterdam's do not)
    assert "De waarde in euro telt 3 van de 4 initiatieven" in text


def test_a_draft_editions_csv_and_pdf_are_not_public(spread, national, client_for):
    draft = make_edition(national, 2026, publish=False)
    client = client_for(national)
    assert client.get(draft.address + "cijfers.csv").status_code == 404
    assert client.get(draft.address + "pdf/").status_code == 404
    assert client.get(draft.address).status_code == 404


def test_the_differences_with_the_previous_edition(national, client_for):
    register_with(VLISSINGEN)
    register_with(THOLEN)
    first = make_edition(national, 2025)
    register_with(THOLEN)
    second = make_edition(national, 2026)
    client = client_for(national)

    html = client.get(first.address).content.decode()
    assert "Dit is de eerste editie" in html

    page = client.get(second.address)
    rows = {row.key: row for row in page.context["differences"]}
    assert page.context["previous"].page_id == first.pk and page.context["previous"].url == first.address
    assert (rows["initiatives"].previous, rows["initiatives"].current, rows["initiatives"].change) == (2, 3, 1)
    assert rows["initiatives"].percent == Decimal("50.0")
    html = page.content.decode()
    assert "Verschillen met de vorige editie" in html and "<td>+1</td>" in html and "+50,0%" in html

    # And the index lists them newest first
    index = client.get(second.address.rsplit("/", 2)[0] + "/")
    assert [e.year for e in index.context["editions"]] == [2026, 2025]


def test_a_published_editions_comparison_never_changes_when_other_editions_come_or_go(national, client_for):
    # Given the 2025 edition, a 2026 draft frozen after it, and 2026 published with its differences
    register_with(VLISSINGEN)
    first = make_edition(national, 2025)
    register_with(THOLEN)
    second = make_edition(national, 2026)
    client = client_for(national)
    with schema_context(national.schema_name):
        pdf_before = render_pdf(EditionPage.objects.get(pk=second.pk))
    html_before = client.get(second.address).content.decode()
    assert "<td>+1</td>" in html_before and "Dit is de eerste editie" not in html_before

    # When the 2025 edition is unpublished
    with schema_context(national.schema_name):
        EditionPage.objects.get(pk=first.pk).unpublish()
        page = EditionPage.objects.get(pk=second.pk)
        pdf_after = render_pdf(page)

    # Then 2026 still shows the same differences with 2025 (without a link to it), and its PDF is the same file
    response = client.get(second.address)
    assert response.context["previous"].year == 2025 and response.context["previous"].url is None
    html = response.content.decode()
    assert "<td>+1</td>" in html and "Dit is de eerste editie" not in html
    assert pdf_after == pdf_before

    # And the database refuses to change the recorded comparison, whatever writes it
    with schema_context(national.schema_name), pytest.raises(IntegrityError), transaction.atomic():
        EditionPage.objects.filter(pk=second.pk).update(compared_with={})


def test_an_older_draft_published_later_adds_no_differences_to_a_published_edition(national, client_for):
    # Given a 2025 draft frozen first, and the 2026 edition published while 2025 is still a draft
    register_with(VLISSINGEN)
    older = make_edition(national, 2025, publish=False)
    register_with(THOLEN)
    newer = make_edition(national, 2026)
    assert "Dit is de eerste editie" in client_for(national).get(newer.address).content.decode()
    # When the 2025 draft is published after all
    with schema_context(national.schema_name):
        services.publish(EditionPage.objects.get(pk=older.pk))
    # Then the published 2026 edition is as it was: the first, without a table of differences
    html = client_for(national).get(newer.address).content.decode()
    assert "Dit is de eerste editie" in html and "<td>+1</td>" not in html


def test_an_edition_of_a_portal_that_hides_euros_shows_no_euro(spread, client_for):
    rotterdam = Portal.objects.get(schema_name="rotterdam")
    first = make_edition(rotterdam, 2025)
    register_with(ROTTERDAM)
    edition = make_edition(rotterdam, 2026)
    assert edition.title == f"Stand van {rotterdam.name} 2026" and edition.area_key == "portal:rotterdam"
    client = client_for(rotterdam)

    html = client.get(edition.address).content.decode()
    rows = figures_csv(client.get(edition.address + "cijfers.csv"))
    pdf = client.get(edition.address + "pdf/").content

    assert "€" not in html and "niet openbaar" in html and first.title in html
    assert rows[("totals", "", "social_value")] == ""
    text = pdf_text(pdf)
    assert "(Stand van " in text and "EUR" not in text and "niet openbaar" in text


def test_an_area_the_portal_does_not_show_is_refused_in_dutch(zeeland):
    with schema_context(zeeland.schema_name):
        index = services.ensure_editions_index(HomePage.objects.get())
        for key, message in ((f"gemeente:{ROTTERDAM}", "staan niet op dit portaal"), ("gemeente:", "bestaat niet")):
            page = EditionPage(year=2026, title="Stand van Zeeland 2026", slug="2026", area_key=key)
            with pytest.raises(ValidationError) as refused:
                index.add_child(instance=page)
            assert message in " ".join(refused.value.messages), key
        # A municipality it covers is fine
        page = services.add_edition(index, 2026, area_key=f"gemeente:{VLISSINGEN}")
        assert page.area_key == f"gemeente:{VLISSINGEN}" and page.area_name


def test_an_editor_of_another_portal_cannot_add_or_edit_editions(zeeland, rotterdam, client_for):
    edition = make_edition(zeeland, 2026)
    with schema_context(zeeland.schema_name):
        index_pk = edition.get_parent().pk
    own = with_role(make_user(), zeeland, "editor")
    other = with_role(make_user(), rotterdam, "editor")

    assert client_for(zeeland, own).get(f"/beheer/pages/add/cms/editionpage/{index_pk}/").status_code == 200
    for path in (
        f"/beheer/pages/add/cms/editionpage/{index_pk}/",
        f"/beheer/pages/{edition.pk}/edit/",
        f"/beheer/edities/{edition.pk}/vastleggen/",
    ):
        client = client_for(zeeland, other)
        response = client.post(path) if "vastleggen" in path else client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/beheer/login/"), path


def test_the_edition_page_reads_no_index_and_a_bounded_number_of_queries(spread, national, client_for):
    make_edition(national, 2025)
    register_with(THOLEN)
    edition = make_edition(national, 2026)
    client = client_for(national)
    client.get(edition.address)

    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(edition.address)

    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 25, len(ctx.captured_queries)
    assert not [q for q in ctx.captured_queries if "national_index_indexentry" in q["sql"]]
    assert response.context["figures"]["totals"]["initiatives"] == 5


def test_the_pdf_is_latin1_and_deterministic(spread, national):
    edition = make_edition(national, 2026, intro="<p>“Groei” – 5 € per jaar…</p>")
    with schema_context(national.schema_name):
        page = EditionPage.objects.get(pk=edition.pk)
        first, second = render_pdf(page), render_pdf(page)
    assert first == second and first.startswith(b"%PDF")
    assert latin1("“Groei” – 5 € per jaar…") == '"Groei" - 5 EUR per jaar...'


def test_the_stand_page_links_to_the_editions(national, client_for):
    client = client_for(national)
    assert "Eerdere edities van de Stand" not in client.get("/stand-van-het-land/").content.decode()
    make_edition(national, 2026)
    assert "Eerdere edities van de Stand" in client.get("/stand-van-het-land/").content.decode()


def test_an_editor_saves_a_draft_in_the_admin_and_its_figures_are_frozen(zeeland, client_for):
    register_with(VLISSINGEN)
    with schema_context(zeeland.schema_name):
        index = services.ensure_editions_index(HomePage.objects.get())
    client = client_for(zeeland, with_role(make_user(), zeeland, "editor"))
    form = client.get(f"/beheer/pages/add/cms/editionpage/{index.pk}/").context["form"]
    text = {"blocks": [{"key": "a", "type": "unstyled", "text": "Onze editie.", "depth": 0}], "entityMap": {}}
    data = {"title": "", "slug": "", "year": "2026", "area_key": "portal:zeeland", "intro": json.dumps(text)}
    for name in ("comments-TOTAL_FORMS", "comments-INITIAL_FORMS", "comments-MIN_NUM_FORMS", "comments-MAX_NUM_FORMS"):
        data[name] = "0"
    assert "area_key" in form.fields

    response = client.post(f"/beheer/pages/add/cms/editionpage/{index.pk}/", data)

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    with schema_context(zeeland.schema_name):
        page = EditionPage.objects.get()
        assert page.title == f"Stand van {zeeland.name} 2026" and page.slug == "2026" and not page.live
        assert page.area_key == "portal:zeeland" and page.frozen_at and page.verified()
        assert page.area_figures["totals"]["initiatives"] == 1 and "Onze editie." in page.intro

    # And an area of another portal is refused with a Dutch message
    data |= {"year": "2025", "area_key": f"gemeente:{ROTTERDAM}"}
    response = client.post(f"/beheer/pages/add/cms/editionpage/{index.pk}/", data)
    assert response.status_code == 200
    assert "area_key" in response.context["form"].errors


def test_every_portal_schema_guards_published_figures_in_the_database(zeeland, rotterdam, national):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE t.tgname = 'cms_edition_frozen'"
        )
        schemas = {s for (s,) in cursor.fetchall()}
    assert {"zeeland", "rotterdam", "landelijk"} <= schemas
