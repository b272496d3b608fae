"""The MAEX Impuls demo per regional portal, made through the services and only once
(docs/decisions/0028-impuls-accountability-projection-reminders.md)."""

import random
from datetime import date
from types import SimpleNamespace

from django.core.validators import URLValidator
from django_tenants.utils import schema_context
from wagtail.models import Site

from demo import content
from demo import impuls as demo_impuls
from demo.profiles import profile_data
from impuls.models import Accountability, Application, Commitment, ImpulsSettings, LedgerEntry, Payout, Round
from impuls.payouts import debtor_account
from impuls.selectors import reconcile
from national_index.models import ImpulsAward
from tests.support import make_user, register

TODAY = date(2026, 12, 3)


def _state():
    with schema_context("zeeland"):
        return {
            "rounds": sorted(Round.objects.values_list("slug", flat=True)),
            "applications": Application.objects.count(),
            "ledger": LedgerEntry.objects.count(),
            "accounted": Accountability.objects.count(),
            "awards": ImpulsAward.objects.filter(portal__schema_name="zeeland").count(),
        }


def test_the_impuls_demo_is_made_once_with_a_late_payout_and_an_overdue_accountability(zeeland):
    # Given four published initiatives in Zeeland
    owner = make_user()
    for _ in range(4):
        register(owner)
    # When the demo is seeded twice
    first = demo_impuls.ensure_impuls(owner, schemas=["zeeland"], today=TODAY)
    state = _state()
    second = demo_impuls.ensure_impuls(owner, schemas=["zeeland"], today=TODAY)
    # Then the second run made nothing and changed nothing
    assert first == {"zeeland": ["Impuls voorjaar (demo)", "Impuls voor versterking (demo)"]}
    assert second == {"zeeland": []}
    assert _state() == state
    assert state["applications"] == 4 and state["accounted"] == 2 and state["awards"] == 4
    with schema_context("zeeland"):
        # And the money went through the ledger, which agrees with the balances
        assert reconcile() == []
        # And of the closed round's payouts one was late, the others on time
        closed = list(Payout.objects.filter(application__round__slug="impuls-voorjaar-demo"))
        assert sum(p.paid_on > p.due_on for p in closed) == 1 and all(p.paid_on for p in closed)
        # And the open round's award of yesterday waits for its payout, to an account a SEPA file can pay from the
        # portal's fund account
        (waiting,) = Payout.objects.filter(paid_on__isnull=True)
        assert waiting.application.round.slug == "impuls-versterking-demo" and waiting.application.iban
        assert waiting.due_on > TODAY
        assert debtor_account(ImpulsSettings.for_site(Site.objects.get(is_default_site=True))).iban
        # And the open round is open today with two funders whose criteria differ
        open_round = Round.objects.get(slug="impuls-versterking-demo")
        commitments = list(Commitment.objects.filter(round=open_round).order_by("id"))
        assert len(commitments) == 2
        assert commitments[0].legal_forms == [] and commitments[1].legal_forms == ["stichting"]
        assert commitments[1].sdgs and commitments[1].max_per_award_cents
    # And the national projection shows one accountability overdue, two given
    rows = ImpulsAward.objects.filter(portal__schema_name="zeeland")
    assert sum(r.accountability_state(TODAY) == "overdue" for r in rows) == 1
    assert sum(r.accountability_state(TODAY) == "accounted" for r in rows) == 2


def test_every_demo_portal_has_a_fund_manager_account():
    fund_managers = [a for a in content.ACCOUNTS["per_portal"] if "fund_manager" in a["roles"]]
    assert [a["email"] for a in fund_managers] == ["fondsen@{host}"]


def test_the_demo_keeps_a_fund_account_its_fund_managers_filled_in(zeeland):
    with schema_context("zeeland"):
        settings = ImpulsSettings.for_site(Site.objects.get(is_default_site=True))
        settings.account_name, settings.iban = "Eigen Fonds", "NL91 ABNA 0417 1643 00"
        settings.save()
    demo_impuls.ensure_impuls(make_user(), schemas=["zeeland"], today=TODAY)
    with schema_context("zeeland"):
        settings = ImpulsSettings.for_site(Site.objects.get(is_default_site=True))
        assert (settings.account_name, settings.iban) == ("Eigen Fonds", "NL91ABNA0417164300")


def test_a_demo_profile_has_the_website_and_phone_a_complete_profile_asks_for():
    # (MAEX Impuls asks a complete profile: without these no demo initiative could apply)
    fields = profile_data(7, SimpleNamespace(display_name="Vlissingen"), random.Random("profile-7"))["fields"]
    URLValidator()(fields["website"])
    assert fields["contact_phone"]
