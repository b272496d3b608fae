"""The registration and profile forms. Every bad value gets a message next to its field; a bound form
re-renders everything that was typed."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo.models import SDG, Municipality, ValueDomain
from maex.widgets import FastSelect
from valuation.selectors import items_grouped_by_sdg

from .models import Initiative, NeedKind, PartnerKind, Phase, TargetGroup


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class InitiativeForm(forms.ModelForm):
    municipality = MunicipalityChoiceField(
        queryset=Municipality.objects.order_by("name"), label=_("Gemeente"), empty_label=_("Kies een gemeente")
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Doelgroepen"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    sdgs = forms.TypedMultipleChoiceField(
        label=_("Duurzame ontwikkelingsdoelen (SDG's)"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # Blank in the model only for initiatives registered before it was asked (docs/glossary.md, "fase").
    phase = forms.ChoiceField(
        label=_("Fase"),
        choices=[("", _("Kies een fase")), *Phase.choices],
        error_messages={"required": _("Kies in welke fase uw initiatief is.")},
        help_text=_(
            "Idee: nog niet gestart. Startfase: de eerste activiteiten lopen. Doorgroeifase: het initiatief "
            "draait en wil groeien of steviger worden. Volwassen: het initiatief staat en draait zelfstandig."
        ),
    )
    value_domains = forms.MultipleChoiceField(
        label=_("Waardedomeinen"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies minstens één domein waarop het initiatief waarde levert."),
    )

    class Meta:
        model = Initiative
        fields = Initiative.PROFILE_FIELDS  # the fields are rendered one by one: _profile_form.html
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "short_description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sdgs"].choices = [(s.number, str(s)) for s in SDG.objects.all()]
        self.fields["value_domains"].choices = [(d.code, d.name) for d in ValueDomain.objects.all()]
        self.fields["founding_year"].widget.attrs.update(min=1800, max=timezone.now().year)
        # Typed with spaces ("1234 5678") is fine: clean_kvk_number removes them before the 8-digit check.
        kvk = self.fields["kvk_number"]
        kvk.max_length = 12
        kvk.validators = [v for v in kvk.validators if not isinstance(v, MaxLengthValidator)]
        kvk.widget.attrs["maxlength"] = "12"
        for name in Initiative.INCOME_FIELDS:
            self.fields[name].widget.attrs.update(min=0, max=100)
        for name, f in self.fields.items():
            if isinstance(f.widget, (forms.TextInput, forms.EmailInput, forms.URLInput, forms.NumberInput)):
                f.widget.attrs.setdefault("autocomplete", "off" if name.startswith("income") else "on")
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"

    def clean_founding_year(self):
        year = self.cleaned_data["founding_year"]
        if year > timezone.now().year:
            raise forms.ValidationError(_("Het oprichtingsjaar kan niet in de toekomst liggen."))
        return year

    def clean_kvk_number(self):
        return (self.cleaned_data.get("kvk_number") or "").replace(" ", "")

    def validate_constraints(self):
        """The duplicate checks (same name in a municipality, same KvK number) belong to the service, which
        refuses a duplicate with a link to the existing initiative; the model's generic "constraint violated"
        message must not pre-empt it. The other constraints (the income mix) are still checked here."""
        exclude = self._get_validation_exclusions() | {"name", "kvk_number"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as e:
            self._update_errors(e)

    def clean(self):
        data = super().clean()
        incomes = [data.get(name) for name in Initiative.INCOME_FIELDS]
        if all(v is not None for v in incomes) and sum(incomes) != 100:
            self.add_error(
                "income_subsidy",
                _("De inkomstenmix moet samen precies 100%% zijn; nu is het %(total)s%%.") % {"total": sum(incomes)},
            )
        staff, fte = data.get("paid_staff"), data.get("paid_fte")
        if staff is not None and fte is not None and fte > staff:
            self.add_error("paid_fte", _("Het aantal fte kan niet groter zijn dan het aantal betaalde medewerkers."))
        return data


class NeedsForm(forms.Form):
    """One optional line per kind of need: filled in means "we need this"; ticked "vervuld" means the initiative
    found it (it then counts as a fulfilled need and no longer shows up in a search on that need)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in NeedKind.choices:
            self.fields[f"need_{value}"] = forms.CharField(label=label, max_length=300, required=False)
            self.fields[f"need_{value}_fulfilled"] = forms.BooleanField(
                label=_("%(need)s: vervuld") % {"need": label}, required=False
            )

    def needs(self) -> list[dict]:
        return [
            {
                "kind": value,
                "text": self.cleaned_data[f"need_{value}"].strip(),
                "fulfilled": bool(self.cleaned_data.get(f"need_{value}_fulfilled")),
            }
            for value, _label in NeedKind.choices
            if self.cleaned_data.get(f"need_{value}", "").strip()
        ]

    @staticmethod
    def initial_for(initiative) -> dict:
        initial = {}
        for need in initiative.needs.all():
            initial[f"need_{need.kind}"] = need.text
            initial[f"need_{need.kind}_fulfilled"] = need.fulfilled
        return initial


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Naam partner of financier"), max_length=150, required=False)
    kind = forms.ChoiceField(label=_("Soort"), choices=[("", "—"), *PartnerKind.choices], required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("kind"):
            self.add_error("kind", _("Kies de soort partner."))
        if data.get("kind") and not data.get("name"):
            self.add_error("name", _("Vul de naam van de partner in."))
        return data


class OfferForm(forms.Form):
    name = forms.CharField(label=_("Product of dienst"), max_length=150, required=False)
    description = forms.CharField(label=_("Omschrijving"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("name"):
            self.add_error("name", _("Geef het product of de dienst een naam."))
        return data


PartnerFormSet = formset_factory(PartnerForm, extra=3, max_num=30, validate_max=True)
OfferFormSet = formset_factory(OfferForm, extra=3, max_num=30, validate_max=True)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres van de mede-eigenaar"))


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    # FastSelect: the same HTML as Django's select, without a template include per option (342 municipalities)
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False, widget=FastSelect)
    sdg = forms.TypedChoiceField(label=_("SDG"), required=False, coerce=int, empty_value=None, widget=FastSelect)
    domain = forms.ChoiceField(label=_("Waardedomein"), required=False, widget=FastSelect)
    need = forms.ChoiceField(
        label=_("Behoefte"), required=False, choices=[("", _("Alle")), *NeedKind.choices], widget=FastSelect
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("Alle gemeenten"))] + [
            (m.cbs_code, m.display_name) for m in (municipalities or [])
        ]
        self.fields["sdg"].choices = [("", _("Alle SDG's"))] + [(s.number, str(s)) for s in SDG.objects.all()]
        self.fields["domain"].choices = [("", _("Alle domeinen"))] + [
            (d.code, d.name) for d in ValueDomain.objects.all()
        ]


def activity_choices(price_list) -> list:
    """The price list's items grouped by their primary SDG, for a select with optgroups."""
    if price_list is None:
        return [("", "—")]
    names = {s.number: str(s) for s in SDG.objects.all()}
    groups = [
        (names.get(sdg, str(sdg)), [(item.code, f"{item.activity} ({item.get_unit_display()})") for item in items])
        for sdg, items in items_grouped_by_sdg(price_list).items()
    ]
    return [("", _("Kies een activiteit")), *groups]


class ActivityForm(forms.Form):
    item_code = forms.ChoiceField(label=_("Activiteit uit de prijslijst"), required=False)
    quantity = forms.DecimalField(
        label=_("Aantal per jaar"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("9999999999"),
        decimal_places=2,
        error_messages={
            "min_value": _("Het aantal moet groter dan 0 zijn."),
            "max_value": _("Dat aantal is onwaarschijnlijk groot; controleer het."),
            "invalid": _("Vul een getal in, bijvoorbeeld 120 of 12,5."),
            "max_decimal_places": _("Gebruik hoogstens 2 decimalen."),
        },
    )
    description = forms.CharField(label=_("Korte toelichting"), max_length=200, required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_code"].choices = choices
        self.fields["quantity"].localize = True
        self.fields["quantity"].widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def clean(self):
        data = super().clean()
        if data.get("item_code") and data.get("quantity") is None and "quantity" not in self.errors:
            self.add_error("quantity", _("Vul het aantal per jaar in."))
        if not data.get("item_code") and (data.get("quantity") is not None or data.get("description")):
            self.add_error("item_code", _("Kies de activiteit uit de prijslijst."))
        return data


class BaseActivityFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            code = form.cleaned_data.get("item_code")
            if code and code in seen:
                form.add_error("item_code", _("Deze activiteit staat er al; tel de aantallen op in één regel."))
            seen.add(code)


ActivityFormSet = formset_factory(ActivityForm, formset=BaseActivityFormSet, extra=3, max_num=50, validate_max=True)
