"""Permissions follow table ownership (docs/decisions/0012-permissions-follow-table-ownership.md): a portal
role holds permissions only on what lives in that portal's schema, and a portal's users admin edits only that
portal's memberships. These tests replay the attack of a portal admin who tried to become platform staff."""

import re

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.urls import URLResolver, get_resolver
from django_tenants.utils import schema_context
from wagtail.models import Collection, GroupCollectionPermission

from accounts.models import User
from roles.ownership import NATIONAL_DUTIES, is_portal_permission
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
def staff(db):
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


# --- every role of every portal, through every admin view and every permission it could grant itself ---------

ROLES_OF = {
    "landelijk": ["portal_admin", "editor", "author", "fund_manager", "national_admin", "national_analyst"],
    "zeeland": ["portal_admin", "editor", "author", "fund_manager", "funder_reviewer"],
    "rotterdam": ["portal_admin", "editor", "author", "fund_manager"],
    "denhaag": ["portal_admin", "editor", "author", "fund_manager"],
}
WALK = [(schema, role) for schema, roles in ROLES_OF.items() for role in roles]
# Views that end the session or exist to fail, and the catch-all: not part of what a role can reach.
NOT_WALKED = ("beheer/logout/", "beheer/failwhale/", "beheer/test404/", "beheer/login/", "beheer/password_reset")
URL_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def admin_routes():
    """Every URL pattern of the Wagtail admin (/beheer/), as registered by Wagtail, its apps and ours."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    routes = {r for r in walk(get_resolver("maex.urls").url_patterns) if r.startswith("beheer/")}
    # ".../results/" is the same listing as its index view (the part a filter reloads), with the same checks.
    return sorted(r for r in routes if not r.startswith(NOT_WALKED) and ".*" not in r and "results/" not in r)


def fill(route: str, values: dict[str, str]) -> str:
    """The route with each parameter replaced: shared models' labels and the shared account's id."""

    def value(match):
        name = match.group(2) or match.group(3)
        return values.get(name, values["pk"])

    return "/" + URL_PARAM.sub(value, route).replace("^", "").replace("$", "")


def shared_state() -> dict:
    """Every row of every shared model (public schema), but the columns a sign-in touches."""
    from roles.ownership import lives_in_portal_schema

    state = {}
    for model in apps.get_models():
        label = model._meta.app_label
        if lives_in_portal_schema(label) or label in ("contenttypes", "sessions") or not model._meta.managed:
            continue
        rows = model.objects.order_by("pk").values()
        state[model._meta.label] = [{k: v for k, v in row.items() if k != "last_login"} for row in rows]
    return state


def fresh_perms(user, schema) -> set[str]:
    with schema_context(schema):
        return User.objects.get(pk=user.pk).get_all_permissions()


def escalate(client, schema, person):
    """Everything a role could try to give itself through the group editor and the users admin, by hand."""
    with schema_context(schema):
        all_perms = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
        shared_codenames = ["change_user", "add_user", "delete_user"]
        group_ids = [str(pk) for pk in Group.objects.values_list("pk", flat=True)]
        # Their own groups, and those of the national roles (the duties they would want)
        targets = Group.objects.filter(Q(user=person) | Q(permissions__content_type__app_label="roles")).distinct()
        target_ids = [str(pk) for pk in targets.values_list("pk", flat=True)]
        root_collection = Collection.get_first_root_node().pk
    for group_id in target_ids:
        client.post(
            f"{GROUPS}edit/{group_id}/",
            {
                "name": f"Groep {group_id}",
                "permissions": all_perms,
                "page_permissions-TOTAL_FORMS": "0",
                "page_permissions-INITIAL_FORMS": "0",
                "collection_permissions-TOTAL_FORMS": "1",
                "collection_permissions-INITIAL_FORMS": "0",
                "collection_permissions-0-collection": str(root_collection),
                "collection_permissions-0-permissions": shared_codenames + all_perms,
            },
        )
    client.post(f"{GROUPS}new/", {"name": "Alles", "permissions": all_perms})
    account_fields = {
        "email": "overgenomen@example.org",
        "first_name": "Over",
        "last_name": "Genomen",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "is_active": "on",
        "is_superuser": "on",
        "groups": group_ids,
        "roles": group_ids,
    }
    client.post(f"{USERS}edit/{person.pk}/", account_fields)
    client.post(f"{USERS}new/", {**account_fields, "email": person.email})
    client.post(f"{USERS}new/", {**account_fields, "email": "nieuw-account@example.org"})
    return group_ids


def setting(schema, role, staff):
    """A person with ``role`` in the portal ``schema``, and someone who has a role only in another portal."""
    from tenants.models import Portal

    portal = Portal.objects.with_domains().get(schema_name=schema)
    other = Portal.objects.websites().with_domains().exclude(schema_name=schema)[0]
    person = with_role(make_user(), portal, role)
    elsewhere = with_role(make_user("alleen-elders@example.org"), other, "editor")
    return portal, person, elsewhere


def assert_shows_nothing_shared(client, schema, urls, staff, elsewhere):
    with schema_context(schema):
        names = {
            str(p.pk): f"{p.content_type.app_label}.{p.codename}"
            for p in Permission.objects.select_related("content_type")
        }
    for url in sorted(urls):
        response = client.get(url)
        # Then no view fails, none shows a shared account from outside this portal, and no form offers a
        # permission on a shared model
        assert response.status_code != 500, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode(errors="replace") if response.status_code == 200 else ""
        assert staff.email not in body and elsewhere.email not in body, url
        offered = re.findall(r'name="permissions" value="(\d+)"', body)
        assert not [names[pk] for pk in offered if not is_portal_permission(names[pk])], url


def menu_urls(client) -> set[str]:
    """The admin URLs the person's menus and dashboard link to."""
    home = client.get("/beheer/").content.decode()
    return {u.split("?")[0].split("#")[0] for u in re.findall(r"/beheer/[^\"'\s<>\\]*", home)}


