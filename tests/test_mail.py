"""Every mail is rendered from templates in the portal it comes from (maex/mail.py): a portal's template override
changes its own mail and no other portal's, the language is the one asked for, and the HTML part carries the
portal's branding. allauth's mails take the same path. Django's in-memory outbox is the outside world here."""

import copy

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from branding.services import apply_branding
from initiatives.services import invite_co_owner
from maex.mail import render_templated_mail
from tests.support import ROTTERDAM, VLISSINGEN, make_user, register


@pytest.fixture
def portal_templates(tmp_path, settings):
    """Per-portal template overrides in a folder of the test's own, read before the project's
    (``themes/tenants/<schema>/templates/``): ``portal_templates(schema, name, text)``."""
    settings.MULTITENANT_TEMPLATE_DIRS = [str(tmp_path / "%s" / "templates"), *settings.MULTITENANT_TEMPLATE_DIRS]
    settings.TEMPLATES = copy.deepcopy(settings.TEMPLATES)  # a fresh engine, whose loaders read the folders above

    def write(schema: str, name: str, text: str) -> None:
        path = tmp_path / schema / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return write


def _invite(portal, initiative, owner, email, capture):
    with schema_context(portal.schema_name), capture(execute=True):
        invite_co_owner(initiative=initiative, portal=portal, email=email, invited_by=owner)
    return next(message for message in mail.outbox if message.to == [email])


