"""The portal registry (public schema): every website is a portal with its own PostgreSQL schema."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

NATIONAL_SCHEMA = "landelijk"
TEMPLATE_SCHEMA = "template"


class PortalQuerySet(models.QuerySet):
    """The rules about which portals to read, named once. django-tenants reads portals only through the default
    manager ``objects`` (``TenantMixin`` declares none of its own), so the manager built from this queryset
    serves it unchanged."""

    def websites(self):
        """Portals that serve a website: every one but the public pseudo-tenant and the template schema new
        portals are cloned from. Switched-off portals included: add ``filter(is_active=True)`` for live ones."""
        return self.exclude(schema_name__in=["public", TEMPLATE_SCHEMA])

    def with_domains(self):
        """With their domains in one more query, the primary first: what ``primary_host`` and ``absolute_url``
        read."""
        return self.prefetch_related(
            models.Prefetch("domains", queryset=Domain.objects.order_by("-is_primary", "domain"))
        )


class Portal(TenantMixin):
    class Kind(models.TextChoices):
        NATIONAL = "national", _("landelijk")
        PROVINCE = "province", _("provincie")
        REGION = "region", _("regio")
        MUNICIPALITY = "municipality", _("gemeente")

    name = models.CharField(_("naam"), max_length=100)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.PROVINCE)
    is_active = models.BooleanField(_("actief"), default=True)
    review_required = models.BooleanField(
        _("aanmeldingen eerst beoordelen"),
        default=True,
        help_text=_("Uit: nieuwe initiatieven worden direct gepubliceerd."),
    )

    class Implausible(models.TextChoices):
        REFUSE = "refuse", _("weigeren")
        HOLD = "hold", _("ter beoordeling vasthouden")

    # Plausible figures (docs/decisions/0021-held-changes.md): what happens to declared figures an initiative of
    # its size cannot deliver, and how far a change may move a published initiative's figures before it waits.
    implausible = models.CharField(
        _("niet-aannemelijke cijfers"),
        max_length=10,
        choices=Implausible.choices,
        default=Implausible.REFUSE,
        help_text=_(
            "Weigeren: de eigenaar moet de cijfers aanpassen. Ter beoordeling vasthouden: de aanmelding of wijziging "
            "wordt bewaard en wacht op de redactie."
        ),
    )
    hold_threshold = models.PositiveSmallIntegerField(
        _("drempel voor wijzigingen (%)"),
        null=True,
        blank=True,
        default=50,
        help_text=_(
            "Een wijziging van een gepubliceerd initiatief die de maatschappelijke waarde, het aantal bereikte "
            "mensen, vrijwilligers, betaalde medewerkers of fte met meer dan dit percentage verandert, wacht op "
            "beoordeling. Leeg: geen drempel."
        ),
    )
    show_amounts = models.BooleanField(
        _("eurobedragen openbaar tonen"),
        default=False,
        help_text=_("Uit: alleen eigenaren en redacteuren zien bedragen; de vorm van de grafieken is altijd openbaar."),
    )
    created_on = models.DateTimeField(auto_now_add=True)

    objects = PortalQuerySet.as_manager()

    auto_create_schema = True
    auto_drop_schema = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("portaal")
        verbose_name_plural = _("portalen")
        permissions = [("manage_portals", _("Kan portalen, domeinen en dekking beheren"))]

    def __str__(self):
        return self.name

    @property
    def is_national(self) -> bool:
        return self.schema_name == NATIONAL_SCHEMA

    @property
    def primary_host(self) -> str:
        domain = next((d for d in self.domains.all() if d.is_primary), None)
        return domain.domain if domain else ""

    def absolute_url(self, path: str = "/") -> str:
        return host_url(self.primary_host, path)


def host_url(host: str, path: str = "/") -> str:
    """An absolute URL on one of the platform's hosts, with the scheme and link port of this installation."""
    scheme = "https" if settings.SECURE_SSL else "http"
    port = f":{settings.LINK_PORT}" if settings.LINK_PORT not in (0, 80, 443) else ""
    return f"{scheme}://{host}{port}{path}"


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domein")
        verbose_name_plural = _("domeinen")


class Coverage(models.Model):
    """Which portal covers a municipality. One portal per municipality: the database enforces it."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="coverage")
    municipality = models.OneToOneField("geo.Municipality", on_delete=models.PROTECT, related_name="coverage")

    class Meta:
        verbose_name = _("dekking")
        verbose_name_plural = _("dekking")

    def __str__(self):
        return f"{self.municipality} → {self.portal}"
