"""The Wagtail admin of a portal calls it by its own name, in Dutch, with no asset from another server
(issue 10, point 9)."""

import re

from accounts.models import User
from tests.support import make_user, with_role


def test_the_admin_dashboard_names_its_own_portal(zeeland, rotterdam, client_for):
    for portal in (zeeland, rotterdam):
        admin = client_for(portal, with_role(make_user(), portal, "portal_admin"))
        html = admin.get("/beheer/").content.decode()
        assert re.search(r"<title>Dashboard - " + re.escape(portal.name) + "</title>", html)
        heading = re.search(r'<h1 class="w-h1[^"]*">\s*(.*?)\s*</h1>', html, re.S).group(1)
        assert heading == portal.name
        assert ">MAEX<" not in html and "Wagtail</title>" not in html


def test_platform_staff_see_the_portal_they_are_on(zeeland, client_for):
    staff = make_user()
    User.objects.filter(pk=staff.pk).update(is_superuser=True, is_staff=True)
    staff.refresh_from_db()
    html = client_for(zeeland, staff).get("/beheer/").content.decode()
    assert re.search(r'<h1 class="w-h1[^"]*">\s*MAEX Zeeland\s*</h1>', html)


def test_the_admin_loads_nothing_from_another_server_and_speaks_dutch(zeeland, client_for):
    admin = client_for(zeeland, with_role(make_user(), zeeland, "portal_admin"))
    html = admin.get("/beheer/").content.decode()
    assets = re.findall(r'src="([^"]+)"', html) + re.findall(r'<link[^>]*href="([^"]+)"', html)
    assert assets and [url for url in assets if not url.startswith("/")] == []
    assert "gravatar" not in html
    assert 'lang="nl"' in html
    # the admin's sign-in is the platform's, in Dutch
    response = client_for(zeeland).get("/beheer/login/?next=/beheer/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/account/login/")
    for label in ("Inloggen", "E-mailadres", "Wachtwoord", "Wachtwoord vergeten?"):
        assert label in page, label
    assert "Sign In" not in page and "Password" not in page
