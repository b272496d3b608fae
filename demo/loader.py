"""Turns the demo data (``demo.content``, from ``demo/data/``) into portals, accounts, initiatives, pages and
brandings, through the apps' services. Each step adds what is missing and leaves what is there, so running
it twice changes nothing (``seed_demo`` runs them in order)."""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

from accounts.models import User
from accounts.services import ensure_verified_user
from branding.services import apply_branding
from cms import services as pages
from cms.models import (
    ContentPage,
    EditionPage,
    HomePage,
    MunicipalityPage,
    NewsIndexPage,
    NewsPage,
    PartnerIndexPage,
    PartnerPage,
)
from geo.models import Municipality
from initiatives import services as initiatives
from initiatives.models import Initiative, ProfileChange
from national_index.models import IndexEntry
from portals.services import create_portal
from roles.services import assign_role
from tenants.models import Portal
from tenants.services import set_review_rules

from . import content, profiles, second_factor

# --- portals and accounts ------------------------------------------------------------------------------------


def _municipality_codes(portal: dict) -> list[str]:
    if content.is_national(portal):
        rest = Municipality.objects.exclude(cbs_code__in=content.regional_codes())
        return list(rest.values_list("cbs_code", flat=True))
    return portal["municipalities"]


def ensure_portals() -> dict[str, float]:
    """Create the demo portals that do not exist yet (with their domains and coverage); returns how many
    seconds each new one took, by schema."""
    connection.set_schema_to_public()
    created = {}
    for portal in content.PORTALS:
        if not Portal.objects.filter(schema_name=portal["schema"]).exists():
            made = create_portal(
                schema_name=portal["schema"],
                name=portal["name"],
                kind=portal["kind"],
                hosts=[content.host(portal)],
                municipality_codes=_municipality_codes(portal),
            )
            created[portal["schema"]] = made.seconds
    # No service sets this switch (only the database admin does), hence the plain update.
    shown = [p["schema"] for p in content.PORTALS if p.get("show_amounts")]
    Portal.objects.filter(schema_name__in=shown).update(show_amounts=True)
    # A portal that holds implausible figures for review instead of refusing them (docs/decisions/0021)
    for spec in content.PORTALS:
        if spec.get("implausible"):
            portal = Portal.objects.get(schema_name=spec["schema"])
            set_review_rules(portal, implausible=spec["implausible"], hold_threshold=portal.hold_threshold)
    return created


def ensure_held_change(schema: str = "rotterdam") -> bool:
    """One change waiting in a demo portal's review queue, so its editors see one: the first published initiative
    (by name) proposes three times the people reached. Nothing when one already waits there."""
    portal = Portal.objects.with_domains().get(schema_name=schema)
    with schema_context(schema):
        if ProfileChange.objects.filter(state=ProfileChange.State.PENDING).exists():
            return False
        initiative = Initiative.objects.for_revaluation().filter(status=Initiative.Status.PUBLISHED).first()
        if initiative is None or portal.hold_threshold is None:
            return False
        profile = initiatives.profile_of(initiative)
        profile.fields["people_reached"] = initiative.people_reached * 3
        owner = initiative.ownerships.select_related("user").first()
        initiatives.change_profile(
            initiative=initiative, portal=portal, profile=profile, by=owner.user if owner else None
        )
    return True


@dataclass
class Accounts:
    logins: list[tuple[str, str]]  # (what the account is for, its email address), to print for the user
    staff: list[User]
    owner: User


def ensure_accounts() -> Accounts:
    """The demo accounts of ``accounts.json``, verified, with their roles in each demo portal."""
    data = content.ACCOUNTS
    password = data["password"]
    platform = ensure_verified_user(data["platform"]["email"], password, data["platform"]["name"], superuser=True)
    logins = [(data["platform"]["label"], platform.email)]
    staff = [platform]
    for portal in content.PORTALS:
        names = {"schema": portal["schema"], "host": content.host(portal)}
        people = [
            (account, ensure_verified_user(account["email"].format(**names), password, account["name"].format(**names)))
            for account in data["per_portal"]
        ]
        with schema_context(portal["schema"]):
            for account, user in people:
                for role in account["roles"]:
                    assign_role(user, role)
            if content.is_national(portal):
                for account, user in people:
                    for role in account["national_roles"]:
                        assign_role(user, role)
        logins += [(account["label"].format(**names), user.email) for account, user in people]
        staff += [user for _account, user in people]
    owner = ensure_verified_user(data["owner"]["email"], password, data["owner"]["name"])
    return Accounts(logins=[*logins, (data["owner"]["label"], owner.email)], staff=staff, owner=owner)


