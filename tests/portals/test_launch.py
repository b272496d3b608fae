"""Launching a portal (issue 4, item 1): all or nothing, repeatable, measured; by command and by the national
admin's form."""

import re
import time
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.models import Site

from accounts.models import User
from branding.models import BrandingSettings
from initiatives.models import Initiative, MovedAway
from national_index.models import IndexEntry, InitiativeLocator
from portals.launch import LaunchRefused, launch_portal
from tenants.models import Coverage, Domain, Portal
from tenants.services import set_coverage
from tests.support import VLISSINGEN, make_user, register, with_role

GOES, TERNEUZEN = "GM0664", "GM0715"
ADMIN = "beheer@testzee.example.org"
LAUNCH = "/beheer/portalen/nieuw/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """New portals' host lookups and site roots lived in a rolled-back transaction: forget them."""
    yield
    cache.clear()


def arguments(**overrides) -> dict:
    return {
        "name": "MAEX Testzee",
        "schema_name": "testzee",
        "kind": "province",
        "hosts": ["testzee.localhost"],
        "municipality_codes": [GOES],
        "first_admin_email": ADMIN,
        **overrides,
    }


def timed_launch(**overrides):
    started = time.perf_counter()
    report = launch_portal(**arguments(**overrides))
    print(f"\nportal {report.portal.schema_name} launched in {time.perf_counter() - started:.2f} s:")
    for step in report.steps:
        print(f"  {step.label:30} {step.seconds:6.2f} s  {step.detail}")
    return report


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def _world(initiative) -> dict:
    """Everything a launch of 'testzee' for Goes could touch."""
    with schema_context("landelijk"):
        local = Initiative.objects.filter(uuid=initiative.uuid).values_list("pk", "slug").first()
        partners = list(Initiative.objects.get(uuid=initiative.uuid).partners.values_list("name", flat=True))
        moved_away = MovedAway.objects.count()
    return {
        "portals": sorted(Portal.objects.values_list("schema_name", flat=True)),
        "schema": _schema_exists("testzee"),
        "domains": sorted(Domain.objects.values_list("domain", flat=True)),
        "coverage": sorted(Coverage.objects.values_list("municipality__cbs_code", "portal__schema_name")),
        "initiative in landelijk": local,
        "partners": partners,
        "moved away": moved_away,
        "locator": InitiativeLocator.objects.filter(uuid=initiative.uuid).values_list("portal_id", "slug").first(),
        "index": IndexEntry.objects.filter(uuid=initiative.uuid).values_list("portal_id", "url").first(),
        "admin account": User.objects.filter(email=ADMIN).exists(),
    }


# --- the service ---------------------------------------------------------------------------------------------


def test_a_launch_makes_a_live_portal_and_invites_its_first_admin(
    national, client_for, django_capture_on_commit_callbacks
):
    initiative, _home = register(make_user(), GOES)
    with django_capture_on_commit_callbacks(execute=True):
        report = timed_launch()
    portal = Portal.objects.with_domains().get(schema_name="testzee")
    assert [s.key for s in report.steps] == ["clone", "coverage", "move", "index", "pages", "invitation"]
    assert report.moved == 1 and report.admin_created
    # It covers Goes and shows Goes' initiative
    assert Coverage.objects.get(municipality__cbs_code=GOES).portal == portal
    home = client_for(portal).get("/")
    assert home.status_code == 200 and "MAEX Testzee" in home.content.decode()
    # with its first pages: a banner, an "about" page, news with a first message, partners, and Goes' page
    assert "Welkom bij MAEX Testzee" in home.content.decode()
    for path in ("/over/", "/nieuws/", "/nieuws/van-start/", "/partners/", "/goes/"):
        assert client_for(portal).get(path).status_code == 200, path
    assert initiative.name in client_for(portal).get("/goes/").content.decode()
    assert initiative.name in client_for(portal).get("/initiatieven/").content.decode()
    # and got one email, with a link on the new portal to choose a password
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ADMIN] and "MAEX Testzee" in message.subject
    link = re.search(r"(http://testzee\.localhost\S*/account/password/reset/key/\S+/)", message.body)
    assert link, message.body
    assert portal.absolute_url("/beheer/") in message.body
    # The link works: it leads to the form for a new password (not to "invalid link")
    browser = client_for(portal)
    response = browser.get(urlsplit(link.group(1)).path)
    if response.status_code == 302:  # allauth moves the key out of the URL into the session
        response = browser.get(response["Location"])
    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()
    admin = User.objects.get(email=ADMIN)
    assert not admin.has_usable_password()  # until they choose one
    # Choosing a password through the link proves the address: they sign in at once, no second verification
    chosen = browser.post(
        response.request["PATH_INFO"], {"password1": "een-nieuw-wachtwoord-77", "password2": "een-nieuw-wachtwoord-77"}
    )
    assert chosen.status_code == 302
    signed_in = client_for(portal).post(
        "/account/login/", {"login": ADMIN, "password": "een-nieuw-wachtwoord-77"}, follow=True
    )
    assert signed_in.wsgi_request.user.is_authenticated
    assert not any("confirm-email" in url for url, _status in signed_in.redirect_chain)
    # The first admin is portal admin there (only there)
    admin.refresh_from_db()
    assert client_for(portal, admin).get("/beheer/").status_code == 200
    assert client_for(national, admin).get("/beheer/").status_code == 302  # nobody in the national admin


