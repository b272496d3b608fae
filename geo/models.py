"""Shared reference data (public schema): provinces, municipalities, SDGs and value domains."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    cbs_code = models.CharField(_("CBS-code"), max_length=4, unique=True)  # PV20..PV31
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provincie")
        verbose_name_plural = _("provincies")

    def __str__(self):
        return self.name


class Municipality(models.Model):
    cbs_code = models.CharField(_("CBS-code"), max_length=6, unique=True)  # GM0718
    name = models.CharField(_("naam"), max_length=100)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="municipalities")
    # CBS population on 1 January of ``population_year`` (geo/data/SOURCES.md, ``import_cbs_population``);
    # None where no CBS figure was loaded: the map then shows "unknown", never an estimate.
    population = models.PositiveIntegerField(_("inwoners"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("inwoners op 1 januari van"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """CBS writes 's-Gravenhage; people say Den Haag. The CBS code stays the key."""
        return DISPLAY_NAMES.get(self.cbs_code, self.name)


DISPLAY_NAMES = {"GM0518": "Den Haag ('s-Gravenhage)"}


class MunicipalityShape(models.Model):
    """A municipality's boundary as a compact SVG path (docs/decisions/0033-municipality-map.md).

    Coordinates are in the map frame of ``geo.boundaries``: hectometres, x to the east, y to the south, the same
    frame for every municipality, so any set of shapes draws together and the viewBox is the union of their boxes.
    """

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="shape")
    path = models.TextField()  # the ``d`` of an SVG <path>: absolute M, relative l, z; integers
    min_x = models.IntegerField()
    min_y = models.IntegerField()
    max_x = models.IntegerField()
    max_y = models.IntegerField()
    source = models.CharField(_("bron"), max_length=200)
    year = models.PositiveSmallIntegerField(_("indeling van"))
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gemeentegrens")
        verbose_name_plural = _("gemeentegrenzen")

    def __str__(self):
        return str(self.municipality)


class SDG(models.Model):
    number = models.PositiveSmallIntegerField(primary_key=True)
    name_nl = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    color_hex = models.CharField(max_length=7)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG")
        verbose_name_plural = _("SDG's")

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


class ValueDomain(models.Model):
    """A domain of the waardenweb (value web)."""

    code = models.SlugField(max_length=30, primary_key=True)
    name_nl = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        verbose_name = _("waardedomein")
        verbose_name_plural = _("waardedomeinen")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl
