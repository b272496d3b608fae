"""One account per person, shared by every portal (public schema).

Roles are per portal: ``groups`` and ``user_permissions`` go through tables in the ``roles`` app, which live
in each portal's schema, so a group membership in Zeeland does not exist in Rotterdam (docs/architecture.md, "Tenancy
and roles").
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, Group, Permission, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Een e-mailadres is verplicht.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_superuser=True, is_staff=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=150, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    # Platform staff only (docs/architecture.md, "Tenancy and roles"); a portal admin is a group, not a superuser.
    is_staff = models.BooleanField(_("platformmedewerker"), default=False)
    date_joined = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    # The language the person last used the platform in when acting (registering an initiative, accepting an
    # invitation): mail about their initiatives is written in it. Empty: not known yet, the platform's language
    # (docs/architecture.md, "Pages, branding and templates").
    language = models.CharField(_("taal"), max_length=10, blank=True)

    groups = models.ManyToManyField(
        Group,
        through="roles.Membership",
        blank=True,
        related_name="user_set",
        related_query_name="user",
        verbose_name=_("groepen"),
    )
    user_permissions = models.ManyToManyField(
        Permission,
        through="roles.PermissionGrant",
        blank=True,
        related_name="user_set",
        related_query_name="user",
        verbose_name=_("rechten"),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]

    # Wagtail shows these in its admin.
    @property
    def first_name(self):
        return self.full_name.split(" ")[0] if self.full_name else ""

    @property
    def last_name(self):
        return " ".join(self.full_name.split(" ")[1:]) if self.full_name else ""


class SignOn(models.Model):
    """One portal session made by one sign-in at the national portal (ADR 0022, one sign-in across portals).

    The national portal writes a row when it hands a portal an authorization code (``code_hash``, and the
    session that signed in there, ``provider_session_key``); the portal fills in ``session_key`` once it has
    signed the person in with that code. Signing out at the national portal deletes every session listed
    under its own session key: sessions live in one table (public schema), so "signed out everywhere" is a
    delete there, with no call to each portal."""

    provider_session_key = models.CharField(max_length=40, db_index=True)
    code_hash = models.CharField(max_length=64, unique=True)
    session_key = models.CharField(max_length=40, blank=True, default="", db_index=True)
    created_on = models.DateTimeField(auto_now_add=True, db_index=True)  # older than a session: removed

    class Meta:
        verbose_name = _("portaalsessie via de landelijke inlog")
        verbose_name_plural = _("portaalsessies via de landelijke inlog")