def ensure_second_factors(staff) -> int | None:
    """In development, the demo staff's shared authenticator (README, "Demo logins"; ADR 0015); returns how
    many were added, or None with DEBUG off, where demo staff set up their own."""
    if not settings.DEBUG:
        return None
    return sum(second_factor.ensure_demo_authenticator(user) for user in staff)


# --- initiatives ---------------------------------------------------------------------------------------------


def _municipality_pools() -> list[list[Municipality]]:
    """Per entry of ``portal_weights``, the municipalities of that portal."""
    by_schema = {p["schema"]: p for p in content.PORTALS}
    pools = []
    for schema in content.INITIATIVES["portal_weights"]:
        portal = by_schema[schema]
        if content.is_national(portal):
            pools.append(list(Municipality.objects.exclude(cbs_code__in=content.regional_codes())))
        else:
            pools.append(list(Municipality.objects.filter(cbs_code__in=portal["municipalities"])))
    return pools


def seed_initiatives(owner, count: int) -> int:
    """Register and publish ``count`` fictional initiatives (``demo.profiles``), spread over the portals'
    municipalities by ``portal_weights``; returns how many were new."""
    pools = _municipality_pools()
    weights = list(content.INITIATIVES["portal_weights"].values())
    made = 0
    for i in range(count):
        # Each initiative's place and profile come from its own seed, so a second run (or a later version
        # of the profile) recreates the same initiative in the same municipality and skips it.
        place = random.Random(f"place-{i}")
        pool = place.choices(pools, weights=weights)[0]
        data = profiles.profile_data(i, place.choice(pool), random.Random(f"profile-{i}"))
        portal = initiatives.home_portal_for(data["fields"]["municipality"])
        with schema_context(portal.schema_name):
            if Initiative.objects.filter(name=data["fields"]["name"]).exists():
                continue
        initiative, portal = initiatives.register_initiative(
            owner=owner, profile=initiatives.Profile(**data), is_demo=True
        )
        if not initiative.is_published:
            with schema_context(portal.schema_name):
                initiatives.publish(initiative, portal)
        made += 1
    return made


# --- the graadmeter's labelled backfill (docs/decisions/0032-the-maex-graadmeter.md) --------------------------

BACKFILL_DAYS = 400
# Of the demo's initiatives, the share published before its series begins: a portal's graadmeter starts on a day
# its first initiatives are already there, and others join during the year (not from a single first initiative,
# which would make the level climb a hundredfold).
SHARE_BEFORE_THE_SERIES = 0.6


def _fictional_publication(initiative, days: int, now: datetime.datetime) -> datetime.datetime:
    """A fictional publication moment for a demo initiative, deterministic by its name: before the series (within
    a year before it) for ``SHARE_BEFORE_THE_SERIES`` of them, else within the ``days`` of the backfill; never
    before the year it was founded."""
    rng = random.Random(f"published-{initiative.name}")
    if rng.random() < SHARE_BEFORE_THE_SERIES:
        back = days + rng.randint(1, 365)
    else:
        back = rng.randint(0, days - 1)
    founded = datetime.datetime(initiative.founding_year, 1, 1, tzinfo=now.tzinfo)
    return max(now - datetime.timedelta(days=back), founded)


