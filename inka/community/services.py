"""Writes of neighbourhood work: validated, atomic, with an audit entry naming the actor."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from inka.accounts.selectors import site_caseworkers
from inka.cases.models import AgeBand, ContactMode, ContactTopic, Gender, Person
from inka.cases.services import anonymous_contacts_record
from inka.community.models import (
    Activation,
    Attendance,
    AttendanceMode,
    Headcount,
    OutreachRound,
    OutreachTopic,
    Project,
    Session,
    Volunteer,
    VolunteerHours,
)
from inka.community.selectors import person_has_community_consent
from inka.core.audit import audit, diff, json_value, snapshot
from inka.core.cleaning import lf, lf_fields, not_in_future
from inka.network.models import Partner, SitePartner
from inka.programme.models import Site

# Volunteers and their hours (G3), outreach rounds (G5)

VOLUNTEER_FIELDS = [
    "person", "first_name", "last_name", "phone", "email", "skills", "availability", "since", "until",
]  # fmt: skip
HOURS_FIELDS = ["project", "session", "month", "hours", "activity"]
OUTREACH_FIELDS = ["held_on", "area", "duration_minutes", "conversations", "note"]
SESSION_HOURS_MAX = Decimal(24)
MONTH_HOURS_MAX = Decimal(744)


def _validate_volunteer(volunteer: Volunteer) -> None:
    if volunteer.since and volunteer.until and volunteer.until < volunteer.since:
        raise ValidationError({"until": _("The end of the engagement cannot be before its start.")})
    if volunteer.person is not None:
        if volunteer.person.site_id != volunteer.site_id:
            raise ValidationError({"person": _("Choose a person of this site.")})
        if Volunteer.objects.filter(person=volunteer.person).exclude(pk=volunteer.pk).exists():
            raise ValidationError({"person": _("This person is already recorded as a volunteer.")})
    volunteer.full_clean()


@transaction.atomic
def volunteer_create(*, actor: Any, site: Site, **fields: Any) -> Volunteer:
    """Record a volunteer of the site (also a client of it if `person` is given)."""
    volunteer = Volunteer(site=site, **lf_fields(fields))
    _validate_volunteer(volunteer)
    volunteer.save()
    audit(
        actor=actor,
        action="inka.volunteer.created",
        obj=volunteer,
        changes=diff({}, snapshot(volunteer, VOLUNTEER_FIELDS)),
    )
    return volunteer


@transaction.atomic
def volunteer_update(*, actor: Any, volunteer: Volunteer, **fields: Any) -> Volunteer:
    """Correct a volunteer's data or end the engagement (`until`)."""
    stored = snapshot(Volunteer.objects.get(pk=volunteer.pk), VOLUNTEER_FIELDS)
    for name, value in lf_fields(fields).items():
        setattr(volunteer, name, value)
    _validate_volunteer(volunteer)
    volunteer.save()
    changes = diff(stored, snapshot(volunteer, VOLUNTEER_FIELDS))
    if changes:
        audit(actor=actor, action="inka.volunteer.updated", obj=volunteer, changes=changes)
    return volunteer


def volunteer_certificate_issue(
    *, actor: Any, volunteer: Volunteer, period_from: date, period_to: date, hours: Decimal
) -> None:
    """Note in the volunteer's history that a certificate of engagement was issued, and what it says."""
    audit(
        actor=actor,
        action="inka.volunteer.certificate_issued",
        obj=volunteer,
        period_from=period_from,
        period_to=period_to,
        hours=hours,
    )


def _hours(value: Any) -> Any:
    """Hours with the two decimals they are stored with, so that the history compares like with like."""
    return value.quantize(Decimal("0.01")) if isinstance(value, Decimal) and value.is_finite() else value


def _validate_session_hours(session: Session, site_id: int, hours: Decimal | None, field: str) -> None:
    if session.project.site_id != site_id:
        raise ValidationError({"session": _("The session does not belong to this site.")})
    if session.held_on > timezone.localdate():
        raise ValidationError(
            {"session": _("Hours can be recorded only for a session that has taken place.")}
        )
    if hours is None or hours <= 0:
        raise ValidationError({field: _("Enter more than 0 hours.")})
    if hours > SESSION_HOURS_MAX:
        raise ValidationError({field: _("A session can count for at most 24 hours.")})


