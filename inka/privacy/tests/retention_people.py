"""A person with records in every app, made through the services where they exist (so the change
history holds their values too), for the tests of the retention run."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from inka.cases import services as cases
from inka.cases.models import Case, Consent, Person, Referral
from inka.cases.tests.factories import make_partner
from inka.community.models import Attendance, Project, Session, Volunteer, VolunteerHours
from inka.employment import services as employment
from inka.esf import services as esf
from inka.privacy.models import ContestedValue, DataSubjectRequest


@dataclass(frozen=True)
class Marked:
    """The person and the values that must be gone after the run."""

    person: Person
    last_name: str
    phone: str
    birth_date: date

    @property
    def secrets(self) -> list[str]:
        born = self.birth_date
        return [self.last_name, self.phone, born.isoformat(), f"{born:%d.%m.%Y}"]


def person_with_everything(
    site: Any, worker: Any, *, day: date, last_name: str, phone: str, birth_date: date, partner: Any = None
) -> Marked:
    """A person of `site` whose every record mentions the name and phone number, all on `day`;
    the case is closed, the ESF participation ended."""
    with time_machine.travel(day, tick=False):
        person = cases.person_create(
            actor=worker,
            site=site,
            first_name="Zenzi",
            last_name=last_name,
            birth_date=birth_date,
            gender="f",
            street="Holunderweg 7",
            postcode="04600",
            town="Altenburg",
            phone=phone,
            email=f"{last_name.lower()}@example.org",
            languages="Deutsch",
            in_neighbourhood=True,
            household_size=2,
            children=1,
        )
        mention = f"Frau {last_name}, Tel. {phone}"
        for purpose in (Consent.Purpose.COUNSELLING, Consent.Purpose.ESF, Consent.Purpose.COMMUNITY):
            consent = cases.consent_record(
                actor=worker, person=person, purpose=purpose, given_on=day, text_version="2024-01"
            )
        cases.consent_withdraw(actor=worker, consent=consent, withdrawn_on=day, note=mention)
        case = cases.case_open(
            actor=worker,
            person=person,
            caseworker=worker,
            opened_on=day,
            needs=["money"],
            life_situation=mention,
            notes=mention,
            health_note=mention,
            addiction_note=mention,
            criminal_record_note=mention,
        )
        cases.contact_record(
            actor=worker, site=site, case=case, topics=["money"], occurred_on=day, mode="walk_in",
            note=mention, next_step=mention,
        )  # fmt: skip
        goal = cases.goal_create(actor=worker, case=case, title=mention, topic="money")
        cases.step_create(actor=worker, goal=goal, title=mention)
        cases.follow_up_create(actor=worker, case=case, due_on=day, subject=mention, assigned_to=worker)
        cases.document_upload(
            actor=worker,
            case=case,
            title=mention,
            upload=SimpleUploadedFile(f"{last_name}.pdf", f"%PDF-1.4 {mention}".encode(), "application/pdf"),
        )
        partner = partner or make_partner(site)
        Referral.objects.create(
            case=case, partner=partner, purpose=mention, message=mention, consent_override_reason=mention,
            status=Referral.Status.DECLINED, sent_on=day, answered_on=day, answered_by=mention,
            decline_reason=mention, outcome=mention, created_by=worker, token_hash="ab" * 32,
        )  # fmt: skip
        employment.barrier_assessment_record(
            actor=worker, case=case, assessed_on=day, kind="intake", ratings={"debts": 3}, note=mention
        )
        employment.career_plan_save(
            actor=worker, case=case, perspective=mention, target_occupation=mention, action_plan=mention
        )
        employment.application_add(
            actor=worker, case=case, employer=mention, position=mention, applied_on=day, note=mention
        )
        employment.job_outcome_add(
            actor=worker, case=case, kind="employment", starts_on=day, employer_or_provider=mention,
            qualification=mention, note=mention,
        )  # fmt: skip
        participation = esf.participation_start(actor=worker, case=case, entry_date=day)
        participation = esf.participation_exit(actor=worker, participation=participation, exit_date=day)
        esf.education_start_add(actor=worker, participation=participation, started_on=day, title=mention)
        esf.qualification_add(
            actor=worker, participation=participation, awarded_on=day, title=mention, recognised=True
        )
        esf.exit_no_answer_set(actor=worker, participation=participation, no_answer=True, reason=mention)
        case = Case.objects.get(pk=case.pk)
        cases.case_close(
            actor=worker, case=case, version=case.version, closed_on=day, close_reason="goals_achieved",
            outcome=mention,
        )  # fmt: skip
        project = Project.objects.create(
            site=site, title="Nachbarschaftscafé", kind="meeting_place", starts_on=day, created_by=worker
        )
        session = Session.objects.create(project=project, held_on=day, attendance_mode="named")
        Attendance.objects.create(session=session, person=person)
        volunteer = Volunteer.objects.create(
            site=site, person=person, first_name="Zenzi", last_name=last_name, phone=phone,
            email=f"{last_name.lower()}@example.org", skills=mention, availability=mention,
            since=day, until=day,
        )  # fmt: skip
        VolunteerHours.objects.create(
            volunteer=volunteer, session=session, hours=Decimal(2), activity=mention, recorded_by=worker
        )
        request = DataSubjectRequest.objects.create(
            site=site, person=person, kind="access", received_on=day, channel=mention,
            identity_checked_on=day, identity_check=mention, due_on=day, extension_reason=mention,
            status="answered", answered_on=day, answer=mention, notes=mention, registered_by=worker,
        )  # fmt: skip
        ContestedValue.objects.create(
            site=site, person=person, content_type=ContentType.objects.get_for_model(Person),
            object_id=person.pk, field_name="phone",
            statement=mention, request=request, contested_on=day, resolution=mention, recorded_by=worker,
        )  # fmt: skip
    return Marked(Person.objects.get(pk=person.pk), last_name, phone, birth_date)
