"""The bulk projector and the reconciler use INDEX_FIELDS; the single projector uses entry_values. If the
two ever drift apart, bulk paths silently keep stale columns and reconcile cannot see it."""

from national_index.models import IndexEntry
from national_index.projector import INDEX_FIELDS, entry_values
from tests.support import VLISSINGEN, register


def test_every_index_column_is_projected_and_compared(zeeland):
    initiative, portal = register(code=VLISSINGEN)
    from django_tenants.utils import schema_context

    with schema_context(portal.schema_name):
        values = entry_values(initiative, portal)
    columns = {f.attname for f in IndexEntry._meta.concrete_fields} - {"uuid"}
    assert set(values) == set(INDEX_FIELDS) == columns
