"""Login, password and team pages. Login and password reset are the only pages without login."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inka.accounts import selectors, services
from inka.accounts.forms import LoginForm, MemberInviteForm, MemberRoleForm
from inka.accounts.models import Membership
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


login = login_not_required(LoginView.as_view())
logout = auth_views.LogoutView.as_view()
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
