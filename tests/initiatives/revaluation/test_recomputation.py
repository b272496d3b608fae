"""Publishing a new price-list version revalues every initiative on every portal, in the background,
without losing or double-counting anything when a worker dies halfway."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django_tenants.utils import schema_context

from initiatives.models import Initiative
from initiatives.revaluation import recompute_in_current_portal
from initiatives.tasks import start_recomputation
from maex.celery import app
from national_index.models import IndexEntry
from tests.support import ROTTERDAM, VLISSINGEN, make_user, register
from valuation import selectors, services
from valuation.engine import ActivityLine, value
from valuation.models import Recomputation, RecomputationPortal


@pytest.fixture
def eager_celery():
    """Tasks run in this process (the real task code, schema switching included) instead of a broker."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _new_version(version="2099.9", factor="2"):
    """A new version in which every hour-based item costs ``factor`` times as much."""
    current = selectors.current_price_list()
    draft = services.create_draft(version=version, title="Duurder", copy_from=current)
    text = services.export_csv(current).replace(",14.40,", f",{Decimal('14.40') * Decimal(factor):.2f},")
    assert not services.import_csv(draft, text).errors
    return draft


def _expected(initiative, book):
    return value(book, [ActivityLine(a.item_code, a.quantity) for a in initiative.activities.all()]).total


def test_a_worker_dying_halfway_loses_nothing_and_counts_nothing_twice(zeeland, django_capture_on_commit_callbacks):
    owner = make_user()
    for _ in range(5):
        register(owner, VLISSINGEN)
    with django_capture_on_commit_callbacks(execute=False):
        new = services.publish(_new_version())
    run = Recomputation.objects.create(price_list=new, portals_total=1)
    RecomputationPortal.objects.create(recomputation=run, portal=zeeland)
    with schema_context("zeeland"):
        total = Initiative.objects.count()
        # Given a worker that valued one batch of two and then died
        assert recompute_in_current_portal(run.pk, batch_size=2, max_batches=1) == 2
        assert Initiative.objects.filter(valued_with=new.version).count() == 2
        run.refresh_from_db()
        assert run.initiatives_done == 2 and run.finished_at is None
        # When the job runs again
        assert recompute_in_current_portal(run.pk, batch_size=2) == total - 2
        # And once more, as a duplicate delivery would
        assert recompute_in_current_portal(run.pk, batch_size=2) == 0
        book = selectors.price_book(new)
        initiatives = list(Initiative.objects.prefetch_related("activities"))
        # Then every initiative carries the new version's figures, computed exactly once
        assert all(i.valued_with == new.version and i.social_value == _expected(i, book) for i in initiatives)
        published_sum = sum((i.social_value for i in initiatives if i.is_published), Decimal(0))
    run.refresh_from_db()
    assert run.initiatives_done == total and run.portals_done == 1 and run.finished_at is not None
    index_sum = IndexEntry.objects.filter(portal=zeeland).aggregate(s=Sum("social_value"))["s"]
    assert index_sum == published_sum
    assert set(IndexEntry.objects.filter(portal=zeeland).values_list("valued_with", flat=True)) == {new.version}


def test_publishing_recomputes_every_portal_through_the_dispatcher(
    zeeland, rotterdam, eager_celery, django_capture_on_commit_callbacks
):
    owner = make_user()
    in_zeeland, _ = register(owner, VLISSINGEN)
    in_rotterdam, _ = register(owner, ROTTERDAM)
    hours = sum((a.quantity for a in in_zeeland.activities.all() if a.item_code.endswith("-uur")), Decimal(0))
    old_value = in_zeeland.social_value
    with django_capture_on_commit_callbacks(execute=True):
        new = services.publish(_new_version("2099.8"))
    run = Recomputation.objects.get(price_list=new)
    assert run.finished_at is not None and run.portals_done == run.portals_total >= 4
    for schema, initiative in (("zeeland", in_zeeland), ("rotterdam", in_rotterdam)):
        with schema_context(schema):
            fresh = Initiative.objects.prefetch_related("activities").get(pk=initiative.pk)
            assert fresh.valued_with == new.version
            assert fresh.social_value == _expected(fresh, selectors.price_book(new))
            if schema == "zeeland":
                # every hour now costs 14.40 more; nothing else changed
                assert fresh.social_value - old_value == hours * Decimal("14.40")
    # Sending the dispatcher again changes nothing and sends nothing
    assert start_recomputation(new.pk) == 0
