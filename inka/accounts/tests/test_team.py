import pytest
from django.core import mail
from django.urls import reverse

from inka.accounts.models import Membership, User
from inka.core.models import AuditEntry
from inka.core.permissions import Role


def team_url(world):
    return reverse("accounts:team", args=[world.site_a.pk])


def invite_url(world):
    return reverse("accounts:member_invite", args=[world.site_a.pk])


def test_site_lead_invites_a_new_colleague(world, login, django_capture_on_commit_callbacks):
    client = login(world.user("site_lead"))
    data = {"email": "Neu@Nord.test", "first_name": "Nora", "last_name": "Neu", "role": Role.CASEWORKER}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(world), data)
    assert response.status_code == 302
    user = User.objects.get(email="neu@nord.test")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).site == world.site_a
    assert len(mail.outbox) == 1
    assert "/passwort/neu/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="inka.membership.created", site_id=world.site_a.pk).exists()


def test_invitation_link_sets_the_password_and_the_colleague_can_log_in(
    world, login, client, django_capture_on_commit_callbacks
):
    lead = login(world.user("site_lead"))
    data = {"email": "neu@nord.test", "first_name": "Nora", "last_name": "Neu", "role": Role.CASEWORKER}
    with django_capture_on_commit_callbacks(execute=True):
        lead.post(invite_url(world), data)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/passwort/neu/" in line)
    path = link[link.index("/passwort/") :]
    lead.logout()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "mein-sicheres-passwort", "new_password2": "mein-sicheres-passwort"}
    )
    response = client.post("/anmelden/", {"username": "neu@nord.test", "password": "mein-sicheres-passwort"})
    assert response.status_code == 302
    # The password is the first step; the new colleague then sets up the authenticator app.
    assert response["Location"] == "/anmelden/zweiter-faktor/?next=%2F"
    assert client.get(response["Location"])["Location"].startswith("/anmelden/zweiter-faktor/einrichten/")


def test_adding_an_existing_member_twice_is_refused_at_the_field(world, login):
    client = login(world.user("site_lead"))
    data = {"email": "reader@nord.test", "first_name": "R", "last_name": "R", "role": Role.CASEWORKER}
    response = client.post(invite_url(world), data)
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert Membership.objects.get(user=world.user("reader")).role == Role.READER


