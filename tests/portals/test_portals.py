"""The portal registry: one portal per municipality, and portals created by cloning the template schema,
all or nothing."""

import pytest
from django.db import IntegrityError, connection, transaction
from django_tenants.utils import schema_context

from portals.services import create_portal
from tenants.middleware import forget_host
from tenants.models import Coverage, Domain, Portal
from tenants.services import set_coverage
from tests.support import AMSTERDAM, UTRECHT, VLISSINGEN, make_user, municipality, register


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name])
        return cursor.fetchone() is not None


def _tables_in(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def hosts():
    """Host names a test uses for new portals; their cached lookups are forgotten afterwards."""
    used = []
    yield used
    for host in used:
        forget_host(host)


def test_a_municipality_covered_by_one_portal_cannot_be_covered_by_another(zeeland, rotterdam):
    # Given Vlissingen, which Zeeland covers
    assert Coverage.objects.get(municipality__cbs_code=VLISSINGEN).portal == zeeland
    # When Rotterdam's portal is given Vlissingen too
    with pytest.raises(IntegrityError), transaction.atomic():
        set_coverage(rotterdam, [VLISSINGEN])
    # Then the database refused it and Vlissingen still belongs to Zeeland alone
    assert list(
        Coverage.objects.filter(municipality__cbs_code=VLISSINGEN).values_list("portal__schema_name", flat=True)
    ) == ["zeeland"]


def test_an_uncovered_municipality_can_be_given_to_a_portal(rotterdam):
    # Given Utrecht, which no portal covers
    assert not Coverage.objects.filter(municipality__cbs_code=UTRECHT).exists()
    # When Rotterdam's portal starts covering it
    added = set_coverage(rotterdam, [UTRECHT])
    # Then Utrecht's home portal is Rotterdam's
    from tenants.selectors import home_portal_for

    assert added == 1
    assert home_portal_for(municipality(UTRECHT)).schema_name == "rotterdam"


def test_unknown_municipality_codes_are_refused(rotterdam):
    with pytest.raises(ValueError, match="GM9999"):
        set_coverage(rotterdam, ["GM9999"])
    assert Coverage.objects.filter(portal=rotterdam).count() == 1


def test_create_portal_clones_the_template_with_its_own_site_and_roles(zeeland, client_for, hosts):
    # When a new portal is created
    hosts += ["utrecht-test.localhost", "www.utrecht-test.localhost"]
    created = create_portal(
        schema_name="utrecht_test",
        name="MAEX Utrecht (test)",
        kind="municipality",
        hosts=hosts,
        municipality_codes=[UTRECHT],
    )
    portal = created.portal
    # Then its schema exists with the tenant tables, cloned from the template
    assert _schema_exists("utrecht_test")
    tables = _tables_in("utrecht_test")
    assert {"initiatives_initiative", "wagtailcore_page", "wagtailcore_site", "roles_membership"} <= tables
    assert _tables_in("template") - tables == set()
    # and it is not a copy of the shared core
    assert "tenants_portal" not in tables and "national_index_indexentry" not in tables
    # and its Wagtail site answers on the portal's primary domain, not on the template's 'localhost'
    from wagtail.models import Site

    with schema_context("utrecht_test"):
        sites = list(Site.objects.values_list("hostname", "is_default_site", "root_page__title"))
        from django.contrib.auth.models import Group

        groups = set(Group.objects.values_list("name", flat=True))
    assert sites == [("utrecht-test.localhost", True, "MAEX Utrecht (test)")]
    assert {"Portaalbeheerder", "Redacteur", "Fondsbeheerder"} <= groups
    assert "Landelijk beheerder" not in groups  # national roles exist on the national portal only
    # and another portal's site is a separate one, untouched
    with schema_context("zeeland"):
        assert list(Site.objects.values_list("hostname", flat=True)) == ["zeeland.localhost"]
    # and the domains and coverage are registered, the first host primary
    assert portal.primary_host == "utrecht-test.localhost"
    assert set(Domain.objects.filter(tenant=portal).values_list("domain", "is_primary")) == {
        ("utrecht-test.localhost", True),
        ("www.utrecht-test.localhost", False),
    }
    assert Coverage.objects.get(municipality__cbs_code=UTRECHT).portal == portal
    # and the new website answers on its primary domain with its own home page; the other one leads there
    response = client_for(portal).get("/", HTTP_HOST="utrecht-test.localhost")
    assert response.status_code == 200
    assert "MAEX Utrecht (test)" in response.content.decode()
    response = client_for(portal).get("/", HTTP_HOST="www.utrecht-test.localhost")
    assert (response.status_code, response["Location"]) == (301, portal.absolute_url("/"))
    # and initiatives in its municipality now register there
    initiative, home = register(make_user(), UTRECHT)
    assert home.schema_name == "utrecht_test"
    with schema_context("utrecht_test"):
        from initiatives.models import Initiative

        assert Initiative.objects.filter(uuid=initiative.uuid).exists()


def test_two_portals_each_get_their_own_site(db, client_for, hosts):
    hosts += ["een-test.localhost", "twee-test.localhost"]
    one = create_portal(schema_name="een_test", name="Portaal Een", kind="region", hosts=[hosts[0]]).portal
    two = create_portal(schema_name="twee_test", name="Portaal Twee", kind="region", hosts=[hosts[1]]).portal
    from wagtail.models import Site

    for portal, host in ((one, hosts[0]), (two, hosts[1])):
        with schema_context(portal.schema_name):
            assert list(Site.objects.values_list("hostname", "root_page__title")) == [(host, portal.name)]
    # Each domain serves its own home page (no site root cached across portals)
    first = client_for(one).get("/").content.decode()
    second = client_for(two).get("/").content.decode()
    assert "Portaal Een" in first and "Portaal Twee" not in first
    assert "Portaal Twee" in second and "Portaal Een" not in second


@pytest.mark.parametrize(
    ("codes", "error"),
    [([UTRECHT, VLISSINGEN], IntegrityError), ([AMSTERDAM, "GM9999"], ValueError)],
    ids=["coverage-clash", "unknown-code"],
)
def test_create_portal_is_all_or_nothing(codes, error, zeeland, hosts):
    # Given coverage that cannot be granted (Vlissingen is Zeeland's; GM9999 does not exist)
    hosts += ["mislukt-test.localhost"]
    portals_before = Portal.objects.count()
    # When a portal is created with it
    with pytest.raises(error), transaction.atomic():
        create_portal(schema_name="mislukt_test", name="Mislukt", kind="region", hosts=hosts, municipality_codes=codes)
    # Then nothing of it remains: no portal row, no schema, no domain, no coverage
    assert not Portal.objects.filter(schema_name="mislukt_test").exists()
    assert Portal.objects.count() == portals_before
    assert not _schema_exists("mislukt_test")
    assert not Domain.objects.filter(domain="mislukt-test.localhost").exists()
    assert not Coverage.objects.filter(municipality__cbs_code__in=[UTRECHT, AMSTERDAM]).exists()
    assert Coverage.objects.get(municipality__cbs_code=VLISSINGEN).portal == zeeland
    # and the same schema name and host can be used for a good attempt straight after
    good = create_portal(schema_name="mislukt_test", name="Gelukt", kind="region", hosts=hosts)
    assert _schema_exists("mislukt_test") and good.portal.primary_host == "mislukt-test.localhost"
