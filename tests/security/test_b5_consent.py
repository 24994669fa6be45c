"""B5 of the security anchors: the consent gate on referrals (33) and optional special categories (34)."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inka.cases import services
from inka.cases.models import Case, Consent, Person, Referral
from inka.cases.tests.factories import make_case, make_consent, make_partner
from inka.core.models import AuditEntry
from inka.esf.interchange import import_participations
from inka.esf.reporting import build_report
from tests.security.test_b1_authorization import client_for, page_form

YEAR_AGO = timezone.localdate() - timedelta(days=365)


@pytest.fixture
def referral_case(world):
    return make_case(world.site_a, world.user("caseworker"))


def refer(world, case, partner, **more):
    return services.referral_create(
        actor=world.user("caseworker"), case=case, partner=partner, purpose="Schuldnerberatung", **more
    )


def test_t33_only_a_valid_consent_for_this_recipient_lets_a_referral_go_out(world, referral_case):
    caseworker, person = world.user("caseworker"), referral_case.person
    debt = make_partner(world.site_a, "Schuldnerberatung Altenburg", kind="debt_counselling")
    other = make_partner(world.site_a, "Suchtberatung Altenburg", kind="addiction_counselling")

    def refused() -> None:
        with pytest.raises(ValidationError) as error:
            refer(world, referral_case, debt)
        assert "partner" in error.value.message_dict
        assert not Referral.objects.exists()

    refused()  # no consent to share at all (the counselling consent of the case does not count)
    make_consent(person, caseworker, Consent.Purpose.ESF, given_on=YEAR_AGO)
    make_consent(person, caseworker, Consent.Purpose.SPECIAL, given_on=YEAR_AGO)
    refused()  # consents for other purposes
    make_consent(person, caseworker, Consent.Purpose.SHARING, partner=other, given_on=YEAR_AGO)
    make_consent(person, caseworker, Consent.Purpose.SHARING, partner_kind="jobcenter", given_on=YEAR_AGO)
    refused()  # sharing, but with another recipient
    make_consent(
        person, caseworker, Consent.Purpose.SHARING, partner=debt, given_on=YEAR_AGO, expires_on=YEAR_AGO
    )
    refused()  # expired
    withdrawn = make_consent(person, caseworker, Consent.Purpose.SHARING, partner=debt, given_on=YEAR_AGO)
    services.consent_withdraw(actor=caseworker, consent=withdrawn, withdrawn_on=timezone.localdate())
    refused()  # withdrawn: no new transmission
    # ... and the withdrawn consent stays as proof (Art. 7(1) GDPR), with its history.
    withdrawn.refresh_from_db()
    assert withdrawn.withdrawn_on == timezone.localdate()
    assert (
        AuditEntry.objects.filter(action="inka.consent.withdrawn", object_id=str(withdrawn.pk)).count() == 1
    )

    valid = make_consent(person, caseworker, Consent.Purpose.SHARING, partner=debt, given_on=YEAR_AGO)
    issued = refer(world, referral_case, debt)
    assert Referral.objects.get() == issued.referral
    assert (issued.referral.consent, issued.referral.consent_override_reason) == (valid, "")


def test_t33_an_override_needs_a_reason_and_is_recorded_on_the_referral(world, referral_case):
    debt = make_partner(world.site_a, "Schuldnerberatung Altenburg", kind="debt_counselling")
    with pytest.raises(ValidationError):
        refer(world, referral_case, debt, override_reason="   ")
    issued = refer(world, referral_case, debt, override_reason="Akute Wohnungslosigkeit, Räumung morgen")
    referral = Referral.objects.get()
    assert referral.consent is None
    assert referral.consent_override_reason == "Akute Wohnungslosigkeit, Räumung morgen"
    entry = AuditEntry.objects.get(action="inka.referral.sent", object_id=str(issued.referral.pk))
    assert entry.changes["consent_override_reason"][1] == referral.consent_override_reason


def test_t33_the_referral_page_refuses_without_consent_and_writes_nothing(world, referral_case):
    debt = make_partner(world.site_a, "Schuldnerberatung Altenburg", kind="debt_counselling")
    client = client_for(world.user("caseworker"))
    url = reverse("cases:referral_create", args=[referral_case.pk])
    page = client.get(url).content.decode()
    assert f'value="{debt.pk}"' in page, "the form offers the site's partner"
    data = page_form(page, url)
    response = client.post(url, {**data, "partner": debt.pk, "purpose": "Beratung", "override_reason": ""})
    assert response.status_code == 400
    assert "partner" in response.context["form"].errors
    assert not Referral.objects.exists()


# --- t34 -------------------------------------------------------------------------------------------


def test_t34_intake_without_special_categories_succeeds(world):
    client = client_for(world.user("caseworker"))
    url = reverse("cases:case_create")
    data = page_form(client.get(url).content.decode(), url)
    for name in ("residence_status", "disability", "health_note", "addiction_note", "criminal_record_note"):
        assert name in data, f"the writer's intake offers {name}"
        data.pop(name)  # not asked, or the person did not want to say
    data |= {"first_name": "Anna", "last_name": "Neumann", "opened_on": "2024-05-02", "needs": ["money"]}
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    person = Person.objects.get(last_name="Neumann")
    assert (person.residence_status, person.disability) == ("", "")
    case = Case.objects.get(person=person)
    assert (case.health_note, case.addiction_note, case.criminal_record_note) == ("", "", "")


def participation_line(number: int, **answers: str) -> str:
    values = {
        "participation_id": f"NORD-S{number}",
        "person_key": f"K-S{number}",
        "site": "NORD",
        "gender": "F",
        "date_of_birth": "1990-01-01",
        "stays": [{"entry": "2024-03-01", "exit": None}],
        "labour_status_at_entry": "EMPLOYED",
        "isced_level": 3,
        **answers,
    }
    return json.dumps(values)


def test_t34_unanswered_special_categories_count_as_not_collected(world):
    lines = [
        participation_line(1, disability="YES", minority="YES"),
        participation_line(2, disability="REFUSED", minority="REFUSED"),
        participation_line(3),  # the questions were not put
        participation_line(4, disability="NO", minority="NO"),
    ]
    result = import_participations(name="teilnahmen.jsonl", content="\n".join(lines).encode())
    assert result.problems == () and result.created == 4
    report = build_report(site_codes=["NORD"], period_from=date(2024, 1, 1), period_to=date(2024, 12, 31))
    # No answer forces no value: all four records are complete, only the one "yes" counts.
    assert report.records["entries_complete"] == 4
    assert report.indicators["EECO12"]["total"] == 1