def test_invite_with_bad_input_writes_nothing(world, login):
    client = login(world.user("site_lead"))
    response = client.post(invite_url(world), {"email": "kein-email", "first_name": "", "role": "admin"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"email", "first_name", "last_name", "role"}
    assert User.objects.count() == 8


def test_site_lead_changes_a_role_and_removes_a_member(world, login):
    client = login(world.user("site_lead"))
    membership = Membership.objects.get(user=world.user("caseworker"))
    url = reverse("accounts:member_edit", args=[world.site_a.pk, membership.pk])
    assert client.post(url, {"role": Role.READER}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.READER
    assert client.post(url, {"role": Role.READER, "remove": "1"}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # Left without any role, the account is deactivated and its sessions end.
    assert not User.objects.get(pk=world.user("caseworker").pk).is_active


def test_site_lead_cannot_remove_themselves(world, login):
    client = login(world.user("site_lead"))
    membership = Membership.objects.get(user=world.user("site_lead"))
    url = reverse("accounts:member_edit", args=[world.site_a.pk, membership.pk])
    response = client.post(url, {"role": Role.SITE_LEAD, "remove": "1"})
    assert response.status_code == 400
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_membership_of_another_site_is_404_even_for_a_site_lead(world, login):
    client = login(world.user("site_lead"))
    other = Membership.objects.get(user=world.user("other_caseworker"))
    url = reverse("accounts:member_edit", args=[world.site_a.pk, other.pk])
    assert client.post(url, {"role": Role.READER}).status_code == 404
    other.refresh_from_db()
    assert other.role == Role.CASEWORKER


def test_site_switcher_changes_the_current_site(world, login):
    user = world.user("caseworker")
    Membership.objects.create(user=user, site=world.site_b, role=Role.READER)
    client = login(user)
    assert "ThINKA Nord" in client.get("/").content.decode()
    response = client.post(reverse("accounts:site_switch"), {"site": world.site_b.pk, "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "ThINKA Süd" in html


def test_site_switcher_refuses_a_site_the_user_is_not_member_of(world, login):
    client = login(world.user("caseworker"))
    assert client.post(reverse("accounts:site_switch"), {"site": world.site_b.pk}).status_code == 404


def test_admin_deactivates_an_account(world, login):
    client = login(world.user("admin"))
    user = world.user("reader")
    assert client.post(reverse("accounts:user_toggle_active", args=[user.pk])).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert AuditEntry.objects.filter(action="inka.user.deactivated", object_id=str(user.pk)).exists()


def test_site_lead_cannot_put_a_programme_wide_account_into_the_team(world, login):
    client = login(world.user("site_lead"))
    for persona in ("admin", "coordinator"):
        email = world.user(persona).email
        data = {"email": email, "first_name": "X", "last_name": "Y", "role": Role.CASEWORKER}
        response = client.post(invite_url(world), data)
        assert response.status_code == 400
        assert "programmweite Rolle" in " ".join(response.context["form"].errors["email"])
    assert not Membership.objects.filter(site=world.site_a, user__email__in=["admin@programm.test"]).exists()


def test_site_lead_cannot_reactivate_an_account_the_administration_deactivated(world, login):
    User.objects.filter(pk=world.user("other_caseworker").pk).update(is_active=False)
    client = login(world.user("site_lead"))
    data = {"email": "caseworker@sued.test", "first_name": "C", "last_name": "C", "role": Role.READER}
    response = client.post(invite_url(world), data)
    assert response.status_code == 400
    assert "gesperrt" in " ".join(response.context["form"].errors["email"])
    assert not User.objects.get(email="caseworker@sued.test").is_active


def test_colleague_from_another_site_is_added_and_told_by_mail(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.user("site_lead"))
    data = {"email": "caseworker@sued.test", "first_name": "C", "last_name": "C", "role": Role.READER}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(invite_url(world), data).status_code == 302
    assert Membership.objects.filter(user=world.user("other_caseworker"), site=world.site_a).exists()
    assert "in das Team von ThINKA Nord aufgenommen" in mail.outbox[0].body


def test_invitation_link_uses_the_address_the_site_lead_works_on(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.user("site_lead"))
    data = {"email": "neu@nord.test", "first_name": "Nora", "last_name": "Neu", "role": Role.CASEWORKER}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url(world), data, HTTP_HOST="127.0.0.1:8123")
    assert "http://127.0.0.1:8123/passwort/neu/" in mail.outbox[0].body


def test_site_lead_sends_an_invitation_again(world, login, django_capture_on_commit_callbacks):
    client = login(world.user("site_lead"))
    data = {"email": "neu@nord.test", "first_name": "Nora", "last_name": "Neu", "role": Role.CASEWORKER}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url(world), data)
    membership = Membership.objects.get(user__email="neu@nord.test")
    url = reverse("accounts:member_reinvite", args=[world.site_a.pk, membership.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="inka.membership.reinvited").exists()


@pytest.fixture
def team_size(world):
    """team_size(n) gives site A exactly n members (the site lead and n-1 caseworkers)."""

    def make(total: int) -> None:
        Membership.objects.filter(site=world.site_a).exclude(user=world.user("site_lead")).delete()
        for index in range(total - 1):
            user = User.objects.create_user(
                f"kollege{index}@nord.test", "x", first_name="K", last_name=str(index)
            )
            Membership.objects.create(user=user, site=world.site_a, role=Role.CASEWORKER)
        assert Membership.objects.filter(site=world.site_a).count() == total

    return make


@pytest.mark.parametrize("members", [1, 20])
def test_team_page_query_count_is_flat(world, login, team_size, members, django_assert_max_num_queries):
    team_size(members)
    client = login(world.user("site_lead"))
    with django_assert_max_num_queries(10):
        response = client.get(team_url(world))
    assert response.status_code == 200
    assert len(response.context["team"]) == members


@pytest.mark.parametrize("members", [1, 20])
def test_account_list_query_count_is_flat(world, login, team_size, members, django_assert_max_num_queries):
    team_size(members)
    client = login(world.user("admin"))
    with django_assert_max_num_queries(11):
        response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
