"""The API carries the valuation: euro amounts only where the home portal makes them public, shares always."""

from decimal import Decimal

from tenants.middleware import forget_host
from tenants.models import Portal
from tests.support import VLISSINGEN, make_user, register


def test_amounts_follow_the_home_portal_and_shares_are_always_public(zeeland, national, client_for):
    initiative, _ = register(make_user(), VLISSINGEN)
    api = client_for(national)

    hidden = api.get(f"/api/v1/initiatives/{initiative.uuid}").json()
    assert hidden["social_value"] is None and hidden["value_by_domain"] is None and hidden["value_by_sdg"] is None
    shares = {k: Decimal(v) for k, v in hidden["share_by_domain"].items()}
    assert shares and abs(sum(shares.values()) - 100) <= Decimal("0.1") * len(shares)
    assert hidden["valued_with"] == initiative.valued_with

    Portal.objects.filter(pk=zeeland.pk).update(show_amounts=True)
    forget_host("maex.localhost")
    shown = api.get(f"/api/v1/initiatives/{initiative.uuid}").json()
    assert Decimal(shown["social_value"]) == initiative.social_value
    assert {k: Decimal(v) for k, v in shown["value_by_domain"].items()} == {
        k: Decimal(v) for k, v in initiative.value_by_domain.items()
    }
