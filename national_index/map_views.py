"""``/kaart/``: the map of the portal's municipalities (docs/decisions/0033-municipality-map.md). A GET form picks
the figure; bad input shows a message and the default map, never an error page."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from . import maps

SORTS = {"naam": _("naam"), "cijfer": _("cijfer")}


class MapForm(forms.Form):
    figuur = forms.ChoiceField(label=_("Kleur de kaart naar"), choices=list(maps.FIGURES.items()), required=False)
    sdg = forms.TypedChoiceField(
        label=_("SDG"),
        choices=[("", "—")] + [(n, str(n)) for n in range(1, 18)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Alleen voor de waarde per SDG."),
    )
    sorteer = forms.ChoiceField(label=_("Sorteer de tabel op"), choices=list(SORTS.items()), required=False)

    def clean(self):
        data = super().clean()
        if data.get("figuur") == "sdg" and not data.get("sdg"):
            self.add_error("sdg", _("Kies een SDG van 1 tot en met 17."))
        return data


@require_safe
def municipality_map(request):
    form = MapForm(request.GET or None)
    valid = form.is_valid() if request.GET else False
    data = form.cleaned_data if valid else {}
    figure = data.get("figuur") or maps.DEFAULT_FIGURE
    sdg = data.get("sdg") if figure == "sdg" else None
    sort = data.get("sorteer") or "naam"
    found = maps.municipality_map(request.tenant, figure, sdg)
    return render(
        request,
        "national_index/map.html",
        # by figure: highest first, municipalities without a value that may be shown last
        {"form": form, "map": found, "table": found["table"][sort], "figure": figure, "sdg": sdg, "sort": sort},
    )
