"""Writes of the partner survey: questionnaires, waves, one-time links and the partners' answers.

Anonymity (docs/survey.md): an invitation knows its partner, a response does not know its invitation.
The answer is stored without a time and without any reference to the link it came through, and it
writes no audit entry (a timestamp could be matched with the invitation marked as answered).
"""

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from inka.core.audit import audit, diff, snapshot
from inka.core.cleaning import lf
from inka.network.models import (
    Partner,
    SitePartner,
    SurveyAnswer,
    SurveyDimension,
    SurveyInstrument,
    SurveyInvitation,
    SurveyItem,
    SurveyResponse,
    SurveyWave,
)
from inka.network.survey.instrument_file import InstrumentData, parse_instrument
from inka.programme.models import Site

EXAMPLE_INSTRUMENT = Path(__file__).resolve().parent / "instruments" / "example.json"
WAVE_FIELDS = ["year", "instrument", "opens_on", "closes_on"]
INSTRUMENT_FIELDS = [
    "introduction", "scale_min", "scale_max", "scale_labels", "no_answer_label", "min_responses",
    "open_question", "is_active",
]  # fmt: skip


# Questionnaires


@transaction.atomic
def instrument_load(*, data: InstrumentData) -> tuple[SurveyInstrument, bool]:
    """Create the questionnaire, or replace the one of the same name while it has no answers yet;
    returns it and whether it was new."""
    instrument = SurveyInstrument.objects.filter(name=data.name).first()
    created = instrument is None
    if instrument is None:
        instrument = SurveyInstrument(name=data.name)
        before: dict[str, Any] = {}
    else:
        if SurveyAnswer.objects.filter(item__dimension__instrument=instrument).exists():
            raise ValidationError(
                _(
                    "The questionnaire “%(name)s” already has answers and cannot be changed any more. "
                    "Load the new version under a new name."
                )
                % {"name": data.name}
            )
        before = snapshot(instrument, INSTRUMENT_FIELDS)
    for name in INSTRUMENT_FIELDS:
        setattr(instrument, name, getattr(data, name))
    instrument.full_clean()
    instrument.save()
    instrument.dimensions.all().delete()
    dimensions = SurveyDimension.objects.bulk_create(
        SurveyDimension(
            instrument=instrument, position=number, title=dimension.title, weight=dimension.weight
        )
        for number, dimension in enumerate(data.dimensions, start=1)
    )
    SurveyItem.objects.bulk_create(
        SurveyItem(dimension=dimension, position=number, text=item.text, weight=item.weight)
        for dimension, source in zip(dimensions, data.dimensions, strict=True)
        for number, item in enumerate(source.items, start=1)
    )
    audit(
        actor=None,
        action="inka.survey.instrument_loaded",
        obj=instrument,
        changes=diff(before, snapshot(instrument, INSTRUMENT_FIELDS)),
        dimensions=len(data.dimensions),
        items=sum(len(dimension.items) for dimension in data.dimensions),
    )
    return instrument, created


def instrument_get_example() -> SurveyInstrument:
    """The example questionnaire shipped with INKA; loaded from its file if it is missing."""
    data = parse_instrument(EXAMPLE_INSTRUMENT.read_bytes())
    instrument = SurveyInstrument.objects.filter(name=data.name).first()
    return instrument if instrument is not None else instrument_load(data=data)[0]


# Waves


@transaction.atomic
def wave_create(
    *, actor: Any, site: Site, year: int, instrument: SurveyInstrument, opens_on: date, closes_on: date
) -> SurveyWave:
    """Plan the yearly survey of a site's partners; one wave per site and year."""
    if not instrument.is_active:
        raise ValidationError({"instrument": _("This questionnaire is no longer used for new surveys.")})
    if SurveyWave.objects.filter(site=site, year=year).exists():
        raise ValidationError(
            {"year": _("There is already a partner survey for %(year)s at this site.") % {"year": year}}
        )
    wave = SurveyWave(site=site, year=year, instrument=instrument, opens_on=opens_on, closes_on=closes_on)
    wave.full_clean()
    wave.save()
    audit(
        actor=actor,
        action="inka.survey.wave_created",
        obj=wave,
        changes=diff({}, snapshot(wave, WAVE_FIELDS)),
    )
    return wave


def wave_is_closed(wave: SurveyWave, today: date | None = None) -> bool:
    return (today or timezone.localdate()) > wave.closes_on


# One-time links


