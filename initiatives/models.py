"""A social initiative and its uniform profile. Lives in exactly one schema: its home portal's.

The UUID never changes, also when the initiative moves to another portal; the national index and every
cross-portal reference use it, never the portal-local primary key.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from maex.validators import has_other_digits

KVK_NUMBER = r"^[0-9]{8}$"  # ASCII digits only: "\d" would also take ٠١٢٣٤٥٦٧, the same number to a person


def validate_kvk_number(value: str) -> None:
    """8 ASCII digits. Digits of another script get their own message: they look right to whoever typed them."""
    if has_other_digits(value):
        raise ValidationError(
            _("Typ het KvK-nummer met de gewone cijfers 0 tot en met 9."), code="ascii_digits", params={"value": value}
        )
    if not (len(value) == 8 and value.isascii() and value.isdigit()):
        raise ValidationError(
            _("Een KvK-nummer bestaat uit precies 8 cijfers."), code="invalid", params={"value": value}
        )


class LegalForm(models.TextChoices):
    FOUNDATION = "stichting", _("Stichting")
    ASSOCIATION = "vereniging", _("Vereniging")
    COOPERATIVE = "cooperatie", _("Coöperatie")
    COMPANY = "bv", _("Besloten vennootschap (bv)")
    SOLE_TRADER = "eenmanszaak", _("Eenmanszaak")
    INFORMAL = "informeel", _("Informeel collectief (geen rechtsvorm)")
    OTHER = "anders", _("Anders")


class TargetGroup(models.TextChoices):
    CHILDREN = "kinderen", _("Kinderen")
    YOUTH = "jongeren", _("Jongeren")
    ELDERLY = "ouderen", _("Ouderen")
    DISABILITY = "beperking", _("Mensen met een beperking")
    NEWCOMERS = "nieuwkomers", _("Nieuwkomers")
    LOW_INCOME = "laag_inkomen", _("Mensen met een laag inkomen")
    JOBSEEKERS = "werkzoekenden", _("Werkzoekenden")
    LONELY = "eenzamen", _("Mensen die eenzaam zijn")
    INFORMAL_CARERS = "mantelzorgers", _("Mantelzorgers")
    NEIGHBOURHOOD = "buurtbewoners", _("Buurtbewoners")
    EVERYONE = "iedereen", _("Iedereen")


class NeedKind(models.TextChoices):
    MONEY = "geld", _("Geld")
    VOLUNTEERS = "vrijwilligers", _("Vrijwilligers")
    KNOWLEDGE = "kennis", _("Kennis")
    MATERIALS = "materialen", _("Materialen")
    MEDIA = "media", _("Media-aandacht")
    PARTNERSHIP = "samenwerking", _("Samenwerking")
    ACCOMMODATION = "huisvesting", _("Huisvesting")


class Phase(models.TextChoices):
    """How far an initiative has come, in order: Impuls rounds ask for a minimum phase (docs/glossary.md, "fase").
    An initiative registered before the phase was asked has none (""): unknown, never guessed."""

    IDEA = "idee", _("Idee")
    START = "start", _("Startfase")
    GROWTH = "doorgroei", _("Doorgroeifase")
    MATURE = "volwassen", _("Volwassen")

    @classmethod
    def rank(cls, value: str) -> int:
        """The position of ``value`` in the order idee < start < doorgroei < volwassen; -1 for unknown ("")."""
        order = list(cls.values)
        return order.index(value) if value in order else -1


class PartnerKind(models.TextChoices):
    """What kind of organisation a partner is: an initiative's (``Partner``) or a portal's (``cms.PartnerPage``).
    One vocabulary for both; the stored values are Dutch words (docs/glossary.md)."""

    MUNICIPALITY = "gemeente", _("Gemeente")
    PROVINCE = "provincie", _("Provincie")
    FUND = "fonds", _("Fonds")
    COMPANY = "bedrijf", _("Bedrijf")
    KNOWLEDGE = "kennisinstelling", _("Kennisinstelling")
    DONORS = "particulieren", _("Particuliere gevers")
    BANK = "bank", _("Bank")
    LIBRARY = "bibliotheek", _("Bibliotheek")
    GOVERNMENT = "rijksoverheid", _("Rijksoverheid")
    SOCIETY = "maatschappelijk", _("Maatschappelijke organisatie")
    OTHER = "anders", _("Anders")


def initiative_path(slug: str, suffix: str = "") -> str:
    """An initiative's page, or a page under it (``suffix``, e.g. ``"bewerken/"``), on its home portal. Served by
    cms.InitiativeIndexPage, whose slug is fixed."""
    return f"/initiatieven/{slug}/{suffix}"


def initiative_url(portal, slug: str, suffix: str = "") -> str:
    """The absolute URL of an initiative's page (or a page under it) on its home portal ``portal`` (with its
    domains loaded): the portal's canonical host with this installation's scheme and link port, never the
    request's host (``Portal.absolute_url``; docs/decisions/0014). The one way to link to an initiative from
    outside its page: the national index, mail, the personal-data export, redirects after a move."""
    return portal.absolute_url(initiative_path(slug, suffix))


class InitiativeQuerySet(models.QuerySet):
    def for_index(self):
        """Initiatives with what the national index projector reads loaded in a fixed number of queries
        (``national_index.projector.entry_values``: the municipality for its province, the needs, the offers, the
        partners and the activities). Every initiative, not only the published ones: the projector writes a locator
        for each."""
        return self.select_related("municipality").prefetch_related("needs", "offers", "partners", "activities")

    def for_revaluation(self):
        """What valuing an initiative and then projecting it read: ``for_index``, the activities included."""
        return self.for_index()


class Initiative(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Ingediend, wacht op beoordeling")
        PUBLISHED = "published", _("Gepubliceerd")
        REJECTED = "rejected", _("Afgewezen")
        WITHDRAWN = "withdrawn", _("Teruggetrokken")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)

    name = models.CharField(_("naam"), max_length=150)
    short_description = models.CharField(_("korte omschrijving"), max_length=280)
    description = models.TextField(_("beschrijving"), max_length=10_000, blank=True)
    municipality = models.ForeignKey("geo.Municipality", on_delete=models.PROTECT, verbose_name=_("gemeente"))
    district = models.CharField(_("wijk of kern"), max_length=100, blank=True)
    legal_form = models.CharField(_("rechtsvorm"), max_length=20, choices=LegalForm.choices)
    kvk_number = models.CharField(
        _("KvK-nummer"),
        max_length=8,
        blank=True,
        validators=[validate_kvk_number],
        help_text=_("8 cijfers; leeg laten als het initiatief niet is ingeschreven."),
    )
    founding_year = models.PositiveSmallIntegerField(_("oprichtingsjaar"), validators=[MinValueValidator(1800)])
    # Blank only for initiatives registered before the phase was asked: the forms require it.
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices, blank=True, default="")
    website = models.URLField(_("website"), blank=True)

    # Contact: never public, never in the national index or the API.
    contact_name = models.CharField(_("contactpersoon"), max_length=150)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"))
    contact_phone = models.CharField(_("telefoonnummer contactpersoon"), max_length=30, blank=True)

    target_groups = ArrayField(models.CharField(max_length=20, choices=TargetGroup.choices), default=list, blank=True)
    sdgs = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    value_domains = ArrayField(models.CharField(max_length=30), default=list, blank=True)

    people_reached = models.PositiveIntegerField(_("bereikte mensen per jaar"))
    volunteers = models.PositiveIntegerField(_("vrijwilligers"))
    paid_staff = models.PositiveIntegerField(_("betaalde medewerkers (personen)"))
    paid_fte = models.DecimalField(
        _("betaalde medewerkers (fte)"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )

    # Income mix in whole percentages; together exactly 100 (form and database check it).
    income_subsidy = models.PositiveSmallIntegerField(_("subsidie (%)"), validators=[MaxValueValidator(100)])
    income_funds = models.PositiveSmallIntegerField(_("fondsen en donaties (%)"), validators=[MaxValueValidator(100)])
    income_sales = models.PositiveSmallIntegerField(
        _("verkoop van producten en diensten (%)"), validators=[MaxValueValidator(100)]
    )
    income_contributions = models.PositiveSmallIntegerField(_("contributies (%)"), validators=[MaxValueValidator(100)])
    income_other = models.PositiveSmallIntegerField(_("overig (%)"), validators=[MaxValueValidator(100)])

    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Ownership", related_name="+")

    # The valuation, as computed from the activities with one published price-list version.
    social_value = models.DecimalField(
        _("maatschappelijke waarde per jaar"), max_digits=14, decimal_places=2, default=0
    )
    value_by_domain = models.JSONField(default=dict, blank=True)
    value_by_sdg = models.JSONField(default=dict, blank=True)
    deliveries = models.DecimalField(_("welzijnsleveringen per jaar"), max_digits=14, decimal_places=2, default=0)
    valued_with = models.CharField(_("prijslijstversie"), max_length=20, blank=True)
    # Whether an example value without a citable source contributed to ``social_value`` (the notice of
    # docs/decisions/0020 follows it onto every total this initiative is part of).
    uses_examples = models.BooleanField(default=False)
    # Fictional: made by the demo (``demo.loader``). Figures drawn from demo initiatives carry a notice
    # (docs/decisions/0034-the-full-stand-van-het-land.md).
    is_demo = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The editor's reason for the last rejection, mailed to the owners and shown to them in Mijn MAEX.
    review_note = models.TextField(_("toelichting van de redactie"), max_length=2000, blank=True)
    # When the portal's editors were told this registration waits (the digest of
    # ``initiatives.tasks.announce_waiting_registrations``); empty: not announced yet.
    announced_at = models.DateTimeField(null=True, blank=True)

    INCOME_FIELDS = ("income_subsidy", "income_funds", "income_sales", "income_contributions", "income_other")
    # The uniform profile: what an owner fills in (the form's fields) and what the services write. Partners,
    # needs, offers and activities are rows of their own.
    PROFILE_FIELDS = (
        "name",
        "short_description",
        "description",
        "municipality",
        "district",
        "legal_form",
        "kvk_number",
        "founding_year",
        "phase",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "target_groups",
        "sdgs",
        "value_domains",
        "people_reached",
        "volunteers",
        "paid_staff",
        "paid_fte",
        *INCOME_FIELDS,
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("initiatief")
        verbose_name_plural = _("initiatieven")
        permissions = [("review_initiative", _("Kan aanmeldingen beoordelen en publiceren"))]
        constraints = [
            models.UniqueConstraint(Lower("name"), "municipality", name="initiative_name_municipality_unique"),
            models.UniqueConstraint(fields=["kvk_number"], condition=~Q(kvk_number=""), name="initiative_kvk_unique"),
            # Also for writes that skip the form (services, moves, imports): 8 ASCII digits or nothing.
            models.CheckConstraint(
                condition=Q(kvk_number="") | Q(kvk_number__regex=KVK_NUMBER), name="initiative_kvk_ascii_digits"
            ),
            models.CheckConstraint(
                condition=Q(
                    income_subsidy=100
                    - F("income_funds")
                    - F("income_sales")
                    - F("income_contributions")
                    - F("income_other")
                ),
                name="initiative_income_mix_is_100",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return initiative_path(self.slug)

    def absolute_url(self, portal, suffix: str = "") -> str:
        """This initiative's page (or one under it) as an absolute URL on ``portal``, its home portal."""
        return initiative_url(portal, self.slug, suffix)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def income_mix(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.INCOME_FIELDS}


