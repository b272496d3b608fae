from django.urls import path

from . import views

app_name = "portals"
urlpatterns = [
    path("portalen/", views.portal_directory, name="directory"),
    path("mijn-maex/", views.mine, name="mine"),
]
