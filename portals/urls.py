from django.urls import path

from . import compare, open_data, reports, stand_csv, views

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
    # The Stand van het Land's figures of one area (docs/decisions/0034-the-full-stand-van-het-land.md)
    path("stand-van-het-land/cijfers.csv", stand_csv.stand_csv, name="stand_csv"),
    path("open-data/momentopnamen.csv", open_data.snapshots_csv, name="open_data_snapshots_csv"),
    path("open-data/graadmeter.csv", open_data.graadmeter_csv, name="graadmeter_csv"),
    # Areas side by side and the printable report of one area (docs/decisions/0036-areas-side-by-side-and-reports.md)
    path("vergelijk/gebieden/", compare.compare, name="compare"),  # /vergelijk/ compares initiatives
    path("rapport/<str:key>/", reports.report, name="report"),
]