def _validate_hours(entry: VolunteerHours) -> None:
    if (entry.session is None) == (entry.month is None):
        raise ValidationError({"session": _("Give the hours either for a session or for a month.")})
    site_id = entry.volunteer.site_id
    if entry.session is not None:
        _validate_session_hours(entry.session, site_id, entry.hours, "hours")
        recorded = VolunteerHours.objects.filter(volunteer=entry.volunteer, session=entry.session)
        if recorded.exclude(pk=entry.pk).exists():
            raise ValidationError(
                {"session": _("Hours of this volunteer are already recorded for this session.")}
            )
    else:
        assert entry.month is not None
        if entry.month > timezone.localdate().replace(day=1):
            raise ValidationError({"month": _("The month must not be in the future.")})
        if entry.hours is None or entry.hours <= 0:
            raise ValidationError({"hours": _("Enter more than 0 hours.")})
        if entry.hours > MONTH_HOURS_MAX:
            raise ValidationError({"hours": _("A month can count for at most 744 hours.")})
        if entry.project is not None and entry.project.site_id != site_id:
            raise ValidationError({"project": _("The project does not belong to this site.")})
    entry.full_clean()


@transaction.atomic
def volunteer_hours_add(
    *,
    actor: Any,
    volunteer: Volunteer,
    hours: Decimal,
    session: Session | None = None,
    month: Any = None,
    project: Any = None,
    activity: str = "",
) -> VolunteerHours:
    """Record hours a volunteer gave: at a session of the site's projects, or over a month."""
    entry = VolunteerHours(
        volunteer=volunteer,
        session=session,
        # A session's hours belong to its project, so that totals per project need no second path.
        project=session.project if session is not None else project,
        month=month.replace(day=1) if month is not None else None,
        hours=_hours(hours),
        activity=lf(activity),
        recorded_by=actor,
    )
    _validate_hours(entry)
    entry.save()
    audit(
        actor=actor,
        action="inka.volunteer.hours_added",
        obj=volunteer,
        changes=diff({}, snapshot(entry, HOURS_FIELDS)),
        entry=entry.pk,
    )
    return entry


@transaction.atomic
def volunteer_hours_remove(*, actor: Any, entry: VolunteerHours) -> None:
    """Delete a wrongly recorded entry of hours; the history keeps what it said."""
    audit(
        actor=actor,
        action="inka.volunteer.hours_removed",
        obj=entry.volunteer,
        changes=diff(snapshot(entry, HOURS_FIELDS), {}),
        entry=entry.pk,
    )
    entry.delete()


