"""Mail at every step of an initiative (docs/architecture.md, "Pages, branding and templates"): the registrant on
receipt, the owners on publication or rejection (with the editor's reason), the portal's editors in one digest of
what waits, each in the home portal's branding and the person's language. Django's in-memory outbox is the outside
world; the admin's dashboard shows what waits."""

from django.conf import settings
from django.core import mail
from django_tenants.utils import schema_context

from accounts.models import User
from branding.services import apply_branding
from initiatives.models import Initiative
from initiatives.tasks import announce_waiting_registrations
from maex.celery import app
from tests.support import DEN_HAAG, ROTTERDAM, VLISSINGEN, form_data, make_user, municipality, register, with_role

QUEUE = "/beheer/aanmeldingen/"


def _html(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def _to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_the_registrant_gets_a_receipt_from_the_home_portal_in_the_language_they_used(
    zeeland, rotterdam, client_for, django_capture_on_commit_callbacks
):
    # Given Zeeland's own colour, and a person on Rotterdam's portal who chose English
    with schema_context("zeeland"):
        apply_branding(primary_colour="#005a8c")
    person = make_user()
    client = client_for(rotterdam, person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = form_data(municipality(VLISSINGEN).pk)
    # When they register an initiative in Vlissingen (Zeeland's)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/aanmelden/", data)
    assert response.status_code == 302
    # Then one receipt goes to them, in English, from Zeeland: its name, colour and Mijn MAEX on its own host
    (receipt,) = _to(person.email)
    assert receipt.subject == f"Registration received: {data['name']}"
    assert "MAEX Zeeland" in receipt.body and "editors review" in receipt.body
    assert "http://zeeland.localhost:8000/mijn-maex/" in receipt.body
    assert "background:#005a8c" in _html(receipt) and 'lang="en"' in _html(receipt)
    # and the language they acted in is kept for the mail that comes later
    assert User.objects.get(pk=person.pk).language == "en"


def test_the_owners_hear_of_publication_each_in_their_own_language(
    zeeland, client_for, django_capture_on_commit_callbacks
):
    # Given an initiative waiting in Zeeland with two owners: one who used the platform in English, one unknown
    owner, co_owner = make_user(), make_user()
    initiative, _ = register(owner, VLISSINGEN, publish=False)
    User.objects.filter(pk=owner.pk).update(language="en")
    with schema_context("zeeland"):
        initiative.ownerships.create(user=co_owner)
    editor = client_for(zeeland, with_role(make_user(), zeeland, "editor"))
    # When an editor publishes it
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"{QUEUE}{initiative.pk}/publiceren/")
    assert response.status_code == 302
    # Then each owner gets a mail of their own (not each other's address), English and Dutch, with the page's link
    (english,) = _to(owner.email)
    (dutch,) = _to(co_owner.email)
    link = f"http://zeeland.localhost:8000/initiatieven/{initiative.slug}/"
    assert english.subject == f"Published: {initiative.name}" and link in english.body
    assert dutch.subject == f"Gepubliceerd: {initiative.name}" and link in dutch.body
    assert "MAEX Zeeland" in _html(dutch)


def test_a_rejection_tells_the_owners_the_editor_s_reason(zeeland, client_for, django_capture_on_commit_callbacks):
    owner = make_user()
    initiative, _ = register(owner, VLISSINGEN, publish=False)
    editor = client_for(zeeland, with_role(make_user(), zeeland, "editor"))
    reason = "Dit is een commercieel bedrijf & geen initiatief."
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"{QUEUE}{initiative.pk}/afwijzen/", {"reason": reason})
    (rejected,) = _to(owner.email)
    assert rejected.subject == f"Niet gepubliceerd: {initiative.name}"
    assert "Dit is een commercieel bedrijf & geen initiatief." in rejected.body
    assert "http://zeeland.localhost:8000/mijn-maex/" in rejected.body
    with schema_context("zeeland"):
        stored = Initiative.objects.get(pk=initiative.pk)
    assert stored.status == Initiative.Status.REJECTED
    assert stored.review_note == "Dit is een commercieel bedrijf & geen initiatief."


