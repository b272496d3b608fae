"""Launching a regional portal: one transaction from nothing to a live portal with its area's initiatives.

``launch_portal`` clones the template schema (``portals.services.create_portal``), takes over the coverage of the
portal's municipalities from their previous home (the national portal, or nobody), moves the initiatives of
those municipalities into the new schema (``moves``), rewrites their index rows, and gives the first admin an
account (if needed) and the portal admin role. The invitation email goes out only after the commit.

All or nothing: any failure rolls back the schema, the registry rows, the moves and the account. Repeatable:
a schema name, host or municipality that is taken is refused with a Dutch message before anything is made,
and a launch refused or failed can be retried at once.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tenants.utils import schema_context

from accounts.audit import record_national
from accounts.models import User
from branding import palettes
from branding.services import apply_branding
from cms.services import ensure_starter_pages
from geo.models import Municipality
from maex.mail import send_templated_mail
from roles.services import assign_role
from tenants.middleware import forget_host
from tenants.models import NATIONAL_SCHEMA, TEMPLATE_SCHEMA, Coverage, Domain, Portal
from tenants.services import hold_municipalities, set_coverage

from . import moves
from .services import coverage_taken_message, create_portal, normalise_host

HOST_NAME = re.compile(r"(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")
SCHEMA_NAME = re.compile(r"[a-z][a-z0-9_]{1,49}")
RESERVED_SCHEMAS = {"public", TEMPLATE_SCHEMA, NATIONAL_SCHEMA, "information_schema"}
LAUNCH_KINDS = (Portal.Kind.PROVINCE, Portal.Kind.REGION, Portal.Kind.MUNICIPALITY)
_LAUNCH_LOCK = 0x4D414558  # "MAEX": one launch at a time (pg_advisory_xact_lock)


class LaunchRefused(Exception):
    """The launch cannot go ahead; ``problems`` maps a field to a message for the person (Dutch)."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()))


@dataclass
class Step:
    key: str
    label: str
    seconds: float
    detail: str = ""


@dataclass
class LaunchReport:
    portal: Portal
    steps: list[Step] = field(default_factory=list)
    seconds: float = 0.0
    moved: int = 0
    indexed: int = 0
    admin_email: str = ""
    admin_created: bool = False


# --- input ---------------------------------------------------------------------------------------------------


def clean_hosts(hosts) -> list[str]:
    """Host names from a list or from text with one per line (or separated by commas or spaces)."""
    if isinstance(hosts, str):
        hosts = re.split(r"[\s,]+", hosts)
    cleaned = []
    for host in hosts:
        host = normalise_host(host)
        if host and host not in cleaned:
            cleaned.append(host)
    return cleaned


