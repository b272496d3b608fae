from django.urls import path

from . import views

app_name = "tenants"
urlpatterns = [path("portalen/", views.portal_directory, name="directory")]
