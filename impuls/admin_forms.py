"""The forms of the Impuls review, payout and report screens in a portal's admin (Dutch messages; a form that fails
keeps what was typed)."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Application

WORDS_LIMIT = 2000
_AMOUNT = re.compile(r"^(?:€\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$")
_AMOUNT_DOT = re.compile(r"^(?:€\s*)?(\d+)\.(\d{1,2})$")


def parse_euros(text: str) -> int:
    """A euro amount as typed in the Netherlands ("1.250", "1250,50", "€ 1.250,00"; also "1250.50") in whole
    cents; a ``ValidationError`` with a Dutch message otherwise. Never a float."""
    value = (text or "").strip().replace(" ", "")
    if match := _AMOUNT_DOT.match(value):
        whole, cents = match.group(1), match.group(2)
    elif match := _AMOUNT.match(value):
        whole, cents = match.group(1).replace(".", ""), match.group(2) or "0"
    else:
        raise ValidationError(
            _("Geef een bedrag in euro's, zoals 1250 of 1.250,50."), code="amount_format", params={"value": text}
        )
    return int(whole) * 100 + int(cents.ljust(2, "0"))


class ApproveForm(forms.Form):
    amount = forms.CharField(
        label=_("Toe te kennen bedrag (euro)"),
        max_length=20,
        help_text=_("Ten hoogste het gevraagde bedrag; een lager bedrag mag."),
        error_messages={"required": _("Geef het bedrag dat u toekent.")},
    )

    def __init__(self, *args, requested_cents: int, **kwargs):
        self.requested_cents = requested_cents
        super().__init__(*args, **kwargs)

    def clean_amount(self) -> int:
        cents = parse_euros(self.cleaned_data["amount"])
        if not 0 < cents <= self.requested_cents:
            whole, rest = divmod(self.requested_cents, 100)
            raise ValidationError(
                _("Ken meer dan € 0 toe en ten hoogste het gevraagde bedrag (€ %(requested)s).")
                % {"requested": f"{whole:,}".replace(",", ".") + (f",{rest:02d}" if rest else "")},
                code="amount_range",
            )
        return cents


class RejectForm(forms.Form):
    reason_code = forms.ChoiceField(
        label=_("Reden"),
        choices=[("", _("Kies een reden"))] + list(Application.Reason.choices),
        error_messages={"required": _("Kies een reden uit de lijst.")},
    )
    reason_text = forms.CharField(
        label=_("Toelichting (de aanvrager krijgt deze per e-mail)"),
        required=False,
        max_length=WORDS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason_code") == Application.Reason.OTHER and not cleaned.get("reason_text", "").strip():
            self.add_error("reason_text", _("Bij de reden 'Anders' is een toelichting nodig."))
        return cleaned


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Uw vraag aan de aanvrager"),
        max_length=WORDS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf de vraag die de aanvrager moet beantwoorden.")},
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Schrijf de vraag die de aanvrager moet beantwoorden."))
        return text


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Betaald op"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Geef de datum waarop is betaald."),
            "invalid": _("Geef een datum als 24-04-2027."),
        },
    )

    def __init__(self, *args, today: date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def clean_paid_on(self) -> date:
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > self.today:
            raise ValidationError(_("Een betaaldatum ligt niet in de toekomst."))
        return paid_on


class ReportFilterForm(forms.Form):
    funder = forms.TypedChoiceField(label=_("Financier"), coerce=int, required=False, empty_value=None)
    round = forms.TypedChoiceField(label=_("Ronde"), coerce=int, required=False, empty_value=None)
    year = forms.TypedChoiceField(label=_("Jaar"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, funders, rounds, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].choices = [("", _("Alle financiers"))] + [(f.pk, f.name) for f in funders]
        self.fields["round"].choices = [("", _("Alle rondes"))] + [(r.pk, r.title) for r in rounds]
        self.fields["year"].choices = [("", _("Alle jaren"))] + [(y, str(y)) for y in years]
