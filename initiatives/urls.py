from django.urls import path

from . import views

# The list (/initiatieven/) and each initiative's page (/initiatieven/<slug>/) are served from the page tree:
# cms.models.InitiativeIndexPage. What follows are the pages around an initiative.
app_name = "initiatives"
urlpatterns = [
    path("aanmelden/", views.register, name="register"),
    path("aanmelden/ontvangen/<uuid:uuid>/", views.registered, name="registered"),
    path("initiatieven/<slug:slug>/bewerken/", views.initiative_edit, name="edit"),
    path("initiatieven/<slug:slug>/mede-eigenaar/", views.invite, name="invite"),
    path("uitnodiging/<str:token>/", views.accept, name="accept"),
]
