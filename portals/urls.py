from django.urls import path

from . import open_data, views

app_name = "portals"
urlpatterns = [
    path("portalen/", views.portal_directory, name="directory"),
    path("mijn-maex/", views.mine, name="mine"),
    # Open data (docs/decisions/0031-open-data-files.md): one stable URL per dataset and format.
    path("open-data/", open_data.dictionary, name="open_data"),
    path("open-data/catalogus.jsonld", open_data.catalogue, name="open_data_catalogue"),
    path("open-data/initiatieven.csv", open_data.initiatives_csv, name="open_data_initiatives_csv"),
    path("open-data/initiatieven.json", open_data.initiatives_json, name="open_data_initiatives_json"),
    path("open-data/initiatieven.jsonl", open_data.initiatives_jsonl, name="open_data_initiatives_jsonl"),
    path("open-data/momentopnamen.csv", open_data.snapshots_csv, name="open_data_snapshots_csv"),
]
