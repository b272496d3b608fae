from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("aanmelden/", views.register, name="register"),
    path("aanmelden/ontvangen/<uuid:uuid>/", views.registered, name="registered"),
    path("initiatieven/", views.initiative_list, name="list"),
    path("initiatieven/<slug:slug>/", views.initiative_detail, name="detail"),
    path("initiatieven/<slug:slug>/bewerken/", views.initiative_edit, name="edit"),
    path("initiatieven/<slug:slug>/mede-eigenaar/", views.invite, name="invite"),
    path("uitnodiging/<str:token>/", views.accept, name="accept"),
]