def test_the_editors_get_one_digest_per_portal_of_what_waits_and_never_twice(
    zeeland, rotterdam, django_capture_on_commit_callbacks
):
    # Given two registrations waiting in Zeeland, one in Rotterdam, and an editor of each portal
    zeeland_editor = with_role(make_user(), zeeland, "editor")
    rotterdam_editor = with_role(make_user(), rotterdam, "editor")
    first, _ = register(code=VLISSINGEN, publish=False)
    second, _ = register(code=VLISSINGEN, publish=False)
    theirs, _ = register(code=ROTTERDAM, publish=False)
    mail.outbox.clear()  # the registrants' receipts

    def digests():
        return [m for m in mail.outbox if zeeland_editor.email in m.to or rotterdam_editor.email in m.to]

    # When the digest runs for Zeeland, twice
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_waiting_registrations([zeeland.pk]) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_waiting_registrations([zeeland.pk]) == 0
    # Then Zeeland's editor got one mail naming both, with the queue on Zeeland's host; Rotterdam's nothing
    (digest,) = digests()
    assert zeeland_editor.email in digest.to and rotterdam_editor.email not in digest.to
    assert digest.subject == "MAEX Zeeland: 2 nieuwe aanmeldingen wachten op beoordeling"
    assert first.name in digest.body and second.name in digest.body and theirs.name not in digest.body
    assert "http://zeeland.localhost:8000/beheer/aanmeldingen/" in digest.body
    assert "MAEX Zeeland" in _html(digest)
    # When a new one arrives and the digest runs for every portal
    third, _ = register(code=VLISSINGEN, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        announce_waiting_registrations()
    # Then Zeeland's next digest names only the new one (and counts all three waiting); Rotterdam's its own
    zeeland_digests = [m for m in digests() if zeeland_editor.email in m.to]
    assert len(zeeland_digests) == 2
    latest = zeeland_digests[-1]
    assert third.name in latest.body and first.name not in latest.body and "In totaal wachten 3" in latest.body
    (rotterdam_digest,) = [m for m in digests() if rotterdam_editor.email in m.to]
    assert theirs.name in rotterdam_digest.body and "MAEX Rotterdam" in rotterdam_digest.subject


def test_the_digest_is_scheduled():
    entry = app.conf.beat_schedule["announce-waiting-registrations"]
    assert entry["task"] == "initiatives.tasks.announce_waiting_registrations"
    assert entry["schedule"] == float(settings.DIGEST_SECONDS)


def test_the_admin_dashboard_shows_what_waits_to_those_who_review(zeeland, rotterdam, client_for):
    register(code=VLISSINGEN, publish=False)
    register(code=VLISSINGEN, publish=False)
    register(code=VLISSINGEN)  # published: not waiting
    register(code=ROTTERDAM, publish=False)  # another portal's
    with schema_context("zeeland"):
        waiting = Initiative.objects.filter(status=Initiative.Status.SUBMITTED).count()
    editor = client_for(zeeland, with_role(make_user(), zeeland, "editor"))
    html = editor.get("/beheer/").content.decode()
    assert f'data-waiting-for-review="{waiting}"' in html and waiting >= 2
    assert f'href="{QUEUE}"' in html
    # A fund manager (admin access, no review permission) does not get the panel
    fund_manager = client_for(zeeland, with_role(make_user(), zeeland, "fund_manager"))
    response = fund_manager.get("/beheer/")
    assert response.status_code == 200 and "data-waiting-for-review" not in response.content.decode()


def test_a_waiting_registration_that_moves_is_announced_to_its_new_portal(
    zeeland, rotterdam, django_capture_on_commit_callbacks
):
    from portals.moves import move_initiatives
    from tenants.models import Coverage

    # Given a registration in Vlissingen, announced to Zeeland's editors
    waiting, _ = register(code=VLISSINGEN, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        announce_waiting_registrations([zeeland.pk])
    # When Vlissingen moves to Rotterdam's portal
    vlissingen = municipality(VLISSINGEN)
    Coverage.objects.filter(municipality=vlissingen).update(portal=rotterdam)
    move_initiatives([vlissingen.pk], rotterdam)
    editor = with_role(make_user(), rotterdam, "editor")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        announce_waiting_registrations([rotterdam.pk])
    # Then Rotterdam's editors hear of it
    (digest,) = [m for m in mail.outbox if editor.email in m.to]
    assert waiting.name in digest.body


def test_a_portal_without_editors_keeps_its_registrations_for_the_first_editor_s_digest(
    denhaag, django_capture_on_commit_callbacks
):
    from roles.selectors import holders_of

    waiting, _ = register(code=DEN_HAAG, publish=False)
    with schema_context("denhaag"):
        assert not holders_of("initiatives.review_initiative").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_waiting_registrations([denhaag.pk]) == 0
    editor = with_role(make_user(), denhaag, "editor")
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_waiting_registrations([denhaag.pk]) == 1
    (digest,) = [m for m in mail.outbox if editor.email in m.to]
    assert waiting.name in digest.body
