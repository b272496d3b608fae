"""After an award: the accountability form (every portal) and the national totals of Impuls (national portal
only). Included in maex/urls.py before the public Impuls pages, so ``/impuls/overzicht/`` is never a round."""

from django.urls import path

from . import accountability_views as views

app_name = "impuls_accountability"
urlpatterns = [
    path("impuls/overzicht/", views.overview, name="overview"),
    path("impuls/verantwoording/<int:pk>/", views.account, name="form"),
]
