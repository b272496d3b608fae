"""The national read model (public schema). Nothing writes these tables but ``national_index.projector``."""

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InitiativeLocator(models.Model):
    """Every initiative on the platform, published or not: where it lives, and its KvK number.

    Keyed by the initiative's UUID. Guards KvK numbers across portals (a KvK number registers once on the
    whole platform) and answers "which portal holds this UUID" for links and moves.
    """

    uuid = models.UUIDField(primary_key=True)
    portal = models.ForeignKey("tenants.Portal", on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(max_length=120)
    kvk_number = models.CharField(max_length=8, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kvk_number"], condition=~Q(kvk_number=""), name="locator_kvk_unique")
        ]


class IndexEntry(models.Model):
    """One published initiative, denormalised for national pages, statistics and the API.

    Holds no private data: contact details never reach this table.
    """

    uuid = models.UUIDField(primary_key=True)
    portal = models.ForeignKey("tenants.Portal", on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(max_length=120)
    name = models.CharField(max_length=150)
    short_description = models.CharField(max_length=280)
    url = models.URLField(max_length=300)
    municipality = models.ForeignKey("geo.Municipality", on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    legal_form = models.CharField(max_length=20)
    founding_year = models.PositiveSmallIntegerField()
    phase = models.CharField(max_length=20, blank=True, default="")  # "" = not stated (initiatives.Phase)
    sdgs = ArrayField(models.PositiveSmallIntegerField(), default=list)
    value_domains = ArrayField(models.CharField(max_length=30), default=list)
    target_groups = ArrayField(models.CharField(max_length=20), default=list)
    needs = ArrayField(models.CharField(max_length=20), default=list)  # open needs, by kind
    needs_fulfilled = ArrayField(models.CharField(max_length=20), default=list)
    partner_kinds = ArrayField(models.CharField(max_length=20), default=list)  # each kind once (the funders mix)
    district = models.CharField(max_length=100, blank=True, default="")  # "wijk of kern", as the profile says
    offers_count = models.PositiveIntegerField(default=0)
    people_reached = models.PositiveIntegerField()
    volunteers = models.PositiveIntegerField()
    paid_staff = models.PositiveIntegerField()
    paid_fte = models.DecimalField(max_digits=7, decimal_places=2)
    income_subsidy = models.PositiveSmallIntegerField()
    income_funds = models.PositiveSmallIntegerField()
    income_sales = models.PositiveSmallIntegerField()
    income_contributions = models.PositiveSmallIntegerField()
    income_other = models.PositiveSmallIntegerField()
    social_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    value_by_domain = models.JSONField(default=dict)
    value_by_sdg = models.JSONField(default=dict)
    deliveries = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # What the initiative does, as its profile shows it: price-list code -> quantity per year (a string, exact).
    # The graadmeter values these at its base prices (docs/decisions/0032-the-maex-graadmeter.md).
    activity_quantities = models.JSONField(default=dict)
    valued_with = models.CharField(max_length=20, blank=True)
    uses_examples = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False)
    published_at = models.DateTimeField()
    source_updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "uuid"]
        verbose_name = _("indexregel")
        verbose_name_plural = _("landelijke index")
        indexes = [
            GinIndex(fields=["sdgs"], name="index_sdgs_gin"),
            GinIndex(fields=["value_domains"], name="index_domains_gin"),
            GinIndex(fields=["needs"], name="index_needs_gin"),
            models.Index(fields=["name", "uuid"], name="index_name_order"),
            models.Index(fields=["portal", "name"], name="index_portal_name"),
            models.Index(fields=["municipality"], name="index_municipality"),
            models.Index(fields=["province"], name="index_province"),
        ]

    def __str__(self):
        return self.name


class Snapshot(models.Model):
    """The index's figures on one day, for one scope: the whole country, a portal or a province."""

    date = models.DateField()
    scope = models.CharField(max_length=40)  # "nl", "portal:<schema>", "province:<PVxx>"
    initiatives = models.PositiveIntegerField()
    people_reached = models.BigIntegerField()
    volunteers = models.BigIntegerField()
    paid_staff = models.BigIntegerField()
    social_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    # When this row was last written (a second take of a day rewrites it): the open data file's ETag moves with it.
    taken_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["date", "scope"]
        constraints = [models.UniqueConstraint(fields=["date", "scope"], name="snapshot_date_scope_unique")]


class GraadmeterLevel(models.Model):
    """The MAEX graadmeter of one scope on one take day (docs/decisions/0032-the-maex-graadmeter.md).

    ``value_cents`` is the constant-price value (the series' base price-list version, ``base_version``) of the
    initiatives in the scope whose portal shows amounts; ``level`` (totaal) and ``growth_level`` (groei van
    bestaande initiatieven) are chain-linked to the scope's previous take, both 100 on its first. Written only by
    ``national_index.graadmeter_store``; a day without a take has no row (a gap)."""

    date = models.DateField()  # the take day, Europe/Amsterdam
    scope = models.CharField(max_length=40)  # "nl", "portal:<schema>", "province:<PVxx>"
    value_cents = models.BigIntegerField()
    # Room for any ratio of two cent sums a take can meet (a first value of one cent grown to billions of euros), so
    # no scope's level can make the day's take fail. null: no valued initiative yet.
    level = models.DecimalField(max_digits=28, decimal_places=4, null=True)
    growth_level = models.DecimalField(max_digits=28, decimal_places=4, null=True)
    continuing_change_cents = models.BigIntegerField(default=0)
    joined_cents = models.BigIntegerField(default=0)
    left_cents = models.BigIntegerField(default=0)
    joined_count = models.PositiveIntegerField(default=0)
    left_count = models.PositiveIntegerField(default=0)
    initiatives = models.PositiveIntegerField()  # every published initiative in the scope
    valued_initiatives = models.PositiveIntegerField()  # of which the portal shows amounts: those in value_cents
    base_version = models.CharField(max_length=20)
    previous_date = models.DateField(null=True)  # the take this row's change is measured against
    backfilled = models.BooleanField(default=False)  # teruggerekend (the demo's replay), never a real take
    uses_examples = models.BooleanField(default=False)
    demo_initiatives = models.PositiveIntegerField(default=0)
    taken_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scope", "date"]
        constraints = [models.UniqueConstraint(fields=["date", "scope"], name="graadmeter_date_scope_unique")]
        indexes = [models.Index(fields=["scope", "date"], name="graadmeter_scope_date")]

    @property
    def value(self) -> Decimal:
        return Decimal(self.value_cents) / 100

    @property
    def continuing_change(self) -> Decimal:
        return Decimal(self.continuing_change_cents) / 100

    @property
    def joined(self) -> Decimal:
        return Decimal(self.joined_cents) / 100

    @property
    def left(self) -> Decimal:
        return Decimal(self.left_cents) / 100


class GraadmeterMember(models.Model):
    """The membership memory of the graadmeter: each valued initiative's constant-price value at a take, for the
    latest take day and the one before it only, so re-running a day compares against the take before it."""

    date = models.DateField(db_index=True)
    uuid = models.UUIDField()
    portal = models.CharField(max_length=63)  # schema name
    province = models.CharField(max_length=4)  # CBS code
    value_cents = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["date", "uuid"], name="graadmetermember_date_uuid_unique")]
        # A take's members of the portals that stopped showing amounts since (graadmeter_store._hidden_since)
        indexes = [models.Index(fields=["date", "portal"], name="graadmetermember_date_portal")]


