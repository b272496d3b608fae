"""The printable PDF of a yearly edition (docs/decisions/0035-yearly-editions.md), made with fpdf2.

The PDF is of the edition's frozen figures only, so it is the same file every time: its creation date is the moment
the figures were frozen, and fpdf2 derives the document's ID from the content. The core font Helvetica holds
Latin-1 only, so every text passes through ``latin1`` (typographic quotes and dashes become plain ones, the euro
sign "EUR")."""

from __future__ import annotations

import html
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from initiatives import stand as labels
from national_index.licence import LICENCE_NAME, LICENCE_URL

from . import editions

REPLACEMENTS = {
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u20ac": "EUR",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2022": "-",
}


def latin1(text) -> str:
    """``text`` in what Helvetica can print: the usual typographic characters replaced, anything else outside
    Latin-1 as "?"."""
    text = str(text)
    for old, new in REPLACEMENTS.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


def plain_text(rich: str) -> str:
    """A rich-text field as paragraphs of plain text."""
    text = re.sub(r"</(p|h[1-6]|li)>|<br\s*/?>", "\n", rich or "")
    text = html.unescape(strip_tags(text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def number(value, places: int = 0) -> str:
    """A figure in Dutch notation (1.234.567 and 12,5); "-" for none."""
    if value is None:
        return "-"
    value = Decimal(value)
    text = f"{value:,.{places}f}" if places else f"{value.quantize(Decimal(1)):,}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def euro(value) -> str:
    return latin1(_("niet openbaar")) if value is None else "EUR " + number(value)


class EditionPDF(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, latin1(self.footer_text + f" - {self.page_no()}"), align="C")


def render_pdf(page) -> bytes:
    figures = page.figures()
    totals = figures["totals"]
    previous = page.previous()
    pdf = EditionPDF(format="A4")
    pdf.footer_text = page.title
    pdf.set_creation_date(page.frozen_at)
    pdf.set_title(latin1(page.title))
    pdf.set_author("MAEX")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.epw
    heading = FontFace(emphasis="BOLD")

    def h1(text):
        pdf.set_font("Helvetica", "B", 18)
        pdf.multi_cell(width, 9, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def h2(text):
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(width, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)

    def para(text, size=10, style=""):
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def table(header, rows, widths=None):
        pdf.set_font("Helvetica", size=9)
        with pdf.table(col_widths=widths, headings_style=heading, text_align="LEFT") as t:
            t.row([latin1(h) for h in header])
            for r in rows:
                t.row([latin1(c) for c in r])
        pdf.ln(2)

    h1(page.title)
    frozen = timezone.localtime(page.frozen_at).strftime("%d-%m-%Y %H:%M")
    para(
        _("Gebied: %(name)s. Cijfers vastgelegd op %(date)s.") % {"name": page.area_name, "date": frozen},
        style="I",
    )
    if totals.get("demo_initiatives"):
        para(
            _("Demodata: %(n)s van de %(m)s initiatieven in deze cijfers zijn fictief.")
            % {"n": totals["demo_initiatives"], "m": totals["initiatives"]},
            style="B",
        )
    if page.intro:
        para(plain_text(page.intro))

    h2(_("Totalen"))
    rows = []
    for key in ("initiatives", "people_reached", "volunteers", "paid_staff"):
        rows.append([labels.label("totals", key), number(totals[key])])
    rows.append([labels.label("totals", "paid_fte"), number(totals["paid_fte"], 1)])
    rows.append([labels.label("totals", "deliveries"), number(totals["deliveries"])])
    rows.append([labels.label("totals", "social_value"), euro(totals["social_value"])])
    rows.append([labels.label("totals", "selling_initiatives"), number(totals["selling_initiatives"])])
    rows.append([labels.label("totals", "selling_share"), number(totals["selling_share"], 1)])
    table([_("Cijfer"), _("Waarde")], rows, (3, 1))
    if totals.get("withheld_initiatives") and totals["social_value"] is not None:
        para(
            _(
                "De waarde in euro telt %(v)s van de %(n)s initiatieven: portalen die geen eurobedragen tonen, tellen "
                "alleen mee in de aantallen."
            )
            % {"v": number(totals["valued_initiatives"]), "n": number(totals["initiatives"])},
            size=9,
        )

    h2(_("Verschillen met de vorige editie"))
    if previous is None:
        para(_("Dit is de eerste editie: er is geen vorige om mee te vergelijken."))
    else:
        diff_rows = []
        for row in editions.differences(figures, previous.figures()):
            places = 1 if row.key == "paid_fte" else 0
            show = euro if row.is_euro else (lambda v, places=places: number(v, places))
            diff_rows.append(
                [
                    row.label,
                    show(row.previous),
                    show(row.current),
                    "-" if row.change is None else ("+" if row.change > 0 else "") + show(row.change),
                    "-" if row.percent is None else ("+" if row.percent > 0 else "") + number(row.percent, 1) + "%",
                ]
            )
        table(
            [_("Cijfer"), str(previous.year), str(page.year), _("Verschil"), _("Verschil (procent)")],
            diff_rows,
            (3, 1.3, 1.3, 1.3, 1),
        )

    show_euros = labels.euros_per_key(totals)  # as the page's waardenweb and handprint
    names = labels.key_names()
    for name, title, first_column in (
        ("domains", _("Waarde per domein"), _("Domein")),
        ("sdgs", _("Waarde per SDG"), _("SDG")),
    ):
        if not figures[name]:
            continue
        h2(title)
        by_key = [
            [
                names[name].get(key, key),
                str(v["initiatives"]),
                euro(v["social_value"]) if show_euros else "",
                number(v["share"], 1) + "%",
            ]
            for key, v in figures[name].items()
        ]
        table([first_column, _("Initiatieven"), _("Waarde in euro"), _("Aandeel (procent)")], by_key, (3, 1, 1.3, 1))

    needs = labels.needs_rows(figures["needs"], figures["needs_fulfilled"])
    h2(_("Behoeften"))
    table(
        [_("Soort"), _("open"), _("vervuld")],
        [[label, str(o), str(f)] for _k, label, (o, f) in needs],
        (3, 1, 1),
    )
    h2(_("Financiers en partners"))
    table(
        [_("Soort"), _("Initiatieven")],
        [[label, str(n)] for _k, label, n in labels.choice_rows("partner_kinds", figures["partner_kinds"])],
        (3, 1),
    )
    h2(_("Inkomstenmix (gemiddeld aandeel, procent)"))
    table(
        [_("Bron"), _("Procent")],
        [[label, number(v, 1)] for _k, label, v in labels.income_rows(figures["income_mix"])],
        (3, 1),
    )

    h2(_("Toelichting"))
    para(
        _(
            "Eurobedragen tellen alleen mee van initiatieven waarvan het portaal eurobedragen openbaar toont; "
            "de andere tellen mee in de aantallen, niet in de euro's."
        ),
        size=9,
    )
    if totals["price_list_version"]:
        para(_("Berekend met prijslijst(en): %(v)s.") % {"v": ", ".join(totals["price_list_version"])}, size=9)
    if totals["uses_examples"]:
        para(_("In deze waarde tellen voorbeeldwaarden zonder citeerbare bron mee."), size=9, style="B")
    para(_("Controlegetal van de cijfers (SHA-256): %(sha)s") % {"sha": page.figures_sha256}, size=8)
    para(
        _("Licentie van de cijfers: %(name)s (%(url)s). Vermeld als bron: %(source)s.")
        % {"name": LICENCE_NAME, "url": LICENCE_URL, "source": page.title},
        size=8,
    )
    return bytes(pdf.output())