def _html(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def test_a_portal_s_template_override_changes_its_mail_and_no_other(
    zeeland, rotterdam, portal_templates, django_capture_on_commit_callbacks
):
    # Given Zeeland overrides the co-owner invitation, subject and text
    portal_templates(
        "zeeland",
        "mail/co_owner_invitation_subject.txt",
        "{% autoescape off %}Zeeuwse uitnodiging voor {{ initiative.name }}{% endautoescape %}\n",
    )
    portal_templates(
        "zeeland",
        "mail/co_owner_invitation_message.txt",
        "{% autoescape off %}Welkom in {{ portal_name }}! Open {{ link }}{% endautoescape %}\n",
    )
    owner = make_user(full_name="Piet Persoon")
    in_zeeland, _ = register(owner, VLISSINGEN)
    in_rotterdam, _ = register(owner, ROTTERDAM)

    # When both portals invite a co-owner (Rotterdam first, then Zeeland, then Rotterdam again: the cached
    # template loader must keep them apart in any order)
    first = _invite(rotterdam, in_rotterdam, owner, "een@example.org", django_capture_on_commit_callbacks)
    zeeland_mail = _invite(zeeland, in_zeeland, owner, "twee@example.org", django_capture_on_commit_callbacks)
    again = _invite(rotterdam, in_rotterdam, owner, "drie@example.org", django_capture_on_commit_callbacks)

    # Then Zeeland's mail is its own
    assert zeeland_mail.subject == f"Zeeuwse uitnodiging voor {in_zeeland.name}"
    assert zeeland_mail.body.startswith("Welkom in MAEX Zeeland! Open http://zeeland.localhost")
    assert "/uitnodiging/" in zeeland_mail.body
    # and its HTML part (the portal's layout around the text) says the same
    assert "Welkom in MAEX Zeeland!" in _html(zeeland_mail)
    # while Rotterdam's stays the default, before and after
    for message in (first, again):
        assert message.subject == f"Uitnodiging: mede-eigenaar van {in_rotterdam.name}"
        assert message.body.startswith(
            f"Piet Persoon nodigt u uit als mede-eigenaar van het profiel van {in_rotterdam.name}"
        )
        assert "op MAEX Rotterdam." in message.body
        assert "Zeeuwse" not in message.subject and "Welkom" not in message.body


def test_a_mail_is_dutch_or_english_as_asked(zeeland, django_capture_on_commit_callbacks):
    owner = make_user(full_name="Piet Persoon")
    initiative, _ = register(owner, VLISSINGEN)
    # The language active when the mail is sent (a visitor's choice) ...
    dutch = _invite(zeeland, initiative, owner, "nl@example.org", django_capture_on_commit_callbacks)
    with translation.override("en"):
        english = _invite(zeeland, initiative, owner, "en@example.org", django_capture_on_commit_callbacks)
    assert dutch.subject == f"Uitnodiging: mede-eigenaar van {initiative.name}"
    assert "nodigt u uit als mede-eigenaar" in dutch.body and 'lang="nl"' in _html(dutch)
    assert english.subject == f"Invitation: co-owner of {initiative.name}"
    assert "invites you to become a co-owner" in english.body and 'lang="en"' in _html(english)
    # ... or the one given, whatever is active (the account-deletion mail is always the platform's language)
    context = {"initiative": initiative, "invited_by": owner, "link": "http://zeeland.localhost/x/"}
    with translation.override("en"):
        given = render_templated_mail(zeeland, "mail/co_owner_invitation", context, ["x@example.org"], language="nl")
    assert given.subject.startswith("Uitnodiging: mede-eigenaar van")


def test_the_html_part_carries_the_portal_s_branding(
    zeeland, rotterdam, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)  # the test's image files stay out of the project's media folder
    with schema_context("zeeland"):
        logo = Image.objects.create(title="Logo Zeeland", file=get_test_image_file())
        apply_branding(primary_colour="#005a8c", secondary_colour="#ffd200", tagline="Zeeuwen zelf aan zet", logo=logo)
    owner = make_user()
    in_zeeland, _ = register(owner, VLISSINGEN)
    in_rotterdam, _ = register(owner, ROTTERDAM)

    zeeland_html = _html(_invite(zeeland, in_zeeland, owner, "z@example.org", django_capture_on_commit_callbacks))
    rotterdam_html = _html(_invite(rotterdam, in_rotterdam, owner, "r@example.org", django_capture_on_commit_callbacks))

    # Zeeland's colours, tagline, name and logo (on its own canonical host), and its link as a link
    assert "background:#005a8c" in zeeland_html and "#ffd200" in zeeland_html
    assert "Zeeuwen zelf aan zet" in zeeland_html and "MAEX Zeeland" in zeeland_html
    assert '<img src="http://zeeland.localhost:8000/media/zeeland/images/' in zeeland_html
    assert '<a href="http://zeeland.localhost:8000/uitnodiging/' in zeeland_html
    # Rotterdam has none of it: its own name, the default colour, no logo
    assert "#005a8c" not in rotterdam_html and "Zeeuwen" not in rotterdam_html and "<img" not in rotterdam_html
    assert "MAEX Rotterdam" in rotterdam_html and "background:#1d4f91" in rotterdam_html


def test_a_name_with_an_ampersand_is_plain_in_the_text_and_escaped_in_the_html(
    zeeland, django_capture_on_commit_callbacks
):
    owner = make_user()
    initiative, _ = register(owner, VLISSINGEN, name="Buurt & Zorg <Vlissingen>")
    message = _invite(zeeland, initiative, owner, "amp@example.org", django_capture_on_commit_callbacks)
    assert message.subject == "Uitnodiging: mede-eigenaar van Buurt & Zorg <Vlissingen>"
    assert "van Buurt & Zorg <Vlissingen> op MAEX Zeeland" in message.body
    assert "Buurt &amp; Zorg &lt;Vlissingen&gt;" in _html(message) and "<Vlissingen>" not in _html(message)


def test_nothing_is_sent_when_the_write_is_rolled_back(zeeland):
    owner = make_user()
    initiative, _ = register(owner, VLISSINGEN)
    with schema_context("zeeland"):
        invite_co_owner(initiative=initiative, portal=zeeland, email="nooit@example.org", invited_by=owner)
    # The test's transaction never commits: the invitation is rendered but not sent
    assert mail.outbox == []


def test_allauth_s_mails_take_the_same_path(zeeland, rotterdam, portal_templates):
    # Given Zeeland overrides allauth's password-reset subject
    portal_templates("zeeland", "account/email/password_reset_key_subject.txt", "Zeeland: kies een nieuw wachtwoord\n")
    with schema_context("zeeland"):
        apply_branding(primary_colour="#005a8c")
    person = make_user()
    # When a reset is asked for on Rotterdam and on Zeeland
    for host in ("rotterdam.localhost", "zeeland.localhost"):
        response = Client(HTTP_HOST=host).post("/account/password/reset/", {"email": person.email})
        assert response.status_code == 302
    rotterdam_mail, zeeland_mail = mail.outbox
    # Then Zeeland's subject is its own (after allauth's prefix), Rotterdam's is allauth's
    assert zeeland_mail.subject.endswith("Zeeland: kies een nieuw wachtwoord")
    assert "Zeeland" not in rotterdam_mail.subject
    # and both carry their portal in the HTML part, with the reset link on the portal's own host
    assert "MAEX Zeeland" in _html(zeeland_mail) and "background:#005a8c" in _html(zeeland_mail)
    assert "MAEX Rotterdam" in _html(rotterdam_mail) and "#005a8c" not in _html(rotterdam_mail)
    assert '<a href="http://zeeland.localhost:8000/account/password/reset/key/' in _html(zeeland_mail)
    # and the text part names the portal's canonical host, not the request's
    assert "zeeland.localhost:8000" in zeeland_mail.body
