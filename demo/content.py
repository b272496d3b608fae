"""The demo data of ``demo/data/`` (described in its README), read once with the standard library.

Nothing here writes: ``demo.loader`` does, and the tests and the bench read the portals and word lists."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

DATA = Path(__file__).resolve().parent / "data"


def read(name: str):
    """The parsed JSON file ``demo/data/<name>.json`` (``name`` may hold a folder: ``pages/zeeland``)."""
    with open(DATA / f"{name}.json", encoding="utf-8") as fh:
        return json.load(fh)


PORTALS: list[dict] = read("portals")
ACCOUNTS: dict = read("accounts")
BRANDINGS: dict[str, dict] = read("brandings")
INITIATIVES: dict = read("initiatives")


def is_national(portal: dict) -> bool:
    return portal["kind"] == "national"


def pages(schema: str) -> dict:
    """The banner and pages of one demo portal: ``{"hero": {...}, "pages": [...]}``."""
    return read(f"pages/{schema}")


def host(portal: dict, base_domain: str | None = None) -> str:
    """The demo portal's host: the national host of the settings for the national portal, else
    ``<subdomain>.<base domain>`` (the settings' ``MAEX_BASE_DOMAIN`` unless another is given)."""
    if base_domain is None and is_national(portal):
        return settings.MAEX_NATIONAL_HOST
    return f"{portal['subdomain']}.{base_domain or settings.MAEX_BASE_DOMAIN}"


def regional_codes() -> list[str]:
    """Every municipality a regional demo portal covers, in the order of ``portals.json``."""
    return [code for p in PORTALS if not is_national(p) for code in p["municipalities"]]
