"""Dutch first; English only where the person chose it."""

from django.conf import settings


def test_dutch_by_default_even_for_an_english_browser(zeeland, client_for):
    response = client_for(zeeland).get("/initiatieven/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()


def test_the_language_switch_sets_english_for_that_person(zeeland, client_for):
    browser = client_for(zeeland)
    response = browser.post("/taal/", {"language": "en", "next": "/initiatieven/"})
    assert response.status_code == 302 and browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = browser.get("/initiatieven/")
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()