class ImpulsAward(models.Model):
    """One MAEX Impuls award, from any portal: the platform-wide Impuls history of an initiative and the open data
    of awards (docs/decisions/0028-impuls-accountability-projection-reminders.md).

    Written only by ``national_index.projector.project_award``, in the transaction of the award, payout or
    accountability it reflects (docs/decisions/0002). Keyed by the portal that gave it and the application's id
    there. Holds no IBAN, no personal data and no answers: only what the award page of the round shows anyway.
    """

    portal = models.ForeignKey("tenants.Portal", on_delete=models.CASCADE, related_name="+")
    application_id = models.BigIntegerField()
    initiative_uuid = models.UUIDField(db_index=True)
    round_slug = models.SlugField(max_length=80)
    round_title = models.CharField(max_length=150)
    kind = models.CharField(max_length=10)  # impuls.Round.Kind: "geld" or "natura"
    unit = models.CharField(max_length=60, blank=True)  # in kind: what the amount counts (hundredths of it)
    amount_cents = models.BigIntegerField()
    awarded_on = models.DateField()
    paid_on = models.DateField(null=True, blank=True)
    accountability_due_on = models.DateField(null=True, blank=True)  # the end of the spend window, once paid
    accounted_on = models.DateField(null=True, blank=True)
    news_url = models.URLField(max_length=300, blank=True)  # the news item that accounts for it, on its page

    class Meta:
        ordering = ["-awarded_on", "id"]
        verbose_name = _("Impuls-toekenning")
        verbose_name_plural = _("Impuls-toekenningen")
        constraints = [
            models.UniqueConstraint(fields=["portal", "application_id"], name="impulsaward_one_per_application"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="impulsaward_amount_positive"),
        ]
        indexes = [models.Index(fields=["portal", "awarded_on"], name="impulsaward_portal_date")]

    def __str__(self):
        return f"{self.round_title}: {self.initiative_uuid}"

    @property
    def amount(self) -> Decimal:
        """The amount in euros (or, in kind, in units), exact: cents / 100 as a Decimal."""
        return Decimal(self.amount_cents) / 100

    def accountability_state(self, today) -> str:
        """ "accounted", "overdue", "open" (paid, within the spend window) or "" (not paid yet)."""
        if self.accounted_on:
            return "accounted"
        if self.accountability_due_on is None:
            return ""
        return "overdue" if today > self.accountability_due_on else "open"


class ImpulsAwardPart(models.Model):
    """What one funder pays of an award (its commitment's share by the split rule, docs/decisions/0024)."""

    award = models.ForeignKey(ImpulsAward, on_delete=models.CASCADE, related_name="parts")
    funder = models.CharField(max_length=150)
    amount_cents = models.BigIntegerField()

    class Meta:
        ordering = ["award", "-amount_cents", "funder"]
        constraints = [
            models.UniqueConstraint(fields=["award", "funder"], name="impulsawardpart_one_per_funder"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="impulsawardpart_amount_positive"),
        ]
        indexes = [models.Index(fields=["funder"], name="impulsawardpart_funder")]
