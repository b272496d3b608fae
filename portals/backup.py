"""Exporting one portal and restoring it on its own (docs/architecture.md, "Restoring one portal").

An export is one ``.tar.gz`` file:

- ``manifest.json``: the schema, when, the migrations applied to the schema, and per table its columns and
  row count;
- ``data/<table>.copy``: every row of every table of the portal's schema, in PostgreSQL's ``COPY`` text
  format (psycopg 3), read in one repeatable-read snapshot;
- ``media/...``: the portal's folder of uploads (``MEDIA_ROOT/<schema>/``).

It needs no ``pg_dump`` (absent in the zero-setup mode, or of another major version than the server).

An import refuses an export made with other migrations than the code's, then in one transaction empties the
portal's tables, copies the rows back, resets the sequences and brings the national locator and index in line
for that portal. Only after that transaction committed is the media folder swapped (it was unpacked beside it
first). Nothing of another portal, and nothing in the public schema but this portal's locator and index rows,
is touched. What changed on the platform since the export is handled so the data stays consistent:

- an initiative that moved to another portal since the export stays there: the restored copy is left out, and
  its old slug redirects (``MovedAway``), as after the move;
- an initiative that moved *into* this portal since the export would be lost: the import is refused;
- an initiative registered on this portal since the export disappears with the restore; its locator and index
  rows go too (the result lists them);
- a KvK number that another portal's initiative holds now: refused (a KvK number registers once);
- the portal's domains live in the public schema and are not restored: its Wagtail site takes today's primary
  domain. ``--schema`` restores into another portal; the export's initiatives then still live on the portal
  they came from, so they are left out as "moved away".

Table and schema names in the SQL are quoted identifiers from the catalogue and the portal registry; values are
query parameters.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid as uuid_module
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_context

from initiatives.models import Initiative, MovedAway
from national_index import projector
from national_index.models import InitiativeLocator
from tenants import page_cache
from tenants.models import Portal

from .services import sync_site_hostname

FORMAT = "maex-portal-export"
VERSION = 1
# The schema's migrations are compared, never replaced; the page cache's version is the restoring schema's own and
# only ever moves on (the restore's writes move it: docs/decisions/0030-page-cache.md).
SKIPPED_TABLES = {"django_migrations", page_cache.TABLE}
CHUNK = 1 << 20


class RestoreRefused(Exception):
    """The export cannot be imported as asked; the message says why and what to do (Dutch, for operators)."""


@dataclass
class Exported:
    schema: str
    tables: int
    rows: int
    files: int
    path: Path


@dataclass
class Imported:
    schema: str
    tables: int
    rows: int
    files: int
    initiatives: int
    left_out_moved: list = field(default_factory=list)  # (uuid, slug): living on another portal now
    removed_since: list = field(default_factory=list)  # (uuid, slug): registered here after the export


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _portal(schema: str) -> Portal:
    portal = Portal.objects.websites().with_domains().filter(schema_name=schema).first()
    if portal is None:
        raise RestoreRefused(f"Er is geen portaal met schema '{schema}'.")
    return portal


def _tables(cursor, schema: str) -> list[tuple[str, list[str]]]:
    """Every table of the schema with its stored (not generated) columns, in a fixed order."""
    cursor.execute(
        "SELECT c.table_name, array_agg(c.column_name::text ORDER BY c.ordinal_position) "
        "FROM information_schema.columns c JOIN information_schema.tables t "
        "ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE' "
        "WHERE c.table_schema = %s AND c.is_generated = 'NEVER' GROUP BY c.table_name ORDER BY c.table_name",
        [schema],
    )
    return [(name, list(columns)) for name, columns in cursor.fetchall() if name not in SKIPPED_TABLES]


def _applied_migrations(cursor, schema: str) -> list[list[str]]:
    cursor.execute(f"SELECT app, name FROM {_qn(schema)}.django_migrations ORDER BY app, name")  # noqa: S608
    return [list(row) for row in cursor.fetchall()]


def _code_leaves() -> set[tuple[str, str]]:
    """The last migration of each app in this code."""
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def _media_folder(schema: str) -> Path:
    return Path(settings.MEDIA_ROOT) / schema


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def export_portal(schema: str, path) -> Exported:
    """Write one portal's schema and media to ``path`` (a ``.tar.gz``)."""
    portal = _portal(schema)
    path = Path(path)
    rows_total, tables_meta = 0, []
    with tarfile.open(path, "w:gz") as tar, transaction.atomic():
        with connection.cursor() as cursor:
            if len(connection.atomic_blocks) == 1:
                # One snapshot for every table (must be the transaction's first statement but SETs).
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            migrations = _applied_migrations(cursor, schema)
            for table, columns in _tables(cursor, schema):
                column_list = ", ".join(_qn(c) for c in columns)
                with tempfile.TemporaryFile() as buffer:
                    with cursor.copy(f"COPY {_qn(schema)}.{_qn(table)} ({column_list}) TO STDOUT") as copy:
                        for data in copy:
                            buffer.write(data)
                    cursor.execute(f"SELECT count(*) FROM {_qn(schema)}.{_qn(table)}")  # noqa: S608
                    rows = cursor.fetchone()[0]
                    info = tarfile.TarInfo(f"data/{table}.copy")
                    info.size = buffer.tell()
                    buffer.seek(0)
                    tar.addfile(info, buffer)
                tables_meta.append({"name": table, "columns": columns, "rows": rows})
                rows_total += rows
        files = 0
        folder = _media_folder(schema)
        if folder.is_dir():
            for file in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
                tar.add(file, arcname="media/" + file.relative_to(folder).as_posix(), recursive=False)
                files += 1
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "schema": schema,
            "portal": portal.name,
            "exported_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "migrations": migrations,
            "tables": tables_meta,
            "media_files": files,
        }
        _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
    return Exported(schema=schema, tables=len(tables_meta), rows=rows_total, files=files, path=path)


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise RestoreRefused("Dit bestand is geen portaalexport: manifest.json ontbreekt of is onleesbaar.") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise RestoreRefused(f"Dit bestand is geen portaalexport van versie {VERSION} ({FORMAT}).")
    return manifest


