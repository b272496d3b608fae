"""A value as one cell of a CSV file, written as the API writes it (docs/decisions/0031-open-data-files.md): the
open data files, the Stand's CSV and a yearly edition's CSV write their cells alike."""

from __future__ import annotations

import json

from ninja.responses import NinjaJSONEncoder

_ENCODER = NinjaJSONEncoder()
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A value as a CSV cell, written as the API writes it: empty for null, lists joined by ';', objects as
    compact JSON. A text a spreadsheet would run as a formula (a name starting with '=', '+', '-', '@') gets a
    leading apostrophe, so opening the file never runs what an initiative typed (decision 0031)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, cls=NinjaJSONEncoder, sort_keys=True, separators=(",", ":"))
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, int):
        return str(value)
    return _ENCODER.default(value)