def ensure_graadmeter(days: int = BACKFILL_DAYS) -> int:
    """Before the graadmeter has any take: give each demo initiative a fictional publication day
    (``_fictional_publication``; the initiatives are fictional, so is their history), project them, and store the
    labelled backfill ("teruggerekend, demodata") and today's first real take. Returns the rows written; 0 once
    the series exists (idempotent)."""
    from national_index import projector
    from national_index.models import GraadmeterLevel
    from valuation import graadmeter

    if GraadmeterLevel.objects.exists():
        return 0
    now = timezone.now()
    for portal in Portal.objects.websites().filter(is_active=True):
        with schema_context(portal.schema_name), transaction.atomic():
            demo = list(Initiative.objects.for_index().filter(is_demo=True, status=Initiative.Status.PUBLISHED))
            for initiative in demo:
                initiative.published_at = _fictional_publication(initiative, days, now)
            Initiative.objects.bulk_update(demo, ["published_at"], batch_size=500)
            if demo:
                projector.project_many(demo, portal)
    return graadmeter.backfill_demo(days)


# --- pages ---------------------------------------------------------------------------------------------------

PAGE_TYPES = {
    "content": ContentPage,
    "news_index": NewsIndexPage,
    "news": NewsPage,
    "partner_index": PartnerIndexPage,
    "partner": PartnerPage,
    "municipality": MunicipalityPage,
}
SUPPORTED_PER_PARTNER = 3  # the n-th partner of a portal supports its initiatives 3n to 3n + 2, by name
LOGO_COLOURS = {  # by initiatives.PartnerKind value
    "provincie": "#1d4f91",
    "bank": "#0b6e4f",
    "fonds": "#7a1f5c",
    "bibliotheek": "#8a4b08",
    "kennisinstelling": "#3d3d8f",
    "gemeente": "#25606b",
}


def logo(title: str, initials: str, kind: str):
    """A simple generated logo (coloured tile with initials) for a demo partner, made once per portal."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    tile = PILImage.new("RGB", (320, 160), LOGO_COLOURS.get(kind, "#333333"))
    draw = ImageDraw.Draw(tile)
    try:
        font = ImageFont.load_default(size=64)
    except TypeError:  # Pillow < 10.1
        font = ImageFont.load_default()
    draw.text((160, 80), initials, fill="#ffffff", font=font, anchor="mm")
    buffer = io.BytesIO()
    tile.save(buffer, format="PNG")
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    return image_model.objects.create(title=title, file=ImageFile(buffer, name=f"logo-{slug}.png"))


def _supported(schema: str, n: int) -> list[dict]:
    """The n-th partner's initiatives: a stream of the portal's published initiatives, by name."""
    start = n * SUPPORTED_PER_PARTNER
    uuids = (
        IndexEntry.objects.filter(portal__schema_name=schema)
        .order_by("name", "uuid")
        .values_list("uuid", flat=True)[start : start + SUPPORTED_PER_PARTNER]
    )
    return pages.stream(*[("initiative", str(u)) for u in uuids])


def _field_values(fields: dict) -> dict:
    """JSON to field values: a list of strings is rich text, a ``paragraph`` block's list too."""
    values = {}
    for name, value in fields.items():
        if name == "body":
            value = pages.stream(
                *[
                    (
                        block["type"],
                        pages.rich_text(*block["value"]) if block["type"] == "paragraph" else block["value"],
                    )
                    for block in value
                ]
            )
        elif isinstance(value, list):
            value = pages.rich_text(*value)
        values[name] = value
    return values


def _ensure_portal_pages(schema: str, home: HomePage, data: dict, *, logos: bool) -> list[str]:
    made = pages.Made()
    pages.set_hero(home, data["hero"]["title"], data["hero"]["text"])
    by_slug = {None: home}
    partners = 0
    for spec in data["pages"]:
        fields = _field_values({k: v for k, v in spec.items() if k not in {"type", "slug", "parent", "initials"}})
        if spec["type"] == "partner":
            fields["supported_initiatives"] = _supported(schema, partners)
            partners += 1
            if logos:
                fields["logo"] = logo(f"Logo {spec['title']}", spec["initials"], spec["kind"])
        elif spec["type"] == "news":
            fields["date"] = datetime.date.fromisoformat(spec["date"])
        elif spec["type"] == "municipality":
            fields["municipality"] = Municipality.objects.filter(cbs_code=spec["municipality"]).first()
            if fields["municipality"] is None:
                continue
        parent = by_slug[spec.get("parent")]
        by_slug[spec["slug"]] = pages.child(parent, PAGE_TYPES[spec["type"]], spec["slug"], made, **fields)
    return made.created


