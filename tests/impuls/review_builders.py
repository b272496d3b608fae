"""Applications for the review, payout and report tests, submitted through the real service in the current
portal's schema. The initiative is named by UUID only (all the service reads of it), so no initiative is
registered: the frozen profile carries what the review shows."""

from __future__ import annotations

import itertools
import uuid
from types import SimpleNamespace

from impuls import services
from tests.impuls.builders import TEXTS, commitment_ids

_seq = itertools.count(1)
IBANS = ["NL91ABNA0417164300", "NL44RABO0123456789", "NL20INGB0001234567"]


def frozen(name: str | None = None, social_value: str = "12500.00", by_sdg: dict | None = None) -> dict:
    n = next(_seq)
    return {
        "name": name or f"Buurtinitiatief {n}",
        "municipality_name": "Vlissingen",
        "phase": "doorgroei",
        "social_value": social_value,
        "value_by_sdg": by_sdg if by_sdg is not None else {"3": "5000.00", "11": "7500.00"},
    }


def apply(round, applicant, amount_cents: int = 100_000, *, commitments=None, iban: str | None = None, **profile):
    """Submit an application of a new initiative to ``round`` (every commitment eligible unless ``commitments``)."""
    n = next(_seq)
    return services.submit_application(
        round,
        SimpleNamespace(uuid=uuid.uuid4()),
        applicant,
        amount_cents,
        **TEXTS,
        frozen_profile=frozen(**profile),
        eligibility={
            "eligible": True,
            "id_check_needed": False,
            "checks": [{"key": "area", "passed": True, "reason": "Actief in Vlissingen.", "fix": ""}],
            "commitments": [],
        },
        eligible_commitment_ids=commitments if commitments is not None else commitment_ids(round),
        iban=iban if iban is not None else IBANS[n % len(IBANS)],
        account_holder=f"Stichting Proef {n}",
    )
