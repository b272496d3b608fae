"""Builders for page tests: pages are created in a portal's schema through the same helper as the demo."""

import datetime

import pytest
from django_tenants.utils import schema_context

from cms import services
from cms.models import ContentPage, HomePage, MunicipalityPage, NewsIndexPage, NewsPage, PartnerIndexPage, PartnerPage


class Pages:
    """``pages.content(zeeland, "Titel", body=...)``: a published page under the portal's home page."""

    def home(self, portal) -> HomePage:
        with schema_context(portal.schema_name):
            return HomePage.objects.get()

    def _child(self, portal, model, title, parent=None, **fields):
        from django.utils.text import slugify

        with schema_context(portal.schema_name):
            parent = parent or HomePage.objects.get()
            return services.child(parent, model, fields.pop("slug", slugify(title)), title=title, **fields)

    def content(self, portal, title, parent=None, **fields):
        return self._child(portal, ContentPage, title, parent, **fields)

    def news_index(self, portal, title="Nieuws", **fields):
        return self._child(portal, NewsIndexPage, title, **fields)

    def news(self, portal, title, parent, **fields):
        fields.setdefault("intro", f"Intro van {title}.")
        fields.setdefault("date", datetime.date(2026, 3, 1))
        return self._child(portal, NewsPage, title, parent, **fields)

    def partner_index(self, portal, title="Partners", **fields):
        return self._child(portal, PartnerIndexPage, title, **fields)

    def partner(self, portal, title, parent, **fields):
        return self._child(portal, PartnerPage, title, parent, **fields)

    def municipality(self, portal, title, code, parent=None, **fields):
        from geo.models import Municipality

        fields["municipality"] = Municipality.objects.get(cbs_code=code)
        return self._child(portal, MunicipalityPage, title, parent, **fields)


@pytest.fixture
def pages(db):
    return Pages()