def _check_migrations(manifest: dict, cursor, schema: str) -> None:
    """The export's migrations must be the schema's, and the schema must be migrated to this code."""
    exported = {tuple(m) for m in manifest["migrations"]}
    in_schema = {tuple(m) for m in _applied_migrations(cursor, schema)}
    if not _code_leaves() <= in_schema:
        raise RestoreRefused(
            f"Schema '{schema}' is niet bijgewerkt tot de migraties van deze code; er is niets veranderd. "
            "Voer eerst 'manage.py migrate_schemas' uit."
        )
    if exported != in_schema:
        missing, extra = sorted(in_schema - exported), sorted(exported - in_schema)
        raise RestoreRefused(
            "De export hoort bij andere migraties dan deze code; er is niets veranderd. "
            f"Ontbreken in de export: {_names(missing)}. Onbekend in deze code: {_names(extra)}. "
            "Importeer met de versie van de code waarmee de export is gemaakt."
        )


def _names(migrations) -> str:
    if not migrations:
        return "geen"
    shown = ", ".join(f"{app}.{name}" for app, name in migrations[:5])
    return shown + (f" en {len(migrations) - 5} meer" if len(migrations) > 5 else "")


def _unpack_media(tar: tarfile.TarFile, schema: str) -> tuple[Path, int]:
    """The export's media, unpacked in a fresh folder beside the portal's (swapped in after the commit)."""
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".import-{schema}-", dir=root))
    members = []
    for member in tar.getmembers():
        if member.name.startswith("media/") and member.isfile():
            member.name = member.name.removeprefix("media/")
            members.append(member)
    tar.extractall(staging, members=members, filter="data")  # refuses absolute paths, "..", links out
    return staging, len(members)


def _swap_media(staging: Path, schema: str) -> None:
    folder = _media_folder(schema)
    old = folder.with_name(f".old-{schema}-{uuid_module.uuid4().hex}")
    if folder.exists():
        os.replace(folder, old)
    os.replace(staging, folder)
    shutil.rmtree(old, ignore_errors=True)


def _load_tables(tar: tarfile.TarFile, manifest: dict, cursor, schema: str) -> int:
    current = dict(_tables(cursor, schema))
    exported = {t["name"]: t["columns"] for t in manifest["tables"]}
    if exported != current:
        differing = sorted(set(exported) ^ set(current)) or sorted(n for n in exported if exported[n] != current[n])
        raise RestoreRefused(
            f"De tabellen van schema '{schema}' wijken af van de export ({', '.join(differing[:5])}); "
            "er is niets veranderd."
        )
    # Checks still pending from earlier in this transaction first (TRUNCATE refuses tables with pending
    # trigger events), then every reference checked once all rows are back.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    # Only this schema's tables; no CASCADE, so a table elsewhere can never be emptied through a reference.
    cursor.execute(
        "TRUNCATE " + ", ".join(f"{_qn(schema)}.{_qn(name)}" for name in sorted(current)) + " RESTART IDENTITY"
    )
    rows = 0
    for table in manifest["tables"]:
        column_list = ", ".join(_qn(c) for c in table["columns"])
        source = tar.extractfile(f"data/{table['name']}.copy")
        with cursor.copy(f"COPY {_qn(schema)}.{_qn(table['name'])} ({column_list}) FROM STDIN") as copy:
            while data := source.read(CHUNK):
                copy.write(data)
        rows += table["rows"]
    # Sequences (identity and serial columns) continue after the highest restored key.
    cursor.execute(
        "SELECT table_name, column_name, pg_get_serial_sequence(format('%%I.%%I', table_schema, table_name), "
        "column_name) FROM information_schema.columns WHERE table_schema = %s",
        [schema],
    )
    for table, column, sequence in cursor.fetchall():
        if sequence:
            cursor.execute(
                f"SELECT setval(%s, COALESCE(max({_qn(column)}), 1), max({_qn(column)}) IS NOT NULL) "  # noqa: S608
                f"FROM {_qn(schema)}.{_qn(table)}",
                [sequence],
            )
    return rows


