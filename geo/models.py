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
