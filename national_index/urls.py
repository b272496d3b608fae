from django.urls import path

from . import map_views, views

app_name = "national_index"
urlpatterns = [
    path("stand-van-het-land/", views.state_of_the_country, name="state"),
    path("kaart/", map_views.municipality_map, name="map"),
    path("graadmeter/", views.graadmeter_page, name="graadmeter"),
    path("graadmeter/methode/", views.graadmeter_method, name="graadmeter_method"),
]
