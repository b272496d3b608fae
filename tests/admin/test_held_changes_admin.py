"""Held changes in a portal's admin (docs/decisions/0021-held-changes.md): the queue lists them, the history of an
initiative shows every change with its before and after, in a bounded number of queries, to that portal's editors
only; a portal's own admins set its rules, for their portal only."""

from django_tenants.utils import schema_context

from initiatives import services
from initiatives.models import Initiative, ProfileChange
from tenants.models import Portal
from tests.support import ROTTERDAM, VLISSINGEN, count_queries, make_user, register, with_role

QUEUE = "/beheer/aanmeldingen/"


def _held(owner=None):
    """A published initiative of Zeeland with a change that waits (people reached tripled)."""
    initiative, portal = register(owner or make_user(), VLISSINGEN)
    with schema_context("zeeland"):
        stored = Initiative.objects.for_revaluation().prefetch_related("partners").get(pk=initiative.pk)
        p = services.profile_of(stored)
        p.fields["people_reached"] = stored.people_reached * 3
        change = services.change_profile(initiative=stored, portal=portal, profile=p)
    assert change.is_pending
    return initiative, change


def test_the_queue_and_the_dashboard_show_a_held_change_and_its_page_shows_before_and_after(zeeland, client_for):
    initiative, change = _held()
    client = client_for(zeeland, with_role(make_user(), zeeland, "editor"))
    queue = client.get(QUEUE).content.decode()
    assert f"{QUEUE}wijziging/{change.pk}/" in queue and initiative.name in queue
    assert 'data-held-changes="1"' in client.get("/beheer/").content.decode()
    page = client.get(f"{QUEUE}wijziging/{change.pk}/").content.decode()
    assert str(initiative.people_reached) in page and str(initiative.people_reached * 3) in page
    assert "meer dan 50%" in page and "Doorvoeren" in page


def test_another_portals_editor_can_neither_see_nor_decide_a_held_change(zeeland, rotterdam, client_for):
    initiative, change = _held()
    stranger = with_role(make_user(), rotterdam, "editor")
    # On Zeeland's admin they hold no role: refused before anything is read
    on_zeeland = client_for(zeeland, stranger)
    for response in (
        on_zeeland.get(f"{QUEUE}wijziging/{change.pk}/"),
        on_zeeland.get(f"{QUEUE}{initiative.pk}/wijzigingen/"),
        on_zeeland.post(f"{QUEUE}wijziging/{change.pk}/doorvoeren/"),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/beheer/login/"), response
    # On their own portal's admin, Zeeland's change does not exist
    register(make_user(), ROTTERDAM)
    on_rotterdam = client_for(rotterdam, stranger)
    assert initiative.name not in on_rotterdam.get(QUEUE).content.decode()
    response = on_rotterdam.get(f"{QUEUE}{initiative.pk}/wijzigingen/")
    assert response.status_code == 404 or initiative.name not in response.content.decode()
    on_rotterdam.post(f"{QUEUE}wijziging/{change.pk}/doorvoeren/")
    with schema_context("zeeland"):
        assert ProfileChange.objects.get(pk=change.pk).state == ProfileChange.State.PENDING


def test_the_history_shows_every_change_with_before_and_after_in_a_bounded_number_of_queries(zeeland, client_for):
    initiative, change = _held()
    client = client_for(zeeland, with_role(make_user(), zeeland, "editor"))
    url = f"{QUEUE}{initiative.pk}/wijzigingen/"
    client.get(url)  # the first admin page of a session sets up what every later one reads
    few, response = count_queries(client, url)
    html = response.content.decode()
    assert f'data-change="{change.pk}"' in html and 'data-change-state="pending"' in html
    assert str(initiative.people_reached * 3) in html
    # More changes, by more people, cost no more queries
    with schema_context("zeeland"):
        stored = Initiative.objects.for_revaluation().prefetch_related("partners").get(pk=initiative.pk)
        for n in range(4):
            p = services.profile_of(stored)
            p.fields["description"] = f"Versie {n}"
            services.change_profile(initiative=stored, portal=zeeland, profile=p, by=make_user())
    many, response = count_queries(client, url)
    assert "Versie 3" in response.content.decode()
    assert many == few <= 16


def test_a_portal_admin_sets_the_rules_of_their_own_portal_only(zeeland, rotterdam, client_for):
    admin = with_role(make_user(), zeeland, "portal_admin")
    editor = with_role(make_user(), zeeland, "editor")
    assert client_for(zeeland, editor).get(f"{QUEUE}regels/")["Location"] == "/beheer/"  # refused
    client = client_for(zeeland, admin)
    assert client.get(f"{QUEUE}regels/").status_code == 200
    bad = client.post(f"{QUEUE}regels/", {"implausible": "maybe", "hold_threshold": "-3"})
    assert bad.status_code == 400
    response = client.post(f"{QUEUE}regels/", {"implausible": "hold", "hold_threshold": "25"})
    assert response.status_code == 302
    rules = dict(
        Portal.objects.filter(schema_name__in=["zeeland", "rotterdam"]).values_list("schema_name", "implausible")
    )
    assert rules == {"zeeland": "hold", "rotterdam": "refuse"}
    assert Portal.objects.get(pk=zeeland.pk).hold_threshold == 25
    # Zeeland's admin holds no role on Rotterdam
    assert client_for(rotterdam, admin).get(f"{QUEUE}regels/")["Location"].startswith("/beheer/login/")
