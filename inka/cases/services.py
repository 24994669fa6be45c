"""Writes of case work: validated, atomic, each with an audit entry naming the actor.

Rules that need other rows live here: no contact in the future, nothing new on a case without a
valid consent to counselling, no referral without a matching sharing consent (or a documented
reason), no lost update on a case (optimistic locking by `version`).
"""

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from inka.cases import uploads
from inka.cases.models import (
    Case,
    CaseNeed,
    Consent,
    Contact,
    ContactTopic,
    Document,
    FollowUp,
    Goal,
    GoalStep,
    Person,
    Progress,
    Referral,
    Topic,
)
from inka.cases.names import name_key, name_sound
from inka.core.audit import audit, diff, snapshot
from inka.core.cleaning import lf, lf_fields, not_in_future
from inka.programme.models import Site

PERSON_FIELDS = [
    "first_name", "last_name", "birth_date", "gender", "street", "postcode", "town", "in_neighbourhood",
    "phone", "email", "household_size", "children", "languages", "residence_status", "disability",
]  # fmt: skip
CASE_FIELDS = [
    "caseworker", "opened_on", "life_situation", "notes", "health_note", "addiction_note",
    "criminal_record_note",
]  # fmt: skip
CONTACT_FIELDS = ["occurred_on", "mode", "duration_minutes", "age_band", "gender", "note", "next_step"]
CONSENT_FIELDS = [
    "purpose", "partner", "partner_kind", "text_version", "form", "given_on", "expires_on",
]  # fmt: skip
GOAL_FIELDS = ["title", "topic", "who_acts", "due_on", "status", "done_on"]
STEP_FIELDS = ["title", "who_acts", "due_on", "status", "done_on"]
REFERRAL_LINK_DAYS = 30


class EditConflict(Exception):  # noqa: N818  (it is not an error of the program)
    """Someone else saved the case since the form was loaded; `current` is the stored case."""

    def __init__(self, current: Case) -> None:
        super().__init__("the case was changed in the meantime")
        self.current = current


# Persons and consents


@transaction.atomic
def person_create(*, actor: Any, site: Site, **fields: Any) -> Person:
    """Record a person at a site."""
    person = Person(site=site, **lf_fields(fields))
    not_in_future(person.birth_date, "birth_date")
    _set_name_keys(person)
    person.full_clean()
    person.save()
    audit(
        actor=actor,
        action="inka.person.created",
        obj=person,
        changes=diff({}, snapshot(person, PERSON_FIELDS)),
    )
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    """Correct a person's data; the audit entry holds old and new values."""
    stored = snapshot(Person.objects.get(pk=person.pk), PERSON_FIELDS)
    for name, value in lf_fields(fields).items():
        setattr(person, name, value)
    not_in_future(person.birth_date, "birth_date")
    _set_name_keys(person)
    person.full_clean()
    person.save()
    changes = diff(stored, snapshot(person, PERSON_FIELDS))
    if changes:
        audit(actor=actor, action="inka.person.updated", obj=person, changes=changes)
    return person


def _set_name_keys(person: Person) -> None:
    person.name_key = name_key(person.last_name, person.first_name)
    person.last_name_sound = name_sound(person.last_name)


@transaction.atomic
def consent_record(*, actor: Any, person: Person, **fields: Any) -> Consent:
    """Record a consent the person gave, with its purpose and the version of the text."""
    consent = Consent(person=person, taken_by=actor, **lf_fields(fields))
    not_in_future(consent.given_on, "given_on")
    if consent.purpose != Consent.Purpose.SHARING:
        consent.partner, consent.partner_kind = None, ""
    consent.full_clean()
    consent.save()
    audit(
        actor=actor,
        action="inka.consent.recorded",
        obj=consent,
        site_id=person.site_id,
        person=person.pk,
        changes=diff({}, snapshot(consent, CONSENT_FIELDS)),
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: Consent, withdrawn_on: date, note: str = "") -> Consent:
    """Withdraw a consent from a date on; what relied on it stops, its history stays."""
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    not_in_future(withdrawn_on, "withdrawn_on")
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("The consent cannot be withdrawn before it was given.")})
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_note = lf(note)
    consent.save(update_fields=["withdrawn_on", "withdrawal_note", "updated_at"])
    # Partners can no longer open referrals that relied on this consent.
    revoked = list(
        Referral.objects.filter(consent=consent, status=Referral.Status.SENT, link_used_at=None)
        .exclude(token_hash="")
        .values_list("pk", flat=True)
    )
    Referral.objects.filter(pk__in=revoked).update(token_hash="", link_expires_at=None)
    audit(
        actor=actor,
        action="inka.consent.withdrawn",
        obj=consent,
        site_id=consent.person.site_id,
        person=consent.person_id,
        withdrawn_on=withdrawn_on,
        revoked_referral_links=revoked,
    )
    return consent


