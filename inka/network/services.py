"""Writes to the partner network: validated, atomic, with an audit entry naming the actor."""

from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inka.core.audit import audit, diff, snapshot
from inka.core.cleaning import allowed_fields, clean_text
from inka.network.models import (
    Agreement,
    AgreementKind,
    Audience,
    Language,
    NetworkActivity,
    Partner,
    PartnerContact,
    PartnerKind,
    Service,
    ServiceAudience,
    ServiceLanguage,
    SitePartner,
)
from inka.network.selectors import partner_get_duplicate, partner_get_for_site, shift_months
from inka.programme.models import Site

PARTNER_FIELDS = [
    "name", "kind", "street", "postcode", "town", "phone", "email", "website", "is_active", "notes",
]  # fmt: skip
LINK_FIELDS = ["since", "contact_person", "contact_phone", "contact_email", "notes"]
SERVICE_FIELDS = [
    "name", "description", "place", "hours", "access", "cost", "cost_note", "phone", "email", "is_active",
]  # fmt: skip
CONTACT_FIELDS = ["name", "function", "phone", "email", "note"]
AGREEMENT_FIELDS = ["partner", "kind", "title", "signed_on", "starts_on", "ends_on", "remind_on", "note"]
ACTIVITY_FIELDS = ["kind", "title", "held_on", "place", "note"]
# Without a date of its own, the reminder to renew an agreement comes this many months before its end.
REMIND_MONTHS_BEFORE_END = 3


def _set_fields(obj: models.Model, allowed: list[str], fields: Mapping[str, Any], service: str) -> None:
    for name, value in allowed_fields(fields, allowed, service=service).items():
        setattr(obj, name, value)


def _full_clean(obj: models.Model, errors: Mapping[str, Any], **options: Any) -> None:
    """full_clean() with `errors` found by the service's own rules: all of them at once, or none."""
    found: dict[str, Any] = {}
    try:
        obj.full_clean(**options)
    except ValidationError as error:
        found.update(error.message_dict)
    found.update(errors)
    if found:
        raise ValidationError(found)


def _refuse_duplicate(partner: Partner) -> None:
    """One entry per institution: the same name in the same town is refused at the name field."""
    if partner_get_duplicate(name=partner.name, town=partner.town, exclude_pk=partner.pk) is None:
        return
    if partner.pk is None:
        message = _(
            "A partner with this name and town is already on record. "
            "You can add the existing partner to your site's list instead."
        )
    else:
        message = _("Another partner with this name and town is already on record.")
    raise ValidationError({"name": ValidationError(message, code="duplicate")})


@transaction.atomic
def partner_create(
    *, actor: Any, site: Site, link_fields: Mapping[str, Any] | None = None, **fields: Any
) -> Partner:
    """Add a partner to the programme-wide directory and to `site`'s list; refuses a duplicate."""
    partner = Partner(**{name: clean_text(value) for name, value in fields.items()})
    _refuse_duplicate(partner)
    partner.full_clean()
    partner.save()
    audit(
        actor=actor,
        action="inka.partner.created",
        obj=partner,
        site_id=site.pk,
        changes=diff({}, snapshot(partner, PARTNER_FIELDS)),
    )
    site_partner_link(actor=actor, site=site, partner=partner, **(link_fields or {}))
    return partner


@transaction.atomic
def partner_update(*, actor: Any, partner: Partner, site: Site | None = None, **fields: Any) -> Partner:
    """Change a partner's directory entry; `site` is where the change was made, for the change history."""
    stored = snapshot(Partner.objects.get(pk=partner.pk), PARTNER_FIELDS)
    for name, value in fields.items():
        if name not in PARTNER_FIELDS:
            raise TypeError(f"partner_update() cannot change {name!r}")
        setattr(partner, name, clean_text(value))
    _refuse_duplicate(partner)
    partner.full_clean()
    partner.save()
    changes = diff(stored, snapshot(partner, PARTNER_FIELDS))
    if changes:
        audit(
            actor=actor,
            action="inka.partner.updated",
            obj=partner,
            site_id=site.pk if site is not None else None,
            changes=changes,
        )
    return partner


