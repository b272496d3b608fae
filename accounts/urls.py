from django.urls import path

from . import views

# Next to allauth's account pages (/account/...), on every portal's host.
app_name = "accounts"
urlpatterns = [
    # Before allauth's own sign-up (same path, reversed as account_signup): at the national portal only (ADR 0022).
    path("signup/", views.signup, name="signup"),
    path("tweede-factor/", views.second_factor_required, name="second_factor_required"),
    path("mijn-gegevens/", views.my_data, name="my_data"),
    path("mijn-gegevens/download/", views.download, name="download"),
    path("verwijderen/", views.delete, name="delete"),
]