# The whole walk once per role, spread over the portals (every portal is a clone of the same template, run by the
# same code; only the national portal has more). Every role of every portal tries the escalation below.
FULL_WALK = [
    ("landelijk", "portal_admin"),
    ("zeeland", "editor"),
    ("rotterdam", "author"),
    ("denhaag", "fund_manager"),
    ("landelijk", "national_admin"),
    ("landelijk", "national_analyst"),
]


@pytest.mark.parametrize(("schema", "role"), FULL_WALK, ids=[f"{s}-{r}" for s, r in FULL_WALK])
def test_every_admin_view_keeps_a_role_to_its_portal(schema, role, staff, client_for):
    # Given a person with this role in this portal, platform staff, and someone who is only in another portal
    portal, person, elsewhere = setting(schema, role, staff)
    client = client_for(portal, person)
    before = shared_state()
    # When they open every view of the admin (every URL pattern Wagtail and the apps register), with the id
    # and labels of a shared account where a view takes them, and every menu item they are shown
    values = {"pk": str(staff.pk), "app_label": "accounts", "model_name": "user", "action": "delete"}
    urls = {fill(route, values).split("#")[0] for route in admin_routes()} | menu_urls(client)
    assert_shows_nothing_shared(client, schema, urls, staff, elsewhere)
    # Then nothing shared changed
    assert shared_state() == before