def clean_codes(codes) -> list[str]:
    if isinstance(codes, str):
        codes = re.split(r"[\s,]+", codes)
    cleaned = []
    for code in codes:
        code = code.strip().upper()
        if code and code not in cleaned:
            cleaned.append(code)
    return cleaned


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def launch_problems(
    *,
    name: str,
    schema_name: str,
    kind: str,
    hosts: list[str],
    municipality_codes: list[str],
    first_admin_email: str,
    palette: str = "",
) -> dict[str, str]:
    """What stands in the way of this launch, per field (empty: nothing). Reads the public schema."""
    problems = {}
    if palette and palette not in palettes.BY_KEY:
        problems["palette"] = _("Kies een van de startkleuren.")
    if not (name or "").strip():
        problems["name"] = _("Vul de naam van het portaal in.")
    elif len(name.strip()) > Portal._meta.get_field("name").max_length:
        problems["name"] = _("De naam is te lang (hoogstens 100 tekens).")

    if not SCHEMA_NAME.fullmatch(schema_name or ""):
        problems["schema_name"] = _(
            "De schemanaam bestaat uit 2 tot 50 kleine letters, cijfers of liggende streepjes (_) en begint met "
            "een letter, bijvoorbeeld zeeland of west_brabant."
        )
    elif schema_name in RESERVED_SCHEMAS or schema_name.startswith("pg_"):
        problems["schema_name"] = _("De schemanaam %(schema)s is gereserveerd; kies een andere.") % {
            "schema": schema_name
        }
    elif Portal.objects.filter(schema_name=schema_name).exists() or _schema_exists(schema_name):
        problems["schema_name"] = _(
            "Er bestaat al een portaal met de schemanaam %(schema)s; een portaal wordt één keer aangemaakt."
        ) % {"schema": schema_name}

    if kind not in LAUNCH_KINDS:
        problems["kind"] = _("Kies de soort portaal: provincie, regio of gemeente.")

    if not hosts:
        problems["hosts"] = _("Vul ten minste één domein in.")
    else:
        bad = [h for h in hosts if not HOST_NAME.fullmatch(h)]
        used = sorted(Domain.objects.filter(domain__in=hosts).values_list("domain", flat=True))
        if bad:
            problems["hosts"] = _(
                "Geen geldige hostnaam: %(hosts)s. Vul alleen de hostnaam in, zoals zeeland.maex.nl (zonder "
                "https:// en zonder pad)."
            ) % {"hosts": ", ".join(bad)}
        elif used:
            problems["hosts"] = _("Dit domein is al in gebruik: %(hosts)s.") % {"hosts": ", ".join(used)}

    if not municipality_codes:
        problems["municipality_codes"] = _("Kies ten minste één gemeente.")
    else:
        known = set(Municipality.objects.filter(cbs_code__in=municipality_codes).values_list("cbs_code", flat=True))
        unknown = [c for c in municipality_codes if c not in known]
        taken = (
            Coverage.objects.select_related("portal", "municipality")
            .filter(municipality__cbs_code__in=municipality_codes)
            .exclude(portal__schema_name=NATIONAL_SCHEMA)
            .order_by("municipality__name")
        )
        if unknown:
            problems["municipality_codes"] = _("Onbekende gemeentecode: %(codes)s.") % {"codes": ", ".join(unknown)}
        elif taken:
            problems["municipality_codes"] = " ".join(coverage_taken_message(c.municipality, c.portal) for c in taken)

    try:
        validate_email(first_admin_email or "")
    except ValidationError:
        problems["first_admin_email"] = _("Vul een geldig e-mailadres in voor de eerste beheerder.")
    return problems


# --- the launch ----------------------------------------------------------------------------------------------


