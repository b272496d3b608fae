"""Deleting a person touches every portal and leaves no dangling rows."""

from django.contrib.auth.models import Group
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import delete_account
from initiatives.models import Initiative, Ownership
from roles.models import Membership
from tests.support import ROTTERDAM, VLISSINGEN, make_user, register, with_role


def test_deleting_a_person_cleans_every_portal_and_keeps_their_initiatives(zeeland, rotterdam):
    # Given a person who is an editor in Zeeland, owns initiatives in Zeeland and Rotterdam
    person = make_user()
    with_role(person, zeeland, "editor")
    in_zeeland, _ = register(person, VLISSINGEN)
    in_rotterdam, _ = register(person, ROTTERDAM)
    # And a colleague with the same role, who must be untouched
    colleague = with_role(make_user(), zeeland, "editor")

    # When the person's account is deleted
    report = delete_account(person)

    # Then the account is gone, and so are their memberships and ownerships in every schema
    assert not User.objects.filter(pk=person.pk).exists()
    assert report["zeeland"] >= 2 and report["rotterdam"] >= 1
    for schema, initiative in (("zeeland", in_zeeland), ("rotterdam", in_rotterdam)):
        with schema_context(schema):
            assert not Membership.objects.filter(user_id=person.pk).exists()
            assert not Ownership.objects.filter(user_id=person.pk).exists()
            # The initiatives themselves stay: they belong to the organisation
            assert Initiative.objects.filter(pk=initiative.pk).exists()
    with schema_context("zeeland"):
        assert Membership.objects.filter(user=colleague, group__in=Group.objects.all()).exists()
    # And no foreign key anywhere still points at the deleted account (deferred constraints checked now)
    connection.check_constraints()
