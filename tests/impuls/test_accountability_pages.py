"""The accountability form on the portal that gave the Impuls, and the owners' link to it on the initiative's page
(docs/decisions/0028-impuls-accountability-projection-reminders.md)."""

from __future__ import annotations

from datetime import date

import pytest
from django_tenants.utils import schema_context

from impuls.models import Accountability
from initiatives.models import NewsItem
from tests.impuls.award_builders import QUESTIONS, award
from tests.support import make_user, register


@pytest.fixture
def owner(zeeland):
    return make_user()


@pytest.fixture
def paid(zeeland, owner):
    initiative, _ = register(owner)
    return award("zeeland", initiative, owner, decided_on=date(2026, 6, 1), paid_on=date(2026, 6, 10)), initiative


def _path(application):
    return f"/impuls/verantwoording/{application.pk}/"


def test_only_an_owner_sees_the_form_others_get_a_404_and_visitors_the_login(zeeland, client_for, owner, paid):
    application, _initiative = paid
    assert client_for(zeeland).get(_path(application)).status_code == 302  # to the login page
    assert client_for(zeeland, make_user()).get(_path(application)).status_code == 404
    assert client_for(zeeland, owner).get("/impuls/verantwoording/999999/").status_code == 404
    page = client_for(zeeland, owner).get(_path(application))
    html = page.content.decode()
    assert page.status_code == 200 and QUESTIONS[0]["label"] in html and "10 oktober 2026" in html
    assert "te laat" in html  # the window ended on 10 October; today is later


def test_a_form_with_an_error_keeps_what_was_typed_and_a_good_one_publishes_the_news(zeeland, client_for, owner, paid):
    application, initiative = paid
    client = client_for(zeeland, owner)
    # When the required question is left empty
    response = client.post(
        _path(application), {"answer_1": "Niets", "news_title": "Getraind", "news_text": "Tien vrijwilligers."}
    )
    # Then the form says so in Dutch and keeps the news item as typed; nothing is stored
    html = response.content.decode()
    assert response.status_code == 200 and "Beantwoord deze vraag." in html
    assert 'value="Getraind"' in html and "Tien vrijwilligers." in html
    with schema_context("zeeland"):
        assert not Accountability.objects.exists()
    # When it is complete
    response = client.post(
        _path(application),
        {"answer_0": "Een training.", "news_title": "Getraind", "news_text": "Tien vrijwilligers getraind."},
    )
    # Then the owner lands on the initiative's news, which is there
    assert response.status_code == 302
    assert response["Location"].endswith(f"/initiatieven/{initiative.slug}/#nieuws")
    with schema_context("zeeland"):
        assert NewsItem.objects.get(initiative__uuid=initiative.uuid).title == "Getraind"
    # And the form now says it is done
    assert "is verantwoord op" in client.get(_path(application)).content.decode()


def test_the_owner_finds_the_link_to_account_on_the_initiative_s_page_visitors_do_not(zeeland, client_for, owner, paid):
    application, initiative = paid
    link = f"http://zeeland.localhost:8000{_path(application)}"
    mine = client_for(zeeland, owner).get(f"/initiatieven/{initiative.slug}/").content.decode()
    assert link in mine and "verantwoording te laat" in mine
    public = client_for(zeeland).get(f"/initiatieven/{initiative.slug}/").content.decode()
    assert link not in public and "Impuls ontvangen" in public
