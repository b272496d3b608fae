"""Form widgets that render the same HTML as Django's, faster.

Django renders every ``<option>`` of a select through two template includes; a select of the 342 municipalities
then costs more than the rest of a page (docs/benchmarks.md, "Fast pages"). ``FastSelect`` writes the very same
markup as ``django/forms/widgets/select.html`` in Python (tests/test_widgets.py compares the two)."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """As ``django/forms/widgets/attrs.html``: `` name="value"`` per attribute, a bare name for True, none for
    False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{conditional_escape(str(value))}"')
    return "".join(parts)


class FastSelect(forms.Select):
    """``forms.Select`` with its template written out in Python (same output, a fraction of the time)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                html.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 - every value escaped above
