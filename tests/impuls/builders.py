"""Rounds, funders and commitments for the Impuls tests, written in the current portal's schema."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from impuls.models import Commitment, Funder, Round

_seq = itertools.count(1)


def make_round(*amounts_cents: int, min_cents=50_000, max_cents=250_000, max_applications=None, caps=None, **fields):
    """An open round (opened an hour ago, closes in a week) with one commitment per amount, each of its own funder."""
    n = next(_seq)
    now = timezone.now()
    values = {
        "slug": f"ronde-{n}",
        "title": f"Impuls-ronde {n}",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=7),
        "min_cents": min_cents,
        "max_cents": max_cents,
        "max_applications": max_applications,
        **fields,
    }
    round = Round.objects.create(**values)
    caps = caps or [None] * len(amounts_cents)
    for i, (amount, cap) in enumerate(zip(amounts_cents, caps, strict=True)):
        funder = Funder.objects.create(name=f"Fonds {n}-{i}")
        Commitment.objects.create(round=round, funder=funder, amount_cents=amount, max_per_award_cents=cap)
    return round


def commitment_ids(round) -> list[int]:
    return list(round.commitments.order_by("id").values_list("id", flat=True))


TEXTS = {"strengthens": "Een training voor onze vrijwilligers.", "cost_estimate": "Trainer 600, zaal 150."}
