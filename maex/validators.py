"""Checks shared by every app's forms and models.

Python's ``str.isdigit``, ``\\d`` in a regular expression and ``int()`` all accept digits of other scripts
(Arabic-Indic "٠١٢٣", full-width "０１２３", ...). A code typed in them looks like its ASCII twin to people but is
another string to the database, so the same code could be registered twice. Codes accept 0-9 only.
"""

from __future__ import annotations

import re

ASCII_DIGITS = re.compile(r"[0-9]+")


def has_other_digits(value: str) -> bool:
    """True when ``value`` holds a digit that is not one of the ASCII digits 0-9."""
    return any(c.isdigit() and not "0" <= c <= "9" for c in value)


def is_ascii_number(value: str) -> bool:
    """Only the ASCII digits 0-9, at least one (what ``str.isdigit`` is often mistaken for)."""
    return ASCII_DIGITS.fullmatch(value) is not None


def posted_id(raw) -> int:
    """A row id sent by a form (a hidden field): the number, or 0, which matches no row, for anything else.

    ``Model.objects.get(pk="abc")`` raises ValueError (a 500); numbers beyond bigint already match nothing."""
    return int(raw) if isinstance(raw, str) and is_ascii_number(raw) else 0