@transaction.atomic
def site_partner_link(*, actor: Any, site: Site, partner: Partner, **fields: Any) -> SitePartner:
    """Put an existing partner on `site`'s list; an existing link is returned unchanged."""
    existing = SitePartner.objects.filter(site=site, partner=partner).first()
    if existing is not None:
        return existing
    link = SitePartner(
        site=site, partner=partner, **{name: clean_text(value) for name, value in fields.items()}
    )
    link.full_clean()
    link.save()
    audit(
        actor=actor,
        action="inka.partner.linked",
        obj=link,
        changes=diff({}, snapshot(link, ["partner", *LINK_FIELDS])),
    )
    return link


@transaction.atomic
def site_partner_update(*, actor: Any, link: SitePartner, **fields: Any) -> SitePartner:
    """Change a site's cooperation with a partner (since when, contact person, notes)."""
    stored = snapshot(SitePartner.objects.get(pk=link.pk), LINK_FIELDS)
    for name, value in fields.items():
        if name not in LINK_FIELDS:
            raise TypeError(f"site_partner_update() cannot change {name!r}")
        setattr(link, name, clean_text(value))
    link.full_clean()
    link.save()
    changes = diff(stored, snapshot(link, LINK_FIELDS))
    if changes:
        audit(actor=actor, action="inka.partner.link_updated", obj=link, changes=changes)
    return link


# The services directory: a partner's services are shared by every site that works with the partner.


def _choice_errors(audiences: Collection[str], languages: Collection[str]) -> dict[str, str]:
    errors = {}
    if not audiences:
        errors["audiences"] = _("Choose at least one target group.")
    elif not set(audiences) <= set(Audience.values):
        errors["audiences"] = _("Choose the target groups from the list.")
    if not languages:
        errors["languages"] = _("Choose at least one language.")
    elif not set(languages) <= set(Language.values):
        errors["languages"] = _("Choose the languages from the list.")
    return errors


def _service_snapshot(
    service: Service, audiences: Collection[str], languages: Collection[str]
) -> dict[str, Any]:
    return {
        **snapshot(service, SERVICE_FIELDS),
        "audiences": sorted(audiences),
        "languages": sorted(languages),
    }


def _stored_choices(service: Service) -> tuple[set[str], set[str]]:
    audiences = set(ServiceAudience.objects.filter(service=service).values_list("audience", flat=True))
    languages = set(ServiceLanguage.objects.filter(service=service).values_list("language", flat=True))
    return audiences, languages


def _set_choices(service: Service, audiences: Collection[str], languages: Collection[str]) -> None:
    """Store exactly these target groups and languages for the service."""
    stored_audiences, stored_languages = _stored_choices(service)
    ServiceAudience.objects.filter(service=service).exclude(audience__in=audiences).delete()
    ServiceAudience.objects.bulk_create(
        ServiceAudience(service=service, audience=audience)
        for audience in sorted(set(audiences) - stored_audiences)
    )
    ServiceLanguage.objects.filter(service=service).exclude(language__in=languages).delete()
    ServiceLanguage.objects.bulk_create(
        ServiceLanguage(service=service, language=language)
        for language in sorted(set(languages) - stored_languages)
    )


@transaction.atomic
def service_create(
    *, actor: Any, link: SitePartner, audiences: Collection[str], languages: Collection[str], **fields: Any
) -> Service:
    """Add a service of the partner of `link`; the change history names the site it was made at."""
    service = Service(partner=link.partner)
    _set_fields(service, SERVICE_FIELDS, fields, "service_create")
    _full_clean(service, _choice_errors(audiences, languages))
    service.save()
    _set_choices(service, audiences, languages)
    audit(
        actor=actor,
        action="inka.service.created",
        obj=service,
        site_id=link.site_id,
        changes=diff({}, _service_snapshot(service, audiences, languages)),
    )
    return service


