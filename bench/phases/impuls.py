"""11: MAEX Impuls under a rush: ``--impuls-applications`` owners submit the short application to one round at the
same moment, over HTTP, against gunicorn with the production settings; the round's budget fits fewer of them
(docs/decisions/0024: first come, first served, the budget guarded by the database)."""

from __future__ import annotations

import http.client
import re
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import CommandError
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.services import ensure_verified_user
from demo.profiles import profile_data
from impuls.models import Application, Commitment, Funder, Round
from impuls.selectors import reconcile, round_budget
from impuls.services import euros
from initiatives import services
from tenants.models import Portal

from ..servers import Gunicorn, free_port, redis_problem
from ..synthetic import coverage
from ..table import percentile
from .load import production_env

AMOUNT_CENTS = 100_000  # each applicant asks € 1.000
FITS = 0.6  # the budget fits this share of the applicants


def run(bench) -> None:
    count = bench.options.get("impuls_applications") or 0
    label = "impuls: concurrent submissions"
    if count <= 0:
        return
    redis_url = bench.options["redis_url"]
    if not redis_url or (problem := redis_problem(redis_url)):
        bench.row(label, "skipped", "no Redis: production requires REDIS_URL" if not redis_url else problem)
        return
    portal, municipalities = _regional_portal()
    fits = max(1, int(count * FITS))
    tag = secrets.token_hex(3)
    bench.log(f"impuls: {count} eligible initiatives on {portal.schema_name}, a round whose budget fits {fits}")
    owners = _eligible_initiatives(bench, portal, municipalities, count, tag)
    with schema_context(portal.schema_name):
        round = _round(tag, fits * AMOUNT_CENTS)
    secret = secrets.token_urlsafe(64)
    with override_settings(SECRET_KEY=secret):  # the server's key: its sessions must read these
        sessions = [_session(user) for user, _uuid in owners]
    env = production_env(redis_url)
    env["DJANGO_SECRET_KEY"] = secret
    port = free_port()
    host = portal.domains.all()[0].domain
    server = Gunicorn(port, bench.options["load_workers"], env, log_prefix="maex-bench-impuls-")
    with server:
        forms = [
            _form(port, host, round.slug, uuid, session)
            for (_user, uuid), session in zip(owners, sessions, strict=True)
        ]
        outcomes = _submit_together(port, host, forms)
    with schema_context(portal.schema_name):
        accepted_rows = Application.objects.filter(round=round).count()
        budget = round_budget(round)
        differences = reconcile(round)
    accepted = sum(1 for status, _ms, _body in outcomes if status == 302)
    full = sum(1 for status, _ms, body in outcomes if _is_full(status, body))
    errors = [status for status, _ms, body in outcomes if status != 302 and not _is_full(status, body)]
    latencies = [ms for _status, ms, _body in outcomes]
    bench.row(
        f"{label} accepted",
        accepted,
        f"of {count} at once, budget for {fits} ({euros(fits * AMOUNT_CENTS)}); gunicorn -w "
        f"{bench.options['load_workers']}, production settings",
    )
    bench.row(f"{label} refused (vol)", full, "the round's budget used up: a message on the form")
    bench.row(f"{label} server errors", len(errors), "answers other than 302 or 'vol' (must be 0)")
    bench.row(f"{label} p50", percentile(latencies, 0.5), "ms per submission (POST until the answer)")
    bench.row(
        f"{label} p95",
        percentile(latencies, 0.95),
        "ms; all sent at once, so the later ones wait for a worker and for the round's lock",
    )
    problems = []
    if errors:
        problems.append(f"{len(errors)} answers were neither accepted nor 'vol': {sorted(set(errors))}")
    if accepted != fits or accepted_rows != fits:
        problems.append(f"{accepted} accepted ({accepted_rows} rows), the budget fits exactly {fits}")
    if budget.reserved_cents > budget.budget_cents or differences:
        problems.append(f"the ledger disagrees: {differences or budget}")
    if problems:
        raise CommandError("impuls: " + "; ".join(problems) + f"; see {server.log_name}")


