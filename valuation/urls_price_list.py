from django.urls import path

from . import price_list_views

app_name = "pricelist"
urlpatterns = [path("prijslijst/", price_list_views.price_list, name="list")]
