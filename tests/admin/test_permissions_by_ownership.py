"""Permissions follow table ownership (docs/decisions/0012-permissions-follow-table-ownership.md): a portal
role holds permissions only on what lives in that portal's schema, and a portal's users admin edits only that
portal's memberships. These tests replay the attack of a portal admin who tried to become platform staff."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django_tenants.utils import schema_context

from accounts.models import User
from roles.services import group_name
from tests.support import make_user, with_role

GROUPS = "/beheer/groups/"
USERS = "/beheer/users/"
STAFF_PASSWORD = "het-wachtwoord-van-het-platform-1"
NEW_PASSWORD = "overgenomen-door-een-portaal-99"


def form_data(html: str, form_selector: str = "form[method=post]") -> dict[str, list[str]]:
    """What a browser would send for the page's form as shown: every field with its current value."""
    form = BeautifulSoup(html, "html.parser").select(form_selector)[-1]
    data: dict[str, list[str]] = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name = field["name"]
        if field.name == "select":
            values = [o.get("value", o.text) for o in field.select("option[selected]")]
        elif field.name == "textarea":
            values = [field.text]
        elif field.get("type") in ("checkbox", "radio"):
            values = [field.get("value", "on")] if field.has_attr("checked") else []
        elif field.get("type") in ("submit", "button", "file"):
            continue
        else:
            values = [field.get("value", "")]
        data.setdefault(name, []).extend(values)
    return data


def permission_id(dotted: str, schema: str) -> str:
    app_label, codename = dotted.split(".")
    with schema_context(schema):
        return str(Permission.objects.get(content_type__app_label=app_label, codename=codename).pk)


def group_perms(role: str, schema: str) -> set[str]:
    with schema_context(schema):
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=group_name(role)).permissions.select_related("content_type")
        }


@pytest.fixture
def staff():
    """Platform staff: a superuser whose password the attacker wants."""
    return make_user("platform@example.org", STAFF_PASSWORD, superuser=True)


def test_a_portal_admin_cannot_make_themselves_platform_staff(zeeland, rotterdam, staff, client_for):
    # Given a portal admin of Zeeland, the platform's superuser, and an admin of Rotterdam
    attacker = with_role(make_user(), zeeland, "portal_admin")
    other_admin = with_role(make_user(), rotterdam, "portal_admin")
    client = client_for(zeeland, attacker)
    with schema_context("zeeland"):
        own_group = Group.objects.get(name=group_name("portal_admin"))
    edit_group = f"{GROUPS}edit/{own_group.pk}/"
    # When they open their own group in the group editor
    page = client.get(edit_group)
    # Then the shared account's permissions are not offered
    assert page.status_code == 200
    offered = form_data(page.content.decode())
    change_user = permission_id("accounts.change_user", "zeeland")
    assert f'value="{change_user}"' not in page.content.decode()
    # When they post the form with "change user" added by hand anyway
    offered["permissions"] = offered.get("permissions", []) + [change_user]
    client.post(edit_group, offered)
    # Then their group does not hold it
    assert "accounts.change_user" not in group_perms("portal_admin", "zeeland")
    # When they set a new password and the superuser flag through the users admin
    for target, flag in ((staff, True), (other_admin, True)):
        client.post(
            f"{USERS}edit/{target.pk}/",
            {
                "email": target.email,
                "first_name": "Over",
                "last_name": "Genomen",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "is_active": "on",
                "is_superuser": "on" if flag else "",
            },
        )
    # Then the superuser's password is theirs, and nobody became superuser
    staff.refresh_from_db()
    other_admin.refresh_from_db()
    assert staff.check_password(STAFF_PASSWORD) and not staff.check_password(NEW_PASSWORD)
    assert not other_admin.check_password(NEW_PASSWORD)
    assert not other_admin.is_superuser
    assert not User.objects.filter(pk=attacker.pk, is_superuser=True).exists()
