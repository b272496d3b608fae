"""allauth's MFA adapter, told about portals (docs/decisions/0015-staff-sign-in-with-a-second-factor.md).

A passkey is bound to one relying party, its RP ID: the portal's canonical host, never the host the request
happened to come in on (another spelling would make keys that work nowhere else). The portal's name is the
issuer an authenticator app shows next to the code.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from django.db import connection


def _portal():
    tenant = getattr(connection, "tenant", None)
    return tenant if getattr(tenant, "primary_host", "") else None


class MFAAdapter(DefaultMFAAdapter):
    def _get_site_name(self) -> str:
        portal = _portal()
        return portal.name if portal else super()._get_site_name()

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        portal = _portal()
        if portal is None:
            return super().get_public_key_credential_rp_entity()
        return {"id": portal.primary_host.partition(":")[0], "name": portal.name}
