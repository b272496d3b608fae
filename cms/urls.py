from django.urls import path, re_path

from . import views

app_name = "cms"
urlpatterns = [
    path("zoeken/", views.search, name="search"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    # A yearly edition's figures as CSV (docs/decisions/0035-yearly-editions.md)
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)cijfers\.csv$", views.edition_csv, name="edition_csv"),
]