@pytest.mark.parametrize(("schema", "role"), WALK, ids=[f"{s}-{r}" for s, r in WALK])
def test_no_role_can_grant_itself_a_shared_model_or_another_portal(schema, role, staff, client_for):
    # Given a person with this role in this portal, platform staff, and someone who is only in another portal
    portal, person, elsewhere = setting(schema, role, staff)
    client = client_for(portal, person)
    before = shared_state()
    perms_before = fresh_perms(person, schema)
    # When they try to give themselves every permission and every role there is, and to take over accounts
    escalate(client, schema, person)
    for target in (staff, elsewhere):
        client.post(f"{USERS}edit/{target.pk}/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        client.post(f"{USERS}delete/{target.pk}/")
        for action, data in (("delete", {}), ("set_active", {"mark_as_active": "False"}), ("assign_role", {})):
            client.post(f"/beheer/bulk/accounts/user/{action}/?id={target.pk}&next=/beheer/users/", data)
    # Then nothing shared changed: no account, password, superuser flag, portal, domain or price list
    assert shared_state() == before
    # And every permission any group of any portal holds is on a portal's own model
    for each in ROLES_OF:
        with schema_context(each):
            held = Permission.objects.filter(group__isnull=False).select_related("content_type").distinct()
            assert all(is_portal_permission(f"{p.content_type.app_label}.{p.codename}") for p in held), each
            assert not GroupCollectionPermission.objects.exclude(
                permission__content_type__app_label__in=["wagtailimages", "wagtaildocs", "wagtailcore"]
            ).exists()
    # And the person holds nothing shared, no duty of the national roles they did not have, and nothing elsewhere
    perms_after = fresh_perms(person, schema)
    assert all(is_portal_permission(p) for p in perms_after)
    duties = {f"roles.{d}" for d in NATIONAL_DUTIES}
    assert perms_after & duties <= perms_before & duties
    for each in ROLES_OF:
        if each != schema:
            assert fresh_perms(person, each) == set()


# --- the parts one by one ------------------------------------------------------------------------------------


def test_a_shared_permission_left_in_a_portal_counts_for_nothing_and_the_sync_removes_it(zeeland):
    from roles.models import PermissionGrant
    from roles.services import ensure_role_groups

    # Given a group and a direct grant in Zeeland that hold "change user" (left from before, or written by hand)
    person = with_role(make_user(), zeeland, "editor")
    with schema_context("zeeland"):
        change_user = Permission.objects.get(content_type__app_label="accounts", codename="change_user")
        Group.objects.get(name=group_name("editor")).permissions.add(change_user)
        PermissionGrant.objects.create(user=person, permission=change_user)
        # Then the person does not have it
        assert not User.objects.get(pk=person.pk).has_perm("accounts.change_user")
        assert User.objects.get(pk=person.pk).has_perm("initiatives.review_initiative")
        # When the roles are synchronised (manage.py sync_roles)
        ensure_role_groups(national=False)
        # Then neither row is left
        assert not Group.objects.filter(permissions=change_user).exists()
        assert not PermissionGrant.objects.filter(permission=change_user).exists()


def test_the_group_editor_saves_the_portals_own_permissions_and_drops_shared_ones(zeeland, client_for):
    # Given a portal admin, and the editor group holding a shared permission from before
    admin = with_role(make_user(), zeeland, "portal_admin")
    client = client_for(zeeland, admin)
    with schema_context("zeeland"):
        editors = Group.objects.get(name=group_name("editor"))
        editors.permissions.add(Permission.objects.get(content_type__app_label="accounts", codename="delete_user"))
    url = f"{GROUPS}edit/{editors.pk}/"
    # When they tick a permission the editor offers that the group does not have yet, and save
    data = form_data(client.get(url).content.decode())
    redirects = permission_id("wagtailredirects.delete_redirect", "zeeland")
    assert redirects not in data.get("permissions", [])
    data["permissions"] = data.get("permissions", []) + [redirects]
    response = client.post(url, data)
    # Then it is saved, and the shared permission is gone
    assert response.status_code == 302
    perms = group_perms("editor", "zeeland")
    assert "wagtailredirects.delete_redirect" in perms
    assert "initiatives.review_initiative" in perms
    assert all(is_portal_permission(p) for p in perms)


def test_a_portals_users_admin_lists_its_members_and_edits_only_their_roles_here(zeeland, rotterdam, staff, client_for):
    # Given a portal admin of Zeeland, an editor of Zeeland who is also in Rotterdam, and a Rotterdam-only person
    admin = with_role(make_user(), zeeland, "portal_admin")
    member = with_role(with_role(make_user(full_name="Mia Lid"), zeeland, "editor"), rotterdam, "editor")
    only_rotterdam = with_role(make_user(), rotterdam, "portal_admin")
    client = client_for(zeeland, admin)
    row_before = User.objects.filter(pk=member.pk).values().get()
    # When they open the users admin
    listing = client.get(USERS).content.decode()
    # Then it lists Zeeland's members with their roles here, not platform staff nor people from elsewhere
    assert member.email in listing and "Redacteur" in listing
    assert staff.email not in listing and only_rotterdam.email not in listing
    assert client.get(f"{USERS}edit/{only_rotterdam.pk}/").status_code == 404
    # And the edit form has the roles and nothing of the shared account
    edit = client.get(f"{USERS}edit/{member.pk}/").content.decode()
    fields = form_data(edit)
    assert not {"email", "first_name", "last_name", "password1", "password2", "is_active", "is_superuser"} & set(fields)
    # When they post the account's fields anyway, with another role
    with schema_context("zeeland"):
        fund = str(Group.objects.get(name=group_name("fund_manager")).pk)
    client.post(
        f"{USERS}edit/{member.pk}/",
        {
            "roles": [fund],
            "email": "ander@example.org",
            "first_name": "Ander",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "is_superuser": "on",
            "is_active": "",
        },
    )
    # Then only the roles in Zeeland changed: the account and the Rotterdam role are as they were
    assert User.objects.filter(pk=member.pk).values().get() == row_before
    with schema_context("zeeland"):
        assert set(User.objects.get(pk=member.pk).groups.values_list("name", flat=True)) == {"Fondsbeheerder"}
    with schema_context("rotterdam"):
        assert set(User.objects.get(pk=member.pk).groups.values_list("name", flat=True)) == {"Redacteur"}


def test_a_portal_admin_gives_roles_to_an_existing_account_and_cannot_create_or_delete_one(zeeland, client_for):
    # Given a portal admin of Zeeland and a person with an account but no role in Zeeland
    admin = with_role(make_user(), zeeland, "portal_admin")
    newcomer = make_user()
    client = client_for(zeeland, admin)
    with schema_context("zeeland"):
        editor = str(Group.objects.get(name=group_name("editor")).pk)
    accounts_before = User.objects.count()
    # When they add someone whose email has no account
    response = client.post(f"{USERS}new/", {"email": "niemand@example.org", "roles": [editor]})
    # Then they are told so, and no account is made
    assert "Er is geen actief account met dit e-mailadres" in response.content.decode()
    assert User.objects.count() == accounts_before
    # When they add the newcomer by email with the editor role
    response = client.post(f"{USERS}new/", {"email": newcomer.email.upper(), "roles": [editor]})
    # Then the newcomer is an editor in Zeeland
    assert response.status_code == 302
    with schema_context("zeeland"):
        assert User.objects.get(pk=newcomer.pk).has_perm("initiatives.review_initiative")
    # When they try to delete the account
    client.post(f"{USERS}delete/{newcomer.pk}/")
    # Then it still exists
    assert User.objects.filter(pk=newcomer.pk, is_active=True).exists()


def test_a_national_portal_admin_cannot_give_the_national_roles(national, client_for):
    # Given a portal admin of the national portal (not a national admin)
    admin = with_role(make_user(), national, "portal_admin")
    client = client_for(national, admin)
    with schema_context("landelijk"):
        national_admins = Group.objects.get(name=group_name("national_admin"))
    # When they look for the national admins' group, and try to join it through the users admin
    groups_listing = client.get(GROUPS).content.decode()
    edit_group = client.get(f"{GROUPS}edit/{national_admins.pk}/")
    client.post(f"{USERS}edit/{admin.pk}/", {"roles": [str(national_admins.pk)]})
    # Then the group is neither listed nor editable, and they do not get its duties
    assert group_name("national_admin") not in groups_listing
    assert edit_group.status_code == 404
    assert not fresh_perms(admin, "landelijk") & {"roles.manage_portals", "roles.manage_price_list"}


def test_platform_staff_manage_accounts_in_the_national_portal_only(national, zeeland, staff, client_for):
    # Given an editor of Zeeland
    member = with_role(make_user(), zeeland, "editor")
    # When platform staff open the account in Zeeland's admin
    in_zeeland = form_data(client_for(zeeland, staff).get(f"{USERS}edit/{member.pk}/").content.decode())
    # Then they edit only its roles there
    assert "roles" in in_zeeland and "password1" not in in_zeeland
    # When they open it in the national portal's admin and set a new password
    client = client_for(national, staff)
    data = form_data(client.get(f"{USERS}edit/{member.pk}/").content.decode())
    assert "password1" in data and "is_superuser" in data
    data.update(first_name=["Mia"], last_name=["Lid"], password1=[NEW_PASSWORD], password2=[NEW_PASSWORD])
    client.post(f"{USERS}edit/{member.pk}/", data)
    # Then the account has it
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_the_upgrade_turns_the_national_admins_old_permissions_into_duties(national):
    import importlib

    from django.apps import apps as live_apps

    migration = importlib.import_module("roles.migrations.0003_strip_shared_permissions")
    # Given the national admins' group as it was: the shared models' permissions, no duty
    with schema_context("landelijk"):
        group = Group.objects.get(name=group_name("national_admin"))
        group.permissions.remove(*group.permissions.filter(content_type__app_label="roles"))
        group.permissions.add(
            Permission.objects.get(content_type__app_label="tenants", codename="manage_portals"),
            Permission.objects.get(content_type__app_label="valuation", codename="change_pricelist"),
        )
        # When the data migration runs in the portal's schema
        migration.strip(live_apps, None)
    # Then the group holds the duties instead, and nothing shared
    perms = group_perms("national_admin", "landelijk")
    assert {"roles.manage_portals", "roles.manage_price_list"} <= perms
    assert all(is_portal_permission(p) for p in perms)
