"""The price list in the national portal's Wagtail admin: a menu item and its URLs under /beheer/prijslijst/.

The menu item shows only in the national portal, for national admins and platform staff; every URL answers
404 in other portals and refuses anyone else (``admin_views.PriceListAdminView.dispatch``)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


class PriceListMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_manage_price_list(request.user)


@hooks.register("register_admin_urls")
def register_price_list_urls():
    urls = [
        path("", admin_views.PriceListIndexView.as_view(), name="index"),
        path("nieuw/", admin_views.PriceListCreateView.as_view(), name="create"),
        path("<int:pk>/", admin_views.PriceListDetailView.as_view(), name="detail"),
        path("<int:pk>/regels/nieuw/", admin_views.PriceItemFormView.as_view(), name="item_add"),
        path("<int:pk>/regels/<int:item_pk>/", admin_views.PriceItemFormView.as_view(), name="item_edit"),
        path(
            "<int:pk>/regels/<int:item_pk>/verwijderen/",
            admin_views.PriceItemDeleteView.as_view(),
            name="item_delete",
        ),
        path("<int:pk>/importeren/", admin_views.PriceListImportView.as_view(), name="import"),
        path("<int:pk>/exporteren/", admin_views.PriceListExportView.as_view(), name="export"),
        path("<int:pk>/publiceren/", admin_views.PriceListPublishView.as_view(), name="publish"),
    ]
    namespace = admin_views.URL_NAMESPACE
    return [path("prijslijst/", include((urls, namespace), namespace=namespace))]


@hooks.register("register_admin_menu_item")
def register_price_list_menu_item():
    return PriceListMenuItem(
        _("Prijslijst"), reverse(f"{admin_views.URL_NAMESPACE}:index"), name="prijslijst", icon_name="table", order=9100
    )
