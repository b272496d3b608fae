"""Writes of the price list: drafts, CSV import and export, publishing. Plain arguments, never a request."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.models import ValueDomain
from maex.validators import is_ascii_number
from national_index import version as index_version

from .models import PriceItem, PriceList, PublishedPriceListError, Unit
from .signals import price_list_published

DEFAULT_CSV = Path(__file__).resolve().parent / "data" / "default_pricelist.csv"
# The columns of the CSV import and export, and the fields of the admin form: every field of a line but its version.
COLUMNS = [
    "code",
    "activity_nl",
    "activity_en",
    "value_domain",
    "sdg_weights",
    "indicator",
    "unit",
    "unit_value",
    "source",
    "source_year",
    "is_example",
]
MAX_ROWS = 2000


@dataclass
class ImportResult:
    items: list[PriceItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_weights(text: str) -> dict[str, int]:
    weights = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        sdg, _sep, pct = (p.strip() for p in part.partition(":"))
        if not (is_ascii_number(sdg) and is_ascii_number(pct)):  # int() would also read "٣" or "３"
            raise ValueError(part)
        number, percent = int(sdg), int(pct)
        if not 1 <= number <= 17 or percent <= 0:
            raise ValueError(part)
        weights[str(number)] = percent
    if sum(weights.values()) != 100:
        raise ValueError(text)
    return weights


def format_weights(weights: dict) -> str:
    return ";".join(f"{k}:{v}" for k, v in sorted(weights.items(), key=lambda kv: -int(kv[1])))


def parse_csv(text: str) -> ImportResult:
    """Read price items from CSV; every bad row gets a Dutch message with its row number. Nothing is saved."""
    result = ImportResult()
    if "\x00" in text:  # PostgreSQL cannot store it; no text file holds it
        result.errors.append(_("Het bestand bevat een NUL-teken en is geen tekstbestand (CSV)."))
        return result
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        result.errors.append(_("Kolommen ontbreken: %(cols)s.") % {"cols": ", ".join(missing)})
        return result
    domains = {d.code: d for d in ValueDomain.objects.all()}
    seen = set()
    for row_number, row in enumerate(reader, start=2):
        if row_number > MAX_ROWS + 1:
            result.errors.append(_("Te veel regels: hoogstens %(n)s.") % {"n": MAX_ROWS})
            break
        problems = []
        code = (row["code"] or "").strip()
        if not code:
            problems.append(_("code ontbreekt"))
        elif code in seen:
            problems.append(_("code %(code)s staat er twee keer in") % {"code": code})
        seen.add(code)
        domain = domains.get((row["value_domain"] or "").strip())
        if domain is None:
            problems.append(_("onbekend waardedomein '%(d)s'") % {"d": row["value_domain"]})
        try:
            weights = parse_weights(row["sdg_weights"] or "")
        except ValueError:
            weights = None
            problems.append(_("SDG-gewichten moeten de vorm '3:60;10:40' hebben en samen 100 zijn"))
        if row["unit"] not in Unit.values:
            problems.append(_("onbekende eenheid '%(u)s'") % {"u": row["unit"]})
        try:
            unit_value = Decimal(row["unit_value"])
            if unit_value < 0 or unit_value != unit_value.quantize(Decimal("0.01")):
                raise InvalidOperation
        except (InvalidOperation, TypeError):
            unit_value = None
            problems.append(_("waarde per eenheid moet een bedrag van 0 of meer zijn, met hoogstens 2 decimalen"))
        is_example = (row["is_example"] or "").strip().lower() in {"true", "1", "ja", "yes"}
        source = (row["source"] or "").strip()
        if not source and not is_example:
            problems.append(_("zonder bron moet de regel als voorbeeldwaarde gemarkeerd zijn"))
        year = (row["source_year"] or "").strip()
        if year and not (is_ascii_number(year) and 1900 <= int(year) <= 2100):
            problems.append(_("jaar van de bron is geen jaartal"))
        if problems:
            result.errors.append(_("Regel %(n)s: %(p)s.") % {"n": row_number, "p": "; ".join(problems)})
            continue
        result.items.append(
            PriceItem(
                code=code,
                activity_nl=row["activity_nl"].strip(),
                activity_en=row["activity_en"].strip(),
                value_domain=domain,
                sdg_weights=weights,
                indicator=row["indicator"].strip(),
                unit=row["unit"],
                unit_value=unit_value,
                source=source,
                source_year=int(year) if year else None,
                is_example=is_example,
            )
        )
    return result


def import_csv(price_list: PriceList, text: str) -> ImportResult:
    """Replace a draft's items by the CSV's, all or nothing."""
    if price_list.is_published:
        raise PublishedPriceListError(_("Een gepubliceerde prijslijst verandert nooit; maak een nieuwe versie."))
    result = parse_csv(text)
    if result.errors:
        return result
    with transaction.atomic():
        price_list.items.all().delete()
        for item in result.items:
            item.price_list = price_list
        PriceItem.objects.bulk_create(result.items)
    return result


def export_csv(price_list: PriceList) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in price_list.items.order_by("code"):
        written = {
            "value_domain": item.value_domain_id,
            "sdg_weights": format_weights(item.sdg_weights),
            "unit_value": f"{item.unit_value:.2f}",
            "source_year": item.source_year or "",
            "is_example": str(item.is_example).lower(),
        }
        writer.writerow({c: written[c] if c in written else getattr(item, c) for c in COLUMNS})
    return out.getvalue()


def create_draft(*, version: str, title: str, copy_from: PriceList | None = None) -> PriceList:
    with transaction.atomic():
        draft = PriceList.objects.create(version=version, title=title)
        if copy_from is not None:
            PriceItem.objects.bulk_create(
                [
                    PriceItem(
                        price_list=draft,
                        **{
                            f.attname: getattr(item, f.attname)  # value_domain_id: no query per line
                            for f in PriceItem._meta.concrete_fields
                            if f.name not in ("id", "price_list")
                        },
                    )
                    for item in copy_from.items.all()
                ]
            )
    return draft


def publish(price_list: PriceList, *, on=None) -> PriceList:
    """Publish a draft (from then on it never changes). After the commit it is announced
    (``price_list_published``): every initiative is then revalued in the background (initiatives/tasks.py)."""
    with transaction.atomic():
        locked = PriceList.objects.select_for_update().get(pk=price_list.pk)
        if locked.is_published:
            raise PublishedPriceListError(_("Deze versie is al gepubliceerd."))
        if not locked.items.exists():
            raise ValueError(_("Een lege prijslijst kan niet gepubliceerd worden."))
        PriceList.objects.filter(pk=locked.pk).update(
            status=PriceList.Status.PUBLISHED, published_on=on or timezone.localdate()
        )
        # Initiative pages say which version is current ("Herberekening met versie ... loopt"): their cached
        # articles go now and again once the publication commits (docs/decisions/0023-fast-pages.md)
        index_version.bump_now()

        def announce():
            index_version.bump_now()
            price_list_published.send(sender=PriceList, price_list=locked)

        transaction.on_commit(announce)
    locked.refresh_from_db()
    return locked


def load_default_price_list(version: str = "2026.1") -> PriceList:
    """The shipped default list, published (idempotent)."""
    existing = PriceList.objects.filter(version=version).first()
    if existing:
        return existing
    with transaction.atomic():
        draft = PriceList.objects.create(
            version=version,
            title="MAEX standaardprijslijst",
            notes="Meegeleverd met het platform; zie de bron per regel. Voorbeeldwaarden zijn als zodanig gemarkeerd.",
        )
        result = import_csv(draft, DEFAULT_CSV.read_text(encoding="utf-8"))
        if result.errors:
            raise ValueError(result.errors)
        PriceList.objects.filter(pk=draft.pk).update(
            status=PriceList.Status.PUBLISHED, published_on=timezone.localdate()
        )
    draft.refresh_from_db()
    return draft
