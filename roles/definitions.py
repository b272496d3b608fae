"""The roles of a portal, as groups in that portal's schema, with their permissions.

Only permissions on models whose tables live in the portal's schema (``roles/ownership.py``); the national
roles' work on the shared registry, price list and index goes through the duties of ``roles.NationalDuty``
(docs/decisions/0012-permissions-follow-table-ownership.md)."""

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

FUND_MANAGER_PERMS = [
    ACCESS_ADMIN,
    "impuls.add_funder",
    "impuls.change_funder",
    "impuls.view_funder",
    "impuls.add_round",
    "impuls.change_round",
    "impuls.view_round",
    "impuls.add_commitment",
    "impuls.change_commitment",
    "impuls.view_commitment",
    "impuls.view_application",
    "impuls.decide_application",
    "impuls.view_ledgerentry",
    "impuls.view_payout",
    "impuls.pay_payout",
    "impuls.view_question",
    "impuls.add_question",
    "impuls.add_funderreviewer",
    "impuls.change_funderreviewer",
    "impuls.delete_funderreviewer",
    "impuls.view_funderreviewer",
    "impuls.change_impulssettings",
]

# Reviews on behalf of one or more funders (impuls.FunderReviewer says which): sees and decides only the
# applications of rounds those funders have a commitment in (docs/decisions/0027); no rounds, funders or payouts.
FUNDER_REVIEWER_PERMS = [
    ACCESS_ADMIN,
    "impuls.view_application",
    "impuls.decide_application",
    "impuls.view_question",
    "impuls.add_question",
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
        # A portal admin holds every permission of the portal's own apps (docs/architecture.md, "Tenancy and roles"),
        # nothing shared.
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
    # Runs the portal's MAEX Impuls: funders, rounds and their commitments, the review of applications, payouts.
    "fund_manager": {"name": _("Fondsbeheerder"), "perms": FUND_MANAGER_PERMS, "pages": [], "national_only": False},
    "funder_reviewer": {
        "name": _("Financierbeoordelaar"),
        "perms": FUNDER_REVIEWER_PERMS,
        "pages": [],
        "national_only": False,
    },
    "national_admin": {
        "name": _("Landelijk beheerder"),
        "perms": EDITOR_PERMS
        + [
            "roles.manage_portals",
            "roles.manage_price_list",
        ],
        "pages": ["add", "change", "publish", "lock", "unlock"],
        "national_only": True,
    },
    "national_analyst": {
        "name": _("Landelijk analist"),
        "perms": [ACCESS_ADMIN, "roles.view_national_index"],
        "pages": [],
        "national_only": True,
    },
}
