"""Creating portals (cloned from the template schema) and changing them: settings, domains, coverage. Each
reaches beyond the registry (``tenants``) into the portal's own schema: its Wagtail site, pages and role
groups, the initiatives that move with a municipality, the national index."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from wagtail.models import Page, Site

from accounts.audit import record_national
from accounts.sign_on import ensure_sign_on_client, sync_sign_on_clients
from cms.models import HomePage
from cms.services import ensure_initiative_index
from geo.models import Municipality
from roles.services import ensure_role_groups
from tenants.middleware import forget_host
from tenants.models import NATIONAL_SCHEMA, Coverage, Domain, Portal
from tenants.selectors import national_portal
from tenants.services import ensure_template, hold_municipalities, set_coverage

from .moves import move_and_reproject
from .tasks import reproject_portal


@dataclass
class PortalCreated:
    portal: Portal
    seconds: float


def _prepare_portal_schema(portal: Portal, hosts: list[str]) -> None:
    """Inside the new schema: the Wagtail site on the portal's own domain, a home page, the role groups."""
    with schema_context(portal.schema_name):
        root = Page.get_first_root_node()
        home = HomePage.objects.first()
        if home is None:
            # Replace Wagtail's default welcome page by the portal's home page.
            Site.objects.all().delete()
            for page in Page.objects.filter(depth=2):
                page.delete()
            root.refresh_from_db()
            home = root.add_child(instance=HomePage(title=portal.name, slug="home"))
        ensure_initiative_index(home)
        Site.objects.update_or_create(
            root_page=home,
            defaults={"hostname": hosts[0], "port": 80, "site_name": portal.name, "is_default_site": True},
        )
        ensure_role_groups(national=portal.schema_name == NATIONAL_SCHEMA)


def create_portal(
    *,
    schema_name: str,
    name: str,
    kind: str,
    hosts: list[str],
    municipality_codes: list[str] = (),
    review_required: bool = True,
) -> PortalCreated:
    """Create a portal in one transaction: cloned schema, domains, coverage, site, roles. All or nothing."""
    ensure_template()
    started = time.perf_counter()
    with transaction.atomic():
        portal = Portal(schema_name=schema_name, name=name, kind=kind, review_required=review_required)
        portal.save(verbosity=0)
        connection.set_schema_to_public()
        for i, host in enumerate(hosts):
            Domain.objects.create(tenant=portal, domain=host, is_primary=(i == 0))
        set_coverage(portal, municipality_codes)
        _prepare_portal_schema(portal, hosts)
        _register_sign_on(portal)
    for host in hosts:
        forget_host(host)
    return PortalCreated(portal=portal, seconds=time.perf_counter() - started)


def _register_sign_on(portal: Portal) -> None:
    """The portal's OpenID Connect client at the national portal, on its canonical host (ADR 0022); the
    national portal's own address is every client's provider, so a change there re-registers them all."""
    if portal.schema_name == NATIONAL_SCHEMA:
        sync_sign_on_clients()
    else:
        ensure_sign_on_client(portal)


# --- national portal management (the national admin's screens in /beheer/portalen/) -------------------------


class PortalChangeRefused(Exception):
    """A change to the portal registry that is not allowed; the message is for the person (Dutch)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _hosts_of(portal: Portal) -> list[str]:
    return list(Domain.objects.filter(tenant=portal).values_list("domain", flat=True))


def _after_commit_forget(hosts) -> None:
    hosts = list(hosts)
    transaction.on_commit(lambda: [forget_host(host) for host in hosts], robust=True)


def _reproject_after_commit(portal: Portal) -> None:
    """Rewrite the portal's index rows (their URLs follow the primary domain) once this transaction commits.

    The task is sent from the portal's own schema: tenant-schemas-celery reads the schema at send time."""
    schema = portal.schema_name

    def send():
        with schema_context(schema):
            reproject_portal.delay()

    with schema_context(schema):
        # robust: a broker that is down must not turn a committed change into an error page; the nightly
        # reconcile repairs the rows then.
        transaction.on_commit(send, robust=True)


def sync_site_hostname(portal: Portal) -> None:
    """The portal's Wagtail site carries its primary domain (docs/architecture.md, "Known traps")."""
    primary = Domain.objects.filter(tenant=portal, is_primary=True).values_list("domain", flat=True).first()
    if not primary:
        return
    with schema_context(portal.schema_name):
        site = Site.objects.filter(is_default_site=True).first()
        if site is not None and site.hostname != primary:
            site.hostname = primary
            site.save()  # through save(): Wagtail forgets its cached site root paths of this portal


