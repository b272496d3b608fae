"""Cache keys per portal (docs/architecture.md, "Known traps"): Wagtail and others cache under fixed keys, which must
never be shared between portals. allauth's rate-limit keys stay global: a login attempt limit must count across every
portal, or an attacker simply moves to the next domain."""

from django_tenants.cache import make_key as tenant_make_key

# "allauth.mfa.": a TOTP code used once is refused on every portal, not only the one it was used on.
GLOBAL_PREFIXES = ("allauth:", "allauth.mfa.", "maex-global:")


def make_key(key, key_prefix, version):
    if str(key).startswith(GLOBAL_PREFIXES):
        return f"global:{key_prefix}:{version}:{key}"
    return tenant_make_key(key, key_prefix, version)
