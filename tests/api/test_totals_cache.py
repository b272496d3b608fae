"""The cached figures of ``/api/v1/totals`` and ``/stand-van-het-land/`` follow every committed change they depend
on: the index, and the portals' own rows (whether a portal shows euro amounts). These tests commit (the versions
move on commit, docs/decisions/0030-page-cache.md)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from accounts.services import delete_account
from initiatives.models import Initiative
from national_index import projector
from tenants.models import Portal
from tests.support import VLISSINGEN, make_user, register

pytestmark = pytest.mark.usefixtures("django_db_setup")


def _zeeland_row(committed, client):
    def get():
        response = client.get("/api/v1/totals")
        connection.set_schema_to_public()
        return {row["portal"]: row for row in response.json()["portals"]}.get("zeeland")

    return committed(get)


def test_the_totals_follow_a_portal_that_starts_showing_euro_amounts(committed):
    # Given a valued initiative in Zeeland, which hides euro amounts, and the national totals seen once
    national = committed(Portal.objects.with_domains().get, schema_name="landelijk")
    zeeland = committed(Portal.objects.get, schema_name="zeeland")

    def show(value):
        Portal.objects.filter(pk=zeeland.pk).update(show_amounts=value)

    committed(show, False)
    committed.cleanup(show, zeeland.show_amounts)
    owner = committed(make_user)
    committed.cleanup(delete_account, owner)
    initiative, _portal = committed(register, owner, VLISSINGEN)

    def forget():
        with schema_context("zeeland"):
            Initiative.objects.filter(pk=initiative.pk).delete()
        projector.forget(initiative.uuid)

    committed.cleanup(forget)
    client = Client(HTTP_HOST=national.primary_host)
    hidden = _zeeland_row(committed, client)
    assert hidden["initiatives"] >= 1 and hidden["social_value"] is None
    # When Zeeland starts showing euro amounts (its row only; no initiative changes)
    committed(show, True)
    # Then the next answer shows Zeeland's euros
    shown = _zeeland_row(committed, client)
    assert shown["social_value"] is not None and Decimal(shown["social_value"]) > 0
