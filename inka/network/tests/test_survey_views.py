"""Pages of the partner survey: the site's list and the programme overview, planning a wave,
inviting partners with links shown once, renewing a link, and the partner's anonymous answer page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inka.network.models import SurveyAnswer, SurveyInvitation, SurveyResponse, SurveyWave
from inka.network.survey import services
from inka.network.survey.forms import NO_ANSWER
from inka.network.survey.services import item_field
from inka.network.tests.survey_fixtures import items_of, open_wave, site_partner, small_instrument
from inka.network.tests.test_survey_services import answer_wave

LIST = reverse("network:survey_list")
CREATE = reverse("network:survey_wave_create")


@pytest.fixture
def instrument(db):
    return small_instrument()


@pytest.fixture
def wave(world, instrument):
    return open_wave(world.site_a, instrument)


@pytest.fixture
def invited(world, wave):
    """An invited partner of site A: (invitation, token)."""
    partner = site_partner(world.site_a, "Stadtteilverein Nordviertel")
    issued = services.invitations_create(actor=world.user("caseworker"), wave=wave, partners=[partner])[0]
    return issued.invitation, issued.token


def detail_url(wave):
    return reverse("network:survey_wave_detail", args=[wave.pk])


def answer_url(token):
    return reverse("network:survey_answer", args=[token])


def answer_data(instrument, values=("5", "3", "2"), comment=""):
    data = {item_field(item.pk): value for item, value in zip(items_of(instrument), values, strict=True)}
    return {**data, "comment": comment}


def nothing_written():
    return not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()


# The site's list and the programme overview


def test_site_staff_and_steering_see_their_sites_waves_with_index_and_chart(world, login, instrument):
    older = open_wave(world.site_a, instrument, year=2024)
    newer = open_wave(world.site_a, instrument, year=2025)
    answer_wave(older, [(5, 3, 2), (4, None, 3)])  # 58.75
    answer_wave(newer, [(5, 5, 4), (5, 5, 5), (4, 4, 4), (4, 4, 4), (3, 3, 3)])  # 77.5
    open_wave(world.site_b, instrument, year=2023)
    for persona in ["caseworker", "reader", "steering"]:
        response = login(world.user(persona)).get(LIST)
        assert [summary.wave for summary in response.context["summaries"]] == [newer, older]
        html = response.content.decode()
        assert "58,8" in html and "77,5" in html
        assert "+18,8" in html  # the change, one decimal, German comma
        assert "<svg" in html and 'role="img"' in html
        assert "2023" not in html
    assert CREATE in login(world.user("caseworker")).get(LIST).content.decode()
    assert CREATE not in login(world.user("steering")).get(LIST).content.decode()


def test_the_coordination_sees_every_site_by_year(world, login, instrument):
    answer_wave(open_wave(world.site_a, instrument, year=2024), [(5, 3, 2), (4, None, 3)])
    open_wave(world.site_b, instrument, year=2025)
    response = login(world.user("coordinator")).get(LIST)
    assert response.context["years"] == [2024, 2025]
    html = response.content.decode()
    assert "ThINKA Nord" in html and "ThINKA Süd" in html
    assert "58,8" in html


@pytest.mark.parametrize("persona", ["dpo", "admin"])
def test_data_protection_and_administration_get_403(world, login, persona):
    assert login(world.user(persona)).get(LIST).status_code == 403


@pytest.mark.parametrize(("persona", "rows"), [("caseworker", 1), ("caseworker", 50)])
def test_site_list_query_count_does_not_grow_with_waves(
    world, login, instrument, persona, rows, django_assert_max_num_queries
):
    partners = [site_partner(world.site_a, f"Partner {n}") for n in range(3)]
    for year in range(2026 - rows, 2026):
        wave = open_wave(world.site_a, instrument, year=year)
        answer_wave(wave, [(5, 3, 2)])
        SurveyInvitation.objects.bulk_create(
            SurveyInvitation(wave=wave, partner=p, token_hash=f"{year}{p.pk:060d}", invited_on=wave.opens_on)
            for p in partners
        )
    client = login(world.user(persona))
    with django_assert_max_num_queries(16):
        response = client.get(LIST)
    assert len(response.context["summaries"]) == rows


@pytest.mark.parametrize("sites", [1, 50])
def test_overview_query_count_does_not_grow_with_sites(
    world, login, instrument, site_count, sites, django_assert_max_num_queries
):
    from inka.programme.models import Site

    site_count(sites)
    for site in Site.objects.all():
        answer_wave(open_wave(site, instrument, year=2025), [(4, 4, 4)])
    client = login(world.user("coordinator"))
    with django_assert_max_num_queries(15):
        response = client.get(LIST)
    assert len(response.context["rows"]) == sites


# Planning a wave


def wave_data(**changes):
    today = timezone.localdate()
    return {
        "year": today.year,
        "instrument": small_instrument(name="Zweiter Fragebogen").pk,
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(weeks=6)).isoformat(),
        **changes,
    }


def test_a_writer_plans_a_wave(world, login, instrument):
    response = login(world.user("site_lead")).post(CREATE, wave_data())
    wave = SurveyWave.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(wave)
    assert wave.site == world.site_a


def test_the_form_suggests_next_year_when_this_years_survey_exists(world, login, instrument):
    client = login(world.user("caseworker"))
    this_year = timezone.localdate().year
    assert client.get(CREATE).context["form"].initial["year"] == this_year
    open_wave(world.site_a, instrument, year=this_year)
    assert client.get(CREATE).context["form"].initial["year"] == this_year + 1


def test_the_form_offers_active_questionnaires_only(world, login, instrument):
    small_instrument(name="Alter Fragebogen", is_active=False)
    form = login(world.user("caseworker")).get(CREATE).context["form"]
    names = [instrument.name for instrument in form.fields["instrument"].queryset]
    assert "Testfragebogen" in names
    assert "Alter Fragebogen" not in names


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"closes_on": "2020-01-01"}, "closes_on"),
        ({"year": "1999"}, "year"),
        ({"year": "zwanzig"}, "year"),
        ({"opens_on": ""}, "opens_on"),
        ({"instrument": "999999"}, "instrument"),
    ],
)
def test_bad_wave_input_is_refused_at_the_field(world, login, instrument, changes, field):
    response = login(world.user("caseworker")).post(CREATE, wave_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not SurveyWave.objects.exists()


def test_a_second_wave_in_the_same_year_is_refused(world, login, wave):
    response = login(world.user("caseworker")).post(CREATE, wave_data(year=wave.year))
    assert response.status_code == 400
    assert response.context["form"].errors["year"] == [
        _("There is already a partner survey for %(year)s at this site.") % {"year": wave.year}
    ]
    assert SurveyWave.objects.count() == 1


@pytest.mark.parametrize("persona", ["reader", "steering", "coordinator"])
def test_readers_cannot_plan_a_wave(world, login, instrument, persona):
    assert login(world.user(persona)).post(CREATE, wave_data()).status_code == 403
    assert not SurveyWave.objects.exists()


# A wave's results, invitations and comments


def test_the_detail_shows_results_and_hides_partners_and_comments_from_steering_and_coordination(
    world, login, wave, invited
):
    answer_wave(wave, [(5, 3, 2), (4, None, 3), (4, 4, 4), (3, 3, 3), (5, 5, 5)])
    SurveyResponse.objects.filter(wave=wave).update(comment="Mehr Treffen im Stadtteil.")
    staff = login(world.user("reader")).get(detail_url(wave)).content.decode()
    assert "Stadtteilverein Nordviertel" in staff
    assert "Mehr Treffen im Stadtteil." in staff
    for persona in ["steering", "coordinator"]:
        response = login(world.user(persona)).get(detail_url(wave))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Stadtteilverein Nordviertel" not in html
        assert "Mehr Treffen im Stadtteil." not in html
        assert response.context["result"].n_responded == 5


def test_comments_wait_for_the_minimum_number_of_answers(world, login, wave):
    answer_wave(wave, [(5, 3, 2)] * 4)
    SurveyResponse.objects.filter(wave=wave).update(comment="Ein einzelner Hinweis.")
    response = login(world.user("site_lead")).get(detail_url(wave))
    assert response.context["result"].flagged
    assert "Ein einzelner Hinweis." not in response.content.decode()


def test_other_sites_get_404(world, login, wave, invited):
    client = login(world.user("other_caseworker"))
    assert client.get(detail_url(wave)).status_code == 404
    assert client.post(reverse("network:survey_invite", args=[wave.pk])).status_code == 404
    renew = reverse("network:survey_invitation_renew", args=[invited[0].pk])
    assert client.post(renew).status_code == 404


# Inviting partners; the links are shown once


def test_inviting_shows_each_link_once_with_a_letter(world, login, wave):
    jobcenter = site_partner(world.site_a, "Jobcenter Altenburger Land")
    kita = site_partner(world.site_a, "Kita Sonnenschein")
    client = login(world.user("caseworker"))
    form = client.get(detail_url(wave)).context["invite_form"]
    assert list(form.fields["partners"].queryset) == [jobcenter, kita]
    response = client.post(
        reverse("network:survey_invite", args=[wave.pk]), {"partners": [jobcenter.pk, kita.pk]}
    )
    assert response.status_code == 302
    page = client.get(detail_url(wave))
    links = page.context["new_links"]
    assert [letter["partner"] for letter in links] == ["Jobcenter Altenburger Land", "Kita Sonnenschein"]
    html = page.content.decode()
    for letter in links:
        token = letter["link"].rstrip("/").rsplit("/", 1)[1]
        assert letter["link"].startswith("http://testserver/befragung/")
        assert html.count(letter["link"]) == 2  # the field to copy and the letter
        assert services.invitation_for_token(token)[1].partner.name == letter["partner"]
    again = client.get(detail_url(wave))
    assert again.context["new_links"] is None
    assert "testserver/befragung/" not in again.content.decode()
    assert list(again.context["invite_form"].fields["partners"].queryset) == []


@pytest.mark.parametrize("chosen", ["none", "unknown"])
def test_bad_invitations_are_refused_with_400_and_nothing_is_written(world, login, wave, chosen):
    partners = {"none": [], "unknown": [site_partner(world.site_b, "Jobcenter Gera", town="Gera").pk]}[chosen]
    response = login(world.user("caseworker")).post(
        reverse("network:survey_invite", args=[wave.pk]), {"partners": partners}
    )
    assert response.status_code == 400
    assert "partners" in response.context["invite_form"].errors
    assert not SurveyInvitation.objects.exists()


@pytest.mark.parametrize("persona", ["reader", "steering", "coordinator"])
def test_readers_cannot_invite_or_renew(world, login, wave, invited, persona):
    partner = site_partner(world.site_a, "Kita Sonnenschein")
    client = login(world.user(persona))
    assert (
        client.post(reverse("network:survey_invite", args=[wave.pk]), {"partners": [partner.pk]}).status_code
        == 403
    )
    assert client.post(reverse("network:survey_invitation_renew", args=[invited[0].pk])).status_code == 403
    assert SurveyInvitation.objects.count() == 1
    assert services.invitation_for_token(invited[1])[0] == "valid"


def test_a_renewed_link_replaces_the_old_one(world, login, wave, invited):
    invitation, old = invited
    client = login(world.user("site_lead"))
    response = client.post(reverse("network:survey_invitation_renew", args=[invitation.pk]))
    assert response.status_code == 302
    new_link = client.get(detail_url(wave)).context["new_links"][0]["link"]
    assert login(None).get(answer_url(old)).status_code == 404
    assert login(None).get(new_link.replace("http://testserver", "")).status_code == 200


def test_an_answered_invitation_cannot_be_renewed(world, login, instrument, wave, invited):
    invitation, token = invited
    login(None).post(answer_url(token), answer_data(instrument))
    before = SurveyInvitation.objects.get().token_hash
    response = login(world.user("site_lead")).post(
        reverse("network:survey_invitation_renew", args=[invitation.pk])
    )
    assert response.status_code == 302
    assert SurveyInvitation.objects.get().token_hash == before


# The partner's answer page


def test_a_partner_answers_without_an_account_and_the_index_updates(world, login, instrument, wave, invited):
    _invitation, token = invited
    client = login(None)
    page = client.get(answer_url(token))
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    html = page.content.decode()
    assert "ThINKA Nord" in html
    assert "Stadtteilverein" not in html  # nothing names the partner
    assert html.count('type="radio"') == 3 * 6  # five values and "no answer" per question
    assert "<legend" in html and "Die Ziele sind klar." in html
    response = client.post(answer_url(token), answer_data(instrument, ("5", NO_ANSWER, "2"), "Mehr Treffen."))
    assert response.status_code == 200
    assert response.context["state"] == "answered"
    answer = SurveyResponse.objects.get()
    assert answer.comment == "Mehr Treffen."
    assert sorted(answer.answers.values_list("value", flat=True), key=str) == [2, 5, None]
    assert SurveyInvitation.objects.get().answered_on == timezone.localdate()
    result = login(world.user("caseworker")).get(detail_url(wave)).context["result"]
    # A: 5 only (a2 "no answer") → 100; B: 2 → 25; index 62.5
    assert (result.n_invited, result.n_responded, result.index) == (1, 1, pytest.approx(62.5))


def test_a_reused_link_is_refused_with_410_and_nothing_is_written(login, instrument, invited):
    _invitation, token = invited
    client = login(None)
    client.post(answer_url(token), answer_data(instrument))
    assert client.get(answer_url(token)).status_code == 410
    response = client.post(answer_url(token), answer_data(instrument, ("1", "1", "1")))
    assert response.status_code == 410
    assert response.context["state"] == "used"
    assert SurveyResponse.objects.count() == 1
    assert list(SurveyAnswer.objects.values_list("value", flat=True).order_by("value")) == [2, 3, 5]


@pytest.mark.parametrize("bad", ["6", "0", "-1", "3.5", "drei", ""])
def test_an_answer_outside_the_scale_is_refused_at_its_question(login, instrument, invited, bad):
    _invitation, token = invited
    b1 = items_of(instrument)[2]
    response = login(None).post(answer_url(token), answer_data(instrument, ("5", "3", bad)))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [item_field(b1.pk)]
    expected = (
        _("Please choose an answer, or “%(no_answer)s”.") % {"no_answer": "keine Angabe"}
        if bad == ""
        else _("Please choose one of the answers shown.")
    )
    assert errors[item_field(b1.pk)] == [expected]
    assert f'id="{response.context["form"][item_field(b1.pk)].auto_id}-error"' in response.content.decode()
    assert nothing_written()
    assert SurveyInvitation.objects.get().answered_on is None


def test_a_missing_question_is_marked_and_nothing_is_written(login, instrument, invited):
    _invitation, token = invited
    data = answer_data(instrument)
    del data[item_field(items_of(instrument)[0].pk)]
    response = login(None).post(answer_url(token), data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [item_field(items_of(instrument)[0].pk)]
    assert nothing_written()


def test_an_unknown_link_is_404(db, login):
    response = login(None).get(answer_url("kein-gueltiger-link"))
    assert response.status_code == 404
    assert response.context["state"] == "unknown"


def test_an_expired_link_is_410_and_a_link_before_the_start_explains_the_date(
    login, instrument, wave, invited
):
    _invitation, token = invited
    wave.opens_on, wave.closes_on = date(2024, 10, 1), date(2024, 11, 15)
    wave.save()
    response = login(None).post(answer_url(token), answer_data(instrument))
    assert response.status_code == 410
    assert response.context["state"] == "expired"
    today = timezone.localdate()
    wave.opens_on, wave.closes_on = today + timedelta(days=3), today + timedelta(days=30)
    wave.save()
    response = login(None).get(answer_url(token))
    assert response.status_code == 200
    assert response.context["state"] == "not_yet_open"
    assert "form" not in response.context
    assert nothing_written()
