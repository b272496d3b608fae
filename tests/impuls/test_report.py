"""The funder report: per funder and round (and year) the applications, awards and amounts the ledger holds, payout
times, accountability received, and the social value and handprint of what it funded; as a page, a streamed CSV
and a printable page, in a bounded number of queries (docs/decisions/0027)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum
from django_tenants.utils import schema_context

from impuls import payouts, reports, review, selectors
from impuls.models import LedgerEntry, Payout
from tests.impuls.builders import make_round
from tests.impuls.conftest import APPLICATIONS, REPORT
from tests.impuls.review_builders import apply
from tests.support import count_queries


def _round_with_history(zeeland, applicant_user):
    """A round of two funders (300 and 100 thousand cents left: a 3 : 1 split) with four applications: two
    approved (one lower than asked), one paid on time and one paid late, one rejected, one still open."""
    round = make_round(300_000, 100_000)
    big, small = round.commitments.order_by("id")
    a = apply(round, applicant_user, 100_000, social_value="40000.00", by_sdg={"3": "10000", "11": "30000"})
    b = apply(round, applicant_user, 80_000, social_value="20000.00", by_sdg={"11": "20000"})
    c = apply(round, applicant_user, 50_000)
    apply(round, applicant_user, 60_000)
    pa = review.approve(a, amount_cents=100_000, portal=zeeland, by=None)
    pb = review.approve(b, amount_cents=60_000, portal=zeeland, by=None)
    review.reject(c, reason_code="budget", portal=zeeland, by=None)
    today = payouts.today()
    payouts.mark_paid([pa], paid_on=pa.due_on)
    Payout.objects.filter(pk=pb.pk).update(due_on=today - timedelta(days=2))
    payouts.mark_paid([pb], paid_on=today)
    return round, big, small, a, b


def _ledger(commitment, kind) -> int:
    return LedgerEntry.objects.filter(commitment=commitment, kind=kind).aggregate(s=Sum("amount_cents"))["s"] or 0


def test_the_report_numbers_agree_with_the_ledger(zeeland, applicant_user):
    with schema_context("zeeland"):
        round, big, small, a, b = _round_with_history(zeeland, applicant_user)
        report = reports.funder_report(round_id=round.pk)
        lines = {line.funder: line for line in report.lines}
        for commitment in (big, small):
            commitment.refresh_from_db()
            line = lines[commitment.funder.name]
            # amounts from the ledger, and the balance columns agree with it
            assert line.awarded_cents == _ledger(commitment, "award") == commitment.awarded_cents
            assert line.paid_cents == _ledger(commitment, "payout") == commitment.paid_cents
            assert line.reserved_cents == commitment.reserved_cents
            assert line.amount_cents == commitment.amount_cents
            # four applications reserved on each commitment, two awarded
            assert (line.applications, line.awards) == (4, 2)
            assert (line.payouts_paid, line.paid_on_time, line.paid_late, line.unpaid_late) == (2, 1, 1, 0)
            assert line.accountability_received == 0  # none of these awards was accounted for
            assert line.social_value == Decimal("60000.00")
            assert line.value_by_sdg == {3: Decimal("10000"), 11: Decimal("50000")}
        # the award of 1,000 euros is split 750 / 250, of 600 euros 450 / 150
        assert lines[big.funder.name].awarded_cents == 75_000 + 45_000
        assert lines[small.funder.name].awarded_cents == 25_000 + 15_000
        # the social value is attributed by each funder's part of each award, and adds up to the whole
        assert lines[big.funder.name].attributed_value == Decimal("45000.00")
        assert lines[small.funder.name].attributed_value == Decimal("15000.00")
        assert lines[big.funder.name].value_per_euro == Decimal("37.50")  # 45,000 euros of value for 1,200 euros
        # the days from application to payout are counted per paid award
        assert len(lines[big.funder.name].days) == 2
        # per funder and year, and per funder, the same sums
        assert [(line.funder, line.awarded_cents) for line in report.by_funder] == [
            (big.funder.name, 120_000),
            (small.funder.name, 40_000),
        ]
        assert [line.awarded_cents for line in report.by_year] == [120_000, 40_000]


def test_the_report_page_csv_and_print_page(zeeland, manager_client, applicant_user):
    with schema_context("zeeland"):
        round, big, small, _a, _b = _round_with_history(zeeland, applicant_user)
    page = manager_client.get(REPORT, {"round": round.pk}).content.decode()
    assert big.funder.name in page and small.funder.name in page
    assert "€ 1.200" in page  # 750 + 450 euros awarded by the big funder
    assert 'data-col="accountability">0<' in page
    # The CSV is streamed, with a header and one row per commitment, in Dutch spreadsheet form
    response = manager_client.get(f"{REPORT}csv/", {"round": round.pk})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["financier", "ronde", "jaar"]
    assert "verantwoording_ontvangen" in rows[0]
    by_funder = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_funder[big.funder.name]["toegekend_eur"] == "1200,00"
    assert by_funder[small.funder.name]["uitbetaald_eur"] == "400,00"
    assert by_funder[big.funder.name]["verantwoording_ontvangen"] == "0"
    # The printable page stands on its own, with print CSS
    printable = manager_client.get(f"{REPORT}afdrukken/", {"round": round.pk}).content.decode()
    assert "@media print" in printable and big.funder.name in printable


def test_a_bad_filter_gets_the_whole_report_not_an_error(zeeland, manager_client):
    response = manager_client.get(REPORT, {"round": "abc", "funder": "999999", "year": "x"})
    assert response.status_code == 200
    assert manager_client.get(f"{REPORT}csv/", {"round": "abc"}).status_code == 200


def test_the_report_and_queue_make_the_same_number_of_queries_for_many_applications(
    zeeland, manager_client, applicant_user
):
    with schema_context("zeeland"):
        round = make_round(5_000_000, 5_000_000)
        for _ in range(3):
            review.approve(apply(round, applicant_user, 100_000), amount_cents=100_000, portal=zeeland, by=None)
    for path in (REPORT, f"{REPORT}afdrukken/", APPLICATIONS):
        manager_client.get(path)
    few = {path: count_queries(manager_client, path)[0] for path in (REPORT, f"{REPORT}afdrukken/", APPLICATIONS)}
    with schema_context("zeeland"):
        for i in range(30):
            application = apply(round, applicant_user, 100_000)
            if i % 2:
                review.approve(application, amount_cents=90_000, portal=zeeland, by=None)
    many = {path: count_queries(manager_client, path)[0] for path in (REPORT, f"{REPORT}afdrukken/", APPLICATIONS)}
    assert many == few


def test_the_median_days_from_application_to_payout_of_a_round(zeeland, applicant_user):
    with schema_context("zeeland"):
        round, *_rest = _round_with_history(zeeland, applicant_user)
        paid = Payout.objects.filter(application__round=round, paid_on__isnull=False).select_related("application")
        days = sorted((p.paid_on - payouts.local_date(p.application.submitted_at)).days for p in paid)
        assert len(days) == 2
        assert selectors.median_payout_days(round) == (days[0] + days[1]) / 2
        assert selectors.median_payout_days(make_round(100_000)) is None
