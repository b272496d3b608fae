from django.urls import path

from . import views

app_name = "valuation"
urlpatterns = [
    path("vergelijk/", views.compare, name="compare"),
    path("waardenweb/", views.combined, name="combined"),
]