def ensure_pages(*, logos: bool = True) -> list[str]:
    """The demo pages of every active demo portal that exists (``pages/<schema>.json``); pages already
    there are left alone. Returns what it made, as "schema: title" lines."""
    active = set(Portal.objects.filter(is_active=True).values_list("schema_name", flat=True))
    made = []
    for portal in content.PORTALS:
        schema = portal["schema"]
        if schema not in active:
            continue
        with schema_context(schema), transaction.atomic():
            home = HomePage.objects.first()
            if home is None:
                continue
            titles = _ensure_portal_pages(schema, home, content.pages(schema), logos=logos)
            made += [f"{schema}: {title}" for title in titles]
    return made


# --- brandings -----------------------------------------------------------------------------------------------


def apply_brandings(schemas=None) -> dict[str, bool]:
    """Give the demo portals (those that exist, or those of ``schemas``) the branding of ``brandings.json``,
    with their editors' address as contact. Idempotent: ``{schema: changed}``."""
    wanted = set(schemas) if schemas is not None else set(content.BRANDINGS)
    existing = set(Portal.objects.filter(schema_name__in=wanted).values_list("schema_name", flat=True))
    result = {}
    for schema, values in content.BRANDINGS.items():
        if schema not in existing or schema not in wanted:
            continue
        with schema_context(schema):
            portal = Portal.objects.prefetch_related("domains").get(schema_name=schema)
            contact = {"contact_email": f"redactie@{portal.primary_host}"} if portal.primary_host else {}
            _branding, changed = apply_branding(**values, **contact)
        result[schema] = changed
    return result


# --- yearly editions of the Stand (docs/decisions/0035-yearly-editions.md) --------------------------------------

EDITION_GROWTH = 12  # initiatives the demo adds between its 2025 and 2026 editions, so their differences are real
EDITION_TEXT = (
    "<p><strong>Demo-editie.</strong> Deze editie is gemaakt met de fictieve initiatieven van de demo; de cijfers "
    "zeggen niets over de werkelijkheid.</p><p>{text}</p>"
)
EDITIONS = [  # (schema, year, text), in the order they are frozen
    ("landelijk", 2025, "De eerste Stand van het Land: wat de initiatieven samen doen en opleveren."),
    ("landelijk", 2026, "Een jaar later: meer initiatieven, meer mensen bereikt. De verschillen staan hieronder."),
    ("zeeland", 2026, "De eerste Stand van Zeeland, met de cijfers van de Zeeuwse initiatieven."),
]


def _edition(schema: str, year: int, text: str) -> bool:
    """The published edition of ``year`` on ``schema`` (with its index), frozen now when missing."""
    with schema_context(schema):
        home = HomePage.objects.first()
        if home is None:
            return False
        index = pages.ensure_editions_index(
            home, intro=pages.rich_text("Elk jaar legt de redactie de Stand vast: deze cijfers veranderen niet meer.")
        )
        if index.get_children().filter(slug=str(year)).exists():
            return False
        pages.add_edition(index, year, intro=EDITION_TEXT.format(text=text))
        return True


def ensure_editions(owner, initiatives_count: int) -> list[str]:
    """The national editions of 2025 and 2026 and Zeeland's of 2026. The 2025 edition is frozen first; then the
    demo adds ``EDITION_GROWTH`` initiatives and freezes 2026, so the differences between them are real ones.
    Editions already there are left alone. Returns "schema year" of those made."""
    active = set(Portal.objects.filter(is_active=True).values_list("schema_name", flat=True))
    made = []
    for schema, year, text in EDITIONS:
        if schema not in active:
            continue
        if _has_edition(schema, year):
            continue
        if (schema, year) == ("landelijk", 2026):
            seed_initiatives(owner, initiatives_count + EDITION_GROWTH)
        if _edition(schema, year, text):
            made.append(f"{schema} {year}")
    return made


def _has_edition(schema: str, year: int) -> bool:
    with schema_context(schema):
        return EditionPage.objects.filter(year=year).exists()
