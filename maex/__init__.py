"""MAEX op Maat: the Django project package (settings, URL configuration, Celery app)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