def _moved_in_elsewhere(portal: Portal, uuids) -> set:
    """Of these UUIDs, those another portal's schema records as moved away (so they came from there)."""
    found = set()
    if not uuids:
        return found
    others = Portal.objects.websites().exclude(schema_name=portal.schema_name)
    for schema in others.values_list("schema_name", flat=True):
        with schema_context(schema):
            found |= set(MovedAway.objects.filter(uuid__in=list(uuids)).values_list("uuid", flat=True))
    return found


def _align_index(portal: Portal, result: Imported) -> None:
    """Locator and index of this portal as the restored schema says, refusing what would lose or double data."""
    with schema_context(portal.schema_name):
        restored = {i.uuid: i for i in Initiative.objects.all()}
    located_here = dict(InitiativeLocator.objects.filter(portal=portal).values_list("uuid", "slug"))
    elsewhere = dict(
        InitiativeLocator.objects.filter(uuid__in=list(restored))
        .exclude(portal=portal)
        .values_list("uuid", "portal__name")
    )
    gone = set(located_here) - set(restored)
    arrived = _moved_in_elsewhere(portal, gone)
    if arrived:
        slugs = ", ".join(sorted(located_here[u] for u in arrived)[:10])
        raise RestoreRefused(
            f"{len(arrived)} initiatief/initiatieven zijn na de export naar dit portaal verhuisd ({slugs}) en "
            "zouden met deze import verloren gaan; er is niets veranderd. Maak een nieuwe export, of verhuis ze "
            "eerst terug."
        )
    result.removed_since = sorted((u, located_here[u]) for u in gone)
    result.left_out_moved = sorted((u, restored[u].slug) for u in elsewhere)
    with schema_context(portal.schema_name):
        if elsewhere:
            # Its current home wins; the old URL here redirects there, as after the move itself.
            Initiative.objects.filter(uuid__in=list(elsewhere)).delete()
            MovedAway.objects.bulk_create(
                [MovedAway(slug=restored[u].slug, uuid=u) for u in elsewhere],
                update_conflicts=True,
                unique_fields=["slug"],
                update_fields=["uuid"],
            )
        kept = [i for u, i in restored.items() if u not in elsewhere]
        kvk_taken = dict(
            InitiativeLocator.objects.filter(kvk_number__in=[i.kvk_number for i in kept if i.kvk_number])
            .exclude(uuid__in=[i.uuid for i in kept])
            .exclude(uuid__in=gone)
            .values_list("kvk_number", "portal__name")
        )
        if kvk_taken:
            listed = ", ".join(f"{kvk} ({name})" for kvk, name in sorted(kvk_taken.items())[:10])
            raise RestoreRefused(
                "Deze KvK-nummers uit de export zijn sinds de export door een ander initiatief geregistreerd: "
                f"{listed}; er is niets veranderd. Los dat eerst op."
            )
        for uuid in gone:
            projector.forget(uuid)
        initiatives = Initiative.objects.for_index()
        result.initiatives = len(kept)
        projector.project_many(initiatives, portal)


def import_portal(path, schema: str | None = None) -> Imported:
    """Replace one portal's schema and media by an export's (see the module's docstring)."""
    try:
        tar = tarfile.open(path, "r:gz")
    except (tarfile.ReadError, EOFError, OSError) as exc:
        raise RestoreRefused(f"{path} is geen leesbare portaalexport (.tar.gz): {exc}") from exc
    with tar:
        manifest = _read_manifest(tar)
        schema = schema or manifest["schema"]
        portal = _portal(schema)
        with connection.cursor() as cursor:
            _check_migrations(manifest, cursor, schema)
        staging, files = _unpack_media(tar, schema)
        try:
            with transaction.atomic():
                Portal.objects.select_for_update().get(pk=portal.pk)  # one import of a portal at a time
                try:
                    with transaction.atomic(), connection.cursor() as cursor:
                        rows = _load_tables(tar, manifest, cursor, schema)
                        result = Imported(schema, len(manifest["tables"]), rows, files, 0)
                        _align_index(portal, result)
                        # Domains are shared data: the site answers on the portal's primary domain of today.
                        sync_site_hostname(portal)
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check every reference now
                except IntegrityError as exc:
                    raise RestoreRefused(
                        "De export verwijst naar gegevens die niet meer bestaan of nu anders vastliggen "
                        f"(bijvoorbeeld een verwijderd account); er is niets veranderd. PostgreSQL meldt: {exc}"
                    ) from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    _swap_media(staging, schema)
    _forget_caches(portal)
    return result


def _forget_caches(portal: Portal) -> None:
    """Wagtail caches the site's root paths per portal; a restored page tree must not be served from them."""
    with schema_context(portal.schema_name):
        cache.delete("wagtail_site_root_paths")