def test_an_existing_account_becomes_admin_and_keeps_its_password(national, django_capture_on_commit_callbacks):
    person = make_user(ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        report = timed_launch()
    assert not report.admin_created
    person.refresh_from_db()
    assert person.has_usable_password()
    with schema_context("testzee"):
        assert person.has_perm("initiatives.change_initiative")
    assert len(mail.outbox) == 1 and "/account/password/reset/key/" not in mail.outbox[0].body


def test_coverage_the_national_portal_holds_explicitly_is_taken_over(national):
    # As in the demo: the national portal covers every municipality no regional portal does, row by row
    set_coverage(national, [GOES, TERNEUZEN])
    report = timed_launch(municipality_codes=[GOES])
    assert dict(
        Coverage.objects.filter(municipality__cbs_code__in=[GOES, TERNEUZEN]).values_list(
            "municipality__cbs_code", "portal__schema_name"
        )
    ) == {GOES: "testzee", TERNEUZEN: "landelijk"}
    assert "1 overgenomen" in report.steps[1].detail


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"municipality_codes": [GOES, "GM9999"]}, "municipality_codes", "Onbekende gemeentecode: GM9999."),
        ({"hosts": ["zeeland.localhost"]}, "hosts", "Dit domein is al in gebruik: zeeland.localhost."),
        ({"municipality_codes": [GOES, VLISSINGEN]}, "municipality_codes", "valt al onder portaal MAEX Zeeland"),
        ({"municipality_codes": []}, "municipality_codes", "Kies ten minste één gemeente."),
        ({"schema_name": "Test-Zee"}, "schema_name", "kleine letters"),
        ({"schema_name": "landelijk"}, "schema_name", "gereserveerd"),
        ({"hosts": ["https://testzee.nl/pad"]}, "hosts", "Geen geldige hostnaam"),
        ({"first_admin_email": "geen-adres"}, "first_admin_email", "geldig e-mailadres"),
    ],
    ids=[
        "unknown-code",
        "host-in-use",
        "regional-coverage",
        "no-municipality",
        "bad-schema",
        "reserved",
        "bad-host",
        "bad-email",
    ],
)
def test_bad_input_is_refused_in_dutch_and_changes_nothing(overrides, field, message, national):
    initiative, _home = register(make_user(), GOES)
    before = _world(initiative)
    with pytest.raises(LaunchRefused) as refused:
        launch_portal(**arguments(**overrides))
    assert message in refused.value.problems[field]
    assert _world(initiative) == before


def test_launching_the_same_schema_again_is_refused(national):
    timed_launch()
    portals = Portal.objects.count()
    with pytest.raises(LaunchRefused) as refused:
        launch_portal(**arguments(hosts=["testzee2.localhost"], municipality_codes=[TERNEUZEN]))
    assert "Er bestaat al een portaal met de schemanaam testzee" in refused.value.problems["schema_name"]
    assert Portal.objects.count() == portals
    assert not Domain.objects.filter(domain="testzee2.localhost").exists()
    assert not Coverage.objects.filter(municipality__cbs_code=TERNEUZEN).exists()


# --- the command ---------------------------------------------------------------------------------------------


def test_the_command_prints_each_step_with_its_time(national):
    register(make_user(), GOES)
    out = StringIO()
    call_command(
        "create_portal",
        "--name=MAEX Testzee",
        "--schema=testzee",
        "--kind=province",
        "--host=testzee.localhost",
        f"--municipality={GOES}",
        f"--admin-email={ADMIN}",
        stdout=out,
    )
    output = out.getvalue()
    print("\n" + output)
    for label in ("Schema klonen", "Dekking overnemen", "Initiatieven verhuizen", "Index bijwerken", "beheerder"):
        assert re.search(rf"{label}.*\d+\.\d\d s", output), label
    assert "1 initiatief verhuisd" in output and "totaal" in output
    # and a second run refuses, changing nothing
    with pytest.raises(CommandError, match="Er bestaat al een portaal met de schemanaam testzee"):
        call_command(
            "create_portal",
            "--name=Nog eens",
            "--schema=testzee",
            "--kind=province",
            "--host=ander.localhost",
            f"--municipality={TERNEUZEN}",
            f"--admin-email={ADMIN}",
            stdout=StringIO(),
        )
    assert not Domain.objects.filter(domain="ander.localhost").exists()


