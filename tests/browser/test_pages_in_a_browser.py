"""The pages in a real browser: registration works with JavaScript switched off, and the public pages
have no accessibility violations that axe-core can detect (WCAG 2.1 A/AA rules)."""

import pytest
from django_tenants.utils import schema_context

from accounts.services import delete_account
from initiatives.models import Initiative
from national_index import projector
from tests.support import VLISSINGEN, make_user, register

pytestmark = pytest.mark.browser
PASSWORD = "een-lang-wachtwoord-123"


def _remove_initiatives(schema, uuids):
    with schema_context(schema):
        Initiative.objects.filter(uuid__in=uuids).delete()
    for uuid in uuids:
        projector.forget(uuid)


def test_a_person_signs_in_and_registers_an_initiative_without_javascript(browser, web_server, committed, tmp_path):
    person = committed(make_user, password=PASSWORD)
    committed.cleanup(delete_account, person)
    page = browser.new_context(java_script_enabled=False).new_page()

    # Given a person signed in on the Zeeland portal, in a browser without JavaScript
    page.goto(web_server.url("zeeland.localhost", "/account/login/"))
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()

    # When they fill in the registration form and send it
    page.goto(web_server.url("zeeland.localhost", "/aanmelden/"))
    page.fill("#id_name", "Browsertuin Vlissingen (test)")
    page.fill("#id_short_description", "Een moestuin, aangemeld in een echte browser.")
    page.select_option("#id_municipality", label="Vlissingen")
    page.select_option("#id_legal_form", "stichting")
    page.fill("#id_founding_year", "2019")
    page.select_option("#id_phase", "start")
    page.fill("#id_contact_name", "Test Persoon")
    page.fill("#id_contact_email", "test@example.org")
    page.check("input[name=value_domains][value=groen]")
    for field, value in {
        "people_reached": "120",
        "volunteers": "8",
        "paid_staff": "0",
        "paid_fte": "0",
        "income_subsidy": "50",
        "income_funds": "50",
        "income_sales": "0",
        "income_contributions": "0",
        "income_other": "0",
    }.items():
        page.fill(f"#id_{field}", value)
    page.get_by_role("button", name="Initiatief aanmelden").click()

    # Then the confirmation names the home portal, and the initiative is stored in Zeeland's schema
    assert page.get_by_role("heading", name="Aanmelding ontvangen").is_visible()
    assert "MAEX Zeeland" in page.content()
    page.screenshot(path=str(tmp_path / "registered.png"), full_page=True)
    uuids = committed(_uuids_named, "zeeland", "Browsertuin Vlissingen (test)")
    committed.cleanup(_remove_initiatives, "zeeland", uuids)
    assert len(uuids) == 1


def _uuids_named(schema, name):
    with schema_context(schema):
        return list(Initiative.objects.filter(name=name).values_list("uuid", flat=True))


PAGES = [
    "/",
    "/initiatieven/",
    "/stand-van-het-land/",
    "/account/login/",
    "/account/signup/",
    "/account/password/reset/",
    "/prijslijst/",
    "/waardenweb/",
    "/vergelijk/",
    "/portalen/",
    "/kaart/",
    "/graadmeter/",
    "/graadmeter/methode/",
]


def _graadmeter_of_two_days():
    """Two takes, so the koers chart has a line; removed again (the series only grows forward)."""
    import datetime

    from valuation.graadmeter import take

    today = datetime.date.today()
    take(today - datetime.timedelta(days=1))
    take(today)


def _forget_graadmeter():
    from national_index.models import GraadmeterLevel, GraadmeterMember

    GraadmeterLevel.objects.all().delete()
    GraadmeterMember.objects.all().delete()


def _edition(schema):
    """A published edition of the portal's own area, with the Stand's sections and the differences section."""
    from cms import services
    from cms.models import HomePage

    with schema_context(schema):
        index = services.ensure_editions_index(HomePage.objects.get())
        services.add_edition(index, 2026, intro="<p>Een editie om te lezen.</p>")


def _remove_edition(schema):
    from cms.models import EditionIndexPage

    with schema_context(schema):
        for index in EditionIndexPage.objects.all():
            index.delete()


