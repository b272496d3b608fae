"""Reads of the reference data."""

from .models import SDG, Municipality, ValueDomain


def municipalities():
    return Municipality.objects.select_related("province").order_by("name")


def sdgs():
    return SDG.objects.all()


def value_domains():
    return ValueDomain.objects.all()