def counselling_consent_on(person: Person, day: date) -> Consent | None:
    """The consent to counselling and documentation that is valid on `day`, if any."""
    consents = person.consents.filter(purpose=Consent.Purpose.COUNSELLING).order_by("-given_on", "-pk")
    return next((consent for consent in consents if consent.is_valid_on(day)), None)


def require_counselling_consent(case: Case) -> None:
    if counselling_consent_on(case.person, timezone.localdate()) is None:
        raise ValidationError(
            _(
                "There is no valid consent to counselling and documentation for this person. "
                "Record the consent first."
            )
        )


def require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("The case is closed. Reopen it to add something."))


# Cases


@transaction.atomic
def case_open(
    *,
    actor: Any,
    person: Person,
    caseworker: Any,
    opened_on: date,
    needs: Iterable[str] = (),
    from_contact: Contact | None = None,
    **intake: Any,
) -> Case:
    """Open a case for a person; an anonymous contact it grows out of becomes its first contact."""
    not_in_future(opened_on, "opened_on")
    if person.cases.filter(status=Case.Status.OPEN).exists():
        raise ValidationError(_("This person already has an open case."))
    if from_contact is not None and not from_contact.is_anonymous:
        raise ValidationError(_("This contact already belongs to a case."))
    if from_contact is not None and from_contact.occurred_on < opened_on:
        raise ValidationError({"opened_on": _("The case cannot start after the contact it grows out of.")})
    site = Site.objects.select_for_update().get(pk=person.site_id)
    case = Case(site=site, person=person, caseworker=caseworker, opened_on=opened_on, **lf_fields(intake))
    case.reference = _next_reference(site, opened_on.year)
    case.full_clean()
    case.save()
    _set_needs(case, needs)
    audit(
        actor=actor,
        action="inka.case.opened",
        obj=case,
        person=person.pk,
        changes=diff({}, {**snapshot(case, CASE_FIELDS), "needs": sorted(needs)}),
    )
    if from_contact is not None:
        from_contact.case = case
        from_contact.save(update_fields=["case"])  # taking it into the case is no edit of its content
        audit(actor=actor, action="inka.contact.attached", obj=from_contact, case=case.pk)
    return case


@transaction.atomic
def case_open_for_new_person(
    *, actor: Any, site: Site, person_fields: dict[str, Any], **case_fields: Any
) -> Case:
    """Record a new person and open their case, both or neither."""
    person = person_create(actor=actor, site=site, **person_fields)
    return case_open(actor=actor, person=person, **case_fields)


