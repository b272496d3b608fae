"""SEPA credit transfers for MAEX Impuls payouts: IBAN validation and the pain.001 file a treasurer uploads to the
bank (docs/decisions/0025).

Pure: plain dataclasses in, bytes out; no database. IBANs are checked with ``schwifty`` (country, length, check
digits, the national structure), the file is built and checked against the pain.001.001.03 schema that
``sepaxml`` ships (``export(validate=True)``). Amounts are whole cents (``int``), never floats.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN
from schwifty.exceptions import InvalidChecksumDigits, InvalidCountryCode, InvalidLength, SchwiftyException
from sepaxml import SepaTransfer

SCHEMA = "pain.001.001.03"  # the version every Dutch bank accepts
END_TO_END_ID = re.compile(r"^[A-Za-z0-9/\-?:().,'+ ]{1,35}$")  # the SEPA character set, at most 35 characters


def compact_iban(value: str) -> str:
    """The IBAN without spaces, in capitals: how it is stored and put in the file."""
    return "".join((value or "").split()).upper()


def validate_iban(value: str) -> None:
    """A valid IBAN of a bank in the SEPA area, or a ``ValidationError`` with a Dutch message; spaces and lower
    case are fine (store ``compact_iban(value)``). Usable as a model or form field validator."""
    try:
        iban = IBAN(compact_iban(value))
    except InvalidChecksumDigits:
        raise ValidationError(
            _("Dit IBAN klopt niet: waarschijnlijk is er een cijfer verkeerd getypt. Controleer het nummer."),
            code="iban_checksum",
            params={"value": value},
        ) from None
    except InvalidLength:
        raise ValidationError(
            _("Dit IBAN heeft niet het juiste aantal tekens voor het land. Een Nederlands IBAN heeft er 18."),
            code="iban_length",
            params={"value": value},
        ) from None
    except (InvalidCountryCode, SchwiftyException):
        raise ValidationError(
            _("Dit is geen geldig IBAN. Een IBAN begint met een landcode, zoals NL91 ABNA 0417 1643 00."),
            code="iban_invalid",
            params={"value": value},
        ) from None
    if not iban.in_sepa_zone:
        raise ValidationError(
            _("Dit IBAN is van een bank buiten het SEPA-gebied; wij kunnen alleen binnen het SEPA-gebied overmaken."),
            code="iban_not_sepa",
            params={"value": value},
        )


@dataclass(frozen=True)
class DebtorAccount:
    """The account the money leaves from: the portal's Impuls fund account."""

    name: str
    iban: str
    bic: str = ""


@dataclass(frozen=True)
class Transfer:
    """One payout: to whom, how much (whole cents, > 0) and with which description (shown on the receiver's bank
    statement, at most 140 characters) and end-to-end id (returned by the bank, at most 35 characters)."""

    name: str
    iban: str
    amount_cents: int
    description: str
    end_to_end_id: str
    bic: str = ""


def credit_transfer(debtor: DebtorAccount, transfers: Iterable[Transfer], execution_date: date) -> bytes:
    """A pain.001.001.03 credit transfer file (UTF-8 XML) paying ``transfers`` from ``debtor`` on
    ``execution_date``, in one batch, with a unique message id (the bank refuses a file it has seen); checked
    against the schema before it is returned. Raises ``ValueError``
    for what the caller should have refused earlier (no transfers, an amount that is not a positive whole number
    of cents, a bad end-to-end id) and ``ValidationError`` for an invalid IBAN."""
    transfers = list(transfers)
    if not transfers:
        raise ValueError("a credit transfer file needs at least one transfer")
    validate_iban(debtor.iban)
    config = {
        "name": debtor.name,
        "IBAN": compact_iban(debtor.iban),
        "batch": True,
        "currency": "EUR",
    }
    if debtor.bic:
        config["BIC"] = debtor.bic.strip().upper()
    sepa = SepaTransfer(config, schema=SCHEMA, clean=True)
    for t in transfers:
        if type(t.amount_cents) is not int or t.amount_cents <= 0:
            raise ValueError(f"amount of {t.end_to_end_id!r} must be a positive whole number of cents")
        if not END_TO_END_ID.match(t.end_to_end_id):
            raise ValueError(f"end-to-end id {t.end_to_end_id!r}: 1 to 35 SEPA characters")
        validate_iban(t.iban)
        payment = {
            "name": t.name,
            "IBAN": compact_iban(t.iban),
            "amount": t.amount_cents,
            "execution_date": execution_date,
            "description": t.description,
            "endtoend_id": t.end_to_end_id,
        }
        if t.bic:
            payment["BIC"] = t.bic.strip().upper()
        sepa.add_payment(payment)
    return sepa.export(validate=True)
