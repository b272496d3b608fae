from django.urls import path

from . import views

app_name = "national_index"
urlpatterns = [
    path("stand-van-het-land/", views.state_of_the_country, name="state"),
]
