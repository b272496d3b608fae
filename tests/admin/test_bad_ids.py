"""A row id that is not a number, in a form of the national admin, is a 404 like an unknown id, not a 500."""

import pytest
from django.test import Client

from tenants.models import Coverage, Domain
from tests.support import make_user, sign_in_with_mfa, with_role


@pytest.mark.parametrize("action", ["remove_domain", "remove_coverage"])
@pytest.mark.parametrize("raw", ["abc", "1.5", "-1", "99999999999999999999999"])
def test_a_bad_id_removes_nothing_and_is_a_404(action, raw, national, rotterdam):
    # Given a national admin on the portal management screen of Rotterdam
    admin = with_role(make_user(), national, "national_admin")
    client = Client(HTTP_HOST=national.primary_host, raise_request_exception=False)
    sign_in_with_mfa(client, admin)  # staff reach the admin with their second factor

    def counts():
        return Domain.objects.filter(tenant=rotterdam).count(), Coverage.objects.filter(portal=rotterdam).count()

    before = counts()
    # When a removal is sent with an id that is no row's id
    response = client.post(
        f"/beheer/portalen/{rotterdam.pk}/domeinen-en-dekking/",
        {"action": action, "domain_id": raw, "coverage_id": raw},
    )
    # Then nothing is found, and nothing removed
    assert response.status_code == 404
    assert counts() == before
