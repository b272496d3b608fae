"""MAEX Impuls in a portal's schema: funders, rounds, their commitments, applications, and the append-only ledger
(docs/decisions/0024-impuls-ledger-and-split.md).

Money is integer cents (``BigIntegerField``), never a float. Only ``impuls.services`` writes a ``LedgerEntry`` or
the balance columns of a ``Commitment``, always both in one transaction; the database refuses a commitment whose
reservations and awards exceed its amount (a CHECK constraint) and any change to a ledger row (a trigger).

An application names its initiative by UUID, not by a foreign key: the initiative lives in its home portal's
schema, which for a national round is another schema, and an initiative that moves keeps its UUID.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from initiatives.models import PartnerKind

from .sepa import compact_iban, validate_iban


class Funder(models.Model):
    """An organisation that puts money (or help in kind) into this portal's Impuls rounds."""

    name = models.CharField(_("naam"), max_length=150, unique=True)
    kind = models.CharField(
        _("soort organisatie"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.FUND
    )
    # The funder's partner page on this portal (role "Impuls-financier"): its logo and story.
    partner_page = models.ForeignKey(
        "cms.PartnerPage",
        verbose_name=_("partnerpagina"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("financier")
        verbose_name_plural = _("financiers")

    def __str__(self):
        return self.name


class Round(ClusterableModel):
    """An Impuls round: a window in which initiatives apply, first come first served, while budget lasts. Its budget
    is the sum of its commitments."""

    class Kind(models.TextChoices):
        MONEY = "geld", _("Geld")
        IN_KIND = "natura", _("In natura")

    slug = models.SlugField(_("korte naam in de URL"), max_length=80, unique=True)
    title = models.CharField(_("titel"), max_length=150)
    purpose = models.TextField(_("waar de ronde voor is"), max_length=4000, blank=True)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.MONEY)
    # In kind: what is given, e.g. "uren deskundige"; the amounts then count hundredths of this unit.
    unit = models.CharField(_("eenheid"), max_length=60, blank=True)
    opens_at = models.DateTimeField(_("opent op"))
    closes_at = models.DateTimeField(_("sluit op"))
    min_cents = models.BigIntegerField(_("minimaal bedrag per aanvraag (centen)"))
    max_cents = models.BigIntegerField(_("maximaal bedrag per aanvraag (centen)"))
    max_applications = models.PositiveIntegerField(_("maximaal aantal aanvragen"), null=True, blank=True)
    spend_months = models.PositiveSmallIntegerField(_("bestedingstermijn (maanden)"), default=4)
    payout_working_days = models.PositiveSmallIntegerField(_("uitbetalingstermijn (werkdagen)"), default=10)
    # [{"label": str, "required": bool}]
    application_questions = models.JSONField(default=list, blank=True)
    accountability_questions = models.JSONField(default=list, blank=True)
    # The round's own criteria (every commitment may add its own): empty means any.
    municipalities = ArrayField(models.CharField(max_length=6), default=list, blank=True)
    sdgs = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    # A phase of initiatives.Initiative (idee, start, doorgroei, volwassen); read by impuls.eligibility.
    min_phase = models.CharField(_("minimale fase"), max_length=20, default="doorgroei", blank=True)
    needs_money_need = models.BooleanField(_("geldbehoefte op het profiel vereist"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "id"]
        verbose_name = _("Impuls-ronde")
        verbose_name_plural = _("Impuls-rondes")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="impuls_round_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(min_cents__gt=0, max_cents__gte=F("min_cents")), name="impuls_round_amount_range"
            ),
            models.CheckConstraint(
                condition=Q(max_applications__isnull=True) | Q(max_applications__gt=0),
                name="impuls_round_max_applications_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def is_open(self, at) -> bool:
        return self.opens_at <= at < self.closes_at


class Commitment(models.Model):
    """A funder's amount in one round (toezegging), with its own criteria, and its balance.

    ``reserved_cents`` and ``awarded_cents`` are moved only by ``impuls.services``, together with the ledger rows
    that explain them; the CHECK constraints make the database refuse any write that would exceed the amount."""

    # A ParentalKey: the round's admin form edits its commitments inline (impuls/wagtail_hooks.py).
    round = ParentalKey(Round, on_delete=models.PROTECT, related_name="commitments")
    funder = models.ForeignKey(
        Funder, verbose_name=_("financier"), on_delete=models.PROTECT, related_name="commitments"
    )
    amount_cents = models.BigIntegerField(_("bedrag (centen)"))
    # The funder's own criteria, on top of the round's; empty means any.
    sdgs = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    municipalities = ArrayField(models.CharField(max_length=6), default=list, blank=True)
    legal_forms = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    max_per_award_cents = models.BigIntegerField(_("maximaal per toekenning (centen)"), null=True, blank=True)
    reserved_cents = models.BigIntegerField(default=0, editable=False)
    awarded_cents = models.BigIntegerField(default=0, editable=False)
    paid_cents = models.BigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("toezegging")
        verbose_name_plural = _("toezeggingen")
        constraints = [
            models.UniqueConstraint(fields=["round", "funder"], name="impuls_commitment_one_per_funder"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="impuls_commitment_amount_positive"),
            models.CheckConstraint(
                condition=Q(max_per_award_cents__isnull=True) | Q(max_per_award_cents__gt=0),
                name="impuls_commitment_cap_positive",
            ),
            # The guarantee: no commitment is ever exceeded, whatever writes to it.
            models.CheckConstraint(
                condition=Q(
                    reserved_cents__gte=0,
                    awarded_cents__gte=0,
                    reserved_cents__lte=F("amount_cents") - F("awarded_cents"),
                ),
                name="impuls_commitment_never_exceeded",
            ),
            models.CheckConstraint(
                condition=Q(paid_cents__gte=0, paid_cents__lte=F("awarded_cents")),
                name="impuls_commitment_paid_within_awarded",
            ),
        ]

    BALANCE_FIELDS = ("reserved_cents", "awarded_cents", "paid_cents")

    def __str__(self):
        return f"{self.funder} ({self.round})"

    def save(self, *args, **kwargs):
        """Saving a changed commitment (the admin form) never writes its balance columns: only
        ``impuls.services`` moves them, with the ledger, and a form's copy may be stale by then."""
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in self.BALANCE_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def left_cents(self) -> int:
        return self.amount_cents - self.reserved_cents - self.awarded_cents


class Application(models.Model):
    """An initiative's application in a round (aanvraag), with its profile frozen as it was when submitted."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Ingediend")
        QUESTION = "question", _("Vraag gesteld")
        APPROVED = "approved", _("Toegekend")
        REJECTED = "rejected", _("Afgewezen")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    OPEN_STATES = (State.SUBMITTED, State.QUESTION)

    class Reason(models.TextChoices):
        NOT_ELIGIBLE = "voorwaarden", _("Voldoet niet aan de voorwaarden")
        NOT_STRENGTHENING = "versterking", _("Niet voor versterking van de organisatie")
        INCOMPLETE = "onvolledig", _("Aanvraag onvolledig of onduidelijk")
        BUDGET = "budget", _("Budget op")
        OTHER = "anders", _("Anders")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    number = models.PositiveIntegerField(_("volgnummer"))  # arrival order within the round, from 1
    initiative_uuid = models.UUIDField(_("initiatief"), db_index=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.SUBMITTED)
    requested_cents = models.BigIntegerField(_("gevraagd bedrag (centen)"))
    awarded_cents = models.BigIntegerField(_("toegekend bedrag (centen)"), null=True, blank=True)
    strengthens = models.TextField(_("wat het versterkt"), max_length=2000)
    cost_estimate = models.TextField(_("kostenraming"), max_length=2000)
    coverage_plan = models.TextField(_("dekkingsplan"), max_length=2000, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    # The profile (and its valuation) as it was when submitted, and the eligibility checklist then.
    frozen_profile = models.JSONField(default=dict)
    eligibility = models.JSONField(default=list, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    account_holder = models.CharField(_("tenaamstelling"), max_length=70, blank=True)
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason_code = models.CharField(_("reden"), max_length=20, choices=Reason.choices, blank=True)
    reason_text = models.TextField(_("toelichting"), max_length=2000, blank=True)

    class Meta:
        ordering = ["round", "number"]
        verbose_name = _("aanvraag")
        verbose_name_plural = _("aanvragen")
        permissions = [("decide_application", _("Kan Impuls-aanvragen beoordelen"))]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="impuls_application_number_unique"),
            models.UniqueConstraint(
                fields=["round", "initiative_uuid"],
                condition=~Q(state="withdrawn"),
                name="impuls_application_one_per_round",
            ),
            models.CheckConstraint(condition=Q(requested_cents__gt=0), name="impuls_application_requested_positive"),
            models.CheckConstraint(
                condition=Q(awarded_cents__isnull=True)
                | Q(awarded_cents__gt=0, awarded_cents__lte=F("requested_cents")),
                name="impuls_application_awarded_within_requested",
            ),
        ]

    def __str__(self):
        return f"{self.round} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class LedgerEntry(models.Model):
    """One money movement on one commitment (append-only: the database refuses UPDATE and DELETE of a row).

    reserve: reserved += amount; release: reserved -= amount; award: reserved -= amount, awarded += amount;
    payout: paid += amount. ``impuls.selectors.reconcile`` recomputes the balances from these rows."""

    class Kind(models.TextChoices):
        RESERVE = "reserve", _("Reservering")
        RELEASE = "release", _("Vrijgave")
        AWARD = "award", _("Toekenning")
        PAYOUT = "payout", _("Uitbetaling")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="+")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount_cents = models.BigIntegerField()
    at = models.DateTimeField()
    # The acting account's id, no foreign key: a ledger row never changes, also not when an account is erased
    # (a foreign key would set it to NULL, an UPDATE).
    by_user_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("boeking")
        verbose_name_plural = _("boekingen")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="impuls_ledger_amount_positive"),
        ]
        indexes = [models.Index(fields=["application", "commitment"], name="impuls_ledger_application")]


class Payout(models.Model):
    """The payment of an approved application (uitbetaling), due ``payout_working_days`` working days after the
    decision."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="payout")
    amount_cents = models.BigIntegerField()
    due_on = models.DateField(_("uiterlijk betalen op"))
    paid_on = models.DateField(_("betaald op"), null=True, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("uitbetaling")
        verbose_name_plural = _("uitbetalingen")
        permissions = [("pay_payout", _("Kan Impuls-uitbetalingen exporteren en als betaald markeren"))]
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="impuls_payout_amount_positive")]


class Question(models.Model):
    """A question of a reviewer to the applicant, answered in the platform."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("vraag"), max_length=2000)
    asked_at = models.DateTimeField()
    answer = models.TextField(_("antwoord"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")


# --- after an award: accountability and its reminders (docs/decisions/0028) ---------------------------------------


class Accountability(models.Model):
    """How an approved, paid application accounts for its Impuls (verantwoording): the answers to the round's
    ``accountability_questions`` and the news item an owner published on the initiative's page."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="accountability")
    answers = models.JSONField(default=dict)  # {question label: answer}; stays in this portal's schema
    # The initiative's news item (initiatives.NewsItem) by its UUID: the initiative may live in another schema
    # (a national round) or move to another portal, the UUID goes with it.
    news_uuid = models.UUIDField()
    news_title = models.CharField(_("titel van het nieuwsbericht"), max_length=150)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("verantwoording")
        verbose_name_plural = _("verantwoordingen")


class Reminder(models.Model):
    """A reminder mail about an accountability, sent once per application and kind: the marker that makes the
    reminder task idempotent."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Bestedingstermijn loopt af")
        OVERDUE = "overdue", _("Verantwoording te laat")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="impuls_reminder_once")]


class FunderReviewer(models.Model):
    """A person who reviews on behalf of one or more of this portal's funders (financierbeoordelaar): they see,
    and decide on, only the applications of rounds in which one of their funders has a commitment
    (docs/decisions/0027-impuls-review-payouts-and-funder-report.md). The role itself (``funder_reviewer``) gives
    the permissions; this row says for which funders."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    funders = models.ManyToManyField(Funder, verbose_name=_("financiers"), related_name="reviewers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("financierbeoordelaar")
        verbose_name_plural = _("financierbeoordelaars")

    def __str__(self):
        name = self.user.get_full_name()
        return f"{name} ({self.user.email})" if name else self.user.email


@register_setting(icon="tag")
class ImpulsSettings(BaseSiteSetting):
    """The account the portal's Impuls fund pays from (the debtor of every SEPA credit transfer file), one per
    portal, set by its fund managers."""

    account_name = models.CharField(_("naam rekeninghouder van het fonds"), max_length=70, blank=True)
    iban = models.CharField(_("IBAN van het fonds"), max_length=34, blank=True, validators=[validate_iban])
    bic = models.CharField(
        _("BIC van de bank"),
        max_length=11,
        blank=True,
        validators=[
            RegexValidator(r"^[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$", _("Geef een BIC van 8 of 11 tekens."))
        ],
        help_text=_("Niet verplicht binnen het SEPA-gebied."),
    )

    class Meta:
        verbose_name = _("Impuls-fondsrekening")

    def save(self, *args, **kwargs):
        self.iban = compact_iban(self.iban)
        self.bic = self.bic.strip().upper()
        super().save(*args, **kwargs)

    @property
    def is_complete(self) -> bool:
        return bool(self.account_name and self.iban)
