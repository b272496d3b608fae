from django import forms
from django.utils.translation import gettext_lazy as _


class DeleteAccountForm(forms.Form):
    """Deleting an account asks for the password again: an open session alone is not enough."""

    password = forms.CharField(label=_("Uw wachtwoord"), strip=False, widget=forms.PasswordInput)
    confirm = forms.BooleanField(label=_("Ik begrijp dat dit niet ongedaan kan worden gemaakt."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Dit wachtwoord klopt niet."))
        return password
