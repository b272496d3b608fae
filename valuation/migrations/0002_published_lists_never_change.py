from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION valuation_refuse_published_change() RETURNS trigger AS $$
DECLARE list_id bigint;
BEGIN
    IF TG_TABLE_NAME = 'valuation_pricelist' THEN
        IF OLD.status = 'published' THEN
            RAISE EXCEPTION 'published price list % never changes', OLD.version USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    list_id := CASE WHEN TG_OP = 'INSERT' THEN NEW.price_list_id ELSE OLD.price_list_id END;
    IF EXISTS (SELECT 1 FROM valuation_pricelist WHERE id = list_id AND status = 'published') THEN
        RAISE EXCEPTION 'items of a published price list never change' USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER valuation_priceitem_immutable BEFORE INSERT OR UPDATE OR DELETE ON valuation_priceitem
    FOR EACH ROW EXECUTE FUNCTION valuation_refuse_published_change();
CREATE TRIGGER valuation_pricelist_immutable BEFORE UPDATE OR DELETE ON valuation_pricelist
    FOR EACH ROW EXECUTE FUNCTION valuation_refuse_published_change();
"""
DROP = """
DROP TRIGGER IF EXISTS valuation_priceitem_immutable ON valuation_priceitem;
DROP TRIGGER IF EXISTS valuation_pricelist_immutable ON valuation_pricelist;
DROP FUNCTION IF EXISTS valuation_refuse_published_change();
"""


def only_public(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.schema_name == "public":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("valuation", "0001_initial")]
    operations = [migrations.RunPython(only_public(TRIGGER), only_public(DROP))]
