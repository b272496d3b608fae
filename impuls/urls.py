from django.urls import path

from . import views

# The applicant's pages of MAEX Impuls (docs/decisions/0026-impuls-applicant-side.md); included before Wagtail's
# catch-all in maex/urls.py.
app_name = "impuls"
urlpatterns = [
    path("impuls/", views.index, name="index"),
    path("impuls/<slug:slug>/", views.round_detail, name="round"),
    path("impuls/<slug:slug>/aanvragen/<uuid:uuid>/", views.apply, name="apply"),
    path("impuls/<slug:slug>/aanvraag/<int:number>/", views.application_detail, name="application"),
    path("impuls/<slug:slug>/aanvraag/<int:number>/intrekken/", views.withdraw, name="withdraw"),
    path("impuls/<slug:slug>/aanvraag/<int:number>/vragen/<int:question_id>/", views.answer, name="answer"),
]