@transaction.atomic
def service_update(
    *,
    actor: Any,
    service: Service,
    link: SitePartner,
    audiences: Collection[str],
    languages: Collection[str],
    **fields: Any,
) -> Service:
    """Change a service of the partner of `link`, with its target groups and languages."""
    if service.partner_id != link.partner_id:
        raise ValueError("The service belongs to another partner.")
    stored = _service_snapshot(Service.objects.get(pk=service.pk), *_stored_choices(service))
    _set_fields(service, SERVICE_FIELDS, fields, "service_update")
    _full_clean(service, _choice_errors(audiences, languages))
    service.save()
    _set_choices(service, audiences, languages)
    changes = diff(stored, _service_snapshot(service, audiences, languages))
    if changes:
        audit(actor=actor, action="inka.service.updated", obj=service, site_id=link.site_id, changes=changes)
    return service


# Further contact persons at a partner: the site's own, like the cooperation.


@transaction.atomic
def partner_contact_create(*, actor: Any, link: SitePartner, **fields: Any) -> PartnerContact:
    """Add a contact person to the site's cooperation with a partner."""
    contact = PartnerContact(link=link)
    _set_fields(contact, CONTACT_FIELDS, fields, "partner_contact_create")
    contact.full_clean()
    contact.save()
    audit(
        actor=actor,
        action="inka.partner_contact.created",
        obj=contact,
        site_id=link.site_id,
        changes=diff({}, snapshot(contact, CONTACT_FIELDS)),
    )
    return contact


@transaction.atomic
def partner_contact_update(*, actor: Any, contact: PartnerContact, **fields: Any) -> PartnerContact:
    """Change a contact person at a partner."""
    stored = snapshot(PartnerContact.objects.get(pk=contact.pk), CONTACT_FIELDS)
    _set_fields(contact, CONTACT_FIELDS, fields, "partner_contact_update")
    contact.full_clean()
    contact.save()
    changes = diff(stored, snapshot(contact, CONTACT_FIELDS))
    if changes:
        audit(
            actor=actor,
            action="inka.partner_contact.updated",
            obj=contact,
            site_id=contact.link.site_id,
            changes=changes,
        )
    return contact


@transaction.atomic
def partner_contact_delete(*, actor: Any, contact: PartnerContact) -> None:
    """Remove a contact person who no longer works with the site; the history keeps the entry."""
    audit(
        actor=actor,
        action="inka.partner_contact.deleted",
        obj=contact,
        site_id=contact.link.site_id,
        changes=diff(snapshot(contact, CONTACT_FIELDS), {}),
    )
    contact.delete()


# Cooperation agreements


def _agreement_errors(agreement: Agreement) -> dict[str, str]:
    """The rules of an agreement that the model alone cannot check."""
    errors = {}
    if agreement.partner_id is not None:
        if partner_get_for_site(site_id=agreement.site_id, partner_id=agreement.partner_id) is None:
            errors["partner"] = _("Choose a partner on your site's list.")
        elif (
            agreement.kind == AgreementKind.MUNICIPAL_CONTRACT
            and agreement.partner.kind != PartnerKind.MUNICIPALITY
        ):
            errors["partner"] = _(
                "The contract with the municipality names a partner of the kind "
                "“Municipality or district office”."
            )
    if agreement.signed_on and agreement.signed_on > timezone.localdate():
        errors["signed_on"] = _("The date must not be in the future.")
    if agreement.starts_on and agreement.ends_on and agreement.ends_on < agreement.starts_on:
        errors["ends_on"] = _("The agreement cannot end before it starts.")
    if agreement.remind_on and agreement.ends_on and agreement.remind_on > agreement.ends_on:
        errors["remind_on"] = _("The reminder cannot come after the end of the agreement.")
    return errors


def _save_agreement(agreement: Agreement) -> None:
    if agreement.ends_on and not agreement.remind_on:
        agreement.remind_on = shift_months(agreement.ends_on, -REMIND_MONTHS_BEFORE_END)
    # The rule "ends after it starts" is a database constraint too; _agreement_errors names the field.
    _full_clean(agreement, _agreement_errors(agreement), validate_constraints=False)
    agreement.save()


