"""Forms of the price-list screens in the national portal's Wagtail admin. Every message is Dutch (gettext)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maex.validators import has_other_digits

from .models import PriceItem, PriceList
from .services import COLUMNS, format_weights, parse_weights

MAX_CSV_BYTES = 1024 * 1024
WEIGHTS_MESSAGE = gettext_lazy(
    "Vul de SDG-gewichten in als '3:60;10:40': SDG-nummers van 1 tot en met 17 met hele percentages, samen 100."
)


class PriceListCreateForm(forms.Form):
    version = forms.CharField(
        label=gettext_lazy("Versie"),
        max_length=20,
        help_text=gettext_lazy("Bijvoorbeeld 2027.1. Elke versie heeft een eigen, unieke naam."),
    )
    title = forms.CharField(label=gettext_lazy("Titel"), max_length=150)
    copy_from = forms.ModelChoiceField(
        label=gettext_lazy("Regels overnemen uit"),
        queryset=PriceList.objects.none(),
        required=False,
        empty_label=gettext_lazy("Niets overnemen: begin met een lege lijst"),
        help_text=gettext_lazy("De nieuwe conceptversie begint met een kopie van de regels van deze versie."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = PriceList.objects.order_by("-published_on", "-created_at")

    def clean_version(self):
        version = self.cleaned_data["version"].strip()
        if not version:
            raise forms.ValidationError(_("Vul een versie in."))
        if has_other_digits(version):  # "２０２７.１" would be a second 2027.1 to the eye
            raise forms.ValidationError(_("Gebruik in de versie de gewone cijfers 0 tot en met 9."))
        if PriceList.objects.filter(version__iexact=version).exists():
            raise forms.ValidationError(_("Versie %(version)s bestaat al.") % {"version": version})
        return version

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Vul een titel in."))
        return title


class PriceItemForm(forms.ModelForm):
    """One line of a draft. The weights are typed as '3:60;10:40' and stored as {"3": 60, "10": 40}."""

    sdg_weights = forms.CharField(
        label=gettext_lazy("SDG-gewichten"),
        max_length=200,
        help_text=gettext_lazy(
            "SDG-nummer en heel percentage, gescheiden door puntkomma's, samen 100; bijvoorbeeld 3:60;10:40. "
            "Het hoogste gewicht is de primaire SDG."
        ),
    )
    unit_value = forms.DecimalField(
        label=gettext_lazy("Waarde per eenheid (EUR)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        error_messages={
            "invalid": gettext_lazy("Vul een bedrag in, bijvoorbeeld 14.40."),
            "min_value": gettext_lazy("De waarde per eenheid kan niet negatief zijn."),
            "max_decimal_places": gettext_lazy("Gebruik hoogstens 2 decimalen."),
            "max_digits": gettext_lazy("Dit bedrag is te groot."),
            "max_whole_digits": gettext_lazy("Dit bedrag is te groot."),
        },
    )
    source_year = forms.IntegerField(
        label=gettext_lazy("Jaar van de bron"),
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": gettext_lazy("Vul een jaartal in, bijvoorbeeld 2025."),
            "min_value": gettext_lazy("Vul een jaartal tussen 1900 en 2100 in."),
            "max_value": gettext_lazy("Vul een jaartal tussen 1900 en 2100 in."),
        },
    )

    class Meta:
        model = PriceItem
        fields = COLUMNS  # a line has the same fields here as in the CSV import and export
        help_texts = {
            "code": gettext_lazy("Kleine letters, cijfers en streepjes; uniek binnen deze versie."),
            "source": gettext_lazy("Waar het bedrag vandaan komt. Leeg alleen als het een voorbeeldwaarde is."),
        }
        error_messages = {"code": {"invalid": gettext_lazy("Gebruik alleen kleine letters, cijfers en streepjes.")}}

    def __init__(self, *args, price_list: PriceList, **kwargs):
        super().__init__(*args, **kwargs)
        self.price_list = price_list
        self.instance.price_list = price_list
        if self.instance.pk and not self.is_bound:
            self.initial["sdg_weights"] = format_weights(self.instance.sdg_weights)

    def clean_code(self):
        code = self.cleaned_data["code"].strip().lower()
        taken = PriceItem.objects.filter(price_list=self.price_list, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Code %(code)s staat al in deze versie.") % {"code": code})
        return code

    def clean_sdg_weights(self):
        try:
            return parse_weights(self.cleaned_data["sdg_weights"])
        except ValueError:
            raise forms.ValidationError(WEIGHTS_MESSAGE) from None

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("source") or "").strip() and not cleaned.get("is_example"):
            self.add_error(
                "source",
                _("Vul een bron in, of vink 'voorbeeldwaarde' aan als er geen citeerbare bron voor het bedrag is."),
            )
        return cleaned


class PriceListImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV-bestand"),
        help_text=gettext_lazy(
            "UTF-8, hoogstens 1 MB, met de kolommen van de export. De regels van deze conceptversie worden "
            "vervangen door die van het bestand; bij een fout wordt niets opgeslagen."
        ),
        error_messages={
            "required": gettext_lazy("Kies een CSV-bestand."),
            "empty": gettext_lazy("Het bestand is leeg."),
            "invalid": gettext_lazy("Kies een CSV-bestand."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 1 MB."))
        raw = upload.read(MAX_CSV_BYTES + 1)
        if len(raw) > MAX_CSV_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 1 MB."))
        try:
            self.text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Het bestand is geen UTF-8-tekst. Sla het op als CSV (UTF-8).")) from None
        if "\x00" in self.text:
            raise forms.ValidationError(_("Het bestand is geen CSV-tekst."))
        return upload
