"""The roles of a portal, as groups in that portal's schema, with their permissions."""

from django.utils.translation import gettext_lazy as _

ACCESS_ADMIN = "wagtailadmin.access_admin"

EDITOR_PERMS = [
    ACCESS_ADMIN,
    "initiatives.view_initiative",
    "initiatives.change_initiative",
    "initiatives.review_initiative",
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]

ROLES = {
    "portal_admin": {
        "name": _("Portaalbeheerder"),
        "perms": EDITOR_PERMS
        + [
            "wagtailusers.add_userprofile",
            "auth.change_group",
            "auth.view_group",
            "wagtailcore.change_site",
            "wagtailredirects.add_redirect",
            "wagtailredirects.change_redirect",
            "wagtailredirects.delete_redirect",
        ],
        "pages": ["add", "change", "publish", "lock", "unlock"],
        "national_only": False,
        # A portal admin holds every permission of the portal's own apps (ARCHITECTURE §5), nothing shared.
        "all_portal_permissions": True,
    },
    "editor": {
        "name": _("Redacteur"),
        "perms": EDITOR_PERMS,
        "pages": ["add", "change", "publish"],
        "national_only": False,
    },
    # Writes and changes pages; an editor or the portal admin approves them (the portal's moderation workflow).
    "author": {
        "name": _("Auteur"),
        "perms": [ACCESS_ADMIN],
        "pages": ["add", "change"],
        "national_only": False,
    },
    "fund_manager": {"name": _("Fondsbeheerder"), "perms": [ACCESS_ADMIN], "pages": [], "national_only": False},
    "national_admin": {
        "name": _("Landelijk beheerder"),
        "perms": EDITOR_PERMS
        + [
            "tenants.manage_portals",
            "tenants.view_portal",
            "tenants.change_portal",
            "tenants.view_domain",
            "tenants.add_domain",
            "tenants.change_domain",
            "tenants.delete_domain",
            "tenants.view_coverage",
            "tenants.add_coverage",
            "tenants.change_coverage",
            "tenants.delete_coverage",
            "valuation.view_pricelist",
            "valuation.add_pricelist",
            "valuation.change_pricelist",
            "valuation.add_priceitem",
            "valuation.change_priceitem",
            "valuation.delete_priceitem",
        ],
        "pages": ["add", "change", "publish", "lock", "unlock"],
        "national_only": True,
    },
    "national_analyst": {
        "name": _("Landelijk analist"),
        "perms": [ACCESS_ADMIN, "national_index.view_indexentry"],
        "pages": [],
        "national_only": True,
    },
}
