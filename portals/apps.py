from django.apps import AppConfig


class PortalsConfig(AppConfig):
    """Workflows over the portal registry and the apps inside portals: creating and launching portals, their
    admin screens, moving initiatives between portals, exporting and restoring one portal, keeping the
    national index in line with every portal. No models of its own."""

    name = "portals"
