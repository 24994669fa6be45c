"""Login, password and team pages. Login and password reset are the only pages without login."""

from base64 import b32encode
from typing import cast
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from inka.accounts import selectors, services
from inka.accounts.forms import (
    AuthenticatorCodeForm,
    LoginForm,
    MemberInviteForm,
    MemberRoleForm,
    SecondFactorForm,
)
from inka.accounts.middleware import before_second_factor, second_factor_url
from inka.accounts.models import Membership, User
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import Role, require_programme_role, require_site_role
from inka.core.scoping import CURRENT_SITE_SESSION_KEY
from inka.programme.models import Site
from inka.programme.selectors import site_team

TEAM_MANAGERS = (Role.SITE_LEAD, Role.ADMIN)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        # The password is the first step; the page asked for comes after the second factor.
        url = super().get_success_url()
        return second_factor_url(url) if settings.TWO_FACTOR else url


login = login_not_required(LoginView.as_view())
logout = before_second_factor(auth_views.LogoutView.as_view())
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_change_done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)
password_reset = login_not_required(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = login_not_required(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)


@require_POST
def site_switch(request: InkaRequest) -> HttpResponse:
    """Choose the site to work in; only sites the user is a member of."""
    try:
        site_id = int(request.POST.get("site", ""))
    except ValueError:
        site_id = -1
    if request.site_access.role_at(site_id) is None:
        raise Http404
    request.session[CURRENT_SITE_SESSION_KEY] = site_id
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("start")
    return redirect(target)


def my_team(request: InkaRequest) -> HttpResponse:
    """The team page of the site the user leads (the current one if they lead several)."""
    access = request.site_access
    led = access.sites_with_role(Role.SITE_LEAD)
    if not led:
        raise PermissionDenied
    site_id = request.current_site_id if request.current_site_id in led else led[0]
    return redirect("accounts:team", site_id)


def team(request: InkaRequest, site_pk: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=site_pk)
    require_site_role(request, site.pk, *TEAM_MANAGERS)
    form = MemberInviteForm()
    return render(request, "accounts/team.html", {"site": site, "team": site_team(site=site), "form": form})


@require_POST
def member_invite(request: InkaRequest, site_pk: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=site_pk)
    require_site_role(request, site.pk, *TEAM_MANAGERS)
    form = MemberInviteForm(request.POST)
    if form.is_valid():
        try:
            membership = services.member_invite(
                site=site, actor=request.user, base_url=request.build_absolute_uri("/"), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s now belongs to the team.") % {"name": membership.user.get_full_name()}
            )
            return redirect("accounts:team", site.pk)
    context = {"site": site, "team": site_team(site=site), "form": form}
    return render(request, "accounts/team.html", context, status=400)


def _team_membership(request: InkaRequest, site_pk: int, pk: int) -> tuple[Site, Membership]:
    """A membership of a site the user manages: other sites and other sites' members are 404."""
    site = get_object_or_404(Site, pk=site_pk)
    require_site_role(request, site.pk, *TEAM_MANAGERS)
    membership = selectors.membership_get_for_site(site_id=site.pk, pk=pk)
    if membership is None:
        raise Http404
    return site, membership


def member_edit(request: InkaRequest, site_pk: int, pk: int) -> HttpResponse:
    site, membership = _team_membership(request, site_pk, pk)
    form = MemberRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            if "remove" in request.POST:
                services.member_remove(membership=membership, actor=request.user)
                messages.success(request, _("The person has been removed from the team."))
            else:
                services.member_change_role(membership=membership, actor=request.user, **form.cleaned_data)
                messages.success(request, _("The role has been changed."))
            return redirect("accounts:team", site.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    status = 400 if request.method == "POST" else 200
    context = {"site": site, "membership": membership, "form": form}
    return render(request, "accounts/member_edit.html", context, status=status)


@require_POST
def member_reinvite(request: InkaRequest, site_pk: int, pk: int) -> HttpResponse:
    site, membership = _team_membership(request, site_pk, pk)
    try:
        services.member_reinvite(
            membership=membership, actor=request.user, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A new invitation has been sent to %(email)s.") % {"email": membership.user.email}
        )
    return redirect("accounts:team", site.pk)


def user_list(request: InkaRequest) -> HttpResponse:
    require_programme_role(request, Role.ADMIN)
    return render(request, "accounts/user_list.html", {"users": selectors.user_list()})


@require_POST
def user_toggle_active(request: InkaRequest, pk: int) -> HttpResponse:
    require_programme_role(request, Role.ADMIN)
    user = get_object_or_404(selectors.user_list(), pk=pk)
    try:
        services.user_set_active(user=user, actor=request.user, active=not user.is_active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The account has been updated."))
    return redirect("accounts:user_list")


@require_POST
def user_end_sessions(request: InkaRequest, pk: int) -> HttpResponse:
    require_programme_role(request, Role.ADMIN)
    user = get_object_or_404(selectors.user_list(), pk=pk)
    services.user_end_sessions(user=user, actor=request.user)
    messages.success(request, _("Every session of %(email)s has been ended.") % {"email": user.email})
    return redirect("accounts:user_list")


@require_POST
def user_reset_second_factor(request: InkaRequest, pk: int) -> HttpResponse:
    require_programme_role(request, Role.ADMIN)
    user = get_object_or_404(selectors.user_list(), pk=pk)
    services.user_reset_second_factor(user=user, actor=request.user)
    messages.success(
        request,
        _("The two-factor login of %(email)s has been reset; the person sets it up again at the next login.")
        % {"email": user.email},
    )
    return redirect("accounts:user_list")


# --- Second factor and security page -----------------------------------------------------------


def _account(request: InkaRequest) -> User:
    """The signed-in user: these views are behind the login (LoginRequiredMiddleware)."""
    return cast(User, request.user)


def _is_verified(user: User) -> bool:
    """Whether this session passed the second factor (OTPMiddleware adds `is_verified`)."""
    return bool(user.is_verified())  # type: ignore[attr-defined]


def _next_url(request: InkaRequest) -> str:
    """Where to go after the second factor: a page of this site, else the start page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("start")


def _passed_second_factor(request: InkaRequest, device: Device) -> None:
    # A new session key at each step up, like at the password login (session fixation).
    request.session.cycle_key()
    otp_login(request, device)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


@before_second_factor
def second_factor(request: InkaRequest) -> HttpResponse:
    """The second step of the login: a code of the authenticator app or a recovery code."""
    next_url = _next_url(request)
    user = _account(request)
    if _is_verified(user):
        return redirect(next_url)
    if selectors.totp_device(user=user) is None:
        return redirect(_with_next(reverse("accounts:second_factor_enrol"), next_url))
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            device = services.second_factor_check(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _passed_second_factor(request, device)
            return redirect(next_url)
    status = 400 if form.is_bound else 200
    return render(request, "accounts/second_factor.html", {"form": form, "next": next_url}, status=status)


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[index : index + size] for index in range(0, len(text), size))


@before_second_factor
def second_factor_enrol(request: InkaRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the key), confirm with a code."""
    next_url = _next_url(request)
    user = _account(request)
    if selectors.totp_device(user=user) is not None:
        # One authenticator per account: a second one set up with the password alone would
        # bypass the first. A lost phone is reset by the technical administration.
        return redirect("accounts:security" if _is_verified(user) else second_factor_url(next_url))
    device = services.totp_device_pending(user=user)
    form = AuthenticatorCodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            codes = services.totp_confirm(user=user, device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _passed_second_factor(request, device)
            context = {"codes": codes, "next": next_url, "enrolled": True}
            return render(request, "accounts/recovery_codes.html", context)
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": _qr_svg(device),
        "secret": _grouped(b32encode(device.bin_key).decode()),
    }
    return render(request, "accounts/second_factor_enrol.html", context, status=400 if form.is_bound else 200)


def _qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address of the device as an inline SVG QR code (no image request, no data: URL)."""
    code = segno.make(device.config_url, error="m")
    svg = code.svg_inline(scale=5, border=4, dark="#000", light="#fff", svgclass="qr-code", omitsize=False)
    # segno's own markup; it escapes the address inside it.
    return mark_safe(svg)  # nosec B308 B703


def _security_page(request: InkaRequest, form: AuthenticatorCodeForm, status: int = 200) -> HttpResponse:
    context = {"status": selectors.second_factor_status(user=_account(request)), "form": form}
    return render(request, "accounts/security.html", context, status=status)


def security(request: InkaRequest) -> HttpResponse:
    """The user's own security page: second factor, recovery codes, password, sessions."""
    return _security_page(request, AuthenticatorCodeForm())


@require_POST
def recovery_codes_renew(request: InkaRequest) -> HttpResponse:
    form = AuthenticatorCodeForm(request.POST)
    if form.is_valid():
        try:
            codes = services.recovery_codes_renew(user=_account(request), code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            context = {"codes": codes, "next": reverse("accounts:security"), "enrolled": False}
            return render(request, "accounts/recovery_codes.html", context)
    return _security_page(request, form, status=400)


@require_POST
def logout_everywhere(request: InkaRequest) -> HttpResponse:
    """End every session of the user, on every device, this one included."""
    services.user_end_sessions(user=_account(request), actor=request.user)
    auth_logout(request)
    messages.success(request, _("You have been logged out on every device."))
    return redirect("accounts:login")
