"""One partner-kind vocabulary (initiatives.PartnerKind) for an initiative's partners and a portal's partner
pages; the migration that brought the pages' stored English values over to it."""

import importlib

from django.apps import apps
from django_tenants.utils import schema_context

from cms.models import PartnerPage
from initiatives.models import Partner, PartnerKind

MIGRATION = importlib.import_module("cms.migrations.0004_partner_kind_vocabulary")


def test_both_models_offer_the_same_kinds():
    assert PartnerPage._meta.get_field("kind").choices == Partner._meta.get_field("kind").choices
    assert PartnerPage._meta.get_field("kind").default == PartnerKind.OTHER


def test_the_migration_translates_the_pages_and_their_revisions_and_back(zeeland, pages):
    index = pages.partner_index(zeeland)
    partner = pages.partner(zeeland, "Fonds Oud", index, kind=PartnerKind.FUND)
    with schema_context(zeeland.schema_name):
        # Given a partner page and its revision as they were stored before the one vocabulary
        PartnerPage.objects.filter(pk=partner.pk).update(kind="fund")
        revision = partner.latest_revision
        revision.content["kind"] = "fund"
        revision.save(update_fields=["content"])
        # When the migration runs
        MIGRATION.forwards(apps, None)
        # Then the page and its revision hold the Dutch value
        assert PartnerPage.objects.get(pk=partner.pk).kind == "fonds"
        revision.refresh_from_db()
        assert revision.content["kind"] == "fonds"
        # And backwards, the English value again
        MIGRATION.backwards(apps, None)
        assert PartnerPage.objects.get(pk=partner.pk).kind == "fund"
        revision.refresh_from_db()
        assert revision.content["kind"] == "fund"
