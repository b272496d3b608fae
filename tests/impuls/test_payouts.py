"""The treasurer's screen: payouts due, late and paid, the SEPA file of the payouts due from the portal's fund
account, and marking payouts paid through the ledger (docs/decisions/0027)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from wagtail.models import Site

from impuls import payouts, review
from impuls.models import Application, ImpulsSettings, LedgerEntry, Payout
from impuls.selectors import reconcile
from tests.impuls.builders import make_round
from tests.impuls.conftest import PAYOUTS
from tests.impuls.review_builders import apply
from tests.support import count_queries, make_user, with_role

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def _approved(portal, round, applicant_user, amount=100_000, **kwargs) -> Payout:
    application = apply(round, applicant_user, amount, **kwargs)
    return review.approve(application, amount_cents=amount, portal=portal, by=None)


def _mine(zeeland, applicant_user, n=3, **kwargs) -> list[Payout]:
    with schema_context("zeeland"):
        round = make_round(2_000_000)
        return [_approved(zeeland, round, applicant_user, 100_000 + 10_000 * i, **kwargs) for i in range(n)]


def test_the_treasurer_exports_the_selected_payouts_as_a_sepa_file_from_the_funds_account(
    zeeland, manager_client, applicant_user, fund_account
):
    # Given three approved payouts, one of which has an IBAN that does not check out
    first, second, third = _mine(zeeland, applicant_user)
    with schema_context("zeeland"):
        Application.objects.filter(pk=third.application_id).update(iban="NL91ABNA0417164301")
    # When the treasurer exports the first two and the third
    response = manager_client.post(PAYOUTS, {"action": "export", "payout": [first.pk, second.pk, third.pk]})
    # Then they get a pain.001 file from the fund's account, to the applicants' IBANs, with the amounts in euros
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert "attachment" in response["Content-Disposition"]
    root = fromstring(response.content)
    debtor = root.find(".//p:PmtInf/p:DbtrAcct/p:Id/p:IBAN", NS).text
    assert debtor == "NL02ABNA0123456789"
    credited = {
        tx.find("p:CdtrAcct/p:Id/p:IBAN", NS).text: tx.find("p:Amt/p:InstdAmt", NS).text
        for tx in root.iterfind(".//p:CdtTrfTxInf", NS)
    }
    with schema_context("zeeland"):
        first_iban = Application.objects.get(pk=first.application_id).iban
        second_iban = Application.objects.get(pk=second.application_id).iban
    assert credited == {first_iban: "1000.00", second_iban: "1100.00"}
    assert root.find(".//p:GrpHdr/p:NbOfTxs", NS).text == "2"
    # And the invalid IBAN was left out, and only the exported payouts carry the export moment
    assert response["X-Impuls-Skipped"] == "1"
    with schema_context("zeeland"):
        exported = dict(Payout.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list("pk", "exported_at"))
    assert exported[first.pk] and exported[second.pk] and exported[third.pk] is None
    # And nothing was marked paid: an export moves no money
    with schema_context("zeeland"):
        assert not LedgerEntry.objects.filter(kind="payout").exists()


def test_exporting_all_due_payouts(zeeland, manager_client, applicant_user, fund_account):
    done = _mine(zeeland, applicant_user, n=2)
    with schema_context("zeeland"):
        payouts.mark_paid([done[0]], paid_on=payouts.today())
    response = manager_client.post(PAYOUTS, {"action": "export_all"})
    root = fromstring(response.content)
    # Only the unpaid one
    assert root.find(".//p:GrpHdr/p:NbOfTxs", NS).text == "1"


def test_without_a_fund_account_the_export_says_what_to_set(zeeland, manager_client, applicant_user):
    with schema_context("zeeland"):
        settings = ImpulsSettings.for_site(Site.objects.get(is_default_site=True))
        settings.iban = ""
        settings.save()
    [payout] = _mine(zeeland, applicant_user, n=1)
    response = manager_client.post(PAYOUTS, {"action": "export", "payout": [payout.pk]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "De rekening van het fonds is nog niet ingesteld" in page
    assert f'value="{payout.pk}" id="payout-{payout.pk}" checked' in page  # the selection is kept


def test_export_without_a_selection_gets_a_message(zeeland, manager_client, fund_account):
    response = manager_client.post(PAYOUTS, {"action": "export"})
    assert response.status_code == 200
    assert "Kies een of meer uitbetalingen" in response.content.decode()


@pytest.mark.parametrize("iban", ["NL91ABNA0417164301", "NL91ABNA04171643", "GEEN-IBAN", "US12345678901234567"])
def test_the_fund_account_iban_is_validated(zeeland, iban):
    with schema_context("zeeland"):
        settings = ImpulsSettings.for_site(Site.objects.get(is_default_site=True))
        settings.account_name = "Stichting Impuls Zeeland"
        settings.iban = iban
        with pytest.raises(ValidationError) as error:
            settings.full_clean()
    assert "IBAN" in " ".join(error.value.message_dict["iban"])


def test_marking_paid_books_the_payout_and_counts_on_time_and_late(zeeland, manager_client, applicant_user):
    # Given three payouts: one due in the past (late), two due later
    late, on_time, waiting = _mine(zeeland, applicant_user)
    today = payouts.today()
    with schema_context("zeeland"):
        Payout.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=3))
    page = manager_client.get(PAYOUTS).content.decode()
    assert 'data-count="late">1<' in page and 'data-count="due">2<' in page
    # When the treasurer marks two paid today
    response = manager_client.post(
        PAYOUTS, {"action": "paid", "payout": [late.pk, on_time.pk], "paid_on": today.isoformat()}
    )
    assert response.status_code == 302
    # Then each is booked in the ledger, the balances agree, and the counts say one late, one on time
    with schema_context("zeeland"):
        assert Payout.objects.get(pk=late.pk).paid_on == today
        paid = LedgerEntry.objects.filter(kind="payout").values_list("application_id", "amount_cents")
        assert sorted(paid) == sorted([(late.application_id, 100_000), (on_time.application_id, 110_000)])
        assert reconcile() == []
        assert payouts.counts(today) == payouts.PayoutCounts(due=1, late=0, paid_on_time=1, paid_late=1)
    page = manager_client.get(PAYOUTS, {"toon": "paid"}).content.decode()
    assert 'data-count="paid_late">1<' in page and 'data-count="paid_on_time">1<' in page
    # And marking a paid one again changes nothing
    manager_client.post(PAYOUTS, {"action": "paid", "payout": [late.pk], "paid_on": today.isoformat()})
    with schema_context("zeeland"):
        assert LedgerEntry.objects.filter(kind="payout").count() == 2
        assert Payout.objects.get(pk=waiting.pk).paid_on is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Geef de datum waarop is betaald."), ("morgen", "Geef een datum als"), ("future", "niet in de toekomst")],
)
def test_a_wrong_paid_date_gets_a_message_and_keeps_the_selection(
    zeeland, manager_client, applicant_user, typed, message
):
    [payout] = _mine(zeeland, applicant_user, n=1)
    if typed == "future":
        typed = (payouts.today() + timedelta(days=1)).isoformat()
    response = manager_client.post(PAYOUTS, {"action": "paid", "payout": [payout.pk], "paid_on": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'id="payout-{payout.pk}" checked' in page
    with schema_context("zeeland"):
        assert Payout.objects.get(pk=payout.pk).paid_on is None


def test_the_payouts_page_makes_the_same_number_of_queries_for_many_payouts(zeeland, manager_client, applicant_user):
    _mine(zeeland, applicant_user, n=2)
    manager_client.get(PAYOUTS)  # the first request of a session reads what the next ones have cached
    few, _response = count_queries(manager_client, PAYOUTS)
    _mine(zeeland, applicant_user, n=12)
    many, _response = count_queries(manager_client, PAYOUTS)
    assert many == few


def test_only_whoever_may_pay_reaches_the_payouts(zeeland, rotterdam, applicant_user, client_for):
    [payout] = _mine(zeeland, applicant_user, n=1)
    rotterdam_manager = with_role(make_user(), rotterdam, "fund_manager")
    client = client_for(rotterdam, rotterdam_manager)
    # Rotterdam's fund manager, on Rotterdam's admin, sees none of Zeeland's payouts and cannot mark them paid
    assert str(payout.application) not in client.get(PAYOUTS).content.decode()
    client.post(PAYOUTS, {"action": "paid", "payout": [payout.pk], "paid_on": payouts.today().isoformat()})
    with schema_context("zeeland"):
        assert Payout.objects.get(pk=payout.pk).paid_on is None


def test_fund_managers_set_the_fund_account_and_a_wrong_iban_gets_a_message(zeeland, manager_client):
    with schema_context("zeeland"):
        site = Site.objects.get(is_default_site=True)
    url = f"/beheer/settings/impuls/impulssettings/{site.pk}/"
    assert manager_client.get(url).status_code == 200
    data = {"account_name": "Stichting Impuls Zeeland", "iban": "NL91 ABNA 0417 1643 01", "bic": ""}
    response = manager_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit IBAN klopt niet" in page and "NL91 ABNA 0417 1643 01" in page
    response = manager_client.post(url, {**data, "iban": "nl91 abna 0417 1643 00", "bic": "abnanl2a"})
    assert response.status_code == 302
    with schema_context("zeeland"):
        settings = ImpulsSettings.for_site(site)
        assert (settings.iban, settings.bic) == ("NL91ABNA0417164300", "ABNANL2A")
