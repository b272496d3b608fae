"""The versions a cached page is stored under (docs/decisions/0030-page-cache.md).

Every schema (each portal's and the public one) has a one-row table ``page_cache_version``. A trigger on each table
whose rows a page shows adds one to it, at most once per transaction, in the same transaction as the change: a
reader sees the new number exactly when it sees the committed change, never before. The trigger is a deferred
constraint trigger, so it takes the row's lock only while its transaction commits, after every other lock that
transaction takes: two writers never wait on each other crosswise because of it.

A trigger catches every writer (the admin, a command, a Celery task, scheduled publication, a restore), which a
list of Python call sites would not. The reader (``cms.page_cache``) reads both rows and the national index
version in one query."""

from __future__ import annotations

from django.db import connection

TABLE = "page_cache_version"

CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (id smallint PRIMARY KEY CHECK (id = 1), n bigint NOT NULL);
INSERT INTO {TABLE} (id, n) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
"""  # noqa: S608 (constants)

# Once per transaction and schema (a transaction-local setting), the first change of the transaction counts.
FUNCTION = f"""
CREATE OR REPLACE FUNCTION page_cache_bump() RETURNS trigger AS $$
BEGIN
    IF current_setting('page_cache.' || TG_TABLE_SCHEMA, true) IS DISTINCT FROM '1' THEN
        PERFORM set_config('page_cache.' || TG_TABLE_SCHEMA, '1', true);
        EXECUTE format(
            'INSERT INTO %I.{TABLE} (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = {TABLE}.n + 1',
            TG_TABLE_SCHEMA
        );
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""  # noqa: S608 (constants)

TRIGGER = "page_cache_bump"
TRUNCATE_TRIGGER = "page_cache_bump_truncate"

DROP = f"""
DROP FUNCTION IF EXISTS page_cache_bump() CASCADE;
DROP TABLE IF EXISTS {TABLE};
"""


def install(prefixes: tuple[str, ...], exclude: tuple[str, ...] = (), schema_editor=None) -> list[str]:
    """The table, the function and the triggers in the current schema, on every table whose name starts with one of
    ``prefixes`` (except ``exclude``). Idempotent: a migration that adds a watched table calls it again."""
    conn = schema_editor.connection if schema_editor is not None else connection
    tables = sorted(
        t for t in conn.introspection.table_names() if t.startswith(prefixes) and t not in exclude and t != TABLE
    )
    with conn.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
        cursor.execute(FUNCTION)
        for table in tables:
            name = conn.ops.quote_name(table)
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {name}")
            cursor.execute(
                f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {name} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump()"
            )
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON {name}")
            cursor.execute(
                f"CREATE TRIGGER {TRUNCATE_TRIGGER} AFTER TRUNCATE ON {name} "
                "FOR EACH STATEMENT EXECUTE FUNCTION page_cache_bump()"
            )
    return tables


def watched_tables(schema: str) -> set[str]:
    """The tables of ``schema`` that carry the trigger (for the test that every shown table is watched)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE t.tgname = %s AND n.nspname = %s",
            [TRIGGER, schema],
        )
        return {row[0] for row in cursor.fetchall()}


# The public schema's watched tables: the portals, their domains and coverage (a page shows the portal's name,
# its euro policy, its canonical host), and the municipalities with their boundaries (the map shows their names,
# population and shapes; docs/decisions/0033-municipality-map.md).
PUBLIC_PREFIXES = ("tenants_", "geo_municipality")

# A portal's watched tables: its pages and everything they show (snippets, settings, branding, images, documents,
# tags) and its initiatives. Not: image renditions and embeds (made while a page renders, for what a change already
# put on it), and what no anonymous visitor's page shows (roles, Impuls, forms' submissions, search, redirects).
PORTAL_PREFIXES = ("cms_", "branding_", "initiatives_", "wagtailcore_", "wagtailimages_", "wagtaildocs_", "taggit_")
PORTAL_EXCLUDE = ("wagtailimages_rendition",)
