"""Portals are isolated: roles, admin access and cache entries of one portal mean nothing in another.

``has_perm`` caches permissions on the user object, so each check fetches the person afresh.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django_tenants.utils import schema_context

from tests.support import make_user, with_role

User = get_user_model()


def _fresh_perm(user, perm: str, schema: str) -> bool:
    with schema_context(schema):
        return User.objects.get(pk=user.pk).has_perm(perm)


def test_an_editor_of_zeeland_has_editor_rights_in_zeeland_only(zeeland, rotterdam, denhaag, national):
    editor = with_role(make_user(), zeeland, "editor")
    for perm in ("initiatives.review_initiative", "initiatives.change_initiative", "wagtailadmin.access_admin"):
        assert _fresh_perm(editor, perm, "zeeland"), perm
        for schema in ("rotterdam", "denhaag", "landelijk"):
            assert not _fresh_perm(editor, perm, schema), (perm, schema)


def test_a_person_without_roles_has_no_rights_anywhere(zeeland):
    person = make_user()
    for schema in ("zeeland", "rotterdam", "landelijk"):
        assert not _fresh_perm(person, "initiatives.review_initiative", schema)
        assert not _fresh_perm(person, "wagtailadmin.access_admin", schema)


def test_roles_in_two_portals_are_independent(zeeland, rotterdam):
    # Given someone who is editor in Zeeland and fund manager in Rotterdam
    person = with_role(with_role(make_user(), zeeland, "editor"), rotterdam, "fund_manager")
    # Then in Rotterdam they have the admin but not the editor's right to review
    assert _fresh_perm(person, "wagtailadmin.access_admin", "rotterdam")
    assert not _fresh_perm(person, "initiatives.review_initiative", "rotterdam")
    assert _fresh_perm(person, "initiatives.review_initiative", "zeeland")
    with schema_context("rotterdam"):
        assert set(User.objects.get(pk=person.pk).groups.values_list("name", flat=True)) == {"Fondsbeheerder"}
    with schema_context("zeeland"):
        assert set(User.objects.get(pk=person.pk).groups.values_list("name", flat=True)) == {"Redacteur"}


def test_national_roles_exist_on_the_national_portal_only(national, zeeland):
    analyst = with_role(make_user(), national, "national_analyst")
    assert _fresh_perm(analyst, "roles.view_national_index", "landelijk")
    assert not _fresh_perm(analyst, "roles.view_national_index", "zeeland")
    from django.contrib.auth.models import Group

    with pytest.raises(Group.DoesNotExist):
        with_role(make_user(), zeeland, "national_analyst")


def test_roles_cannot_be_assigned_in_the_public_schema(db):
    from roles.services import assign_role

    with pytest.raises(RuntimeError):
        assign_role(make_user(), "editor")


def test_an_editor_of_zeeland_reaches_zeelands_admin_but_not_rotterdams(zeeland, rotterdam, client_for):
    editor = with_role(make_user(), zeeland, "editor")
    # On Zeeland the admin opens
    response = client_for(zeeland, editor).get("/beheer/")
    assert response.status_code == 200
    # On Rotterdam the same person is turned away (sent to sign in, or forbidden), never shown the admin
    response = client_for(rotterdam, editor).get("/beheer/")
    assert response.status_code == 302 and response["Location"] == "/beheer/login/?next=/beheer/"
    followed = client_for(rotterdam, editor).get("/beheer/", follow=True)
    assert followed.request["PATH_INFO"] == "/beheer/login/"
    # Nor can they open Rotterdam's pages in the admin
    pages = client_for(rotterdam, editor).get("/beheer/pages/")
    assert pages.status_code == 302 and pages["Location"] == "/beheer/login/?next=/beheer/pages/"


def test_an_editor_of_zeeland_reviews_initiatives_in_zeeland_only(zeeland, rotterdam, client_for):
    from tests.support import ROTTERDAM, VLISSINGEN, register

    editor = with_role(make_user(), zeeland, "editor")
    in_zeeland, _ = register(make_user(), VLISSINGEN, publish=False)
    in_rotterdam, _ = register(make_user(), ROTTERDAM, publish=False)
    # An unpublished initiative is visible to its portal's editor ...
    assert client_for(zeeland, editor).get(f"/initiatieven/{in_zeeland.slug}/").status_code == 200
    assert client_for(zeeland, editor).get(f"/initiatieven/{in_zeeland.slug}/bewerken/").status_code == 200
    # ... but not to the editor of another portal
    assert client_for(rotterdam, editor).get(f"/initiatieven/{in_rotterdam.slug}/").status_code == 404
    assert client_for(rotterdam, editor).get(f"/initiatieven/{in_rotterdam.slug}/bewerken/").status_code == 403


@pytest.fixture
def clean_cache_keys():
    keys = []
    yield keys
    for schema in ("zeeland", "rotterdam", "public"):
        with schema_context(schema):
            cache.delete_many(keys)


def test_cache_entries_are_per_portal(db, clean_cache_keys):
    clean_cache_keys.append("isolatie-test:sleutel")
    with schema_context("zeeland"):
        cache.set("isolatie-test:sleutel", "van zeeland", 60)
        assert cache.get("isolatie-test:sleutel") == "van zeeland"
    with schema_context("rotterdam"):
        assert cache.get("isolatie-test:sleutel") is None
        cache.set("isolatie-test:sleutel", "van rotterdam", 60)
    with schema_context("zeeland"):
        assert cache.get("isolatie-test:sleutel") == "van zeeland"
    assert cache.get("isolatie-test:sleutel") is None  # nor in public


@pytest.mark.parametrize("key", ["allauth:login_failed:test-isolatie", "maex-global:test-isolatie"])
def test_allauth_and_global_cache_keys_are_shared_by_every_portal(db, key, clean_cache_keys):
    clean_cache_keys.append(key)
    with schema_context("zeeland"):
        cache.set(key, 3, 60)
    with schema_context("rotterdam"):
        assert cache.get(key) == 3
        cache.incr(key)
    assert cache.get(key) == 4
    with schema_context("zeeland"):
        assert cache.get(key) == 4
