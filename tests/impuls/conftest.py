"""Fixtures of the Impuls review, payout and report tests: people with a role in Zeeland, and their browsers."""

import pytest
from django_tenants.utils import schema_context

from tests.support import make_user, with_role

APPLICATIONS = "/beheer/impuls/aanvragen/"
PAYOUTS = "/beheer/impuls/uitbetalingen/"
REPORT = "/beheer/impuls/rapportage/"


@pytest.fixture
def manager(zeeland):
    return with_role(make_user(), zeeland, "fund_manager")


@pytest.fixture
def manager_client(zeeland, manager, client_for):
    return client_for(zeeland, manager)


@pytest.fixture
def applicant():
    return make_user()


@pytest.fixture
def fund_account(zeeland):
    """Zeeland's fund account (the debtor of the SEPA file)."""
    from wagtail.models import Site

    from impuls.models import ImpulsSettings

    with schema_context("zeeland"):
        settings = ImpulsSettings.for_site(Site.objects.get(is_default_site=True))
        settings.account_name = "Stichting Impuls Zeeland"
        settings.iban = "NL02 ABNA 0123 4567 89"
        settings.bic = "ABNANL2A"
        settings.save()
    return settings


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the decision mails) at once, inside the test's transaction:
    ``with sent(): ...``."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
