"""The applicant's forms of MAEX Impuls: the short application, the answer to a reviewer's question
(docs/decisions/0026-impuls-applicant-side.md).

An amount is typed in euros ("1250", "1.250,50", "1250.5") and becomes integer cents through ``Decimal``, never a
float. The word limits and the IBAN are checked here for a message next to the field; ``impuls.services`` checks
the words again and decides everything that depends on the round's state (open, full, duplicate) under its lock.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Round
from .sepa import compact_iban, validate_iban
from .services import WORD_LIMIT, word_count
from .templatetags.impuls_tags import cents as cents_text

_AMOUNT = re.compile(r"^\d+([.,]\d{1,2})?$")
MAX_AMOUNT_CENTS = 10**12  # far above any round's maximum; keeps a typed number inside a bigint


def parse_cents(text: str) -> int:
    """Euros as typed by a person to integer cents: "1250", "1.250", "1.250,50", "1250,5", "€ 1250" (a dot
    followed by exactly three digits is a thousands separator, as written in Dutch). ``ValueError`` otherwise."""
    value = (text or "").strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", value):
        value = value.replace(".", "")
    if not _AMOUNT.match(value):
        raise ValueError(text)
    try:
        cents = Decimal(value.replace(",", ".")) * 100
    except InvalidOperation:
        raise ValueError(text) from None
    if cents != cents.to_integral_value() or not 0 < cents < MAX_AMOUNT_CENTS:
        raise ValueError(text)
    return int(cents)


def _words(value: str) -> None:
    if word_count(value) > WORD_LIMIT:
        raise ValidationError(
            _("Gebruik ten hoogste %(limit)d woorden; u gebruikt er nu %(count)d.")
            % {"limit": WORD_LIMIT, "count": word_count(value)},
            code="words",
        )


class ApplicationForm(forms.Form):
    """The short application: the amount, what it strengthens, the costs and how the rest is covered, the round's
    own questions, and the account the money goes to. Everything else comes from the profile."""

    amount = forms.CharField(label=gettext_lazy("Gevraagd bedrag in euro"), max_length=20)
    strengthens = forms.CharField(
        label=gettext_lazy("Wat versterkt dit bedrag aan uw organisatie?"),
        help_text=gettext_lazy(
            "Bijvoorbeeld een training, de administratie of uw zichtbaarheid. Ten hoogste 150 woorden."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        validators=[_words],
    )
    cost_estimate = forms.CharField(
        label=gettext_lazy("Kostenraming"),
        help_text=gettext_lazy("Wat kost het, en waaruit bestaan de kosten? Ten hoogste 150 woorden."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        validators=[_words],
    )
    covers_all = forms.TypedChoiceField(
        label=gettext_lazy("Dekt het gevraagde bedrag alle kosten?"),
        choices=[("ja", gettext_lazy("Ja")), ("nee", gettext_lazy("Nee, een deel betalen wij op een andere manier"))],
        widget=forms.RadioSelect,
    )
    coverage_plan = forms.CharField(
        label=gettext_lazy("Dekkingsplan"),
        help_text=gettext_lazy(
            "Alleen als het bedrag niet alle kosten dekt: hoe betaalt u de rest? Ten hoogste 150 woorden."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        validators=[_words],
    )
    iban = forms.CharField(
        label=gettext_lazy("IBAN"),
        help_text=gettext_lazy(
            "Het rekeningnummer waarop het geld wordt gestort, bijvoorbeeld NL91 ABNA 0417 1643 00."
        ),
        max_length=42,
    )
    account_holder = forms.CharField(label=gettext_lazy("Tenaamstelling van de rekening"), max_length=70)

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        # The range next to the field, read with it by a screen reader (its aria-describedby)
        self.fields["amount"].help_text = _("Van %(min)s tot en met %(max)s.") % {
            "min": cents_text(round.min_cents, round),
            "max": cents_text(round.max_cents, round),
        }
        if round.kind == Round.Kind.IN_KIND:
            self.fields["amount"].label = _("Gevraagde hoeveelheid (%(unit)s)") % {"unit": round.unit or _("eenheden")}
            self.fields["covers_all"].label = _("Dekt de gevraagde hoeveelheid wat u nodig hebt?")
            # Help in kind is not paid into an account.
            for name in ("iban", "account_holder"):
                self.fields[name].required = False
        self.question_keys = []
        for k, question in enumerate(round.application_questions or []):
            # [{"label": str, "required": bool}]; a bare string is a question that may be left empty.
            label, required = (
                (str(question.get("label", "")), bool(question.get("required")))
                if isinstance(question, dict)
                else (str(question), False)
            )
            key = f"question_{k}"
            self.fields[key] = forms.CharField(
                label=label, required=required, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
            )
            self.question_keys.append((key, label))

    def clean_amount(self) -> int:
        try:
            cents = parse_cents(self.cleaned_data["amount"])
        except ValueError:
            raise ValidationError(
                _("Vul een bedrag in euro in, bijvoorbeeld 1250 of 1250,50."), code="amount_format"
            ) from None
        # Said here too, next to the other fields' messages; the service decides again under the round's lock.
        if not self.round.min_cents <= cents <= self.round.max_cents:
            raise ValidationError(
                _("Vraag een bedrag van %(min)s tot en met %(max)s.")
                % {
                    "min": cents_text(self.round.min_cents, self.round),
                    "max": cents_text(self.round.max_cents, self.round),
                },
                code="amount_range",
            )
        return cents

    def clean_iban(self) -> str:
        value = self.cleaned_data.get("iban", "")
        if not value:
            return ""
        validate_iban(value)
        return compact_iban(value)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("covers_all") == "nee" and not (cleaned.get("coverage_plan") or "").strip():
            self.add_error(
                "coverage_plan",
                ValidationError(
                    _("Het bedrag dekt niet alle kosten: beschrijf hoe u de rest betaalt."), code="coverage_required"
                ),
            )
        return cleaned

    @property
    def questions_fields(self):
        return [self[key] for key, _label in self.question_keys]

    def answers(self) -> dict:
        """The round's own questions with their answers, keyed by the question (as the reviewers read them)."""
        return {label: self.cleaned_data.get(key, "") for key, label in self.question_keys}


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Uw antwoord"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