def launch_portal(
    *,
    name: str,
    schema_name: str,
    kind: str,
    hosts,
    municipality_codes,
    first_admin_email: str,
    review_required: bool = True,
    palette: str = "",
    progress: Callable[[Step], None] | None = None,
    by=None,
) -> LaunchReport:
    """Create a live regional portal with its area's initiatives, in one transaction. Raises ``LaunchRefused``
    (nothing made) for input that cannot work; any other failure also leaves nothing made.

    ``palette`` is the key of a starting palette (``branding/palettes.py``); empty keeps the default colours.
    ``progress`` is called with each step as it completes (the steps commit together at the end)."""
    name = (name or "").strip()
    schema_name = (schema_name or "").strip()
    hosts = clean_hosts(hosts)
    codes = clean_codes(municipality_codes)
    email = (first_admin_email or "").strip().lower()
    started = time.perf_counter()
    steps: list[Step] = []

    def step(key, label, began, detail=""):
        done = Step(key=key, label=label, seconds=time.perf_counter() - began, detail=detail)
        steps.append(done)
        if progress is not None:
            progress(done)

    try:
        with schema_context("public"), transaction.atomic():
            with connection.cursor() as cursor:  # launches queue up; the checks below see the one before
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LAUNCH_LOCK])
            # Lock the coverage rows of these municipalities: nobody hands them out meanwhile.
            list(Coverage.objects.select_for_update().filter(municipality__cbs_code__in=codes))
            # and the municipalities themselves: a registration there waits until the launch is done, or
            # the launch waits for the registration and moves it along (initiatives.services.register_initiative)
            hold_municipalities(Municipality.objects.filter(cbs_code__in=codes).values_list("pk", flat=True))
            problems = launch_problems(
                name=name,
                schema_name=schema_name,
                kind=kind,
                hosts=hosts,
                municipality_codes=codes,
                first_admin_email=email,
                palette=palette,
            )
            if problems:
                raise LaunchRefused(problems)

            began = time.perf_counter()
            portal = create_portal(
                schema_name=schema_name, name=name, kind=kind, hosts=hosts, review_required=review_required
            ).portal
            step("clone", _("Schema klonen"), began, _("schema %(schema)s") % {"schema": schema_name})

            began = time.perf_counter()
            taken_over = _take_over_coverage(portal, codes)
            step(
                "coverage",
                _("Dekking overnemen"),
                began,
                ngettext(
                    "%(count)d gemeente, waarvan %(taken)d overgenomen van het landelijke portaal",
                    "%(count)d gemeenten, waarvan %(taken)d overgenomen van het landelijke portaal",
                    len(codes),
                )
                % {"count": len(codes), "taken": taken_over},
            )

            began = time.perf_counter()
            municipality_ids = list(Municipality.objects.filter(cbs_code__in=codes).values_list("pk", flat=True))
            result = moves.move_initiatives(municipality_ids, portal)
            sources = ", ".join(f"{n} uit {schema}" for schema, n in result.by_source().items())
            step(
                "move",
                _("Initiatieven verhuizen"),
                began,
                ngettext("%(count)d initiatief verhuisd", "%(count)d initiatieven verhuisd", result.count)
                % {"count": result.count}
                + (f" ({sources})" if sources else ""),
            )

            began = time.perf_counter()
            indexed = moves.reproject(result)
            step(
                "index",
                _("Index bijwerken"),
                began,
                ngettext(
                    "%(count)d indexregel wijst nu naar het nieuwe portaal",
                    "%(count)d indexregels wijzen nu naar het nieuwe portaal",
                    indexed,
                )
                % {"count": indexed},
            )

            began = time.perf_counter()
            pages = ensure_starter_pages(portal)
            step(
                "pages",
                _("Eerste pagina's maken"),
                began,
                ngettext("%(count)d pagina", "%(count)d pagina's", len(pages)) % {"count": len(pages)},
            )

            if palette:
                began = time.perf_counter()
                chosen = palettes.BY_KEY[palette]
                with schema_context(portal.schema_name):
                    apply_branding(**chosen.values())
                step("branding", _("Startkleuren instellen"), began, str(chosen.label))

            began = time.perf_counter()
            portal = Portal.objects.with_domains().get(pk=portal.pk)
            created = _first_admin(portal, email)
            step(
                "invitation",
                _("Eerste beheerder uitnodigen"),
                began,
                (_("account aangemaakt voor %(email)s") if created else _("bestaand account %(email)s"))
                % {"email": email}
                + "; "
                + _("uitnodiging wordt verstuurd na het opslaan"),
            )
            transaction.on_commit(lambda: [forget_host(host) for host in hosts], robust=True)
            data = {"schema": schema_name, "hosts": hosts, "municipalities": codes, "moved": result.count}
            record_national(portal, "maex.portal.launch", by=by, data=data)  # not the admin's address
    except IntegrityError as exc:
        # A concurrent change claimed a host or a municipality between the checks and the writes.
        raise LaunchRefused(
            {
                "__all__": _(
                    "Een domein of gemeente van dit portaal werd tegelijk elders in gebruik genomen. Er is niets "
                    "aangemaakt of verhuisd; controleer de gegevens en probeer het opnieuw."
                )
            }
        ) from exc
    return LaunchReport(
        portal=portal,
        steps=steps,
        seconds=time.perf_counter() - started,
        moved=result.count,
        indexed=indexed,
        admin_email=email,
        admin_created=created,
    )


def _take_over_coverage(portal: Portal, codes: list[str]) -> int:
    """Give the new portal these municipalities. Those the national portal covers explicitly (as in the demo)
    are taken from it; those nobody covers (the national portal's implicit fallback) are simply added."""
    taken_over, _rows = Coverage.objects.filter(
        municipality__cbs_code__in=codes, portal__schema_name=NATIONAL_SCHEMA
    ).delete()
    set_coverage(portal, codes)
    return taken_over


def _first_admin(portal: Portal, email: str) -> bool:
    """The first admin's account (created without a usable password if new) with the portal admin role in the
    new portal, and the invitation email after the commit. Returns whether the account was created."""
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User(email=email)
        user.set_unusable_password()  # the invitation link lets them choose one
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    with schema_context(portal.schema_name):
        assign_role(user, "portal_admin")
    send_templated_mail(portal, "mail/portal_admin_invitation", _invitation(portal, user, created), [email])
    return created


def _invitation(portal: Portal, user, created: bool) -> dict:
    """The links of the first admin's invitation (``mail/portal_admin_invitation``): a new account gets one to
    choose its password."""
    context = {"admin_url": portal.absolute_url("/beheer/")}
    if created:
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
        )
        context.update(
            password_url=portal.absolute_url(path),
            days=max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            reset_url=portal.absolute_url(reverse("account_reset_password")),
        )
    return context
