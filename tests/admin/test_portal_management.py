"""National portal management: only in the national portal's admin, only for national admins."""

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from tenants.middleware import domain_cache_key
from tenants.models import Coverage, Domain, Portal
from tests.support import UTRECHT, VLISSINGEN, make_user, municipality, with_role

PORTALS = "/beheer/portalen/"


def edit_url(portal):
    return f"{PORTALS}edit/{portal.pk}/"


def scope_url(portal):
    return f"{PORTALS}{portal.pk}/domeinen-en-dekking/"


def staff():
    user = make_user()
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


def edit_data(portal, **overrides):
    data = {"name": portal.name, "kind": portal.kind, "is_active": "on"}
    if portal.review_required:
        data["review_required"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def national_admin(national, client_for):
    return client_for(national, with_role(make_user(), national, "national_admin"))


def test_a_national_admin_lists_the_portals_with_their_domains_and_coverage(national_admin):
    response = national_admin.get(PORTALS)
    html = response.content.decode()
    assert response.status_code == 200
    for name, host in [("MAEX Zeeland", "zeeland.localhost"), ("MAEX Rotterdam", "rotterdam.localhost")]:
        assert name in html and host in html
    assert "Sjabloon" not in html  # the template schema is no portal
    assert PORTALS in national_admin.get("/beheer/").content.decode()  # the menu item


def test_a_national_admin_switches_review_off_for_one_portal(national_admin, zeeland, rotterdam):
    assert national_admin.get(edit_url(zeeland)).status_code == 200
    # When the national admin turns "review first" off for Zeeland
    response = national_admin.post(edit_url(zeeland), edit_data(zeeland, review_required=None))
    # Then Zeeland publishes at once from now on, and Rotterdam still reviews first
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Portal.objects.get(pk=zeeland.pk).review_required is False
    assert Portal.objects.get(pk=rotterdam.pk).review_required is True


def test_a_registration_follows_the_portals_setting(national_admin, zeeland):
    from tests.support import register

    national_admin.post(edit_url(zeeland), edit_data(zeeland, review_required=None))
    initiative, _ = register(code=VLISSINGEN, publish=False)
    assert initiative.is_published


def test_the_national_portal_cannot_be_switched_off(national_admin, national):
    response = national_admin.post(edit_url(national), edit_data(national, is_active=None))
    assert response.status_code == 200
    assert "Het landelijke portaal kan niet worden uitgeschakeld." in response.content.decode()
    assert Portal.objects.get(pk=national.pk).is_active


def test_a_national_admin_adds_and_removes_coverage(national_admin, rotterdam):
    utrecht = municipality(UTRECHT)
    assert national_admin.get(scope_url(rotterdam)).status_code == 200
    response = national_admin.post(
        scope_url(rotterdam), {"action": "add_coverage", "coverage-municipality": utrecht.pk}
    )
    assert response.status_code == 302
    coverage = Coverage.objects.get(municipality=utrecht)
    assert coverage.portal_id == rotterdam.pk
    assert "Utrecht" in national_admin.get(scope_url(rotterdam)).content.decode()
    response = national_admin.post(scope_url(rotterdam), {"action": "remove_coverage", "coverage_id": coverage.pk})
    assert response.status_code == 302
    assert not Coverage.objects.filter(municipality=utrecht).exists()


def test_a_municipality_another_portal_covers_gives_a_form_error_and_changes_nothing(national_admin, rotterdam):
    vlissingen = municipality(VLISSINGEN)
    before = list(Coverage.objects.order_by("pk").values_list("portal_id", "municipality_id"))
    # When the national admin gives Rotterdam Vlissingen, which Zeeland covers
    response = national_admin.post(
        scope_url(rotterdam), {"action": "add_coverage", "coverage-municipality": vlissingen.pk}
    )
    # Then the form says so, in Dutch, and the coverage is unchanged
    assert response.status_code == 400
    assert "Vlissingen valt al onder portaal MAEX Zeeland" in response.content.decode()
    assert list(Coverage.objects.order_by("pk").values_list("portal_id", "municipality_id")) == before


def test_the_service_turns_a_lost_race_into_the_same_message(rotterdam, zeeland):
    """The form checked first; a concurrent request may still win. The database constraint decides."""
    from portals import services

    with pytest.raises(services.PortalChangeRefused, match="valt al onder portaal MAEX Zeeland"):
        services.add_coverage(rotterdam, municipality(VLISSINGEN))
    assert Coverage.objects.get(municipality__cbs_code=VLISSINGEN).portal_id == zeeland.pk


def test_a_new_primary_domain_moves_the_portals_links(
    national_admin, zeeland, tasks_run_at_once, django_capture_on_commit_callbacks
):
    from wagtail.models import Site

    from national_index.models import IndexEntry
    from tests.support import register

    initiative, _home = register(make_user(), VLISSINGEN)
    path = f"/initiatieven/{initiative.slug}/"
    assert IndexEntry.objects.get(uuid=initiative.uuid).url == f"{zeeland.absolute_url(path)}"
    cache.set(domain_cache_key("zeeland.localhost"), "oud", 60)
    # When the national admin gives Zeeland a new primary domain
    with django_capture_on_commit_callbacks(execute=True):
        response = national_admin.post(
            scope_url(zeeland),
            {"action": "add_domain", "domain-domain": " Zeeland.MAEX.test ", "domain-is_primary": "on"},
        )
    # Then it is Zeeland's primary domain, the old one stays as an alias, Zeeland's Wagtail site carries it,
    # the cached host lookups are forgotten and the index rows are re-projected from Zeeland's schema
    assert response.status_code == 302, response.content.decode()[:3000]
    domains = dict(Domain.objects.filter(tenant=zeeland).values_list("domain", "is_primary"))
    assert domains == {"zeeland.maex.test": True, "zeeland.localhost": False}
    with schema_context("zeeland"):
        assert Site.objects.get(is_default_site=True).hostname == "zeeland.maex.test"
    assert cache.get(domain_cache_key("zeeland.localhost")) is None
    # and Zeeland's index rows link to the new domain (the re-projection task ran in Zeeland's schema)
    zeeland = Portal.objects.with_domains().get(pk=zeeland.pk)
    assert IndexEntry.objects.get(uuid=initiative.uuid).url == zeeland.absolute_url(path)
    assert zeeland.absolute_url(path).startswith("http://zeeland.maex.test")
    # When the old domain is removed
    old = Domain.objects.get(domain="zeeland.localhost")
    with django_capture_on_commit_callbacks(execute=True):
        response = national_admin.post(scope_url(zeeland), {"action": "remove_domain", "domain_id": old.pk})
    assert response.status_code == 302
    assert list(Domain.objects.filter(tenant=zeeland).values_list("domain", flat=True)) == ["zeeland.maex.test"]
    assert IndexEntry.objects.get(uuid=initiative.uuid).url == zeeland.absolute_url(path)


def test_bad_or_taken_domains_and_the_primary_domain_are_refused(national_admin, zeeland):
    before = list(Domain.objects.order_by("pk").values_list("domain", "tenant_id", "is_primary"))
    taken = national_admin.post(scope_url(zeeland), {"action": "add_domain", "domain-domain": "rotterdam.localhost"})
    bad = national_admin.post(scope_url(zeeland), {"action": "add_domain", "domain-domain": "https://x.nl/pad"})
    primary = Domain.objects.get(domain="zeeland.localhost")
    removing = national_admin.post(scope_url(zeeland), {"action": "remove_domain", "domain_id": primary.pk})
    assert taken.status_code == bad.status_code == removing.status_code == 400
    assert "Dit domein is al in gebruik." in taken.content.decode()
    assert "Vul een geldige hostnaam in" in bad.content.decode()
    assert "Het primaire domein kan niet worden verwijderd" in removing.content.decode()
    assert list(Domain.objects.order_by("pk").values_list("domain", "tenant_id", "is_primary")) == before


@pytest.mark.parametrize("who", ["portal_admin", "superuser"])
def test_the_same_urls_do_not_exist_in_a_regional_portals_admin(who, zeeland, rotterdam, client_for):
    # Given Zeeland's portal admin (or platform staff) in Zeeland's admin
    user = staff() if who == "superuser" else with_role(make_user(), zeeland, "portal_admin")
    client = client_for(zeeland, user)
    before = list(Portal.objects.order_by("pk").values_list("name", "review_required"))
    coverage_before = Coverage.objects.count()
    # When they try the national management URLs there
    responses = [
        client.get(PORTALS),
        client.get(edit_url(zeeland)),
        client.post(edit_url(zeeland), edit_data(zeeland, name="Gekaapt", review_required=None)),
        client.get(scope_url(rotterdam)),
        client.post(scope_url(zeeland), {"action": "add_coverage", "coverage-municipality": municipality(UTRECHT).pk}),
    ]
    # Then they do not exist there, the menu does not offer them, and nothing changed
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert PORTALS not in client.get("/beheer/").content.decode()
    assert list(Portal.objects.order_by("pk").values_list("name", "review_required")) == before
    assert Coverage.objects.count() == coverage_before


def test_a_national_admin_has_no_say_in_a_regional_portals_admin(national, zeeland, client_for):
    client = client_for(zeeland, with_role(make_user(), national, "national_admin"))
    response = client.get(PORTALS)
    # the national role counts on the national portal only: in Zeeland's admin they are sent to sign in
    assert response.status_code == 302 and response["Location"] == f"/beheer/login/?next={PORTALS}"


@pytest.mark.parametrize("role", [None, "editor"])
def test_national_people_without_manage_portals_get_no_access(role, national, zeeland, client_for):
    user = make_user()
    if role:
        with_role(user, national, role)
    client = client_for(national, user)
    responses = [
        client.get(PORTALS),
        client.get(edit_url(zeeland)),
        client.post(edit_url(zeeland), edit_data(zeeland, review_required=None)),
        client.post(scope_url(zeeland), {"action": "add_coverage", "coverage-municipality": municipality(UTRECHT).pk}),
    ]
    # without a role: sent to sign in; an editor (admin access, not this permission): to the admin home
    for response in responses:
        assert response.status_code == 302, response
        if role:
            assert response["Location"] == "/beheer/"
        else:
            assert response["Location"].startswith("/beheer/login/?next=/beheer/portalen/")
    assert Portal.objects.get(pk=zeeland.pk).review_required is True
    assert not Coverage.objects.filter(municipality__cbs_code=UTRECHT).exists()
    if role:
        assert PORTALS not in client.get("/beheer/").content.decode()


def test_platform_staff_may_manage_portals_in_the_national_admin(national, client_for):
    client = client_for(national, staff())
    response = client.get(PORTALS)
    assert response.status_code == 200
    listed = response.content.decode()
    assert all(name in listed for name in ("MAEX Zeeland", "MAEX Rotterdam", "MAEX Den Haag"))
    assert f'href="{edit_url(Portal.objects.get(schema_name="zeeland"))}"' in listed


def test_portals_cannot_be_added_or_deleted_here(national_admin, zeeland):
    portals = Portal.objects.count()
    assert national_admin.get(f"{PORTALS}new/")["Location"] == "/beheer/"
    assert national_admin.post(f"{PORTALS}delete/{zeeland.pk}/")["Location"] == "/beheer/"
    assert Portal.objects.filter(pk=zeeland.pk).exists() and Portal.objects.count() == portals


def test_coverage_changes_move_the_municipalitys_initiatives_and_keep_their_old_urls(
    national_admin, national, rotterdam, client_for
):
    from initiatives.models import Initiative
    from national_index.models import IndexEntry
    from tests.support import register

    # Given a published initiative in Utrecht, at home on the national portal
    initiative, home = register(make_user(), UTRECHT)
    assert home.pk == national.pk
    utrecht = municipality(UTRECHT)

    # When a national admin lets Rotterdam cover Utrecht
    response = national_admin.post(
        scope_url(rotterdam), {"action": "add_coverage", "coverage-municipality": utrecht.pk}, follow=True
    )

    # Then the initiative moved with its identity, the index follows, and its old URL redirects there
    assert "1 initiatief is meeverhuisd" in response.content.decode()
    with schema_context("rotterdam"):
        assert Initiative.objects.filter(uuid=initiative.uuid).exists()
    with schema_context("landelijk"):
        assert not Initiative.objects.filter(uuid=initiative.uuid).exists()
    assert IndexEntry.objects.get(uuid=initiative.uuid).portal_id == rotterdam.pk
    old = client_for(national).get(f"/initiatieven/{initiative.slug}/")
    assert old.status_code == 301 and old["Location"].startswith(rotterdam.absolute_url("/initiatieven/"))

    # When Rotterdam stops covering Utrecht, the initiative goes back to the national portal
    coverage = Coverage.objects.get(municipality=utrecht)
    national_admin.post(scope_url(rotterdam), {"action": "remove_coverage", "coverage_id": coverage.pk})
    assert IndexEntry.objects.get(uuid=initiative.uuid).portal_id == national.pk
    with schema_context("landelijk"):
        assert Initiative.objects.filter(uuid=initiative.uuid).exists()
