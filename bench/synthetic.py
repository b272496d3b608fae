"""The bench's synthetic national dataset: which municipalities each portal covers, and plausible published
initiatives (``demo.profiles.profile_data``) spread over the municipalities, inserted in bulk per schema.

Everything random comes from the bench's own seeded generator, so two runs with the same options build the
same data."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.text import slugify
from django_tenants.utils import schema_context

from demo.profiles import profile_data
from geo.models import Municipality
from initiatives.models import Initiative
from tenants.models import NATIONAL_SCHEMA, Coverage, Portal
from tenants.selectors import live_portals, national_portal

REGIONAL_SHARE = 0.75  # of the municipalities; the national portal covers the rest


def portal_specs(count: int) -> tuple[list[tuple], int, int]:
    """(schema, name, kind, host, municipality codes) of the national portal and ``count`` regional ones, each
    regional portal covering the next slice of the municipalities by CBS code; with the slice size and the
    number of municipalities."""
    codes = list(Municipality.objects.order_by("cbs_code").values_list("cbs_code", flat=True))
    per = max(1, int(len(codes) * REGIONAL_SHARE) // max(count, 1))
    if count * per >= len(codes):
        raise CommandError(f"--portals {count} leaves no municipalities for the national portal.")
    specs = [(NATIONAL_SCHEMA, "MAEX", Portal.Kind.NATIONAL, settings.MAEX_NATIONAL_HOST, codes[count * per :])]
    specs += [
        (
            f"bench{k + 1:03d}",
            f"MAEX Bench {k + 1:03d}",
            Portal.Kind.REGION,
            f"bench{k + 1:03d}.{settings.MAEX_BASE_DOMAIN}",
            codes[k * per : (k + 1) * per],
        )
        for k in range(count)
    ]
    return specs, per, len(codes)


def coverage() -> tuple[list[Municipality], dict, list[Portal]]:
    """Every municipality, the live portal each one's initiatives live in (by municipality pk), and the live
    portals."""
    portals = {p.pk: p for p in live_portals()}
    national = portals[national_portal().pk]
    covered = {c.municipality_id: portals[c.portal_id] for c in Coverage.objects.all() if c.portal_id in portals}
    municipalities = list(Municipality.objects.select_related("province").order_by("cbs_code"))
    return municipalities, {m.pk: covered.get(m.pk, national) for m in municipalities}, list(portals.values())


def profiles_by_portal(total: int, municipalities, home: dict, rng: random.Random) -> dict[int, list[dict]]:
    """``total`` profiles, each in a random municipality, grouped by the pk of the portal that covers it."""
    by_portal = defaultdict(list)
    for i in range(total):
        municipality = rng.choice(municipalities)
        by_portal[home[municipality.pk].pk].append(profile_data(i, municipality, rng))
    return by_portal


def insert_published(schema: str, profiles: list[dict], rng: random.Random, now: datetime) -> int:
    """Insert ``profiles`` as published initiatives into ``schema``, with what each profile carries besides its
    fields (needs, offers, partners, activities), in bulk and one transaction. Returns the related rows made."""
    children = 0
    with schema_context(schema), transaction.atomic():
        initiatives = Initiative.objects.bulk_create(
            [
                Initiative(
                    **data["fields"],
                    slug=slugify(data["fields"]["name"])[:120],
                    status=Initiative.Status.PUBLISHED,
                    published_at=now - timedelta(days=rng.randint(0, 1500)),
                )
                for data in profiles
            ],
            batch_size=1000,
        )
        # Needs, offers, partners (and whatever else the profile carries): each key of the profile data is a
        # reverse relation of Initiative.
        related = defaultdict(list)
        for initiative, data in zip(initiatives, profiles, strict=True):
            for key, items in data.items():
                if key != "fields":
                    relation = Initiative._meta.get_field(key)
                    related[relation].extend(
                        relation.related_model(**{relation.field.name: initiative}, **item) for item in items
                    )
        for relation, objs in related.items():
            relation.related_model.objects.bulk_create(objs, batch_size=2000)
            children += len(objs)
    return children