@dataclass(frozen=True)
class IssuedLink:
    invitation: SurveyInvitation
    token: str  # shown once; only its hash is stored


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(invitation: SurveyInvitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(token)
    return token


@transaction.atomic
def invitations_create(*, actor: Any, wave: SurveyWave, partners: Iterable[Partner]) -> list[IssuedLink]:
    """One invitation with its own one-time link per partner of the site not yet invited to the wave."""
    partners = list(partners)
    if not partners:
        raise ValidationError({"partners": _("Choose at least one partner.")})
    if wave_is_closed(wave):
        raise ValidationError({"partners": _("The survey is closed; no more partners can be invited.")})
    on_list = set(
        SitePartner.objects.filter(
            site_id=wave.site_id, partner__in=partners, partner__is_active=True
        ).values_list("partner_id", flat=True)
    )
    invited = set(wave.invitations.filter(partner__in=partners).values_list("partner_id", flat=True))
    if any(partner.pk not in on_list for partner in partners):
        raise ValidationError({"partners": _("Only active partners on your site's list can be invited.")})
    if invited:
        raise ValidationError({"partners": _("Some of these partners have been invited already.")})
    today = timezone.localdate()
    issued = []
    for partner in sorted(partners, key=lambda p: (p.name, p.pk)):
        invitation = SurveyInvitation(wave=wave, partner=partner, invited_on=today)
        issued.append(IssuedLink(invitation, _new_token(invitation)))
    SurveyInvitation.objects.bulk_create(link.invitation for link in issued)
    audit(
        actor=actor,
        action="inka.survey.partners_invited",
        obj=wave,
        partners=[partner.pk for partner in partners],
    )
    return issued


@transaction.atomic
def invitation_renew(*, actor: Any, invitation: SurveyInvitation) -> IssuedLink:
    """A new link for a partner who has not answered yet; the old link stops working."""
    if invitation.answered_on is not None:
        raise ValidationError(_("This partner has already answered; the link cannot be renewed."))
    if wave_is_closed(invitation.wave):
        raise ValidationError(_("The survey is closed; the link cannot be renewed."))
    token = _new_token(invitation)
    invitation.save(update_fields=["token_hash"])
    audit(actor=actor, action="inka.survey.link_renewed", obj=invitation.wave, partner=invitation.partner_id)
    return IssuedLink(invitation, token)


class LinkState:
    VALID = "valid"
    NOT_YET_OPEN = "not_yet_open"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


def invitation_for_token(token: str, today: date | None = None) -> tuple[str, SurveyInvitation | None]:
    """The invitation a partner's link belongs to, and whether the survey can be answered through it."""
    invitation = (
        SurveyInvitation.by_link.select_related("wave__site", "wave__instrument")
        .filter(token_hash=_hash(token))
        .first()
        if token
        else None
    )
    if invitation is None:
        return LinkState.UNKNOWN, None
    today = today or timezone.localdate()
    if invitation.answered_on is not None:
        return LinkState.USED, invitation
    if today > invitation.wave.closes_on:
        return LinkState.EXPIRED, invitation
    if today < invitation.wave.opens_on:
        return LinkState.NOT_YET_OPEN, invitation
    return LinkState.VALID, invitation


def item_field(item_id: int) -> str:
    """The name of an item's answer in forms and in the errors of `survey_answer`."""
    return f"item_{item_id}"


def _checked_answers(
    instrument: SurveyInstrument, answers: Mapping[int, int | None]
) -> list[tuple[SurveyItem, int | None]]:
    """Every item of the questionnaire with its answer; refuses a missing item or a value off the scale."""
    items = list(
        SurveyItem.objects.filter(dimension__instrument=instrument).order_by(
            "dimension__position", "position", "pk"
        )
    )
    errors: dict[str, str] = {}
    checked = []
    for item in items:
        if item.pk not in answers:
            errors[item_field(item.pk)] = _("Please choose an answer, or “%(no_answer)s”.") % {
                "no_answer": instrument.no_answer_label
            }
            continue
        value = answers[item.pk]
        if value is not None and (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not instrument.scale_min <= value <= instrument.scale_max
        ):
            errors[item_field(item.pk)] = _("Please choose one of the answers shown.")
            continue
        checked.append((item, value))
    if set(answers) - {item.pk for item in items}:
        errors["__all__"] = _("The answers do not belong to this questionnaire.")
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def survey_answer(*, token: str, answers: Mapping[int, int | None], comment: str = "") -> SurveyResponse:
    """A partner's anonymous answers through the link, all or nothing; the link cannot be used again."""
    state, invitation = invitation_for_token(token)
    if invitation is None or state != LinkState.VALID:
        raise ValidationError(_("This link can no longer be used."))
    # Lock the invitation: two clicks on "send" must not both count.
    locked = SurveyInvitation.by_link.select_for_update().get(pk=invitation.pk)
    if locked.answered_on is not None:
        raise ValidationError(_("This link can no longer be used."))
    wave = invitation.wave
    checked = _checked_answers(wave.instrument, answers)
    comment = lf(comment).strip()
    if len(comment) > 5000:
        raise ValidationError({"comment": _("Please keep your suggestions to at most 5000 characters.")})
    # The partner has no account and thus no scope; the secret link is the authorisation.
    with scopes_disabled():
        response = SurveyResponse.objects.create(wave=wave, comment=comment)
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, item=item, value=value) for item, value in checked
        )
    locked.answered_on = timezone.localdate()
    locked.save(update_fields=["answered_on"])
    return response
