"""A registration that arrives while a portal is being launched for its municipality never stays behind in the
old home portal: it waits for the launch and lands in the new portal."""

import threading

import psycopg
import pytest
from django.db import connection
from django_tenants.utils import schema_context

from accounts.services import delete_account
from initiatives.models import Initiative
from national_index import projector
from tenants.models import Coverage
from tests.live import test_database_url as database_url
from tests.support import make_user, municipality, profile

GOES = "GM0664"


@pytest.fixture
def committed_owner(django_db_setup, django_db_blocker):
    """An account committed for real (this test runs outside a test transaction: two connections take part)."""
    with django_db_blocker.unblock():
        owner = make_user()
    yield owner
    with django_db_blocker.unblock():
        delete_account(owner)


def test_a_registration_during_a_launch_lands_in_the_new_portal(committed_owner, django_db_blocker):
    from initiatives import services
    from tenants.models import Portal

    with django_db_blocker.unblock():
        goes = municipality(GOES)
        zeeland = Portal.objects.get(schema_name="zeeland")
    outcome = {}

    def register_in_another_request():
        with django_db_blocker.unblock():
            try:
                initiative, portal = services.register_initiative(owner=committed_owner, profile=profile(GOES))
                outcome["portal"], outcome["uuid"] = portal.schema_name, initiative.uuid
            except Exception as exc:  # noqa: BLE001 - reported by the assertions below
                outcome["error"] = exc
            finally:
                connection.close()

    # Given a launch in progress: it holds Goes and has given it to Zeeland, not yet committed
    with psycopg.connect(database_url(), autocommit=False) as launch:
        launch.execute("SELECT id FROM geo_municipality WHERE id = %s FOR NO KEY UPDATE", [goes.pk])
        launch.execute(
            "INSERT INTO tenants_coverage (portal_id, municipality_id) VALUES (%s, %s)", [zeeland.pk, goes.pk]
        )
        # When someone registers an initiative in Goes meanwhile
        registering = threading.Thread(target=register_in_another_request)
        registering.start()
        registering.join(timeout=1.5)
        still_waiting = registering.is_alive()
        # and the launch commits
        launch.commit()
    registering.join(timeout=30)

    try:
        # Then the registration waited for the launch, and its initiative lives in the new portal
        assert still_waiting, "the registration did not wait for the launch"
        assert "error" not in outcome, outcome.get("error")
        assert outcome["portal"] == "zeeland"
        with django_db_blocker.unblock():
            with schema_context("zeeland"):
                assert Initiative.objects.filter(uuid=outcome["uuid"], municipality=goes).exists()
            with schema_context("landelijk"):
                assert not Initiative.objects.filter(uuid=outcome["uuid"]).exists()
    finally:
        with django_db_blocker.unblock():
            for schema in ("zeeland", "landelijk"):
                with schema_context(schema):
                    Initiative.objects.filter(municipality=goes, owners=committed_owner).delete()
            if "uuid" in outcome:
                projector.forget(outcome["uuid"])
            Coverage.objects.filter(municipality=goes).delete()
