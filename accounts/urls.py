from django.urls import path

from . import views

# Next to allauth's account pages (/account/...), on every portal's host.
app_name = "accounts"
urlpatterns = [
    path("mijn-gegevens/", views.my_data, name="my_data"),
    path("mijn-gegevens/download/", views.download, name="download"),
    path("verwijderen/", views.delete, name="delete"),
]
