"""Moving initiatives between portals, keeping their UUIDs (docs/architecture.md, "Launching a portal").

When a portal starts covering a municipality, the initiatives of that municipality move from the schema that
holds them (usually ``landelijk``) into the new home's schema:

- the initiative row and its children (ownerships, invitations, partners, needs, offers, activities, news) are
  copied with ``INSERT ... SELECT`` between the two schemas (one database: one statement per table, every
  column as it was, ``created_at`` included), with a new portal-local primary key and the same UUID;
- the slug stays, unless the new schema already uses it: then it gets a suffix;
- the rows are deleted in the old schema, which keeps a ``MovedAway(slug, uuid)`` so the old URL redirects;
- the national index follows the UUID: ``reproject`` rewrites the locator and index rows (new portal, new
  URL) through ``national_index.projector.project_many``.

Run it inside the transaction that changes the coverage: a failure anywhere leaves every schema as it was.
The moved rows are locked in the old schema first, so an edit made meanwhile waits and is never lost.

The SQL below names tables by quoted identifiers taken from the models and the portal registry (schema names
are validated when a portal is made); every value is a query parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction
from django_tenants.utils import schema_context

from initiatives.models import (
    Activity,
    Initiative,
    Invitation,
    MovedAway,
    Need,
    NewsItem,
    Offer,
    Ownership,
    Partner,
    ProfileChange,
)
from national_index import projector
from tenants.models import Portal

# Everything that hangs off an initiative in its schema and moves with it. A relation to Initiative that
# is not listed here stops a move (``_check_relations``) rather than being lost by a cascade.
CHILD_MODELS = (Ownership, Invitation, Partner, Need, Offer, Activity, ProfileChange, NewsItem)
MAX_SLUG = Initiative._meta.get_field("slug").max_length


@dataclass
class Moved:
    uuid: object
    old_slug: str
    new_slug: str
    source: str  # schema name


@dataclass
class MoveResult:
    target: Portal
    moved: list[Moved] = field(default_factory=list)
    children: dict[str, int] = field(default_factory=dict)  # model name -> rows copied

    @property
    def count(self) -> int:
        return len(self.moved)

    def by_source(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.moved:
            counts[item.source] = counts.get(item.source, 0) + 1
        return counts


def _table(schema: str, model) -> str:
    qn = connection.ops.quote_name
    return f"{qn(schema)}.{qn(model._meta.db_table)}"


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.primary_key]


def _check_relations() -> None:
    known = {m._meta.label for m in CHILD_MODELS}
    for rel in Initiative._meta.related_objects:
        if rel.related_model._meta.label not in known:
            raise RuntimeError(
                f"{rel.related_model._meta.label} refers to Initiative but is not moved with it: "
                "add it to portals.moves.CHILD_MODELS (or teach the move how to carry it)."
            )


def _free_slug(slug: str, taken: set[str]) -> str:
    if slug not in taken:
        return slug
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = slug[: MAX_SLUG - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def _target_slugs_like(target: str, slugs: list[str]) -> set[str]:
    """Slugs in the target schema equal to, or starting with, one of ``slugs``."""
    if not slugs:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT slug FROM {_table(target, Initiative)} WHERE slug LIKE ANY(%s)",  # noqa: S608
            [[s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for s in slugs]],
        )
        return {row[0] for row in cursor.fetchall()}


def _move_from(source: str, target: str, municipality_ids: list[int], result: MoveResult) -> None:
    ini_src, ini_tgt = _table(source, Initiative), _table(target, Initiative)
    with connection.cursor() as cursor:
        # Lock what moves: an owner's edit in the old schema waits for this transaction instead of being lost.
        cursor.execute(
            f"SELECT uuid, slug FROM {ini_src} WHERE municipality_id = ANY(%s) ORDER BY id FOR UPDATE",  # noqa: S608
            [municipality_ids],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        taken = _target_slugs_like(target, [slug for _uuid, slug in rows])
        moved = []
        for uuid, slug in rows:
            new_slug = _free_slug(slug, taken)
            taken.add(new_slug)
            moved.append(Moved(uuid=uuid, old_slug=slug, new_slug=new_slug, source=source))
        uuids = [m.uuid for m in moved]
        renamed = [m for m in moved if m.new_slug != m.old_slug]

        # The initiative rows: every column but the local primary key; the slug as chosen above. A registration
        # that waits counts as not announced to its new portal's editors (their next digest names it).
        columns = _columns(Initiative)
        moved_columns = {"slug": "COALESCE(m.new_slug, o.slug)", "announced_at": "NULL"}
        select = ", ".join(moved_columns.get(c, f"o.{c}") for c in columns)
        cursor.execute(
            f"INSERT INTO {ini_tgt} ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {select} FROM {ini_src} o "
            "LEFT JOIN unnest(%s::uuid[], %s::text[]) AS m(uuid, new_slug) ON m.uuid = o.uuid "
            "WHERE o.uuid = ANY(%s::uuid[]) ORDER BY o.id",
            [[m.uuid for m in renamed], [m.new_slug for m in renamed], uuids],
        )
        # The children, pointed at the new local primary keys (matched by UUID), in their original order.
        for model in CHILD_MODELS:
            columns = _columns(model)
            select = ", ".join("n.id" if c == "initiative_id" else f"c.{c}" for c in columns)
            cursor.execute(
                f"INSERT INTO {_table(target, model)} ({', '.join(columns)}) "  # noqa: S608
                f"SELECT {select} FROM {_table(source, model)} c "
                f"JOIN {ini_src} o ON o.id = c.initiative_id "
                f"JOIN {ini_tgt} n ON n.uuid = o.uuid "
                "WHERE o.uuid = ANY(%s::uuid[]) ORDER BY c.id",
                [uuids],
            )
            name = model._meta.model_name
            result.children[name] = result.children.get(name, 0) + cursor.rowcount
        # Gone from the old schema: children first, then the initiatives.
        for model in CHILD_MODELS:
            cursor.execute(
                f"DELETE FROM {_table(source, model)} "  # noqa: S608
                f"WHERE initiative_id IN (SELECT id FROM {ini_src} WHERE uuid = ANY(%s::uuid[]))",
                [uuids],
            )
        cursor.execute(f"DELETE FROM {ini_src} WHERE uuid = ANY(%s::uuid[])", [uuids])  # noqa: S608

    # The old schema remembers where its URLs went; a slug it gave away before now points at the newer move.
    with schema_context(source):
        MovedAway.objects.bulk_create(
            [MovedAway(slug=m.old_slug, uuid=m.uuid) for m in moved],
            update_conflicts=True,
            unique_fields=["slug"],
            update_fields=["uuid", "moved_at"],
        )
    with schema_context(target):
        MovedAway.objects.filter(uuid__in=uuids).delete()  # back home: its own rows answer again
        # A held change that waits counts as not announced to its new portal's editors, like a registration
        ProfileChange.objects.filter(initiative__uuid__in=uuids, state=ProfileChange.State.PENDING).update(
            announced_at=None
        )
    result.moved.extend(moved)


def move_initiatives(municipality_ids, target: Portal) -> MoveResult:
    """Move every initiative of these municipalities, from whichever portal schema holds it, into ``target``'s
    schema. Does not touch the index: call ``reproject`` in the same transaction."""
    _check_relations()
    municipality_ids = sorted(set(municipality_ids))
    result = MoveResult(target=target)
    if not municipality_ids:
        return result
    sources = (
        Portal.objects.websites()
        .exclude(schema_name=target.schema_name)
        .order_by("pk")
        .values_list("schema_name", flat=True)
    )
    with transaction.atomic():
        for source in sources:
            _move_from(source, target.schema_name, municipality_ids, result)
    return result


def reproject(result: MoveResult) -> int:
    """Rewrite the locator and index rows of the moved initiatives: they now point at the new portal and its
    URL. Returns how many are published (in the index)."""
    if not result.moved:
        return 0
    target = Portal.objects.with_domains().get(pk=result.target.pk)
    with schema_context(target.schema_name):
        initiatives = Initiative.objects.filter(uuid__in=[m.uuid for m in result.moved]).for_index()
        return projector.project_many(initiatives, target)


def move_and_reproject(municipality_ids, target: Portal) -> MoveResult:
    """Both steps in one transaction: the index never points at a schema that no longer holds the row."""
    with transaction.atomic():
        result = move_initiatives(municipality_ids, target)
        reproject(result)
    return result