def _is_full(status: int, body: str) -> bool:
    return status == 400 and "Deze ronde is vol" in body


def _regional_portal() -> tuple[Portal, list]:
    """The first regional portal (by schema name) and the municipalities it covers."""
    municipalities, home, _portals = coverage()
    by_portal: dict[Portal, list] = {}
    for m in municipalities:
        if not home[m.pk].is_national:
            by_portal.setdefault(home[m.pk], []).append(m)
    if not by_portal:
        raise CommandError("impuls: no regional portal covers a municipality")
    portal = min(by_portal, key=lambda p: p.schema_name)
    return Portal.objects.with_domains().get(pk=portal.pk), by_portal[portal]


def _eligible_initiatives(bench, portal, municipalities, count: int, tag: str) -> list[tuple]:
    """``count`` owners, each with a published initiative that meets a default round's criteria."""
    owners = []
    for k in range(count):
        owner = ensure_verified_user(
            f"bench-impuls-{tag}-{k}@example.org", secrets.token_urlsafe(24), "Bench (fictief)"
        )
        data = profile_data(900_000 + k, municipalities[k % len(municipalities)], bench.rng)
        data["fields"].update(
            name=f"Impuls-bench {tag} {k}",
            phase="doorgroei",
            legal_form="stichting",
            kvk_number="",
            district="Centrum",
            website="https://voorbeeld.example.org",
            contact_phone="0118 123456",
        )
        data["needs"] = [{"kind": "geld", "text": "Voor een training (fictief)."}]
        initiative, home = services.register_initiative(owner=owner, profile=services.Profile(**data))
        if not initiative.is_published:
            with schema_context(home.schema_name):
                initiative = services.publish(initiative, home)
        owners.append((owner, initiative.uuid))
    return owners


def _round(tag: str, budget_cents: int) -> Round:
    now = timezone.now()
    round = Round.objects.create(
        slug=f"bench-{tag}",
        title=f"Bench-ronde {tag}",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        min_cents=50_000,
        max_cents=250_000,
    )
    half = budget_cents // 2
    for name, amount in ((f"Bench-fonds A {tag}", half), (f"Bench-fonds B {tag}", budget_cents - half)):
        Commitment.objects.create(round=round, funder=Funder.objects.create(name=name), amount_cents=amount)
    return round


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _request(port, host, method, path, cookies: dict, body: str = "") -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Host": host, "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        set_cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _eq, rest = value.partition("=")
                set_cookies[key] = rest.split(";", 1)[0]
        return response.status, set_cookies, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _form(port, host, slug, uuid, session) -> tuple[str, dict, str]:
    """GET the form as its owner: the path, the cookies (session and CSRF) and the POST body."""
    path = f"/impuls/{slug}/aanvragen/{uuid}/"
    cookies = {settings.SESSION_COOKIE_NAME: session}
    status, set_cookies, body = _request(port, host, "GET", path, cookies)
    token = _TOKEN.search(body)
    if status != 200 or token is None:
        raise CommandError(f"impuls: GET {path} answered {status} without a form")
    cookies.update(set_cookies)
    data = {
        "csrfmiddlewaretoken": token.group(1),
        "amount": str(AMOUNT_CENTS // 100),
        "strengthens": "Een training voor onze vrijwilligers (bench).",
        "cost_estimate": "Trainer en zaal (bench).",
        "covers_all": "ja",
        "iban": "NL91ABNA0417164300",
        "account_holder": "Stichting Bench",
    }
    return path, cookies, urlencode(data)


def _submit_together(port, host, forms) -> list[tuple[int, float, str]]:
    """Every POST released at once (a barrier); per POST its status, milliseconds and body."""
    barrier = threading.Barrier(len(forms))

    def one(form):
        path, cookies, body = form
        barrier.wait(timeout=60)
        t0 = time.perf_counter()
        try:
            status, _cookies, text = _request(port, host, "POST", path, cookies, body)
        except OSError as exc:
            return 0, (time.perf_counter() - t0) * 1000, str(exc)
        return status, (time.perf_counter() - t0) * 1000, text

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        return list(pool.map(one, forms))
