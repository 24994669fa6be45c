from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from inka.core.permissions import Role

TEAM_ROLES = [
    (role.value, role.label) for role in (Role.CASEWORKER, Role.SITE_LEAD, Role.READER, Role.STEERING)
]


class LoginForm(AuthenticationForm):
    """E-mail and password; one message for every failure, so nobody learns which accounts exist."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is not correct."),
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("first name"), max_length=100)
    last_name = forms.CharField(label=_("last name"), max_length=100)
    role = forms.ChoiceField(label=_("role"), choices=TEAM_ROLES)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=TEAM_ROLES)


class AuthenticatorCodeForm(forms.Form):
    """A six-digit code of the authenticator app."""

    code = forms.CharField(
        label=_("Six-digit code from the app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Please enter the six digits the app shows."))
        return code


class SecondFactorForm(forms.Form):
    """A code of the authenticator app or, when the phone is lost, one of the recovery codes."""

    code = forms.CharField(
        label=_("Code from the app or recovery code"),
        max_length=20,
        help_text=_("The six-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )
