"""Reads of a portal's own initiatives (the current schema), and of a person's initiatives across portals."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from geo.models import SDG, Municipality
from tenants.models import Coverage, Portal
from tenants.selectors import live_portals
from valuation.engine import ratios
from valuation.models import PriceItem, PriceList
from valuation.selectors import current_price_list

from .models import Activity, Initiative, LegalForm, Need, Ownership, ProfileChange, initiative_url


def detail(slug: str, *, prefetch: bool = True) -> Initiative | None:
    """The initiative with this slug; with ``prefetch``, its partners, needs, offers and activities too."""
    qs = Initiative.objects.select_related("municipality__province")
    if prefetch:
        qs = qs.prefetch_related("partners", "needs", "offers", "activities")
    return qs.filter(slug=slug).first()


def awaiting_review():
    return (
        Initiative.objects.filter(status=Initiative.Status.SUBMITTED)
        .select_related("municipality")
        .order_by("created_at")
    )


def pending_changes():
    """Held changes of published initiatives that wait for review (docs/decisions/0021-held-changes.md)."""
    return (
        ProfileChange.objects.filter(state=ProfileChange.State.PENDING)
        .select_related("initiative__municipality", "by")
        .order_by("created_at")
    )


def pending_change_of(initiative) -> ProfileChange | None:
    return ProfileChange.objects.filter(initiative=initiative, state=ProfileChange.State.PENDING).first()


def history(initiative):
    """Every change of ``initiative``'s profile, newest first, with who made and who decided it: one query."""
    return ProfileChange.objects.filter(initiative=initiative).select_related("by", "decided_by")


def last_reasons(initiative) -> list[str]:
    """Why the initiative's registration (or last change) was held: the reasons of its newest change that has
    any (the review page shows them to the editor)."""
    change = ProfileChange.objects.filter(initiative=initiative).exclude(reasons=[]).first()
    return change.reasons if change else []


_CHANGE_LABELS = {
    "partners": _("partners en financiers"),
    "needs": _("behoeften"),
    "offers": _("producten en diensten"),
    "activities": _("activiteiten"),
}


def change_label(name: str) -> str:
    """The label of a field in the change history (``ProfileChange.diff``)."""
    if name in _CHANGE_LABELS:
        return str(_CHANGE_LABELS[name])
    return _field_label(name)


def municipalities_of(portal):
    """The municipalities a portal covers (the national portal: all)."""
    if portal.is_national:
        return list(Municipality.objects.order_by("name"))
    ids = Coverage.objects.filter(portal=portal).values("municipality_id")
    return list(Municipality.objects.filter(pk__in=ids).order_by("name"))


def valuation_view(initiative, *, show_amounts: bool) -> dict:
    """What the initiative page shows of the valuation: charts, ratios, activities with their price items."""
    current = current_price_list()
    used = PriceList.objects.filter(version=initiative.valued_with).first() if initiative.valued_with else None
    codes = [a.item_code for a in initiative.activities.all()]
    items = {i.code: i for i in PriceItem.objects.filter(price_list=used, code__in=codes)} if used else {}
    by_domain = {k: Decimal(v) for k, v in initiative.value_by_domain.items()}
    by_sdg = {int(k): Decimal(v) for k, v in initiative.value_by_sdg.items()}
    # Two SDG sets, shown as what they are (docs/decisions/0020-one-euro-rule-pages-and-api.md): the goals the
    # initiative ticks itself, and the SDGs its activities give value to by the price list (the handprint).
    declared = sorted(initiative.sdgs)
    return {
        "show_amounts": show_amounts,
        "series": [(initiative.name, by_domain)],
        "by_sdg": by_sdg,
        "declared_sdgs": list(SDG.objects.filter(number__in=declared).order_by("number")) if declared else [],
        "handprint_sdgs": sorted(n for n, v in by_sdg.items() if v > 0),
        "ratios": ratios(
            volunteers=initiative.volunteers,
            paid_staff=initiative.paid_staff,
            paid_fte=initiative.paid_fte,
            income=initiative.income_mix,
        ),
        "activities": [(a, items.get(a.item_code)) for a in initiative.activities.all()],
        "uses_examples": any(i.is_example for i in items.values()),
        "valued_with": initiative.valued_with,
        "recomputing_to": current.version if current and used and current.pk != used.pk else "",
    }