@transaction.atomic
def agreement_create(*, actor: Any, site: Site, **fields: Any) -> Agreement:
    """Record an agreement of the site with a partner on its list; the reminder defaults to 3 months
    before the end."""
    agreement = Agreement(site=site)
    _set_fields(agreement, AGREEMENT_FIELDS, fields, "agreement_create")
    _save_agreement(agreement)
    audit(
        actor=actor,
        action="inka.agreement.created",
        obj=agreement,
        changes=diff({}, snapshot(agreement, AGREEMENT_FIELDS)),
    )
    return agreement


@transaction.atomic
def agreement_update(*, actor: Any, agreement: Agreement, **fields: Any) -> Agreement:
    """Change an agreement; an emptied reminder date defaults again to 3 months before the end."""
    stored = snapshot(Agreement.objects.get(pk=agreement.pk), AGREEMENT_FIELDS)
    _set_fields(agreement, AGREEMENT_FIELDS, fields, "agreement_update")
    _save_agreement(agreement)
    changes = diff(stored, snapshot(agreement, AGREEMENT_FIELDS))
    if changes:
        audit(actor=actor, action="inka.agreement.updated", obj=agreement, changes=changes)
    return agreement


@transaction.atomic
def agreement_renew(*, actor: Any, agreement: Agreement, **fields: Any) -> Agreement:
    """Record the follow-up agreement and link it to the old one, whose reminder thereby ends."""
    # Locked, so that two clicks on "renew" cannot make two follow-ups.
    old = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if old.renewed_by_id is not None:
        raise ValidationError(_("This agreement has already been renewed."))
    follow_up = agreement_create(actor=actor, site=old.site, **fields)
    old.renewed_by = follow_up
    old.save(update_fields=["renewed_by", "updated_at"])
    agreement.renewed_by = follow_up
    audit(actor=actor, action="inka.agreement.renewed", obj=old, changes={"renewed_by": [None, follow_up.pk]})
    return follow_up


# Network activities


def _activity_partner_errors(site_id: int, partners: Collection[Partner]) -> dict[str, str]:
    on_list = set(
        SitePartner.objects.filter(site_id=site_id, partner__in=partners).values_list("partner_id", flat=True)
    )
    if any(partner.pk not in on_list for partner in partners):
        return {"partners": _("Choose partners on your site's list.")}
    return {}


def _activity_snapshot(activity: NetworkActivity, partners: Collection[Partner]) -> dict[str, Any]:
    return {**snapshot(activity, ACTIVITY_FIELDS), "partners": sorted(partner.pk for partner in partners)}


@transaction.atomic
def activity_create(
    *, actor: Any, site: Site, partners: Collection[Partner] = (), **fields: Any
) -> NetworkActivity:
    """Record a meeting, joint project or working group of the site, with the partners present."""
    activity = NetworkActivity(site=site)
    _set_fields(activity, ACTIVITY_FIELDS, fields, "activity_create")
    _full_clean(activity, _activity_partner_errors(site.pk, partners))
    activity.save()
    activity.partners.set(partners)
    audit(
        actor=actor,
        action="inka.network_activity.created",
        obj=activity,
        changes=diff({}, _activity_snapshot(activity, partners)),
    )
    return activity


@transaction.atomic
def activity_update(
    *, actor: Any, activity: NetworkActivity, partners: Collection[Partner], **fields: Any
) -> NetworkActivity:
    """Change a network activity and who was present."""
    stored = _activity_snapshot(NetworkActivity.objects.get(pk=activity.pk), list(activity.partners.all()))
    _set_fields(activity, ACTIVITY_FIELDS, fields, "activity_update")
    _full_clean(activity, _activity_partner_errors(activity.site_id, partners))
    activity.save()
    activity.partners.set(partners)
    changes = diff(stored, _activity_snapshot(activity, partners))
    if changes:
        audit(actor=actor, action="inka.network_activity.updated", obj=activity, changes=changes)
    return activity
