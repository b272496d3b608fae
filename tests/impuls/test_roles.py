"""The fund manager's permissions on MAEX Impuls, in its own portal only."""

from django_tenants.utils import schema_context

from accounts.models import User
from tests.support import make_user, with_role


def test_a_fund_manager_runs_the_impuls_of_its_own_portal_only(zeeland, rotterdam):
    # Given a fund manager of Zeeland (the role groups as sync_roles made them)
    person = with_role(make_user(), zeeland, "fund_manager")
    # Then in Zeeland they may run rounds and decide applications and payouts, but not change the ledger
    with schema_context("zeeland"):
        fresh = User.objects.get(pk=person.pk)
        assert fresh.has_perms(["impuls.add_round", "impuls.change_commitment", "impuls.decide_application"])
        assert fresh.has_perm("impuls.pay_payout") and fresh.has_perm("impuls.view_ledgerentry")
        assert not fresh.has_perm("impuls.change_ledgerentry") and not fresh.has_perm("impuls.delete_ledgerentry")
        assert not fresh.has_perm("initiatives.review_initiative")
    # And in Rotterdam nothing
    with schema_context("rotterdam"):
        assert not User.objects.get(pk=person.pk).has_perm("impuls.view_round")
