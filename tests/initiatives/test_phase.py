"""The phase of an initiative (idee, start, doorgroei, volwassen): asked on the registration and edit forms,
shown on the initiative's page, missing in Mijn MAEX while unknown, carried into the national index, and unknown
("") for initiatives registered before it was asked (docs/glossary.md, "fase")."""

from django_tenants.utils import schema_context

from demo.profiles import phase_for
from initiatives.models import Initiative, Phase
from initiatives.selectors import missing_for_profile
from national_index.models import IndexEntry
from portals.selectors import initiatives_of
from tests.support import VLISSINGEN, edits_go_live, form_data, make_user, municipality, register


def test_registration_asks_the_phase_and_refuses_none_keeping_what_was_typed(zeeland, client_for):
    client = client_for(zeeland, make_user())
    # When a person registers without choosing a phase
    data = form_data(municipality(VLISSINGEN).pk, phase="")
    response = client.post("/aanmelden/", data)
    # Then the form says so next to the field and keeps the rest
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_phase_error"' in html and "Kies in welke fase uw initiatief is." in html
    assert data["name"] in html
    # And with a phase it is stored, shown on the page and carried into the national index
    data = form_data(municipality(VLISSINGEN).pk, phase="doorgroei")
    assert client.post("/aanmelden/", data).status_code == 302
    with schema_context("zeeland"):
        initiative = Initiative.objects.get(name=data["name"])
    assert initiative.phase == Phase.GROWTH
    page = client.get(f"/initiatieven/{initiative.slug}/").content.decode()
    assert "Doorgroeifase" in page


def test_the_phase_reaches_the_national_index_and_changes_with_an_edit(zeeland, client_for):
    edits_go_live(zeeland)
    owner = make_user()
    initiative, _ = register(owner, VLISSINGEN, phase=Phase.START)
    assert IndexEntry.objects.get(uuid=initiative.uuid).phase == "start"
    # When the owner edits the phase to "volwassen"
    data = form_data(municipality(VLISSINGEN).pk, name=initiative.name, phase="volwassen")
    response = client_for(zeeland, owner).post(f"/initiatieven/{initiative.slug}/bewerken/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    # Then the profile and the index say so
    with schema_context("zeeland"):
        assert Initiative.objects.get(pk=initiative.pk).phase == Phase.MATURE
    assert IndexEntry.objects.get(uuid=initiative.uuid).phase == "volwassen"


def test_an_unknown_phase_is_listed_as_missing_in_mijn_maex(zeeland):
    # Given an initiative registered before the phase was asked (the migration leaves it empty)
    owner = make_user()
    initiative, _ = register(owner, VLISSINGEN)
    with schema_context("zeeland"):
        Initiative.objects.filter(pk=initiative.pk).update(phase="")
        stored = Initiative.objects.get(pk=initiative.pk)
        assert "fase" in missing_for_profile(stored)
    # Then Mijn MAEX lists it among what is missing, and no longer once it is filled in
    assert "fase" in next(r for r in initiatives_of(owner) if r.initiative.uuid == initiative.uuid).missing
    with schema_context("zeeland"):
        Initiative.objects.filter(pk=initiative.pk).update(phase=Phase.GROWTH)
    assert "fase" not in next(r for r in initiatives_of(owner) if r.initiative.uuid == initiative.uuid).missing


def test_the_phases_are_ordered():
    assert [Phase.rank(p) for p in ("idee", "start", "doorgroei", "volwassen")] == [0, 1, 2, 3]
    assert Phase.rank("") == -1


def test_demo_initiatives_have_every_phase_without_changing_their_other_figures():
    phases = {phase_for(i, year) for i in range(40) for year in (1990, 2018, 2025)}
    assert phases == set(Phase.values)
    assert phase_for(1, 2025) == Phase.START and phase_for(1, 2018) == Phase.GROWTH
