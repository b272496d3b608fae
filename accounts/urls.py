from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("tweede-factor/", views.second_factor_required, name="second_factor_required"),
]
