"""Forms of the portal's group editor and users admin (``roles/admin_views.py``)."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import GroupForm

from . import selectors
from .ownership import grantable_permissions, shared_permissions
from .services import set_memberships


class PortalGroupForm(GroupForm):
    """Wagtail's group form, offering and accepting only permissions on the portal's own models. A permission
    posted by hand outside that set is an invalid choice; one a group held from before is dropped on save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.registered_permissions = grantable_permissions(self.registered_permissions)
        self.fields["permissions"].queryset = self.registered_permissions.select_related("content_type")
        del self.fields["is_superuser"]  # a group is never platform staff

    def save(self, commit=True):
        group = super().save(commit=commit)
        if commit:
            group.permissions.remove(*shared_permissions(group.permissions.all()))
        return group


class RolesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class MembershipForm(forms.ModelForm):
    """Which of this portal's roles an account has here. Nothing of the shared account itself (its email, name,
    password, activity or superuser flag) is a field: saving never writes the account's row."""

    roles = RolesField(queryset=Group.objects.none(), required=False, label=_("Rollen in dit portaal"))

    class Meta:
        model = get_user_model()
        fields = []

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignable = selectors.assignable_groups(for_user)
        self.fields["roles"].queryset = self.assignable
        if self.instance.pk:
            self.fields["roles"].initial = list(self.instance.groups.filter(pk__in=self.assignable))

    def save(self, commit=True):
        set_memberships(self.instance, self.cleaned_data["roles"], within=self.assignable)
        return self.instance


class AddMemberForm(MembershipForm):
    """Give an existing account roles in this portal, by its email address. Accounts are created by the person
    (sign-up) or by platform staff, never from a portal's admin."""

    email = forms.EmailField(label=_("E-mailadres van het account"))

    field_order = ["email", "roles"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        account = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if account is None:
            raise forms.ValidationError(
                _(
                    "Er is geen actief account met dit e-mailadres. Vraag de persoon eerst een account aan te "
                    "maken; daarna kunt u rollen geven."
                )
            )
        self.instance = account
        return email

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("roles"):
            self.add_error("roles", _("Kies ten minste één rol."))
        return cleaned

    def _post_clean(self):
        pass  # the account is found, not built from the form: nothing of it is validated or written