def update_portal(
    portal: Portal,
    *,
    name: str,
    kind: str,
    is_active: bool,
    review_required: bool,
    implausible: str | None = None,
    hold_threshold: int | None | bool = False,
) -> Portal:
    """Change a portal's settings. The national portal stays active (it is the fallback home). ``implausible`` and
    ``hold_threshold`` (``tenants.services.set_review_rules``): unchanged when not given (``None``, ``False``)."""
    if portal.schema_name == NATIONAL_SCHEMA and not is_active:
        raise PortalChangeRefused(_("Het landelijke portaal kan niet worden uitgeschakeld."), "is_active")
    with transaction.atomic():
        portal.name, portal.kind, portal.is_active, portal.review_required = name, kind, is_active, review_required
        if implausible is not None:
            portal.implausible = implausible
        if hold_threshold is not False:
            portal.hold_threshold = hold_threshold
        # django-tenants saves a tenant only from the public schema (or its own).
        with schema_context("public"):
            portal.save(verbosity=0)
            _register_sign_on(portal)  # the client carries the portal's name
        _after_commit_forget(_hosts_of(portal))  # the host lookup caches the portal, is_active included
    return portal


def normalise_host(host: str) -> str:
    return host.strip().lower().rstrip(".")


def add_domain(portal: Portal, host: str, *, is_primary: bool = False, by=None) -> Domain:
    """Give a portal another host name; ``is_primary`` makes it the one its links are built from."""
    host = normalise_host(host)
    with transaction.atomic():
        if Domain.objects.filter(domain=host).exists():
            raise PortalChangeRefused(_("Dit domein is al in gebruik."), "domain")
        if not Domain.objects.filter(tenant=portal, is_primary=True).exists():
            is_primary = True  # a portal always has a primary domain
        old_hosts = _hosts_of(portal)
        if is_primary:
            Domain.objects.filter(tenant=portal, is_primary=True).update(is_primary=False)
        try:
            with transaction.atomic():
                domain = Domain.objects.create(tenant=portal, domain=host, is_primary=is_primary)
        except IntegrityError as exc:  # claimed by a concurrent request
            raise PortalChangeRefused(_("Dit domein is al in gebruik."), "domain") from exc
        if is_primary:
            sync_site_hostname(portal)
            _register_sign_on(portal)  # redirect URIs follow the canonical host
        _after_commit_forget([*old_hosts, host])
        _reproject_after_commit(portal)
        record_national(portal, "maex.portal.domain_add", by=by, data={"domain": host, "is_primary": is_primary})
    return domain


def remove_domain(domain: Domain, by=None) -> None:
    """Take a host name away from its portal. The primary domain stays until another one is made primary."""
    with transaction.atomic():
        domain = Domain.objects.select_for_update().select_related("tenant").get(pk=domain.pk)
        if domain.is_primary:
            raise PortalChangeRefused(
                _("Het primaire domein kan niet worden verwijderd; maak eerst een ander domein primair.")
            )
        portal = domain.tenant
        host = domain.domain
        domain.delete()
        _after_commit_forget([host, *_hosts_of(portal)])
        _reproject_after_commit(portal)
        record_national(portal, "maex.portal.domain_remove", by=by, data={"domain": host})


def add_coverage(portal: Portal, municipality: Municipality, by=None) -> tuple[Coverage, int]:
    """Let ``portal`` cover one more municipality, and move that municipality's initiatives in from their old
    home (keeping their UUIDs; old URLs redirect). One already covered by a portal is refused with a message.
    Returns the coverage and the number of initiatives moved."""
    with transaction.atomic():
        hold_municipalities([municipality.pk])
        taken = Coverage.objects.select_related("portal").filter(municipality=municipality).first()
        if taken is not None:
            raise PortalChangeRefused(coverage_taken_message(municipality, taken.portal), "municipality")
        try:
            with transaction.atomic():
                coverage = Coverage.objects.create(portal=portal, municipality=municipality)
        except IntegrityError as exc:  # covered by a concurrent request: the database constraint decides
            taken = Coverage.objects.select_related("portal").filter(municipality=municipality).first()
            raise PortalChangeRefused(
                coverage_taken_message(municipality, taken.portal if taken else None), "municipality"
            ) from exc
        moved = move_and_reproject([municipality.pk], portal).count
        data = {"municipality": municipality.cbs_code, "moved": moved}
        record_national(portal, "maex.portal.coverage_add", by=by, data=data)
        return coverage, moved


def coverage_taken_message(municipality: Municipality, portal: Portal | None) -> str:
    if portal is None:
        return _("%(municipality)s valt al onder een ander portaal.") % {"municipality": municipality}
    return _("%(municipality)s valt al onder portaal %(portal)s; een gemeente valt onder één portaal.") % {
        "municipality": municipality,
        "portal": portal.name,
    }


def remove_coverage(portal: Portal, municipality: Municipality, by=None) -> int:
    """Stop covering a municipality: its initiatives move to the national portal, where its new ones land too.
    Returns the number of initiatives moved."""
    with transaction.atomic():
        hold_municipalities([municipality.pk])
        deleted, _rows = Coverage.objects.filter(portal=portal, municipality=municipality).delete()
        if not deleted:
            return 0
        moved = move_and_reproject([municipality.pk], national_portal()).count
        data = {"municipality": municipality.cbs_code, "moved": moved}
        record_national(portal, "maex.portal.coverage_remove", by=by, data=data)
        return moved
