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
