"""The area a visitor asks the Stand van het Land of (``?gebied=<area key>``), shared by the page and its CSV
(docs/decisions/0034-the-full-stand-van-het-land.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tenants.models import Portal

from . import areas, version
from .figures import FIGURES_CACHE_SECONDS, area_figures, cached_area_figures, figures_cache_key, public_figures

PARAMETER = "gebied"
SHOWN_KEY_CHARS = 40


@dataclass(frozen=True)
class Chosen:
    area: areas.Area
    problem: str  # "" when the asked area is shown; else why the portal's own area is shown instead


def _chosen(portal: Portal, given: str | None, missing: str, foreign: str, refuse=None) -> Chosen:
    """The area of ``given`` when it names one this portal shows (``areas.allowed``) and ``refuse(area)`` finds no
    reason against; else the portal's own (``areas.of_portal``) with the message why: ``missing`` for a key of no
    area, ``foreign`` for one the portal does not show, each with ``%(key)s`` and ``%(name)s``. No key, or an
    empty one, is the portal's own area."""
    default = areas.of_portal(portal)
    key = (given or "").strip()
    if not key or key == default.key:
        return Chosen(default, "")
    shown = key if len(key) <= SHOWN_KEY_CHARS else key[:SHOWN_KEY_CHARS] + "…"
    area = areas.parse(key)
    if area is None:
        problem = missing
    elif not areas.allowed(portal, area):
        problem = foreign
    else:
        problem = refuse(area) if refuse else ""
        if not problem:
            return Chosen(area, "")
    return Chosen(default, problem % {"key": shown, "name": default.name})


def chosen_area(portal: Portal, given: str | None) -> Chosen:
    """The Stand's area of ``given`` (``_chosen``): any area the portal shows."""
    return _chosen(
        portal,
        given,
        _("Het gebied “%(key)s” bestaat niet. Hieronder staan de cijfers van %(name)s."),
        _("De cijfers van “%(key)s” staan niet op dit portaal. Hieronder staan de cijfers van %(name)s."),
    )


def _no_municipality(area: areas.Area) -> str:
    if area.kind != "gemeente":
        return ""
    return _(
        "Een gemeente heeft geen graadmeter: die is er voor het land, een portaal en een provincie. "
        "Hieronder staat de graadmeter van %(name)s."
    )


def graadmeter_area(portal, given: str | None) -> Chosen:
    """The area of the graadmeter asked for (``?gebied=``, ``_chosen``): the country, a portal or a province this
    portal shows; else the portal's own with a message why (the view answers 400). A municipality has no
    graadmeter (decision 0032)."""
    return _chosen(
        portal,
        given,
        _("Het gebied “%(key)s” bestaat niet. Hieronder staat de graadmeter van %(name)s."),
        _("De graadmeter van “%(key)s” staat niet op dit portaal. Hieronder staat de graadmeter van %(name)s."),
        refuse=_no_municipality,
    )


def figures_of(area: areas.Area) -> dict:
    """The public figures of ``area`` (``figures.public_figures``), from the cache while the index has not
    changed."""
    return public_figures(cached_area_figures(area.filter))


def read(area: areas.Area, current: str | None = None) -> tuple[dict, str]:
    """The public figures of ``area`` and the index and portals' version they are of: one query for the version
    (none when the caller gives it, ``current``) and one cache read when warm (the entry of
    ``figures.cached_area_figures``, warmed after each change)."""
    current = current or version.current_with_portals()
    key = figures_cache_key(area.filter, current)
    found = cache.get(key)
    if found is None:
        found = area_figures(area.filter)
        cache.set(key, found, FIGURES_CACHE_SECONDS)
    return public_figures(found), current


CHOICES_CACHE_SECONDS = 24 * 60 * 60  # bounds the memory only: the portals' version moves the key


def cached_choices(portal: Portal, current: str, *, municipalities: bool = True) -> tuple[list, str]:
    """``areas.choices(portal)`` and their ``<option>``s (``options_html``), per portal (the cache's key is per
    schema), language and portals' version (a portal's name, activity and coverage move it, decision 0030):
    three queries and some 400 escaped options once, not per request. Without ``municipalities`` (the graadmeter,
    which has none), the groups of municipalities are left out."""
    portals_version = current.rpartition(".")[2]
    key = f"stand-choices:{get_language() or ''}:{portals_version}:{int(municipalities)}"
    found = cache.get(key)
    if found is None:
        choices = areas.choices(portal)
        if not municipalities:
            choices = [(label, opts) for label, opts in choices if not any(k.startswith("gemeente:") for k, _n in opts)]
        found = (choices, str(options_html(choices)))
        cache.set(key, found, CHOICES_CACHE_SECONDS)
    return found


def options_html(choices: list) -> SafeString:
    """The ``<option>``s (in ``<optgroup>``s) of the area select, none selected."""

    def group(options):
        return format_html_join("", '<option value="{}">{}</option>', options)

    return format_html_join(
        "",
        "{}",
        (
            (format_html('<optgroup label="{}">{}</optgroup>', label, group(opts)) if label else group(opts),)
            for label, opts in choices
        ),
    )


def with_selected(html: str, key: str) -> SafeString:
    """``html`` (``options_html``) with the option of ``key`` selected (an area key is letters, digits and ":",
    never escaped)."""
    return mark_safe(html.replace(f'<option value="{escape(key)}">', f'<option value="{escape(key)}" selected>', 1))  # noqa: S308 (escaped by options_html, the key escaped here)
