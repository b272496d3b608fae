"""URLs of every portal's website (each request is already routed to its portal's schema)."""

from django.shortcuts import render
from django.urls import include, path, re_path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from accounts.views import admin_login
from cms import page_cache
from maex.media import serve_media
from national_index.api import api

urlpatterns = [
    path("beheer/login/", admin_login, name="wagtailadmin_login"),  # allauth's login, with MFA (ADR 0015)
    path("beheer/", include(wagtailadmin_urls)),
    path("documenten/", include(wagtaildocs_urls)),
    path("account/", include("accounts.urls")),  # own data: download, delete (before allauth's pages)
    path("account/", include("allauth.urls")),  # with the OpenID Connect client under /account/oidc/ (ADR 0022)
    # The national portal's OpenID Connect provider: /identity/o/..., /.well-known/... (national host only, ADR 0022)
    path("", include("allauth.idp.urls")),
    path("taal/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("", include("impuls.urls_accountability")),  # /impuls/overzicht/ before the public Impuls pages
    path("", include("initiatives.urls")),
    path("", include("impuls.urls")),  # /impuls/...: the public round pages and the applicant's own
    path("", include("national_index.urls")),
    path("", include("portals.urls")),
    path("", include("valuation.urls_price_list")),
    path("", include("valuation.urls")),
    path("", include("cms.urls")),  # /zoeken/, /sitemap.xml, /robots.txt (before Wagtail's catch-all)
    # Uploads of this portal only, never its documents (maex/media.py); in every environment, not only DEBUG.
    re_path(r"^media/(?P<path>.*)$", serve_media, name="media"),
]
# Wagtail's pages, served to visitors without a session from the page cache (cms/page_cache.py); its other
# URLs (a page password, the front-end login) as Wagtail has them.
urlpatterns += [
    re_path(serve_pattern, page_cache.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]

# Errors as pages, and as JSON under /api/ (maex/errors.py).
handler400 = "maex.errors.bad_request"
handler403 = "maex.errors.permission_denied"
handler404 = "maex.errors.page_not_found"
handler500 = "maex.errors.server_error"


def handler429(request, exception=None):
    return render(request, "429.html", status=429)