# --- the national admin's form -------------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    data = {
        "name": "MAEX Testzee",
        "schema_name": "testzee",
        "kind": "province",
        "hosts": "testzee.localhost\nwww.testzee.localhost",
        "municipality_codes": [GOES, TERNEUZEN],
        "first_admin_email": ADMIN,
        "review_required": "on",
        "palette": "groen",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def national_admin(national, client_for):
    return client_for(national, with_role(make_user(), national, "national_admin"))


def test_a_national_admin_launches_a_portal_and_sees_the_steps(national_admin, django_capture_on_commit_callbacks):
    index = national_admin.get("/beheer/portalen/").content.decode()
    assert LAUNCH in index and "Nieuw portaal" in index
    form = national_admin.get(LAUNCH)
    assert form.status_code == 200 and "Goes (GM0664)" in form.content.decode()
    assert re.search(r'value="zee"[^>]*checked', form.content.decode())  # a starting palette, not the national one
    assert "Vlissingen (GM0718) — valt onder MAEX Zeeland" in form.content.decode()
    initiative, _home = register(make_user(), GOES)
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        response = national_admin.post(LAUNCH, form_data())
    print(f"\nlaunch through the admin form: {time.perf_counter() - started:.2f} s")
    html = response.content.decode()
    assert response.status_code == 200, html[:3000]
    assert "MAEX Testzee staat live" in html
    for label in ("Schema klonen", "Dekking overnemen", "Initiatieven verhuizen", "Index bijwerken", "Totaal"):
        assert label in html
    assert "Startkleuren instellen" in html and "Stadsgroen met oker" in html
    portal = Portal.objects.get(schema_name="testzee")
    assert sorted(Domain.objects.filter(tenant=portal).values_list("domain", "is_primary")) == [
        ("testzee.localhost", True),
        ("www.testzee.localhost", False),
    ]
    assert sorted(Coverage.objects.filter(portal=portal).values_list("municipality__cbs_code", flat=True)) == [
        GOES,
        TERNEUZEN,
    ]
    assert portal.review_required
    with schema_context("testzee"):  # the chosen starting palette, not the national colours
        branding = BrandingSettings.for_site(Site.objects.get(is_default_site=True))
        assert (branding.primary_colour, branding.secondary_colour) == ("#00693e", "#d9a400")
    assert InitiativeLocator.objects.get(uuid=initiative.uuid).portal_id == portal.pk
    assert [m.to for m in mail.outbox] == [[ADMIN]]


@pytest.mark.parametrize(
    ("overrides", "messages"),
    [
        (
            {"schema_name": "Zee Land!", "hosts": "https://zee.nl/pad", "municipality_codes": None},
            [
                "De schemanaam bestaat uit 2 tot 50 kleine letters",
                "Geen geldige hostnaam: https://zee.nl/pad.",
                "Kies ten minste één gemeente.",
            ],
        ),
        (
            {"schema_name": "zeeland", "hosts": "zeeland.localhost", "first_admin_email": "nee"},
            [
                "Er bestaat al een portaal met de schemanaam zeeland",
                "Dit domein is al in gebruik: zeeland.localhost.",
                "Vul een geldig e-mailadres in voor de eerste beheerder.",
            ],
        ),
        (
            {"municipality_codes": [GOES, VLISSINGEN], "name": ""},
            ["valt al onder portaal MAEX Zeeland", "Vul de naam van het portaal in."],
        ),
    ],
    ids=["bad-format", "taken", "covered"],
)
def test_the_form_refuses_bad_input_in_dutch(overrides, messages, national_admin):
    portals = Portal.objects.count()
    response = national_admin.post(LAUNCH, form_data(**overrides))
    html = response.content.decode()
    assert response.status_code == 400
    for message in messages:
        assert message in html, message
    assert Portal.objects.count() == portals
    assert not _schema_exists("testzee")


def test_the_form_is_not_available_on_a_regional_portal(zeeland, national, client_for):
    staff = make_user()
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    for user in (staff, with_role(make_user(), zeeland, "portal_admin")):
        client = client_for(zeeland, user)
        assert client.get(LAUNCH).status_code == 404
        assert client.post(LAUNCH, form_data()).status_code == 404
    # and on the national portal only for those who manage portals
    editor = client_for(national, with_role(make_user(), national, "editor"))
    assert editor.get(LAUNCH).status_code == 302
    assert editor.post(LAUNCH, form_data()).status_code == 302
    assert not Portal.objects.filter(schema_name="testzee").exists()


def test_a_launch_from_inside_a_portal_returns_to_that_portals_schema(national):
    # The admin form runs in the national portal's schema; the launch works in public and comes back
    with schema_context("landelijk"):
        timed_launch(municipality_codes=[TERNEUZEN])
        assert connection.schema_name == "landelijk"
