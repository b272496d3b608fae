"""Writes of the reference data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from .boundaries import Shape
from .models import Municipality, MunicipalityShape


@dataclass(frozen=True)
class ShapesResult:
    stored: int
    unknown_codes: list[str]
    missing: list[str]  # municipalities of the current division that still have no shape


def store_shapes(shapes: list[Shape], *, year: int, source: str, municipalities=None, shape_model=None) -> ShapesResult:
    """Create or replace the shapes of the municipalities named by ``shapes`` (by CBS code), in one transaction.
    A migration passes its historical models."""
    municipalities = municipalities if municipalities is not None else Municipality.objects
    shape_model = shape_model or MunicipalityShape
    by_code = {s.code: s for s in shapes}
    with transaction.atomic():
        known = {m.cbs_code: m for m in municipalities.filter(cbs_code__in=by_code)}
        for code, municipality in known.items():
            s = by_code[code]
            shape_model.objects.update_or_create(
                municipality=municipality,
                defaults={
                    "path": s.path,
                    "min_x": s.min_x,
                    "min_y": s.min_y,
                    "max_x": s.max_x,
                    "max_y": s.max_y,
                    "year": year,
                    "source": source[:200],
                },
            )
        missing = sorted(municipalities.filter(shape__isnull=True).values_list("cbs_code", flat=True))
    return ShapesResult(len(known), sorted(set(by_code) - set(known)), missing)
