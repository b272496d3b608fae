"""The reconciler finds every difference between the index and the portals, and repairs it when asked."""

import io

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from initiatives.models import Initiative
from national_index.models import IndexEntry, InitiativeLocator
from portals.reconcile import reconcile
from tests.support import AMSTERDAM, ROTTERDAM, THOLEN, VLISSINGEN, make_user, register


@pytest.fixture
def corrupted(zeeland, rotterdam, national):
    """Five published initiatives on three portals; four of their index rows corrupted behind the
    projector's back (as a bug or a bulk write would)."""
    owner = make_user()
    fine, _ = register(owner, VLISSINGEN)
    missing, _ = register(owner, ROTTERDAM)
    stale, _ = register(owner, THOLEN)
    unpublished, _ = register(owner, AMSTERDAM)
    deleted, _ = register(owner, VLISSINGEN)
    assert reconcile().clean

    IndexEntry.objects.filter(uuid=missing.uuid).delete()
    IndexEntry.objects.filter(uuid=stale.uuid).update(name="Verkeerde naam", people_reached=stale.people_reached + 1)
    with schema_context("landelijk"):  # withdrawn by a bulk write that skipped the projector
        Initiative.objects.filter(pk=unpublished.pk).update(status=Initiative.Status.WITHDRAWN)
    with schema_context("zeeland"):  # deleted at the source; its row remains
        Initiative.objects.filter(pk=deleted.pk).delete()
    return {"fine": fine, "missing": missing, "stale": stale, "unpublished": unpublished, "deleted": deleted}


def test_reconcile_reports_missing_stale_and_orphaned_rows(corrupted):
    report = reconcile()
    assert not report.clean
    assert report.missing == [corrupted["missing"].uuid]
    assert report.stale == [(corrupted["stale"].uuid, ["name", "people_reached"])]
    assert sorted(report.orphaned) == sorted([corrupted["unpublished"].uuid, corrupted["deleted"].uuid])
    assert report.portals == 4  # every live portal, never the template
    # Checking changes nothing
    assert not IndexEntry.objects.filter(uuid=corrupted["missing"].uuid).exists()
    assert IndexEntry.objects.get(uuid=corrupted["stale"].uuid).name == "Verkeerde naam"
    assert IndexEntry.objects.filter(uuid=corrupted["deleted"].uuid).exists()


def test_reconcile_with_repair_fixes_every_difference(corrupted):
    report = reconcile(repair=True)
    assert report.repaired and not report.clean  # it reports what it found ...
    after = reconcile()
    assert after.clean, after.lines()  # ... and afterwards nothing differs
    missing, stale = corrupted["missing"], corrupted["stale"]
    assert IndexEntry.objects.get(uuid=missing.uuid).name == missing.name
    row = IndexEntry.objects.get(uuid=stale.uuid)
    assert (row.name, row.people_reached) == (stale.name, stale.people_reached)
    assert not IndexEntry.objects.filter(uuid__in=[corrupted["unpublished"].uuid, corrupted["deleted"].uuid]).exists()
    # An initiative that no longer exists anywhere is forgotten entirely; one that exists keeps its locator
    assert not InitiativeLocator.objects.filter(uuid=corrupted["deleted"].uuid).exists()
    assert InitiativeLocator.objects.filter(uuid=corrupted["unpublished"].uuid).exists()
    assert IndexEntry.objects.filter(uuid=corrupted["fine"].uuid).exists()


def test_the_check_command_exits_1_on_differences_and_names_them(corrupted):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("reconcile_index", "--check", stdout=out)
    assert exit_info.value.code == 1
    text = out.getvalue()
    assert f"missing  {corrupted['missing'].uuid}" in text
    assert f"stale    {corrupted['stale'].uuid} (name, people_reached)" in text
    assert f"orphaned {corrupted['unpublished'].uuid}" in text
    assert f"orphaned {corrupted['deleted'].uuid}" in text
    assert "differences: 1 missing, 1 stale, 2 orphaned" in text
    # --check repaired nothing
    assert not IndexEntry.objects.filter(uuid=corrupted["missing"].uuid).exists()


def test_the_command_without_check_repairs_then_check_passes(corrupted):
    out = io.StringIO()
    call_command("reconcile_index", stdout=out)
    assert "(repaired)" in out.getvalue()
    out = io.StringIO()
    call_command("reconcile_index", "--check", stdout=out)  # no SystemExit: clean
    assert "index matches every portal" in out.getvalue()
    assert IndexEntry.objects.get(uuid=corrupted["stale"].uuid).name == corrupted["stale"].name