def owned_by(user):
    """The initiatives ``user`` owns in this portal, each with what the owner's dashboard (Mijn MAEX) shows beside
    the profile: ``co_owners`` (the other owners' names), ``has_needs`` and ``has_activities``. One query."""
    others = (
        Ownership.objects.filter(initiative=OuterRef("pk"))
        .exclude(user=user)
        .order_by("created_at")
        .values(who=Coalesce(NullIf("user__full_name", Value("")), "user__email", output_field=CharField()))
    )
    return (
        Initiative.objects.filter(ownerships__user=user)
        .select_related("municipality")
        .annotate(
            co_owners=ArraySubquery(others),
            has_needs=Exists(Need.objects.filter(initiative=OuterRef("pk"))),
            has_activities=Exists(Activity.objects.filter(initiative=OuterRef("pk"))),
            has_pending_change=Exists(
                ProfileChange.objects.filter(initiative=OuterRef("pk"), state=ProfileChange.State.PENDING)
            ),
        )
        .order_by("name")
    )


# What an owner may leave empty without a profile counting as incomplete: a KvK number for who has no legal form
_NOT_EXPECTED = {LegalForm.INFORMAL: {"kvk_number"}}


def missing_for_profile(initiative) -> list[str]:
    """What a complete profile still lacks, as labels an owner recognises: every empty field of the uniform
    profile (``Initiative.PROFILE_FIELDS``), then needs and activities. Reads ``has_needs`` and
    ``has_activities`` when ``owned_by`` annotated them, else the rows. Plain strings in the current language,
    so that a caller may join them (MAEX Impuls' checklist does)."""
    skip = _NOT_EXPECTED.get(initiative.legal_form, set())
    missing = []
    for name in Initiative.PROFILE_FIELDS:
        value = getattr(initiative, name + "_id" if name == "municipality" else name)
        if name not in skip and (value is None or value == "" or value == []):
            missing.append(_field_label(name))
    has_needs = getattr(initiative, "has_needs", None)
    if not (has_needs if has_needs is not None else initiative.needs.exists()):
        missing.append(str(_("wat het initiatief nodig heeft")))
    has_activities = getattr(initiative, "has_activities", None)
    if not (has_activities if has_activities is not None else initiative.activities.exists()):
        missing.append(str(_("activiteiten (voor de maatschappelijke waarde)")))
    return missing


_LABELS = {"target_groups": _("doelgroepen"), "sdgs": _("SDG's"), "value_domains": _("waardedomeinen")}


def _field_label(name: str) -> str:
    return str(_LABELS.get(name) or Initiative._meta.get_field(name).verbose_name)


@dataclass
class OwnedInitiative:
    """One row of Mijn MAEX: an initiative a person owns, on its home portal."""

    portal: Portal
    initiative: Initiative
    missing: list[str]
    view_url: str
    edit_url: str

    @property
    def co_owners(self) -> list[str]:
        return self.initiative.co_owners


def portals_where_owner(user, portals: list[Portal]) -> set[str]:
    """The schemas among ``portals`` in which ``user`` owns an initiative: one query over every portal's
    ownership table (a ``UNION``), however many portals there are. Ownership lives in each portal's schema;
    the national index's locators say where an initiative lives but not whose it is."""
    if not portals:
        return set()
    table = Ownership._meta.db_table
    quote = connection.ops.quote_name
    # Identifiers from the portal registry, quoted; the values are parameters
    select = "SELECT %s::text FROM {}.{} WHERE user_id = %s"
    parts = [select.format(quote(portal.schema_name), quote(table)) for portal in portals]
    params = [value for portal in portals for value in (portal.schema_name, user.pk)]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ".join(parts), params)
        return {row[0] for row in cursor.fetchall()}


def initiatives_of(user) -> list[OwnedInitiative]:
    """Every initiative ``user`` owns, on every live portal, for the owner's dashboard (Mijn MAEX): its home
    portal, state, last change, what its profile lacks, its co-owners and its links on the home portal's
    canonical host. Bounded: the portals (two queries), one query to find where the person owns something,
    then one per portal where they do."""
    portals = list(live_portals().order_by("name"))
    where = portals_where_owner(user, portals)
    rows = []
    for portal in portals:
        if portal.schema_name not in where:
            continue
        with schema_context(portal.schema_name):
            for initiative in owned_by(user):
                rows.append(
                    OwnedInitiative(
                        portal=portal,
                        initiative=initiative,
                        missing=missing_for_profile(initiative),
                        view_url=initiative_url(portal, initiative.slug),
                        edit_url=initiative_url(portal, initiative.slug, "bewerken/"),
                    )
                )
    return rows
