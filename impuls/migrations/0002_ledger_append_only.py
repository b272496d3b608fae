"""The ledger is append-only: PostgreSQL refuses UPDATE and DELETE of a row of ``impuls_ledgerentry``
(docs/decisions/0024-impuls-ledger-and-split.md). TRUNCATE stays possible for the table's owner: restoring a portal
(``portals/backup.py``) replaces every table of its schema, the ledger included, with the export's rows. Created in each portal's schema (the first on the search path
while its migrations run); a portal cloned from the template gets the function and the trigger with the table."""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION impuls_refuse_ledger_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the Impuls ledger is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER impuls_ledger_append_only BEFORE UPDATE OR DELETE ON impuls_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION impuls_refuse_ledger_change();
"""
DROP = """
DROP TRIGGER IF EXISTS impuls_ledger_append_only ON impuls_ledgerentry;
DROP FUNCTION IF EXISTS impuls_refuse_ledger_change();
"""


class Migration(migrations.Migration):
    dependencies = [("impuls", "0001_initial")]
    operations = [migrations.RunSQL(TRIGGER, DROP)]
