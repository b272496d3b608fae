"""Public chart pages that read the national index: compare initiatives from any portal, and the combined web
of a portal (or of the whole country). Both read only the projection (docs/architecture.md, "The write path")."""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from geo.models import Municipality, ValueDomain
from national_index import selectors
from national_index.models import IndexEntry

from . import charts

MIN_COMPARE = 2
MAX_COMPARE = 5
MAX_OPTIONS = 50
MAX_PARAMS = 50  # uuids read from the query string at most; the rest is ignored unread
HUNDRED = Decimal(100)


def _decimal(raw) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(0)
    return value if value.is_finite() else Decimal(0)


def _decimals(mapping) -> dict[str, Decimal]:
    return {str(k): _decimal(v) for k, v in (mapping or {}).items()} if isinstance(mapping, dict) else {}


def _percent(part: Decimal, total: Decimal) -> int:
    if total <= 0:
        return 0
    return int((part / total * HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _short(raw: str) -> str:
    return raw if len(raw) <= 60 else raw[:57] + "…"


def _parse_uuids(raw_values: list[str]) -> tuple[list[uuidlib.UUID], list[str]]:
    """The distinct valid UUIDs in order, and the values that are not UUIDs at all."""
    chosen: list[uuidlib.UUID] = []
    invalid: list[str] = []
    for raw in raw_values[:MAX_PARAMS]:
        raw = raw.strip()
        if not raw:
            continue  # an empty choice from the form, not an error
        try:
            value = uuidlib.UUID(raw)
        except ValueError:
            invalid.append(_short(raw))
            continue
        if value not in chosen:
            chosen.append(value)
    return chosen, invalid


def compare(request):
    """Overlay the waardenwebs of 2 to 5 initiatives from any portal: ``?i=<uuid>&i=<uuid>``."""
    chosen, invalid = _parse_uuids(request.GET.getlist("i"))
    found = {e.uuid: e for e in selectors.entries().filter(uuid__in=chosen)} if chosen else {}
    problems = [_("“%(value)s” is geen geldige initiatief-code en is genegeerd.") % {"value": v} for v in invalid]
    problems += [
        _("Initiatief “%(value)s” staat niet in de index en is genegeerd.") % {"value": u}
        for u in chosen
        if u not in found
    ]
    known = [found[u] for u in chosen if u in found]
    if len(known) > MAX_COMPARE:
        problems.append(
            _("U kunt hooguit %(max)d initiatieven tegelijk vergelijken; de eerste %(max)d worden getoond.")
            % {"max": MAX_COMPARE}
        )
        known = known[:MAX_COMPARE]
    # Not yet two: guidance, never an error (the page opens with nothing chosen, and one is half-way there).
    if not known:
        guidance = _("Kies ten minste %(min)d initiatieven om te vergelijken.") % {"min": MIN_COMPARE}
    elif len(known) < MIN_COMPARE:
        guidance = _("Kies ten minste %(min)d initiatieven om te vergelijken; u heeft er nu %(n)d gekozen.") % {
            "min": MIN_COMPARE,
            "n": len(known),
        }
    else:
        guidance = ""

    domains = [(d.code, d.name) for d in ValueDomain.objects.all()]
    rows = []
    for entry in known:
        values = _decimals(entry.value_by_domain)
        total = sum(values.values(), Decimal(0))
        rows.append({"entry": entry, "values": values, "total": total})
    # Amounts only where every compared initiative's portal shows them publicly; the shape is always public.
    show_amounts = bool(rows) and all(r["entry"].portal.show_amounts for r in rows)
    for r in rows:
        r["shares"] = {code: Decimal(_percent(r["values"].get(code, Decimal(0)), r["total"])) for code, _l in domains}
    shares = [(label, [int(r["shares"][code]) for r in rows]) for code, label in domains]
    kept = [str(r["entry"].uuid) for r in rows]
    for r in rows:
        others = [u for u in kept if u != str(r["entry"].uuid)]
        r["remove_query"] = "&".join(f"i={u}" for u in others)

    q = request.GET.get("q", "").strip()[:100]
    options_qs = selectors.entries(selectors.EntryFilter(q=q)).exclude(uuid__in=[r["entry"].uuid for r in rows])
    options = list(options_qs[: MAX_OPTIONS + 1])
    return render(
        request,
        "valuation/compare.html",
        {
            "rows": rows,
            # The web draws what its table shows: each initiative's share per domain, in whole percents, so
            # initiatives of any size compare by shape and a hidden amount cannot be read off the drawing.
            "series": [(r["entry"].name, r["shares"]) for r in rows],
            "amounts": [r["values"] for r in rows] if show_amounts else None,
            "shares": shares,
            "show_amounts": show_amounts,
            "problems": problems,
            "guidance": guidance,
            "can_compare": len(rows) >= MIN_COMPARE,
            "can_add": len(rows) < MAX_COMPARE,
            "kept": kept,
            "q": q,
            "options": options[:MAX_OPTIONS],
            "more_options": len(options) > MAX_OPTIONS,
            "max_options": MAX_OPTIONS,
        },
    )


def combined(request):
    """The combined waardenweb of every published initiative of this portal (the national portal: the whole
    country), optionally of one municipality: ``?gemeente=<CBS code>``."""
    portal = request.tenant
    scope = selectors.EntryFilter(portal=selectors.area_of(portal.schema_name))
    # The municipalities with initiatives in scope, how many each has and how many of those show euro amounts:
    # one query.
    counts = list(
        scope.apply(IndexEntry.objects.all())
        .values("municipality__cbs_code", "municipality__name")
        .annotate(
            n=Count("uuid"),
            valued=Count("uuid", filter=selectors.AMOUNTS_PUBLIC),
            demo=Count("uuid", filter=Q(is_demo=True)),
        )
        .order_by("municipality__name")
    )
    municipalities = [
        Municipality(cbs_code=row["municipality__cbs_code"], name=row["municipality__name"]) for row in counts
    ]
    per_municipality = {row["municipality__cbs_code"]: row["n"] for row in counts}
    withheld = {row["municipality__cbs_code"]: row["n"] - row["valued"] for row in counts}
    demo = {row["municipality__cbs_code"]: row["demo"] for row in counts}
    code = request.GET.get("gemeente", "").strip()
    chosen = next((m for m in municipalities if m.cbs_code == code), None)
    problem = ""
    if code and chosen is None:
        problem = _("Gemeente “%(code)s” heeft geen initiatieven in dit overzicht; alle gemeenten worden getoond.") % {
            "code": _short(code)
        }
    if chosen is not None:
        scope = replace(scope, municipality=chosen.cbs_code)
    # Summed in SQL over the index rows (one query each, whatever the number of initiatives).
    by_domain = selectors.sum_by_key("value_by_domain", scope)
    by_sdg = {k: v["value"] for k, v in selectors.sum_by_key("value_by_sdg", scope).items()}

    domains = [(d.code, d.name) for d in ValueDomain.objects.all()]
    values = {c: by_domain[c]["value"] if c in by_domain else Decimal(0) for c, _label in domains}
    total = sum(values.values(), Decimal(0))
    overlap = [
        {
            "code": c,
            "label": label,
            "value": values[c],
            "initiatives": by_domain[c]["initiatives"] if c in by_domain else 0,
            "share": _percent(values[c], total),
        }
        for c, label in domains
    ]
    name = chosen.display_name if chosen else portal.name
    chart = charts.radar(domains, [(name, values)])
    labels = dict(domains)
    # The euro rule (docs/decisions/0020-one-euro-rule-pages-and-api.md): amounts only when every initiative in
    # the web is on a portal that shows them, as in the API; a regional portal's editors see their own portal's.
    all_public = not (withheld.get(chosen.cbs_code, 0) if chosen else sum(withheld.values()))
    own_editor = (
        not portal.is_national
        and request.user.is_authenticated
        and request.user.has_perm("initiatives.review_initiative")
    )
    show_amounts = all_public or own_editor
    return render(
        request,
        "valuation/combined.html",
        {
            "municipalities": municipalities,
            "chosen": chosen,
            "problem": problem,
            "scope_name": name,
            "initiatives": per_municipality.get(chosen.cbs_code, 0) if chosen else sum(per_municipality.values()),
            "demo_initiatives": demo.get(chosen.cbs_code, 0) if chosen else sum(demo.values()),
            "series": [(name, values)],
            "overlap": overlap,
            "gaps": [labels[c] for c in chart.gaps],
            "empty": chart.empty,
            "total": total,
            "by_sdg": by_sdg,
            "show_amounts": show_amounts,
        },
    )