def test_a_clean_index_passes_the_check(zeeland):
    register(make_user(), VLISSINGEN)
    out = io.StringIO()
    call_command("reconcile_index", "--check", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "index matches every portal"


def test_a_domain_change_the_index_missed_is_stale_and_repaired(zeeland):
    from portals.services import add_domain

    # Given an initiative of Zeeland indexed under Zeeland's domain
    initiative, _ = register(make_user(), VLISSINGEN)
    assert IndexEntry.objects.get(uuid=initiative.uuid).url.startswith("http://zeeland.localhost")
    # When Zeeland gets a new primary domain and the re-projection after it never runs (a lost task)
    add_domain(zeeland, "zeeland.maex.test", is_primary=True)
    # Then the check names the row's url as stale
    report = reconcile()
    assert (initiative.uuid, ["url"]) in report.stale
    assert IndexEntry.objects.get(uuid=initiative.uuid).url.startswith("http://zeeland.localhost")
    # and the repair points it to the new domain
    reconcile(repair=True)
    url = IndexEntry.objects.get(uuid=initiative.uuid).url
    assert url.startswith("http://zeeland.maex.test") and url.endswith(f"/initiatieven/{initiative.slug}/")
    assert reconcile().clean


def test_a_revaluation_the_index_missed_is_stale_and_repaired(zeeland):
    from decimal import Decimal

    # Given an indexed initiative
    initiative, _ = register(make_user(), VLISSINGEN)
    # When its valuation is rewritten at the source by a bulk write that skipped the projector (as a
    # recomputation with a new price list would, had it forgotten the index)
    revalued = {
        "social_value": Decimal("123456.78"),
        "value_by_domain": {"groen": "100000.00", "insluiting": "23456.78"},
        "value_by_sdg": {"11": "123456.78"},
        "deliveries": Decimal("42.00"),
        "valued_with": "2099-1",
    }
    with schema_context("zeeland"):
        Initiative.objects.filter(pk=initiative.pk).update(**revalued)
    # Then the check names exactly the valuation columns
    report = reconcile()
    assert report.stale == [
        (initiative.uuid, ["social_value", "value_by_domain", "value_by_sdg", "deliveries", "valued_with"])
    ]
    # and the repair copies the new valuation into the index
    reconcile(repair=True)
    row = IndexEntry.objects.get(uuid=initiative.uuid)
    assert {field: getattr(row, field) for field in revalued} == revalued
    assert reconcile().clean


def test_the_repair_keeps_the_initiatives_of_a_switched_off_portal(denhaag, client_for):
    from portals.services import update_portal
    from tests.support import DEN_HAAG, municipality, profile

    # Given a published initiative with a KvK number on Den Haag's portal, and the portal switched off
    initiative, _ = register(make_user(), DEN_HAAG, kvk_number="56781234")
    update_portal(denhaag, name=denhaag.name, kind=denhaag.kind, is_active=False, review_required=True)
    # When the index is checked and repaired
    report = reconcile(repair=True)
    # Then its initiative is neither reported nor forgotten: its locator still guards its KvK number
    assert initiative.uuid not in report.orphaned
    assert InitiativeLocator.objects.filter(uuid=initiative.uuid, kvk_number="56781234").exists()
    from initiatives import services

    with pytest.raises(services.DuplicateInitiative):
        services.register_initiative(owner=make_user(), profile=profile(DEN_HAAG, kvk_number="56781234"))
    # and once the portal is switched on again, the initiative is in the index as before
    update_portal(denhaag, name=denhaag.name, kind=denhaag.kind, is_active=True, review_required=True)
    assert IndexEntry.objects.get(uuid=initiative.uuid).municipality == municipality(DEN_HAAG)
    assert reconcile().clean


def test_reconcile_fills_the_activities_of_rows_from_before_the_graadmeter(zeeland):
    # Given an index row as the upgrade to the graadmeter leaves it: no activities yet (docs/decisions/0032)
    initiative, _portal = register(make_user(), VLISSINGEN)
    want = IndexEntry.objects.get(uuid=initiative.uuid).activity_quantities
    assert want  # the projector writes them
    IndexEntry.objects.filter(uuid=initiative.uuid).update(activity_quantities={})
    # When the reconciler runs, it names the column, and repairing fills it
    assert (initiative.uuid, ["activity_quantities"]) in reconcile().stale
    reconcile(repair=True)
    assert IndexEntry.objects.get(uuid=initiative.uuid).activity_quantities == want
    assert reconcile().clean
