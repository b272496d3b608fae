"""Implausible figures are refused on every write path: the registration form, the edit form and the services
(docs/decisions/0019-plausible-figures.md). The public API only reads (national_index/api.py), so it has no
write path to guard."""

import random
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from demo.profiles import profile_data
from initiatives import services
from initiatives.models import Initiative
from national_index.models import IndexEntry
from national_index.selectors import value_percentiles
from tests.support import VLISSINGEN, form_data, make_user, municipality, profile, register
from valuation import plausibility as rule
from valuation.engine import ActivityLine, value
from valuation.selectors import current_book

# The exploit of issue 10: a small initiative (250 people reached, 12 volunteers, half an FTE) declaring 40,000
# work trajectories of EUR 2,500: EUR 100 million a year.
EXPLOIT = {"activities-0-item_code": "werk-traject", "activities-0-quantity": "40000"}


def _small(**fields):
    p = profile(VLISSINGEN, people_reached=250, volunteers=12, paid_staff=1, paid_fte=Decimal("0.5"), **fields)
    p.activities = [{"item_code": "werk-traject", "quantity": Decimal(40_000), "description": ""}]
    return p


def test_the_exploit_is_refused_through_the_registration_form(zeeland, client_for):
    data = form_data(municipality(VLISSINGEN).pk, **EXPLOIT)
    response = client_for(zeeland, make_user()).post("/aanmelden/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Persoon naar betaald werk begeleid: 40.000 per jaar is niet aannemelijk" in page
    assert "Bij 250 bereikte mensen is hoogstens 250 per jaar mogelijk" in page
    assert data["name"] in page and 'value="40000' in page  # what was typed stays in the form
    with schema_context("zeeland"):
        assert not Initiative.objects.filter(name=data["name"]).exists()
    assert not IndexEntry.objects.filter(name=data["name"]).exists()


def test_the_exploit_is_refused_in_english_too(zeeland, client_for):
    client = client_for(zeeland, make_user())
    client.cookies["django_language"] = "en"
    data = form_data(municipality(VLISSINGEN).pk, **EXPLOIT)
    response = client.post("/aanmelden/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "40,000 a year is not plausible. With 250 people reached, at most 250 a year" in response.content.decode()


def test_the_exploit_is_refused_by_the_registration_service(zeeland):
    with pytest.raises(services.ImplausibleDeclaration) as refused:
        services.register_initiative(owner=make_user(), profile=_small())
    [problem] = refused.value.problems
    assert problem.code == "werk-traject"
    assert (problem.finding.quantity, problem.finding.limit) == (40_000, 250)
    assert problem.message == (
        "Persoon naar betaald werk begeleid: 40.000 per jaar is niet aannemelijk. Bij 250 bereikte mensen is "
        "hoogstens 250 per jaar mogelijk (1 per bereikte persoon per jaar)."
    )


def _owned(zeeland):
    owner = make_user()
    initiative, _ = register(owner, VLISSINGEN)
    with schema_context("zeeland"):
        stored = list(Initiative.objects.get(pk=initiative.pk).activities.values_list("item_code", "quantity"))
    return owner, initiative, stored


def test_a_refused_edit_through_the_form_keeps_what_is_stored_and_what_was_typed(zeeland, client_for):
    owner, initiative, stored = _owned(zeeland)
    before = IndexEntry.objects.get(uuid=initiative.uuid)
    data = form_data(municipality(VLISSINGEN).pk, name=initiative.name, short_description="Nieuw.", **EXPLOIT)
    response = client_for(zeeland, owner).post(f"/initiatieven/{initiative.slug}/bewerken/", data)
    assert response.status_code == 400
    assert "niet aannemelijk" in response.content.decode() and "Nieuw." in response.content.decode()
    with schema_context("zeeland"):
        again = Initiative.objects.get(pk=initiative.pk)
        assert list(again.activities.values_list("item_code", "quantity")) == stored
        assert (again.social_value, again.short_description) == (initiative.social_value, initiative.short_description)
    after = IndexEntry.objects.get(uuid=initiative.uuid)
    assert (after.social_value, after.short_description) == (before.social_value, before.short_description)


def test_the_exploit_is_refused_by_the_edit_service_as_a_crafted_post_would_reach_it(zeeland):
    _owner, initiative, stored = _owned(zeeland)
    with schema_context("zeeland"):
        with pytest.raises(services.ImplausibleDeclaration):
            services.update_profile(initiative=initiative, portal=zeeland, profile=_small(name=initiative.name))
        assert list(Initiative.objects.get(pk=initiative.pk).activities.values_list("item_code", "quantity")) == stored


def test_hours_beyond_what_the_people_can_work_are_refused_with_the_limit_and_the_reason(zeeland, client_for):
    data = form_data(
        municipality(VLISSINGEN).pk, volunteers="2", paid_staff="0", paid_fte="0", **{"activities-0-quantity": "2081"}
    )
    response = client_for(zeeland, make_user()).post("/aanmelden/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "2.081 uur per jaar is niet aannemelijk" in page
    assert "Met 2 vrijwilligers (elk hoogstens 1.040 uur per jaar) en 0 fte" in page
    assert "hoogstens 2.080 uur per jaar werken" in page
    data = form_data(
        municipality(VLISSINGEN).pk, volunteers="2", paid_staff="0", paid_fte="0", **{"activities-0-quantity": "2080"}
    )
    assert client_for(zeeland, make_user()).post("/aanmelden/", data).status_code == 302


def _real_index(n: int = 60) -> None:
    """A national index of ``n`` published demo initiatives, registered and published through the services."""
    owner = make_user()
    for seed in range(n):
        register(owner, VLISSINGEN, seed=900_000 + seed)


def test_a_total_far_beyond_what_the_index_declares_is_refused(zeeland):
    _real_index()
    index = value_percentiles(rule.PERCENTILE)
    assert index.entries >= rule.MIN_INDEX_ENTRIES
    bounds = rule.bounds_from(index.per_person, index.per_volunteer, index.entries)
    assert bounds != rule.FALLBACK_BOUNDS
    # Every line within its own limit for 250 people and 12 volunteers, together far beyond the index
    p = profile(VLISSINGEN, people_reached=250, volunteers=12, paid_staff=1, paid_fte=Decimal("0.5"))
    p.activities = [
        {"item_code": code, "quantity": Decimal(q), "description": ""}
        for code, q in [
            ("cursus-deelnemer", 250 * 365),
            ("maaltijd", 250 * 3 * 365),
            ("werk-traject", 250),
            ("voedselpakket", 250 * 52),
        ]
    ]
    scale = rule.Scale(250, 12, 1, Decimal("0.5"))
    book = current_book()
    lines = [ActivityLine(a["item_code"], a["quantity"]) for a in p.activities]
    assert rule.check_activities(book, scale, lines) == []
    total, limit = value(book, lines).total, rule.total_limit(bounds, scale)
    assert total > limit
    with pytest.raises(services.ImplausibleDeclaration) as refused:
        services.register_initiative(owner=make_user(), profile=p)
    [problem] = refused.value.problems
    assert (problem.code, problem.finding.limit) == (None, limit)
    assert "vergelijkbare initiatieven in de landelijke index" in problem.message


def test_plausible_declarations_pass_with_a_real_index(zeeland, client_for):
    _real_index()
    data = form_data(municipality(VLISSINGEN).pk)
    assert client_for(zeeland, make_user()).post("/aanmelden/", data).status_code == 302


def test_the_form_refuses_a_total_beyond_the_index_at_the_top_of_the_form(zeeland, client_for):
    _real_index()
    index = value_percentiles(rule.PERCENTILE)
    bounds = rule.bounds_from(index.per_person, index.per_volunteer, index.entries)
    limit = rule.total_limit(bounds, rule.Scale(250, 12, 1, Decimal("0.5")))
    data = form_data(
        municipality(VLISSINGEN).pk,
        **{
            "activities-0-item_code": "cursus-deelnemer",
            "activities-0-quantity": str(250 * 365),
            "activities-1-item_code": "maaltijd",
            "activities-1-quantity": str(250 * 3 * 365),
            "activities-2-item_code": "voedselpakket",
            "activities-2-quantity": str(250 * 52),
        },
    )
    response = client_for(zeeland, make_user()).post("/aanmelden/", data)
    assert response.status_code == 400
    page = response.content.decode()
    start = page.index('class="error-summary"')
    summary = page[start : page.index("<form", start)]
    assert "vergelijkbare initiatieven in de landelijke index" in summary
    assert f"hoogstens € {int(limit):,} per jaar aannemelijk".replace(",", ".") in summary


@pytest.mark.django_db
def test_demo_and_bench_profiles_pass_the_rule():
    """The profiles of the demo loader (seeded "profile-<i>"), the tests (seeded <n>) and the bench (one seeded
    generator) all pass: demo.profiles keeps quantities within the initiative's scale."""
    book = current_book()

    class Place:
        display_name = name = "Demo"

    def figures(data):
        f = data["fields"]
        scale = rule.Scale(f["people_reached"], f["volunteers"], f["paid_staff"], f["paid_fte"])
        return scale, [ActivityLine(a["item_code"], a["quantity"]) for a in data["activities"]]

    bench = random.Random(1)
    profiles = [profile_data(i, Place(), random.Random(f"profile-{i}")) for i in range(1500)]
    profiles += [profile_data(i, Place(), random.Random(i)) for i in range(10_000, 11_500)]
    profiles += [profile_data(i, Place(), bench) for i in range(5000)]
    assert not [d for d in profiles if rule.check_activities(book, *figures(d))]
    totals = [(scale, value(book, lines).total) for scale, lines in map(figures, profiles)]
    assert not [t for t in totals if rule.check_total(rule.FALLBACK_BOUNDS, *t)]