@transaction.atomic
def session_hours_set(
    *, actor: Any, session: Session, hours: Mapping[Volunteer, Decimal | None], activity: str = ""
) -> list[VolunteerHours]:
    """Set the hours of several volunteers at a session at once, replacing what they had for it.

    Volunteers without hours (None) have none for the session afterwards. An entry keeps what was
    done; `activity` is for the entries that do not say it yet.
    """
    site_id = session.project.site_id
    errors: dict[str, str] = {}
    for volunteer, value in hours.items():
        field = f"volunteer_{volunteer.pk}"
        if volunteer.site_id != site_id:
            errors[field] = _("The volunteer does not belong to this site.")
        elif value is not None:
            try:
                _validate_session_hours(session, site_id, value, field)
            except ValidationError as error:
                errors.update({key: messages[0] for key, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    previous = {
        entry.volunteer_id: entry
        for entry in VolunteerHours.objects.filter(session=session, volunteer__in=list(hours))
    }
    VolunteerHours.objects.filter(pk__in=[entry.pk for entry in previous.values()]).delete()
    entries = []
    for volunteer, value in hours.items():
        if value is None:
            continue
        done = previous[volunteer.pk].activity if volunteer.pk in previous else ""
        entries.append(
            VolunteerHours(
                volunteer=volunteer,
                session=session,
                project=session.project,
                hours=_hours(value),
                activity=done or lf(activity),
                recorded_by=actor,
            )
        )
    for entry in entries:
        entry.full_clean()
    VolunteerHours.objects.bulk_create(entries)
    before = {str(pk): json_value(entry.hours) for pk, entry in previous.items()}
    after = {str(entry.volunteer.pk): json_value(entry.hours) for entry in entries}
    changes = diff(before, after)
    if changes:
        audit(
            actor=actor,
            action="inka.volunteer.session_hours_set",
            obj=session,
            site_id=site_id,
            changes=changes,
        )
    return entries


def _outreach_snapshot(
    outreach: OutreachRound, staff: Sequence[Any], topics: Mapping[str, int]
) -> dict[str, Any]:
    return {
        **snapshot(outreach, OUTREACH_FIELDS),
        "staff": sorted(user.pk for user in staff),
        "topics": {topic: n for topic, n in sorted(topics.items()) if n},
    }


def _validate_outreach(outreach: OutreachRound, staff: Sequence[Any], topics: Mapping[str, int]) -> None:
    not_in_future(outreach.held_on, "held_on")
    if not staff:
        raise ValidationError({"staff": _("Choose who went on the round.")})
    team = set(site_caseworkers(site_id=outreach.site_id).values_list("pk", flat=True))
    if any(user.pk not in team for user in staff):
        raise ValidationError({"staff": _("Choose members of the site's team.")})
    conversations = outreach.conversations or 0
    if any(n < 0 or n > conversations for n in topics.values()):
        raise ValidationError({"topics": _("A topic cannot come up in more conversations than were held.")})
    outreach.full_clean()


def _set_outreach_parts(outreach: OutreachRound, staff: Sequence[Any], topics: Mapping[str, int]) -> None:
    outreach.staff.set(staff)
    outreach.topics.all().delete()
    OutreachTopic.objects.bulk_create(
        OutreachTopic(round=outreach, topic=topic, conversations=n)
        for topic, n in sorted(topics.items())
        if n
    )


@transaction.atomic
def outreach_round_create(
    *, actor: Any, site: Site, staff: Sequence[Any], topics: Mapping[str, int], **fields: Any
) -> OutreachRound:
    """Record an outreach round; each of its conversations becomes an anonymous contact of the site."""
    outreach = OutreachRound(site=site, recorded_by=actor, **lf_fields(fields))
    _validate_outreach(outreach, staff, topics)
    outreach.save()
    _set_outreach_parts(outreach, staff, topics)
    contacts = anonymous_contacts_record(
        actor=actor,
        site=site,
        occurred_on=outreach.held_on,
        mode=ContactMode.OUTREACH,
        count=outreach.conversations,
        topic_counts=topics,
    )
    outreach.contacts.set(contacts)
    audit(
        actor=actor,
        action="inka.outreach.recorded",
        obj=outreach,
        changes=diff({}, _outreach_snapshot(outreach, staff, topics)),
    )
    return outreach


@transaction.atomic
def outreach_round_update(
    *, actor: Any, outreach: OutreachRound, staff: Sequence[Any], topics: Mapping[str, int], **fields: Any
) -> OutreachRound:
    """Correct an outreach round; its anonymous contacts are replaced, never added to.

    Conversations that were turned into cases since stay as they are and count towards the round.
    """
    stored_round = OutreachRound.objects.get(pk=outreach.pk)
    stored = _outreach_snapshot(
        stored_round,
        list(stored_round.staff.all()),
        dict(stored_round.topics.values_list("topic", "conversations")),
    )
    for name, value in lf_fields(fields).items():
        setattr(outreach, name, value)
    _validate_outreach(outreach, staff, topics)
    contacts = list(outreach.contacts.all())
    kept = [contact for contact in contacts if contact.case_id is not None]
    if outreach.conversations < len(kept):
        raise ValidationError(
            {
                "conversations": _(
                    "%(count)s conversations of this round have been taken into cases since; "
                    "the round cannot have fewer."
                )
                % {"count": len(kept)}
            }
        )
    outreach.save()
    _set_outreach_parts(outreach, staff, topics)
    count = outreach.conversations - len(kept)
    kept_topics: dict[str, int] = {}
    for topic in ContactTopic.objects.filter(contact__in=kept).values_list("topic", flat=True):
        kept_topics[topic] = kept_topics.get(topic, 0) + 1
    new_contacts = anonymous_contacts_record(
        actor=actor,
        site=outreach.site,
        occurred_on=outreach.held_on,
        mode=ContactMode.OUTREACH,
        count=count,
        topic_counts={
            topic: max(0, min(count, n - kept_topics.get(topic, 0))) for topic, n in topics.items()
        },
        replacing=[contact for contact in contacts if contact.case_id is None],
    )
    outreach.contacts.set([*kept, *new_contacts])
    changes = diff(stored, _outreach_snapshot(outreach, staff, topics))
    if changes:
        audit(actor=actor, action="inka.outreach.updated", obj=outreach, changes=changes)
    return outreach


# --- Community projects, sessions, attendance and resident activation -----------------------------

PROJECT_FIELDS = [
    "title", "kind", "status", "goals", "starts_on", "ends_on", "budget", "spent", "public_description",
]  # fmt: skip
SESSION_FIELDS = ["held_on", "title", "place", "duration_minutes", "attendance_mode", "note"]
ACTIVATION_FIELDS = ["occurred_on", "kind", "residents", "description", "project"]
HEADCOUNT_LIMIT = 100_000  # per cell, as the model allows


def _clean_value(value: Any) -> Any:
    value = lf(value)
    return value.strip() if isinstance(value, str) else value


def _cleaned(fields: Mapping[str, Any], allowed: Sequence[str], service: str) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{service}() cannot set {sorted(unknown)!r}")
    return {name: _clean_value(value) for name, value in fields.items()}


def _project_snapshot(project: Project, partner_ids: Iterable[int]) -> dict[str, Any]:
    return {**snapshot(project, PROJECT_FIELDS), "partners": sorted(partner_ids)}


def _check_project(project: Project, partners: Sequence[Partner]) -> None:
    """The period runs forwards and holds every session; partners come from the site's list."""
    errors: dict[str, str] = {}
    if project.starts_on and project.ends_on and project.ends_on < project.starts_on:
        errors["ends_on"] = _("The project cannot end before it starts.")
    if partners:
        on_list = set(
            SitePartner.objects.filter(site_id=project.site_id, partner__in=partners).values_list(
                "partner_id", flat=True
            )
        )
        if any(partner.pk not in on_list for partner in partners):
            errors["partners"] = _("Choose partners from your site's list.")
    if project.pk is not None and project.starts_on and "ends_on" not in errors:
        sessions = Session.objects.filter(project=project)
        first = sessions.filter(held_on__lt=project.starts_on).order_by("held_on").first()
        if first is not None:
            errors["starts_on"] = _(
                "A session of the project takes place before this date (on %(date)s)."
            ) % {"date": date_format(first.held_on, "SHORT_DATE_FORMAT")}
        last = None
        if project.ends_on:
            last = sessions.filter(held_on__gt=project.ends_on).order_by("-held_on").first()
        if last is not None:
            errors["ends_on"] = _("A session of the project takes place after this date (on %(date)s).") % {
                "date": date_format(last.held_on, "SHORT_DATE_FORMAT")
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(*, actor: Any, site: Site, partners: Sequence[Partner] = (), **fields: Any) -> Project:
    """Create a community project of `site`, with the partners involved from the site's list."""
    project = Project(site=site, created_by=actor, **_cleaned(fields, PROJECT_FIELDS, "project_create"))
    _check_project(project, partners)
    project.full_clean()
    project.save()
    project.partners.set(partners)
    audit(
        actor=actor,
        action="inka.community.project.created",
        obj=project,
        changes=diff({}, _project_snapshot(project, [partner.pk for partner in partners])),
    )
    return project


@transaction.atomic
def project_update(
    *, actor: Any, project: Project, partners: Sequence[Partner] | None = None, **fields: Any
) -> Project:
    """Change a project; `partners` (when given) replaces the partners involved."""
    stored = Project.objects.get(pk=project.pk)
    stored_partners = list(stored.partners.values_list("pk", flat=True))
    before = _project_snapshot(stored, stored_partners)
    for name, value in _cleaned(fields, PROJECT_FIELDS, "project_update").items():
        setattr(project, name, value)
    chosen = list(partners) if partners is not None else list(project.partners.all())
    _check_project(project, chosen)
    project.full_clean()
    project.save()
    if partners is not None:
        project.partners.set(chosen)
    changes = diff(before, _project_snapshot(project, [partner.pk for partner in chosen]))
    if changes:
        audit(actor=actor, action="inka.community.project.updated", obj=project, changes=changes)
    return project


def _check_session(session: Session) -> None:
    """The date lies within the project's period; the way attendance is recorded fits what is recorded."""
    project = session.project
    day = session.held_on
    if day is not None and day < project.starts_on:
        raise ValidationError(
            {
                "held_on": _("The project starts on %(date)s; the session cannot take place before.")
                % {"date": date_format(project.starts_on, "SHORT_DATE_FORMAT")}
            }
        )
    if day is not None and project.ends_on is not None and day > project.ends_on:
        raise ValidationError(
            {
                "held_on": _("The project ends on %(date)s; the session cannot take place after.")
                % {"date": date_format(project.ends_on, "SHORT_DATE_FORMAT")}
            }
        )
    if session.pk is None:
        return
    if session.attendance_mode == AttendanceMode.NAMED and session.headcounts.exists():
        raise ValidationError(
            {
                "attendance_mode": _(
                    "A headcount is recorded for this session. Clear it first to name participants instead."
                )
            }
        )
    if session.attendance_mode == AttendanceMode.HEADCOUNT and session.attendances.exists():
        raise ValidationError(
            {
                "attendance_mode": _(
                    "Named participants are recorded for this session. "
                    "Remove them first to record a headcount instead."
                )
            }
        )


@transaction.atomic
def session_create(*, actor: Any, project: Project, **fields: Any) -> Session:
    """Add a dated session to a project."""
    session = Session(project=project, **_cleaned(fields, SESSION_FIELDS, "session_create"))
    _check_session(session)
    session.full_clean()
    session.save()
    audit(
        actor=actor,
        action="inka.community.session.created",
        obj=session,
        site_id=project.site_id,
        changes=diff({}, snapshot(session, SESSION_FIELDS)),
        project=project.pk,
    )
    return session


@transaction.atomic
def session_update(*, actor: Any, session: Session, **fields: Any) -> Session:
    """Change a session (date, title, place, duration, how attendance is recorded, note)."""
    before = snapshot(Session.objects.get(pk=session.pk), SESSION_FIELDS)
    for name, value in _cleaned(fields, SESSION_FIELDS, "session_update").items():
        setattr(session, name, value)
    _check_session(session)
    session.full_clean()
    session.save()
    changes = diff(before, snapshot(session, SESSION_FIELDS))
    if changes:
        audit(
            actor=actor,
            action="inka.community.session.updated",
            obj=session,
            site_id=session.project.site_id,
            changes=changes,
            project=session.project_id,
        )
    return session


def _require_attendance_mode(session: Session, mode: str) -> None:
    if session.attendance_mode != mode:
        raise ValidationError(
            _("Attendance of this session is recorded as: %(mode)s.")
            % {"mode": session.get_attendance_mode_display()}
        )
    if session.held_on > timezone.localdate():
        raise ValidationError(_("The session has not taken place yet; attendance is recorded afterwards."))


def _cell_label(band: str, gender: str) -> str:
    return f"{band or '?'}/{gender or '?'}"


@transaction.atomic
def session_headcount_set(*, actor: Any, session: Session, counts: Mapping[tuple[str, str], int]) -> int:
    """Replace the session's headcount with `counts` {(age band, gender): people}, "" for unknown;
    cells of 0 are not stored. Returns the session's total."""
    _require_attendance_mode(session, AttendanceMode.HEADCOUNT)
    cells = []
    for (band, gender), count in counts.items():
        if band not in ("", *AgeBand.values) or gender not in ("", *Gender.values):
            raise ValueError(f"no headcount cell {band!r}/{gender!r}")
        if not isinstance(count, int) or count < 0 or count > HEADCOUNT_LIMIT:
            raise ValidationError(
                _("Enter a number of people between 0 and %(limit)s.")
                % {"limit": number_format(HEADCOUNT_LIMIT, force_grouping=True)}
            )
        if count:
            cells.append(Headcount(session=session, age_band=band, gender=gender, count=count))
    stored = Headcount.objects.select_for_update().filter(session=session)
    before = {_cell_label(cell.age_band, cell.gender): cell.count for cell in stored}
    stored.delete()
    for cell in cells:
        cell.full_clean(exclude=["session"])
    Headcount.objects.bulk_create(cells)
    after = {_cell_label(cell.age_band, cell.gender): cell.count for cell in cells}
    changes = diff(before, after)
    if changes:
        audit(
            actor=actor,
            action="inka.community.headcount.set",
            obj=session,
            site_id=session.project.site_id,
            changes=changes,
            total=sum(after.values()),
        )
    return sum(after.values())


@transaction.atomic
def session_attendance_add(*, actor: Any, session: Session, person: Person) -> Attendance:
    """Name a person of the site as a participant of the session; needs their consent on that day."""
    _require_attendance_mode(session, AttendanceMode.NAMED)
    if person.site_id != session.project.site_id:
        raise ValidationError({"person": _("Choose a person of your site.")})
    if not person_has_community_consent(person=person, day=session.held_on):
        raise ValidationError(
            {
                "person": ValidationError(
                    _(
                        "%(name)s has no valid consent to named participation on %(date)s. "
                        "A consent for named participation is needed; otherwise count them in a headcount."
                    )
                    % {
                        "name": f"{person.first_name} {person.last_name}",
                        "date": date_format(session.held_on, "SHORT_DATE_FORMAT"),
                    },
                    code="no_consent",
                )
            }
        )
    if Attendance.objects.filter(session=session, person=person).exists():
        raise ValidationError({"person": _("This person is already on the list of participants.")})
    attendance = Attendance(session=session, person=person)
    attendance.full_clean()
    attendance.save()
    audit(
        actor=actor,
        action="inka.community.attendance.added",
        obj=session,
        site_id=session.project.site_id,
        changes={"person": [None, person.pk]},
    )
    return attendance


@transaction.atomic
def session_attendance_remove(*, actor: Any, attendance: Attendance) -> None:
    """Take a named participant off the session's list."""
    session = attendance.session
    person_id = attendance.person_id
    attendance.delete()
    audit(
        actor=actor,
        action="inka.community.attendance.removed",
        obj=session,
        site_id=session.project.site_id,
        changes={"person": [person_id, None]},
    )


def _check_activation(activation: Activation) -> None:
    not_in_future(activation.occurred_on, "occurred_on")
    if activation.project is not None and activation.project.site_id != activation.site_id:
        raise ValidationError({"project": _("Choose a project of your site.")})


@transaction.atomic
def activation_create(*, actor: Any, site: Site, **fields: Any) -> Activation:
    """Record that residents took something into their own hands (counted, without names)."""
    activation = Activation(
        site=site, recorded_by=actor, **_cleaned(fields, ACTIVATION_FIELDS, "activation_create")
    )
    _check_activation(activation)
    activation.full_clean()
    activation.save()
    audit(
        actor=actor,
        action="inka.community.activation.created",
        obj=activation,
        changes=diff({}, snapshot(activation, ACTIVATION_FIELDS)),
    )
    return activation


@transaction.atomic
def activation_update(*, actor: Any, activation: Activation, **fields: Any) -> Activation:
    """Change a recorded resident activation."""
    before = snapshot(Activation.objects.get(pk=activation.pk), ACTIVATION_FIELDS)
    for name, value in _cleaned(fields, ACTIVATION_FIELDS, "activation_update").items():
        setattr(activation, name, value)
    _check_activation(activation)
    activation.full_clean()
    activation.save()
    changes = diff(before, snapshot(activation, ACTIVATION_FIELDS))
    if changes:
        audit(actor=actor, action="inka.community.activation.updated", obj=activation, changes=changes)
    return activation
