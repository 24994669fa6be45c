"""Services and selectors of the partner survey: invitations, the anonymous answer, waves, results."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from inka.core.models import AuditEntry
from inka.network.models import SurveyAnswer, SurveyInvitation, SurveyResponse, SurveyWave
from inka.network.survey import selectors, services
from inka.network.survey.services import LinkState
from inka.network.tests.survey_fixtures import items_of, open_wave, site_partner, small_instrument


@pytest.fixture
def instrument(db):
    return small_instrument()


@pytest.fixture
def wave(world, instrument):
    return open_wave(world.site_a, instrument)


@pytest.fixture
def partners(world):
    return [site_partner(world.site_a, name) for name in ("Jobcenter Altenburger Land", "Kita Sonnenschein")]


@pytest.fixture
def token(world, wave, partners):
    return services.invitations_create(actor=world.user("caseworker"), wave=wave, partners=partners[:1])[
        0
    ].token


def full_answers(instrument, values=(5, 3, 2)):
    return {item.pk: value for item, value in zip(items_of(instrument), values, strict=True)}


def written():
    return (
        SurveyResponse.objects.count(),
        SurveyAnswer.objects.count(),
        SurveyInvitation.objects.filter(answered_on__isnull=False).count(),
    )


# Invitations


def test_each_partner_gets_its_own_link_and_only_its_hash_is_stored(world, wave, partners):
    issued = services.invitations_create(actor=world.user("caseworker"), wave=wave, partners=partners)
    assert len({link.token for link in issued}) == 2
    for link in issued:
        stored = SurveyInvitation.objects.get(pk=link.invitation.pk)
        assert link.token not in stored.token_hash
        assert len(stored.token_hash) == 64
        assert stored.invited_on == timezone.localdate()
        assert services.invitation_for_token(link.token) == (LinkState.VALID, stored)
    entry = AuditEntry.objects.get(action="inka.survey.partners_invited")
    assert set(entry.data["partners"]) == {p.pk for p in partners}


@pytest.mark.parametrize("case", ["none", "twice", "other_site", "inactive", "closed"])
def test_invitations_are_refused_for_wrong_partners_or_a_closed_survey(world, wave, partners, case):
    chosen = partners[:1]
    if case == "none":
        chosen = []
    elif case == "twice":
        services.invitations_create(actor=None, wave=wave, partners=chosen)
    elif case == "other_site":
        chosen = [site_partner(world.site_b, "Jobcenter Gera", town="Gera")]
    elif case == "inactive":
        chosen[0].is_active = False
        chosen[0].save()
    elif case == "closed":
        wave.opens_on, wave.closes_on = (
            wave.opens_on - timedelta(days=60),
            timezone.localdate() - timedelta(days=1),
        )
        wave.save()
    before = SurveyInvitation.objects.count()
    with pytest.raises(ValidationError) as error:
        services.invitations_create(actor=None, wave=wave, partners=chosen)
    assert "partners" in error.value.message_dict
    assert SurveyInvitation.objects.count() == before


def test_a_renewed_link_replaces_the_old_one(world, wave, partners, token):
    invitation = SurveyInvitation.objects.get()
    renewed = services.invitation_renew(actor=world.user("caseworker"), invitation=invitation)
    assert services.invitation_for_token(token)[0] == LinkState.UNKNOWN
    assert services.invitation_for_token(renewed.token)[0] == LinkState.VALID


def test_an_answered_invitation_cannot_be_renewed(world, instrument, token):
    services.survey_answer(token=token, answers=full_answers(instrument))
    with pytest.raises(ValidationError):
        services.invitation_renew(actor=world.user("caseworker"), invitation=SurveyInvitation.objects.get())


# The partner's answer


def test_the_answer_is_written_anonymously_and_spends_the_link(instrument, token):
    response = services.survey_answer(
        token=token, answers=full_answers(instrument, (5, None, 2)), comment=" Mehr Treffen. "
    )
    assert response.comment == "Mehr Treffen."
    assert sorted(response.answers.values_list("value", flat=True), key=str) == [2, 5, None]
    invitation = SurveyInvitation.objects.get()
    assert invitation.answered_on == timezone.localdate()
    assert services.invitation_for_token(token)[0] == LinkState.USED
    # Nothing leads from the response to the invitation, and there is no time on it.
    assert {field.name for field in SurveyResponse._meta.get_fields()} == {"id", "wave", "comment", "answers"}
    assert not AuditEntry.objects.filter(object_id=str(response.pk)).exists()


def test_a_reused_link_is_refused_and_nothing_is_written(instrument, token):
    services.survey_answer(token=token, answers=full_answers(instrument))
    before = written()
    with pytest.raises(ValidationError) as error:
        services.survey_answer(token=token, answers=full_answers(instrument))
    assert error.value.messages == [_("This link can no longer be used.")]
    assert written() == before


@pytest.mark.parametrize("bad_value", [0, 6, -1, True, "4"])
def test_an_answer_outside_the_scale_is_refused_at_its_item_and_nothing_is_written(
    instrument, token, bad_value
):
    answers = full_answers(instrument)
    a2 = items_of(instrument)[1]
    answers[a2.pk] = bad_value
    with pytest.raises(ValidationError) as error:
        services.survey_answer(token=token, answers=answers)
    assert list(error.value.message_dict) == [f"item_{a2.pk}"]
    assert written() == (0, 0, 0)
    assert services.invitation_for_token(token)[0] == LinkState.VALID


def test_a_missing_item_is_refused_at_that_item(instrument, token):
    answers = full_answers(instrument)
    b1 = items_of(instrument)[2]
    del answers[b1.pk]
    with pytest.raises(ValidationError) as error:
        services.survey_answer(token=token, answers=answers)
    assert list(error.value.message_dict) == [f"item_{b1.pk}"]
    assert written() == (0, 0, 0)


def test_an_item_of_another_questionnaire_is_refused(instrument, token):
    other = small_instrument(name="Anderer Fragebogen")
    answers = {**full_answers(instrument), items_of(other)[0].pk: 3}
    with pytest.raises(ValidationError):
        services.survey_answer(token=token, answers=answers)
    assert written() == (0, 0, 0)


@pytest.mark.parametrize(
    ("opens", "closes", "state"),
    [(-30, -1, LinkState.EXPIRED), (3, 30, LinkState.NOT_YET_OPEN), (-1, 0, LinkState.VALID)],
)
def test_the_link_works_only_while_the_survey_is_open(instrument, wave, token, opens, closes, state):
    today = timezone.localdate()
    wave.opens_on, wave.closes_on = today + timedelta(days=opens), today + timedelta(days=closes)
    wave.save()
    assert services.invitation_for_token(token)[0] == state
    if state != LinkState.VALID:
        with pytest.raises(ValidationError):
            services.survey_answer(token=token, answers=full_answers(instrument))
        assert written() == (0, 0, 0)


def test_an_unknown_link(db):
    assert services.invitation_for_token("kein-gueltiger-link") == (LinkState.UNKNOWN, None)
    assert services.invitation_for_token("") == (LinkState.UNKNOWN, None)


# Waves


def test_a_wave_per_site_and_year(world, instrument, wave):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.wave_create(
            actor=None,
            site=world.site_a,
            year=wave.year,
            instrument=instrument,
            opens_on=today,
            closes_on=today,
        )
    assert "year" in error.value.message_dict
    other = services.wave_create(
        actor=None, site=world.site_b, year=wave.year, instrument=instrument, opens_on=today, closes_on=today
    )
    assert other.site == world.site_b
    assert AuditEntry.objects.filter(action="inka.survey.wave_created", object_id=str(other.pk)).exists()


def test_a_wave_needs_an_active_questionnaire_and_a_sensible_period(world, instrument):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.wave_create(
            actor=None,
            site=world.site_a,
            year=2025,
            instrument=instrument,
            opens_on=today,
            closes_on=today - timedelta(days=1),
        )
    instrument.is_active = False
    instrument.save()
    with pytest.raises(ValidationError) as error:
        services.wave_create(
            actor=None, site=world.site_a, year=2025, instrument=instrument, opens_on=today, closes_on=today
        )
    assert "instrument" in error.value.message_dict
    assert not SurveyWave.objects.exists()


# Results through the database


def answer_wave(wave, rows):
    """Write responses directly: rows of (a1, a2, b1)."""
    items = items_of(wave.instrument)
    for values in rows:
        response = SurveyResponse.objects.create(wave=wave)
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, item=item, value=value)
            for item, value in zip(items, values, strict=True)
        )


def test_wave_summaries_compute_the_index_and_the_change_between_waves(world, instrument):
    older = open_wave(world.site_a, instrument, year=2024)
    newer = open_wave(world.site_a, instrument, year=2025)
    answer_wave(older, [(5, 3, 2), (4, None, 3)])  # the worked example: 58.75
    answer_wave(newer, [(5, 5, 4), (5, 5, 5), (4, 4, 4), (4, 4, 4), (3, 3, 3)])
    SurveyInvitation.objects.bulk_create(
        SurveyInvitation(
            wave=older,
            partner=site_partner(world.site_a, f"Partner {n}"),
            token_hash=f"{n:064d}",
            invited_on=older.opens_on,
        )
        for n in range(8)
    )
    first, second = selectors.wave_summaries(site_ids=[world.site_a.pk])
    assert (first.wave, second.wave) == (older, newer)
    assert first.result.index == pytest.approx(58.75)
    assert (first.result.n_invited, first.result.n_responded, first.result.flagged) == (8, 2, True)
    assert first.result.response_rate == pytest.approx(25)
    assert first.result.change is None
    # newer: A = (2·(5+5+4+4+3) + (5+5+4+4+3)) / 15 = 4.2 → 80; B = 20/5 = 4 → 75; index 77.5
    assert [d.score for d in second.result.dimensions] == [pytest.approx(80), pytest.approx(75)]
    assert second.result.index == pytest.approx(77.5)
    assert second.result.change == pytest.approx(77.5 - 58.75)
    assert (second.result.n_invited, second.result.flagged) == (0, False)
    assert selectors.wave_summary(newer).result == second.result


def test_the_programme_table_has_a_row_per_site_and_a_column_per_year(world, instrument):
    open_wave(world.site_a, instrument, year=2024)
    open_wave(world.site_a, instrument, year=2025)
    open_wave(world.site_b, instrument, year=2025)
    years, rows = selectors.index_table(site_ids=[world.site_a.pk, world.site_b.pk])
    assert years == [2024, 2025]
    assert [row.site for row in rows] == [world.site_a, world.site_b]  # "ThINKA Nord", "ThINKA Süd"
    assert rows[1].cells[0] is None
    assert rows[1].cells[1].wave.year == 2025


def test_comments_are_sorted_by_text(wave):
    for comment in ["Zweitens", "", "Anfangs"]:
        SurveyResponse.objects.create(wave=wave, comment=comment)
    assert selectors.wave_comments(wave=wave) == ["Anfangs", "Zweitens"]


def test_partners_to_invite_are_the_active_ones_not_yet_invited(world, wave, partners, token):
    inactive = site_partner(world.site_a, "Alter Verein")
    inactive.is_active = False
    inactive.save()
    site_partner(world.site_b, "Jobcenter Gera", town="Gera")
    assert list(selectors.partner_list_to_invite(wave=wave)) == [partners[1]]
