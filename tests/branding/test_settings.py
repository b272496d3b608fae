"""Branding is a per-portal Wagtail site setting whose colours must meet WCAG AA before they can be saved."""

import json

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from branding.contrast import contrast_ratio, shown_ratio
from branding.models import BrandingSettings
from branding.services import apply_branding, default_site
from tests.support import make_user, with_role


def _branding(schema) -> BrandingSettings:
    with schema_context(schema):
        return BrandingSettings.for_site(default_site())


def test_the_national_default_meets_aa(zeeland):
    with schema_context("zeeland"):
        branding = BrandingSettings.for_site(default_site())
        branding.full_clean()  # the model defaults are the national huisstijl and pass


def test_a_low_contrast_text_colour_is_refused_with_the_measured_ratio_in_dutch(zeeland):
    with schema_context("zeeland"):
        branding = BrandingSettings.for_site(default_site())
        branding.primary_colour, branding.primary_text_colour = "#1d4f91", "#3a6db0"
        with pytest.raises(ValidationError) as refused:
            branding.full_clean()
    errors = refused.value.message_dict
    assert list(errors) == ["primary_text_colour"]
    assert "Te weinig contrast" in errors["primary_text_colour"][0]
    measured = shown_ratio(contrast_ratio("#1d4f91", "#3a6db0"))  # 1,54
    assert f"{measured}:1" in errors["primary_text_colour"][0] and "4,5:1" in errors["primary_text_colour"][0]


def test_a_primary_colour_too_light_for_links_on_white_is_refused(zeeland):
    with schema_context("zeeland"):
        branding = BrandingSettings.for_site(default_site())
        branding.primary_colour, branding.primary_text_colour = "#777777", "#000000"  # 4,48:1 on white
        with pytest.raises(ValidationError) as refused:
            branding.full_clean()
    message = refused.value.message_dict["primary_colour"][0]
    assert "witte" in message and "4,5:1" in message


def test_colours_are_stored_as_lowercase_six_digit_hex(zeeland):
    with schema_context("zeeland"):
        branding, changed = apply_branding(primary_colour="#005A8C", primary_text_colour="#FFF")
    assert changed
    assert (branding.primary_colour, branding.primary_text_colour) == ("#005a8c", "#ffffff")


# --- the portal admin's settings screen -------------------------------------------------------------------------


def _form(branding, **changes):
    data = {
        "primary_colour": branding.primary_colour,
        "primary_text_colour": branding.primary_text_colour,
        "secondary_colour": branding.secondary_colour,
        "font": branding.font,
        "tagline": branding.tagline,
        "footer_text": json.dumps(  # Draftail posts contentstate
            {
                "blocks": [
                    {
                        "key": "a1",
                        "type": "unstyled",
                        "text": "Voettekst",
                        "depth": 0,
                        "inlineStyleRanges": [],
                        "entityRanges": [],
                    }
                ],
                "entityMap": {},
            }
        ),
        "linkedin_url": "",
        "instagram_url": "",
        "facebook_url": "",
        "mastodon_url": "",
        "bluesky_url": "",
        "contact_email": "",
        "contact_phone": "",
    }
    data.update(changes)
    return data


def _edit_url(schema):
    with schema_context(schema):
        return f"/beheer/settings/branding/brandingsettings/{default_site().pk}/"


def test_a_portal_admin_cannot_save_a_low_contrast_colour_in_the_admin(zeeland, client_for):
    admin = with_role(make_user(), zeeland, "portal_admin")
    client = client_for(zeeland, admin)
    url = _edit_url("zeeland")
    assert client.get(url).status_code == 200

    response = client.post(url, _form(_branding("zeeland"), primary_text_colour="#3a6db0"))

    assert response.status_code == 200  # the form again, not a redirect
    errors = response.context["form"].errors
    assert "primary_text_colour" in errors
    assert "Te weinig contrast" in errors["primary_text_colour"][0]
    assert "Te weinig contrast" in response.content.decode()  # shown next to the field
    assert _branding("zeeland").primary_text_colour == "#ffffff"  # nothing saved


def test_a_portal_admin_saves_a_valid_branding_in_their_own_portal_only(zeeland, rotterdam, client_for):
    admin = with_role(make_user(), zeeland, "portal_admin")
    client = client_for(zeeland, admin)

    response = client.post(_edit_url("zeeland"), _form(_branding("zeeland"), primary_colour="#005a8c", tagline="Zee"))

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    saved = _branding("zeeland")
    assert (saved.primary_colour, saved.tagline, saved.footer_text) == (
        "#005a8c",
        "Zee",
        '<p data-block-key="a1">Voettekst</p>',
    )
    assert _branding("rotterdam").primary_colour != "#005a8c"
    # and the same person has no say over Rotterdam's branding
    other = client_for(rotterdam, admin).get(_edit_url("rotterdam"))
    assert other.status_code == 302 and other["Location"] == f"/beheer/login/?next={_edit_url('rotterdam')}"
    assert client_for(rotterdam, admin).post(_edit_url("rotterdam"), {"primary_colour": "#000000"}).status_code == 302
    assert _branding("rotterdam").primary_colour != "#000000"


def test_an_editor_has_no_access_to_the_branding(zeeland, client_for):
    editor = with_role(make_user(), zeeland, "editor")
    before = _branding("zeeland").primary_colour
    client = client_for(zeeland, editor)
    response = client.get(_edit_url("zeeland"), follow=True)
    # sent to the admin home with Wagtail's "no access" message, never shown the form
    assert response.redirect_chain == [("/beheer/", 302)]
    assert [str(m).strip() for m in response.context["messages"]] == ["Sorry, je hebt geen toegang tot dit gedeelte."]
    assert 'name="primary_colour"' not in response.content.decode()
    # and a post changes nothing
    assert client.post(_edit_url("zeeland"), {"primary_colour": "#000000"})["Location"] == "/beheer/"
    assert _branding("zeeland").primary_colour == before
