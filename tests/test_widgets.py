"""FastSelect writes exactly the HTML of Django's own select template."""

import pytest
from django import forms

from maex.widgets import FastSelect

CHOICES = [
    ("", "Alle gemeenten"),
    ("GM0687", "Middelburg (Z.)"),
    ("GM0718", 'Vlissingen & "Souburg" <oost>'),
    (3, "3. Goede gezondheid"),
]
GROUPED = [("", "Kies"), ("Groep <1>", [("a", "A & B"), ("b", "B")]), ("Groep 2", [("c", "C")]), ("d", "D")]


@pytest.mark.parametrize("choices", [CHOICES, GROUPED])
@pytest.mark.parametrize("value", [None, "", "GM0718", 3, "3", "b", "onbekend"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_municipality"}, {"id": "x", "required": True, "disabled": False, "data-x": 'a"b'}]
)
def test_fast_select_renders_what_django_renders(choices, value, attrs):
    # Given the same choices, value and attributes
    django_select = forms.Select(choices=choices, attrs={"class": "filter"})
    fast_select = FastSelect(choices=choices, attrs={"class": "filter"})
    # When both render, then the HTML is the same, character for character
    expected = django_select.render("municipality", value, attrs=attrs)
    assert fast_select.render("municipality", value, attrs=attrs) == expected
    assert "<option" in expected


def test_a_multiple_select_keeps_djangos_rendering_of_several_values():
    # Given a select of several values, when FastSelect renders it, then every chosen option is selected
    html = FastSelect(choices=CHOICES).render("m", ["GM0687", "3"])
    assert html == forms.Select(choices=CHOICES).render("m", ["GM0687", "3"])
