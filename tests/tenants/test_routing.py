"""Choosing the portal from the request's host: unknown and inactive portals answer 404."""

import pytest

from tenants.middleware import forget_host
from tenants.models import Portal


@pytest.mark.parametrize("path", ["/", "/initiatieven/", "/api/v1/initiatives", "/beheer/"])
def test_an_unknown_host_answers_404(db, client, path):
    response = client.get(path, HTTP_HOST="onbekend.localhost")
    assert response.status_code == 404


def test_every_portal_answers_on_its_own_host(national, zeeland, rotterdam, denhaag, client_for):
    for portal in (national, zeeland, rotterdam, denhaag):
        response = client_for(portal).get("/initiatieven/")
        assert response.status_code == 200, portal.schema_name
        assert response.context["request"].tenant.schema_name == portal.schema_name


def test_an_inactive_portal_answers_404(denhaag, client_for):
    # Given Den Haag's portal answers while active (and its lookup is cached)
    assert client_for(denhaag).get("/initiatieven/").status_code == 200
    # When it is switched off
    Portal.objects.filter(pk=denhaag.pk).update(is_active=False)
    forget_host(denhaag.primary_host)
    try:
        # Then its website answers 404
        assert client_for(denhaag).get("/initiatieven/").status_code == 404
        assert client_for(denhaag).get("/").status_code == 404
        # and an inactive portal stays 404 while its (inactive) lookup is cached
        assert client_for(denhaag).get("/initiatieven/").status_code == 404
    finally:
        forget_host(denhaag.primary_host)


def test_the_template_portal_serves_no_website(db, client):
    from tenants.models import Domain

    # The template has no domain; even given one it would be inactive
    assert not Domain.objects.filter(tenant__schema_name="template").exists()
    assert not Portal.objects.get(schema_name="template").is_active
