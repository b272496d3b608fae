"""How an amount is split over the commitments that may pay it (docs/decisions/0024-impuls-ledger-and-split.md).

Pure: plain integers in, plain integers out, no database. The rule:

1. Each commitment's room is what it has left, capped by its own maximum per award.
2. When the room together is less than the amount, nothing is split: the round is full for this application
   (``NotEnough``).
3. The amount is split in whole euros when it is a whole number of euros and the commitments' whole-euro rooms
   cover it; otherwise (an amount with cents, or rooms that only cover it with their cents) in cents.
4. Each commitment first gets its share pro rata to what it has left, rounded down to the unit and capped by its
   room.
5. The remainder goes to the commitment with the most left (ties: the lowest id), as much as its room takes, then
   to the next, until nothing remains.

So the parts always add up to the amount, none exceeds its commitment's room, and a funder that has more left
pays more.
"""

from __future__ import annotations

from dataclasses import dataclass

EURO = 100


@dataclass(frozen=True)
class Pot:
    """One commitment as the split sees it: its id, what it has left, and its cap per award (None: none)."""

    id: int
    left_cents: int
    cap_cents: int | None = None

    @property
    def room_cents(self) -> int:
        room = max(self.left_cents, 0)
        return room if self.cap_cents is None else min(room, self.cap_cents)


class NotEnough(Exception):
    """The commitments together have less room than the amount."""


def room(pots: list[Pot]) -> int:
    """What the pots could pay together for one application, in cents."""
    return sum(p.room_cents for p in pots)


def split(amount_cents: int, pots: list[Pot]) -> dict[int, int]:
    """The parts of ``amount_cents`` per pot id (only pots that pay something). Raises ``NotEnough``."""
    if amount_cents <= 0:
        raise ValueError("an amount to split is positive")
    pots = [p for p in pots if p.room_cents > 0]
    if room(pots) < amount_cents:
        raise NotEnough
    unit = EURO
    if amount_cents % EURO or sum(p.room_cents // EURO for p in pots) * EURO < amount_cents:
        unit = 1
    total = amount_cents // unit
    rooms = {p.id: p.room_cents // unit for p in pots}
    weight = sum(p.left_cents for p in pots)
    parts = {p.id: min(total * p.left_cents // weight, rooms[p.id]) for p in pots}
    remainder = total - sum(parts.values())
    for pot in sorted(pots, key=lambda p: (-p.left_cents, p.id)):
        if remainder == 0:
            break
        extra = min(remainder, rooms[pot.id] - parts[pot.id])
        parts[pot.id] += extra
        remainder -= extra
    return {pid: part * unit for pid, part in parts.items() if part}