def _next_reference(site: Site, year: int) -> str:
    prefix = f"{site.code}-{year}-"
    last = (
        Case.objects.filter(site=site, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


def _set_needs(case: Case, needs: Iterable[str]) -> None:
    case.needs.all().delete()
    CaseNeed.objects.bulk_create(CaseNeed(case=case, topic=topic) for topic in sorted(set(needs)))


def _save_versioned(case: Case, version: int, fields: list[str]) -> None:
    """Save `fields` only if the stored version is still `version`; otherwise raise EditConflict."""
    values = {name: getattr(case, name) for name in fields}
    # `caseworker` is written by its column name in an UPDATE.
    if "caseworker" in values:
        values["caseworker_id"] = values.pop("caseworker").pk
    saved = Case.objects.filter(pk=case.pk, version=version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if not saved:
        raise EditConflict(Case.objects.select_related("caseworker").get(pk=case.pk))
    case.version = version + 1


@transaction.atomic
def case_update(*, actor: Any, case: Case, version: int, needs: Iterable[str], **fields: Any) -> Case:
    """Change a case's intake; refused with EditConflict if someone saved it in the meantime."""
    stored_case = Case.objects.get(pk=case.pk)
    stored = {**snapshot(stored_case, CASE_FIELDS), "needs": _needs_of(stored_case)}
    for name, value in lf_fields(fields).items():
        setattr(case, name, value)
    not_in_future(case.opened_on, "opened_on")
    case.full_clean(exclude=["reference"])
    if case.closed_on is not None and case.opened_on > case.closed_on:
        raise ValidationError({"opened_on": _("A case cannot be closed before it was opened.")})
    _save_versioned(case, version, list(fields))
    _set_needs(case, needs)
    changes = diff(stored, {**snapshot(case, CASE_FIELDS), "needs": sorted(set(needs))})
    if changes:
        audit(actor=actor, action="inka.case.updated", obj=case, changes=changes)
    return case


def _needs_of(case: Case) -> list[str]:
    return sorted(case.needs.values_list("topic", flat=True))


@transaction.atomic
def case_close(
    *, actor: Any, case: Case, version: int, closed_on: date, close_reason: str, outcome: str = ""
) -> Case:
    """Close a case with a reason and an outcome; open follow-ups on it are done with it."""
    if not case.is_open:
        raise ValidationError(_("This case is already closed."))
    not_in_future(closed_on, "closed_on")
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": _("A case cannot be closed before it was opened.")})
    case.status, case.closed_on = Case.Status.CLOSED, closed_on
    case.close_reason, case.outcome = close_reason, lf(outcome)
    case.full_clean(exclude=["reference"])
    _save_versioned(case, version, ["status", "closed_on", "close_reason", "outcome"])
    case.follow_ups.filter(done_on=None).update(done_on=closed_on)
    audit(
        actor=actor,
        action="inka.case.closed",
        obj=case,
        changes=diff(
            {"status": Case.Status.OPEN}, snapshot(case, ["status", "closed_on", "close_reason", "outcome"])
        ),
    )
    return case


@transaction.atomic
def case_reopen(*, actor: Any, case: Case, version: int) -> Case:
    """Reopen a closed case; the earlier closure stays in the history."""
    if case.is_open:
        raise ValidationError(_("This case is open."))
    if case.person.cases.filter(status=Case.Status.OPEN).exists():
        raise ValidationError(_("This person already has an open case."))
    before = snapshot(case, ["status", "closed_on", "close_reason", "outcome"])
    case.status, case.closed_on, case.close_reason = Case.Status.OPEN, None, ""
    _save_versioned(case, version, ["status", "closed_on", "close_reason"])
    audit(
        actor=actor,
        action="inka.case.reopened",
        obj=case,
        changes=diff(before, snapshot(case, ["status", "closed_on", "close_reason", "outcome"])),
    )
    return case


# Contacts


@transaction.atomic
def contact_record(
    *, actor: Any, site: Site, topics: Iterable[str], case: Case | None = None, **fields: Any
) -> Contact:
    """Record a contact: anonymous without a case (no personal data at all), else on the case."""
    if case is not None:
        require_open(case)
        require_counselling_consent(case)
        site = case.site
    contact = Contact(site=site, case=case, author=actor, **lf_fields(fields))
    _validate_contact(contact, topics)
    contact.save()
    ContactTopic.objects.bulk_create(
        ContactTopic(contact=contact, topic=topic) for topic in sorted(set(topics))
    )
    audit(
        actor=actor,
        action="inka.contact.recorded",
        obj=contact,
        case=case.pk if case else None,
        changes=diff({}, {**snapshot(contact, CONTACT_FIELDS), "topics": sorted(set(topics))}),
    )
    return contact


def _validate_contact(contact: Contact, topics: Iterable[str]) -> None:
    not_in_future(contact.occurred_on, "occurred_on")
    if not list(topics):
        raise ValidationError({"topics": _("Choose at least one topic.")})
    if contact.case is None and (contact.note or contact.next_step):
        raise ValidationError({"note": _("An anonymous contact holds no notes.")})
    if contact.case is not None and contact.occurred_on and contact.occurred_on < contact.case.opened_on:
        raise ValidationError({"occurred_on": _("The contact cannot be before the case was opened.")})
    contact.full_clean()


@transaction.atomic
def contact_update(*, actor: Any, contact: Contact, topics: Iterable[str], **fields: Any) -> Contact:
    """Correct a contact (its author only, checked by the view); the history keeps the old values."""
    stored_contact = Contact.objects.get(pk=contact.pk)
    stored = {**snapshot(stored_contact, CONTACT_FIELDS), "topics": _topics_of(stored_contact)}
    for name, value in lf_fields(fields).items():
        setattr(contact, name, value)
    _validate_contact(contact, topics)
    contact.save()
    contact.topics.all().delete()
    ContactTopic.objects.bulk_create(
        ContactTopic(contact=contact, topic=topic) for topic in sorted(set(topics))
    )
    changes = diff(stored, {**snapshot(contact, CONTACT_FIELDS), "topics": sorted(set(topics))})
    if changes:
        audit(actor=actor, action="inka.contact.updated", obj=contact, case=contact.case_id, changes=changes)
    return contact


def _topics_of(contact: Contact) -> list[str]:
    return sorted(contact.topics.values_list("topic", flat=True))


@transaction.atomic
def anonymous_contacts_record(
    *,
    actor: Any,
    site: Site,
    occurred_on: date,
    mode: str,
    count: int,
    topic_counts: Mapping[str, int],
    replacing: Iterable[Contact] = (),
) -> list[Contact]:
    """Record `count` anonymous contacts at once (the conversations of an outreach round), topic t on
    the first topic_counts[t] of them; the still anonymous ones of `replacing` are deleted first.

    The caller audits the whole batch (one entry for the round, not one per conversation).
    """
    not_in_future(occurred_on, "occurred_on")
    if set(topic_counts) - set(Topic.values):
        raise ValidationError({"topics": _("Choose topics from the list.")})
    if any(n < 0 or n > count for n in topic_counts.values()):
        raise ValidationError({"topics": _("A topic cannot come up in more conversations than were held.")})
    Contact.objects.filter(pk__in=[c.pk for c in replacing], site=site, case=None).delete()
    contacts = [Contact(site=site, occurred_on=occurred_on, mode=mode, author=actor) for __ in range(count)]
    if contacts:
        contacts[0].full_clean()
    contacts = Contact.objects.bulk_create(contacts)
    ContactTopic.objects.bulk_create(
        ContactTopic(contact=contact, topic=topic)
        for topic, n in sorted(topic_counts.items())
        for contact in contacts[:n]
    )
    return contacts


# Help plan


def _audit_case_part(actor: Any, action: str, obj: Any, case: Case, changes: dict[str, list[Any]]) -> None:
    audit(actor=actor, action=action, obj=obj, site_id=case.site_id, case=case.pk, changes=changes)


def _set_done_on(item: Goal | GoalStep) -> None:
    # Open items have no end date; achieved or given-up items get today unless one is given.
    if item.status == Progress.OPEN:
        item.done_on = None
    elif item.done_on is None:
        item.done_on = timezone.localdate()
    not_in_future(item.done_on, "done_on")


@transaction.atomic
def goal_create(*, actor: Any, case: Case, **fields: Any) -> Goal:
    """Add a goal to the help plan."""
    require_open(case)
    require_counselling_consent(case)
    goal = Goal(case=case, **lf_fields(fields))
    _set_done_on(goal)
    goal.full_clean()
    goal.save()
    _audit_case_part(actor, "inka.goal.added", goal, case, diff({}, snapshot(goal, GOAL_FIELDS)))
    return goal


@transaction.atomic
def goal_update(*, actor: Any, goal: Goal, **fields: Any) -> Goal:
    """Change a goal, for example mark it achieved."""
    stored = snapshot(Goal.objects.get(pk=goal.pk), GOAL_FIELDS)
    for name, value in lf_fields(fields).items():
        setattr(goal, name, value)
    _set_done_on(goal)
    goal.full_clean()
    goal.save()
    changes = diff(stored, snapshot(goal, GOAL_FIELDS))
    if changes:
        _audit_case_part(actor, "inka.goal.updated", goal, goal.case, changes)
    return goal


@transaction.atomic
def step_create(*, actor: Any, goal: Goal, **fields: Any) -> GoalStep:
    """Add a step towards a goal."""
    require_open(goal.case)
    step = GoalStep(goal=goal, **lf_fields(fields))
    _set_done_on(step)
    step.full_clean()
    step.save()
    _audit_case_part(actor, "inka.goal.step_added", step, goal.case, diff({}, snapshot(step, STEP_FIELDS)))
    return step


@transaction.atomic
def step_update(*, actor: Any, step: GoalStep, **fields: Any) -> GoalStep:
    """Change a step, for example mark it done."""
    stored = snapshot(GoalStep.objects.get(pk=step.pk), STEP_FIELDS)
    for name, value in lf_fields(fields).items():
        setattr(step, name, value)
    _set_done_on(step)
    step.full_clean()
    step.save()
    changes = diff(stored, snapshot(step, STEP_FIELDS))
    if changes:
        _audit_case_part(actor, "inka.goal.step_updated", step, step.goal.case, changes)
    return step


# Follow-ups


@transaction.atomic
def follow_up_create(*, actor: Any, case: Case, due_on: date, subject: str, assigned_to: Any) -> FollowUp:
    """Put a reminder on someone's work list."""
    require_open(case)
    follow_up = FollowUp(case=case, due_on=due_on, subject=subject, assigned_to=assigned_to, created_by=actor)
    follow_up.full_clean()
    follow_up.save()
    _audit_case_part(
        actor,
        "inka.follow_up.added",
        follow_up,
        case,
        diff({}, snapshot(follow_up, ["due_on", "subject", "assigned_to"])),
    )
    return follow_up


@transaction.atomic
def follow_up_done(*, actor: Any, follow_up: FollowUp, done_on: date | None = None) -> FollowUp:
    """Tick off a reminder."""
    if follow_up.done_on is not None:
        raise ValidationError(_("This follow-up is already done."))
    follow_up.done_on = done_on or timezone.localdate()
    follow_up.save(update_fields=["done_on", "updated_at"])
    _audit_case_part(
        actor, "inka.follow_up.done", follow_up, follow_up.case, {"done_on": [None, str(follow_up.done_on)]}
    )
    return follow_up


# Referrals


@dataclass(frozen=True)
class IssuedReferral:
    referral: Referral
    token: str  # shown once; only its hash is stored


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_link(referral: Referral) -> str:
    token = secrets.token_urlsafe(32)
    referral.token_hash = _hash(token)
    referral.link_expires_at = timezone.now() + timedelta(days=REFERRAL_LINK_DAYS)
    referral.link_used_at = None
    return token


def sharing_consent_for(case: Case, partner: Any, day: date) -> Consent | None:
    """A valid consent of the person to share data with this partner (by name or by type)."""
    consents = case.person.consents.filter(purpose=Consent.Purpose.SHARING).order_by("-given_on", "-pk")
    return next((c for c in consents if c.is_valid_on(day) and c.covers_partner(partner)), None)


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    case: Case,
    partner: Any,
    purpose: str,
    message: str = "",
    override_reason: str = "",
    service: Any = None,
) -> IssuedReferral:
    """Refer the case to a partner, or to one of its services: only with the person's consent to share
    with that partner, or with a documented reason (an override, recorded on the referral)."""
    require_open(case)
    if not partner.is_active:
        raise ValidationError({"partner": _("This partner is no longer active.")})
    if service is not None and service.partner_id != partner.pk:
        raise ValidationError({"service": _("This service is offered by another partner.")})
    if service is not None and not service.is_active:
        raise ValidationError({"service": _("This service is no longer offered.")})
    today = timezone.localdate()
    consent = sharing_consent_for(case, partner, today)
    override_reason = override_reason.strip()
    if consent is None and not override_reason:
        raise ValidationError(
            {
                "partner": _(
                    "There is no valid consent to share data with this partner or partner type. "
                    "Record the consent first, or document why the referral cannot wait."
                )
            }
        )
    referral = Referral(
        case=case,
        partner=partner,
        service=service,
        purpose=purpose,
        message=lf(message),
        consent=consent,
        consent_override_reason="" if consent else override_reason,
        sent_on=today,
        created_by=actor,
    )
    token = _issue_link(referral)
    referral.full_clean()
    referral.save()
    _audit_case_part(
        actor,
        "inka.referral.sent",
        referral,
        case,
        diff({}, snapshot(referral, ["partner", "service", "purpose", "consent", "consent_override_reason"])),
    )
    return IssuedReferral(referral, token)


@transaction.atomic
def referral_renew_link(*, actor: Any, referral: Referral) -> IssuedReferral:
    """A new one-time link for a referral that still waits for an answer; the old link stops working."""
    if not referral.awaits_answer:
        raise ValidationError(_("The partner has already answered this referral."))
    consent = referral.consent
    if consent is not None and not consent.is_valid_on(timezone.localdate()):
        raise ValidationError(_("The consent this referral relied on is no longer valid."))
    token = _issue_link(referral)
    referral.save(update_fields=["token_hash", "link_expires_at", "link_used_at", "updated_at"])
    _audit_case_part(actor, "inka.referral.link_renewed", referral, referral.case, {})
    return IssuedReferral(referral, token)


class LinkState:
    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


def referral_for_token(token: str) -> tuple[str, Referral | None]:
    """The referral a partner's link points to, and whether the link can still be used."""
    referral = (
        Referral.by_link.select_related("partner", "case__site", "case__person", "created_by")
        .filter(token_hash=_hash(token))
        .first()
        if token
        else None
    )
    if referral is None:
        return LinkState.UNKNOWN, None
    if referral.link_used_at is not None:
        return LinkState.USED, referral
    if referral.link_expires_at is None or referral.link_expires_at <= timezone.now():
        return LinkState.EXPIRED, referral
    return LinkState.VALID, referral


PARTNER_ANSWERS = (Referral.Status.ACCEPTED, Referral.Status.DECLINED, Referral.Status.COMPLETED)


@transaction.atomic
def referral_answer(
    *, token: str, status: str, answered_by: str = "", reason: str = "", outcome: str = ""
) -> Referral:
    """The partner's one answer through the link; the link cannot be used again."""
    state, referral = referral_for_token(token)
    if referral is None or state != LinkState.VALID:
        raise ValidationError(_("This link can no longer be used."))
    # Lock the row: two clicks on "send" must not both count.
    locked = Referral.by_link.select_for_update().get(pk=referral.pk)
    if locked.link_used_at is not None:
        raise ValidationError(_("This link can no longer be used."))
    if status not in PARTNER_ANSWERS:
        raise ValidationError({"status": _("Choose an answer.")})
    if status == Referral.Status.DECLINED and not reason.strip():
        raise ValidationError({"reason": _("Please give a reason for declining.")})
    if status == Referral.Status.COMPLETED and not outcome.strip():
        raise ValidationError({"outcome": _("Please describe the outcome.")})
    locked.status = status
    locked.answered_on = timezone.localdate()
    locked.answered_by = answered_by.strip()
    locked.decline_reason = reason.strip() if status == Referral.Status.DECLINED else ""
    locked.outcome = outcome.strip() if status == Referral.Status.COMPLETED else ""
    locked.link_used_at = timezone.now()
    locked.full_clean()
    locked.save()
    _audit_case_part(
        None,
        "inka.referral.answered_by_partner",
        locked,
        referral.case,
        diff({"status": Referral.Status.SENT}, snapshot(locked, ["status", "decline_reason", "outcome"])),
    )
    return locked


@transaction.atomic
def referral_update(
    *, actor: Any, referral: Referral, status: str, outcome: str = "", reason: str = ""
) -> Referral:
    """The caseworker records the answer (by phone, for example), the completion or a withdrawal."""
    allowed = {
        Referral.Status.SENT: {Referral.Status.ACCEPTED, Referral.Status.DECLINED, Referral.Status.WITHDRAWN},
        Referral.Status.ACCEPTED: {Referral.Status.COMPLETED, Referral.Status.WITHDRAWN},
    }.get(Referral.Status(referral.status), set())
    if status not in allowed:
        raise ValidationError({"status": _("This change of status is not possible.")})
    if status == Referral.Status.DECLINED and not reason.strip():
        raise ValidationError({"reason": _("Please give a reason for declining.")})
    if status == Referral.Status.COMPLETED and not outcome.strip():
        raise ValidationError({"outcome": _("Please describe the outcome.")})
    before = snapshot(referral, ["status", "decline_reason", "outcome"])
    referral.status = status
    if status == Referral.Status.DECLINED:
        referral.decline_reason = reason.strip()
    if status == Referral.Status.COMPLETED:
        referral.outcome = outcome.strip()
    if referral.answered_on is None and status in PARTNER_ANSWERS:
        referral.answered_on = timezone.localdate()
    # Once the caseworker has the answer, the partner's link has done its job.
    referral.token_hash, referral.link_expires_at = "", None
    referral.full_clean()
    referral.save()
    _audit_case_part(
        actor,
        "inka.referral.updated",
        referral,
        referral.case,
        diff(before, snapshot(referral, list(before))),
    )
    return referral


# Documents


@transaction.atomic
def document_upload(*, actor: Any, case: Case, title: str, upload: Any) -> Document:
    """Store a PDF, JPEG or PNG on the case, checked by its content, under a random name."""
    require_open(case)
    require_counselling_consent(case)
    checked = uploads.check(upload)
    document = Document(
        case=case,
        title=title.strip() or checked.safe_name,
        original_name=checked.safe_name,
        stored_name=uploads.random_name(checked.content_type),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    document.full_clean()
    path = uploads.store(upload, document.stored_name)
    try:
        document.save()
        _audit_case_part(
            actor,
            "inka.document.uploaded",
            document,
            case,
            diff({}, snapshot(document, ["title", "original_name", "content_type", "size"])),
        )
    except Exception:
        # No row, no file: a failed upload leaves nothing behind.
        path.unlink(missing_ok=True)
        raise
    return document