class Ownership(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="ownerships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="ownership_unique")]


class NewsItem(models.Model):
    """A news item on an initiative's public page ("nieuws"), written by an owner; e.g. what an Impuls achieved
    (docs/decisions/0028-impuls-accountability-projection-reminders.md). Its UUID survives a move to another
    portal, so what refers to it from elsewhere keeps finding it."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="news")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("titel"), max_length=150)
    text = models.TextField(_("tekst"), max_length=4000)
    published_at = models.DateTimeField(_("gepubliceerd op"))

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("nieuwsbericht")
        verbose_name_plural = _("nieuws")

    def __str__(self):
        return self.title


class Invitation(models.Model):
    """An invitation to become co-owner; accepted by the invitee while signed in."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)


class Partner(models.Model):
    """A partner or funder who makes the initiative possible."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("naam"), max_length=150)
    kind = models.CharField(_("soort"), max_length=20, choices=PartnerKind.choices)

    class Meta:
        ordering = ["id"]


class Need(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("soort"), max_length=20, choices=NeedKind.choices)
    text = models.CharField(_("toelichting"), max_length=300)
    # Met: the initiative found what it asked for. It stays on the profile as a fulfilled need, so the Stand van
    # het Land can count open and fulfilled needs per kind; only open needs are searchable.
    fulfilled = models.BooleanField(_("vervuld"), default=False)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["initiative", "kind"], name="need_kind_unique")]


class Offer(models.Model):
    """A product or service others can buy from the initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="offers")
    name = models.CharField(_("product of dienst"), max_length=150)
    description = models.CharField(_("omschrijving"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]


class Activity(models.Model):
    """What the initiative does, in price-list terms: an item of the price list and a quantity per year."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="activities")
    item_code = models.SlugField(_("activiteit uit de prijslijst"), max_length=40)
    quantity = models.DecimalField(
        _("aantal per jaar"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    description = models.CharField(_("korte toelichting"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="activity_quantity_positive")]


class MovedAway(models.Model):
    """An initiative that lived in this portal's schema and moved to another portal (docs/architecture.md, "The write
    path").

    Its old URL (``/initiatieven/<slug>/`` here) redirects: the UUID leads through the national locator to
    wherever the initiative lives now, also after later moves."""

    slug = models.SlugField(max_length=120, unique=True)
    uuid = models.UUIDField(db_index=True)
    moved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verhuisd initiatief")
        verbose_name_plural = _("verhuisde initiatieven")

    def __str__(self):
        return self.slug


class ProfileChange(models.Model):
    """One change of an initiative's profile (wijziging): a registration, an edit that went live at once, or an edit
    held for review (docs/decisions/0021-held-changes.md). Every change is kept, with the field-level before and
    after of the public profile (``diff``), so editors can read the history.

    A held change (``PENDING``) keeps the proposed profile as plain JSON (``proposed``); the published initiative
    and its index entry stay as they were until an editor applies or rejects it. A newer edit by the owner
    supersedes a pending one."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("aanmelding")
        EDIT = "edit", _("wijziging")

    class State(models.TextChoices):
        PENDING = "pending", _("wacht op beoordeling")
        APPLIED = "applied", _("doorgevoerd")
        REJECTED = "rejected", _("afgewezen")
        SUPERSEDED = "superseded", _("vervangen door een nieuwere wijziging")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EDIT)
    state = models.CharField(max_length=20, choices=State.choices, db_index=True)
    # The proposed profile (``initiatives.services.profile_to_json``); kept for held changes, empty otherwise.
    proposed = models.JSONField(default=dict, blank=True)
    # [{"field", "before", "after"}] of the public profile, as text; for a pending change: against the published
    # profile when it was proposed, recomputed when it is applied.
    diff = models.JSONField(default=list, blank=True)
    social_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # Why it waits for review (sentences in Dutch, for the editors): implausible figures, a move beyond the threshold.
    reasons = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The editor's reason for a rejection, mailed to the owners.
    note = models.TextField(max_length=2000, blank=True)
    # When the editors' digest named this held change; empty: not announced yet.
    announced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative"], condition=Q(state="pending"), name="profile_change_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.initiative} ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING
