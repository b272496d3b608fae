"""The one place where the reference data commands reach the outside world (CBS, PDOK): a JSON GET.

Tests replace ``get_json`` with a double; nothing else in the project is replaced."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 120
USER_AGENT = "MAEX op Maat reference data import"


class FetchError(Exception):
    """The service did not answer with JSON; the message says what happened (Dutch, for the command)."""


def get_json(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (https URLs we build)
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url} antwoordde met HTTP {exc.code}.") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FetchError(f"{url} is niet bereikbaar: {exc}.") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(f"{url} gaf geen JSON terug.") from exc
