"""SEPA credit transfers for Impuls payouts (docs/decisions/0025): the pain.001 file validates against the schema
the library ships, its header counts and sums the transfers, and an invalid IBAN gets a Dutch message."""

import os
from datetime import date
from decimal import Decimal

import pytest
import sepaxml
import xmlschema
from defusedxml.ElementTree import fromstring
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from impuls.sepa import DebtorAccount, Transfer, compact_iban, credit_transfer, validate_iban

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
FUND = DebtorAccount(name="Stichting MAEX Impuls Zeeland", iban="NL91 ABNA 0417 1643 00", bic="ABNANL2A")
PAYOUTS = [
    Transfer("Buurtkracht De Vlinder", "NL44 RABO 0123 4567 89", 250_000, "MAEX Impuls voorjaar 2026 nr 1", "IMP-1"),
    Transfer("Wijkkeuken Het Anker", "nl20ingb0001234567", 123_456, "MAEX Impuls voorjaar 2026 nr 2", "IMP-2"),
    Transfer(
        "Repair Café De Zeester", "BE68539007547034", 50_001, "MAEX Impuls voorjaar 2026 nr 3", "IMP-3", "BBRUBEBB"
    ),
]


def _schema():
    return xmlschema.XMLSchema(os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.001.001.03.xsd"))


def test_the_file_validates_against_the_schema_and_its_header_counts_and_sums_the_transfers():
    # When the treasurer exports three payouts
    xml = credit_transfer(FUND, PAYOUTS, date(2026, 4, 28))
    # Then the file is valid pain.001.001.03
    assert _schema().is_valid(xml.decode())
    root = fromstring(xml)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    # And its header holds the number of transfers and their sum in euros, to the cent
    assert header.find("p:NbOfTxs", NS).text == "3"
    assert Decimal(header.find("p:CtrlSum", NS).text) == Decimal("4234.57")
    assert header.find("p:MsgId", NS).text
    amounts = [Decimal(a.text) for a in root.iterfind(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", NS)]
    assert amounts == [Decimal("2500.00"), Decimal("1234.56"), Decimal("500.01")]
    # And each transfer carries its receiver's IBAN (compact, capitals), its description and end-to-end id
    ibans = [e.text for e in root.iterfind(".//p:CdtTrfTxInf/p:CdtrAcct/p:Id/p:IBAN", NS)]
    assert ibans == ["NL44RABO0123456789", "NL20INGB0001234567", "BE68539007547034"]
    assert [e.text for e in root.iterfind(".//p:EndToEndId", NS)] == ["IMP-1", "IMP-2", "IMP-3"]
    assert root.find(".//p:ReqdExctnDt", NS).text == "2026-04-28"
    assert root.find(".//p:Dbtr/p:Nm", NS).text == "Stichting MAEX Impuls Zeeland"
    # And a name outside the SEPA character set is written in it ("Café" as "Cafe")
    assert "Repair Cafe De Zeester" in xml.decode()


def test_an_invalid_iban_gets_a_dutch_message():
    with translation.override("nl"), pytest.raises(ValidationError) as typo:
        validate_iban("NL91 ABNA 0417 1643 01")
    assert typo.value.messages == [
        "Dit IBAN klopt niet: waarschijnlijk is er een cijfer verkeerd getypt. Controleer het nummer."
    ]
    with translation.override("nl"), pytest.raises(ValidationError) as short:
        validate_iban("NL91ABNA041716430")
    assert "juiste aantal tekens" in short.value.messages[0]
    with translation.override("nl"), pytest.raises(ValidationError) as nonsense:
        validate_iban("rekening 12345")
    assert "geen geldig IBAN" in nonsense.value.messages[0]


def test_an_iban_outside_the_sepa_area_is_refused():
    with translation.override("nl"), pytest.raises(ValidationError) as brazil:
        validate_iban("BR1500000000000010932840814P2")
    assert brazil.value.code == "iban_not_sepa"
    assert "buiten het SEPA-gebied" in brazil.value.messages[0]


def test_validate_iban_works_as_a_form_field_validator_and_keeps_what_was_typed():
    class PayoutForm(forms.Form):
        iban = forms.CharField(validators=[validate_iban])

    with translation.override("nl"):
        form = PayoutForm({"iban": "NL91 ABNA 0417 1643 01"})
        assert not form.is_valid()
        assert "Controleer het nummer" in form.errors["iban"][0]
        assert form["iban"].value() == "NL91 ABNA 0417 1643 01"
        assert PayoutForm({"iban": "nl91 abna 0417 1643 00"}).is_valid()
    assert compact_iban(" nl91 abna 0417 1643 00 ") == "NL91ABNA0417164300"


def test_a_file_with_an_invalid_iban_is_not_built():
    bad = Transfer("Iemand", "NL91ABNA0417164301", 1000, "Impuls", "IMP-9")
    with pytest.raises(ValidationError):
        credit_transfer(FUND, [PAYOUTS[0], bad], date(2026, 4, 28))


@pytest.mark.parametrize(
    "transfer",
    [
        Transfer("Iemand", "NL91ABNA0417164300", 0, "Impuls", "IMP-1"),
        Transfer("Iemand", "NL91ABNA0417164300", -100, "Impuls", "IMP-1"),
        Transfer("Iemand", "NL91ABNA0417164300", 10.5, "Impuls", "IMP-1"),
        Transfer("Iemand", "NL91ABNA0417164300", Decimal("10.00"), "Impuls", "IMP-1"),
        Transfer("Iemand", "NL91ABNA0417164300", 1000, "Impuls", "x" * 36),
        Transfer("Iemand", "NL91ABNA0417164300", 1000, "Impuls", ""),
    ],
)
def test_amounts_that_are_not_positive_whole_cents_and_bad_end_to_end_ids_are_refused(transfer):
    with pytest.raises(ValueError):
        credit_transfer(FUND, [transfer], date(2026, 4, 28))


def test_no_transfers_no_file():
    with pytest.raises(ValueError):
        credit_transfer(FUND, [], date(2026, 4, 28))
