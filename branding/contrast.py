"""WCAG 2.1 colour contrast, as pure functions (no Django): relative luminance and contrast ratio.

See https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio. AA asks 4.5:1 for normal text, 3:1 for large text and
for user-interface components.
"""

from __future__ import annotations

import math
import re

AA_TEXT = 4.5
AA_LARGE_TEXT = 3.0

HEX_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def is_hex(value: str) -> bool:
    return isinstance(value, str) and bool(HEX_RE.match(value))


def normalise_hex(value: str) -> str:
    """``#ABC`` -> ``#aabbcc``; ``#A1B2C3`` -> ``#a1b2c3``. Raises ValueError for anything else."""
    if not is_hex(value):
        raise ValueError(f"Not a hex colour: {value!r}")
    digits = value[1:].lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def rgb(value: str) -> tuple[int, int, int]:
    digits = normalise_hex(value)[1:]
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(value: str) -> float:
    r, g, b = (_linear(c) for c in rgb(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """Contrast ratio of two hex colours, from 1.0 (same) to 21.0 (black on white); order does not matter."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def meets(first: str, second: str, minimum: float = AA_TEXT) -> bool:
    return contrast_ratio(first, second) >= minimum


def shown_ratio(ratio: float) -> str:
    """The ratio as people read it, rounded *down* to two decimals (a failing 4.499 never shows as 4,50),
    with a Dutch decimal comma: ``4,47``."""
    return f"{math.floor(ratio * 100) / 100:.2f}".replace(".", ",")