@pytest.mark.parametrize("host", ["maex.localhost", "zeeland.localhost", "rotterdam.localhost", "denhaag.localhost"])
def test_public_pages_have_no_axe_violations(browser, web_server, committed, host):
    from axe_playwright_python.sync_playwright import Axe

    owner = committed(make_user)
    committed.cleanup(delete_account, owner)
    initiative, portal = committed(register, owner, VLISSINGEN)
    committed.cleanup(_remove_initiatives, portal.schema_name, [initiative.uuid])
    other, _ = committed(register, owner, VLISSINGEN)
    committed.cleanup(_remove_initiatives, portal.schema_name, [other.uuid])
    paths = [*PAGES, f"/vergelijk/?i={initiative.uuid}&i={other.uuid}"]
    committed.cleanup(_forget_graadmeter)
    committed(_graadmeter_of_two_days)
    if host in ("maex.localhost", "zeeland.localhost"):  # a yearly edition, with its index (decision 0035)
        schema = "landelijk" if host == "maex.localhost" else "zeeland"
        committed.cleanup(_remove_edition, schema)
        committed(_edition, schema)
        paths += ["/edities/", "/edities/2026/"]
    if host == "zeeland.localhost":
        paths.append(f"/initiatieven/{initiative.slug}/")
    if host in ("maex.localhost", "zeeland.localhost"):  # areas side by side and a report (decision 0036)
        paths += [
            f"/vergelijk/gebieden/?gebied=portal:zeeland&gebied=gemeente:{VLISSINGEN}",
            f"/rapport/gemeente:{VLISSINGEN}/",
        ]
    page = browser.new_page()
    problems = {}
    for path in paths:
        response = page.goto(web_server.url(host, path))
        assert response.status == 200, f"{path}: {response.status}"  # axe finds nothing wrong on an error page
        results = Axe().run(
            page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
        )
        if results.violations_count:
            problems[path] = results.generate_report()
    assert not problems, "\n\n".join(f"{p}:\n{r}" for p, r in problems.items())


# Each chart's labels as the browser lays them out: the label's box (in the chart's own units) must lie inside the
# viewBox, else the browser cuts it off; and its text must print at a readable size.
_LABELS_OUTSIDE = """() => [...document.querySelectorAll("figure.chart > svg")].flatMap((svg) => {
  const view = svg.viewBox.baseVal;
  const scale = svg.getBoundingClientRect().width / view.width;
  return [...svg.querySelectorAll("text")].flatMap((text) => {
    const box = text.getBBox();
    const size = parseFloat(getComputedStyle(text).fontSize) * scale;
    const inside = box.x >= view.x && box.y >= view.y && box.x + box.width <= view.x + view.width
      && box.y + box.height <= view.y + view.height;
    return inside && size >= 9 ? [] : [`${text.textContent}: box ${box.x},${box.y},${box.width},${box.height}`
      + ` in ${view.x},${view.y},${view.width},${view.height}; ${size.toFixed(1)} px`];
  });
})"""


@pytest.mark.parametrize("width", [320, 1280], ids=["phone", "desktop"])
def test_chart_labels_are_whole_and_readable_at_every_width(browser, web_server, committed, width):
    owner = committed(make_user)
    committed.cleanup(delete_account, owner)
    initiative, portal = committed(register, owner, VLISSINGEN)
    other, _ = committed(register, owner, VLISSINGEN)
    committed.cleanup(_remove_initiatives, portal.schema_name, [initiative.uuid, other.uuid])
    page = browser.new_page(viewport={"width": width, "height": 900})
    for language in ("nl", "en"):  # the English domain names are the longest
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": web_server.url("zeeland.localhost")}]
        )
        for path in (
            f"/initiatieven/{initiative.slug}/",
            f"/vergelijk/?i={initiative.uuid}&i={other.uuid}",
            "/waardenweb/",
        ):
            page.goto(web_server.url("zeeland.localhost", path))
            assert page.locator("figure.chart > svg text").count() >= 8, path
            assert page.evaluate(_LABELS_OUTSIDE) == [], f"{language} {path}"
