"""The versioned price list (public schema). A published version never changes: the model refuses it and
a database trigger refuses it too, also for bulk updates."""

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class PublishedPriceListError(Exception):
    pass


class Unit(models.TextChoices):
    PARTICIPANT = "participant", _("per deelnemer")
    HOUR = "hour", _("per uur")
    MEAL = "meal", _("per maaltijd")
    EVENT = "event", _("per evenement")
    YEAR = "year", _("per jaar")
    KWH = "kwh", _("per kWh")
    HOUSEHOLD = "household", _("per huishouden")
    ITEM = "item", _("per stuk")
    PERSON_YEAR = "person_year", _("per persoon per jaar")


class PriceList(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        PUBLISHED = "published", _("gepubliceerd")

    version = models.CharField(_("versie"), max_length=20, unique=True)
    title = models.CharField(_("titel"), max_length=150)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(_("gepubliceerd op"), null=True, blank=True)
    notes = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "-created_at"]
        verbose_name = _("prijslijst")
        verbose_name_plural = _("prijslijsten")

    def __str__(self):
        return f"{self.title} ({self.version}, {self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class PriceItem(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    activity_nl = models.CharField(_("activiteit (Nederlands)"), max_length=200)
    activity_en = models.CharField(_("activiteit (Engels)"), max_length=200)
    value_domain = models.ForeignKey("geo.ValueDomain", on_delete=models.PROTECT, verbose_name=_("waardedomein"))
    sdg_weights = models.JSONField(
        _("SDG-gewichten"), help_text=_("SDG-nummer naar heel percentage, samen 100; het hoogste is de primaire SDG.")
    )
    indicator = models.CharField(_("indicator"), max_length=150)
    unit = models.CharField(_("eenheid"), max_length=20, choices=Unit.choices)
    unit_value = models.DecimalField(_("waarde per eenheid (EUR)"), max_digits=12, decimal_places=2)
    source = models.CharField(_("bron"), max_length=400, blank=True)
    source_year = models.PositiveSmallIntegerField(_("jaar van de bron"), null=True, blank=True)
    is_example = models.BooleanField(
        _("voorbeeldwaarde"), default=False, help_text=_("Geen citeerbare bron: het bedrag is een voorbeeld.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("prijsregel")
        verbose_name_plural = _("prijsregels")
        constraints = [
            models.UniqueConstraint(fields=["price_list", "code"], name="priceitem_code_unique"),
            models.CheckConstraint(condition=models.Q(unit_value__gte=0), name="priceitem_value_non_negative"),
            models.CheckConstraint(
                condition=models.Q(is_example=True) | ~models.Q(source=""), name="priceitem_source_or_example"
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.activity}"

    def save(self, *args, **kwargs):
        if PriceList.objects.filter(pk=self.price_list_id, status=PriceList.Status.PUBLISHED).exists():
            raise PublishedPriceListError("Een gepubliceerde prijslijst verandert nooit; maak een nieuwe versie.")
        super().save(*args, **kwargs)

    @property
    def activity(self) -> str:
        return self.activity_en if (get_language() or "nl").startswith("en") else self.activity_nl

    @property
    def weights(self) -> dict[int, int]:
        return {int(k): int(v) for k, v in self.sdg_weights.items()}

    @property
    def primary_sdg(self) -> int:
        return max(self.weights.items(), key=lambda kv: (kv[1], -kv[0]))[0]

    @property
    def source_label(self) -> str:
        if self.is_example:
            return str(_("Voorbeeldwaarde: geen citeerbare bron"))
        return f"{self.source} ({self.source_year})" if self.source_year else self.source


class Recomputation(models.Model):
    """Revaluing every initiative on every portal with one price-list version: progress for the admin."""

    price_list = models.OneToOneField(PriceList, on_delete=models.CASCADE, related_name="recomputation")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    portals_total = models.PositiveIntegerField(default=0)
    portals_done = models.PositiveIntegerField(default=0)
    initiatives_done = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("herberekening")
        verbose_name_plural = _("herberekeningen")

    def __str__(self):
        return f"{self.price_list.version}: {self.portals_done}/{self.portals_total}"


class RecomputationPortal(models.Model):
    recomputation = models.ForeignKey(Recomputation, on_delete=models.CASCADE, related_name="portals")
    portal = models.ForeignKey("tenants.Portal", on_delete=models.CASCADE, related_name="+")
    initiatives_done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Last sign of life: a task sent for this portal, or a batch committed. An unfinished portal whose
    # touched_at is older than MAEX_RECOMPUTE_STALL_SECONDS is resumed by the periodic check (docs/decisions/0017).
    touched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recomputation", "portal"], name="recompute_portal_unique")]
