"""Building blocks for tests of case work: a person, a case with a valid consent, a contact."""

from datetime import date
from typing import Any

from inka.cases.models import Case, CaseNeed, Consent, Contact, ContactMode, ContactTopic, Person
from inka.cases.names import name_key, name_sound


def make_person(site: Any, first_name: str = "Jürgen", last_name: str = "Müller", **fields: Any) -> Person:
    fields.setdefault("birth_date", date(1980, 4, 1))
    return Person.objects.create(
        site=site,
        first_name=first_name,
        last_name=last_name,
        name_key=name_key(last_name, first_name),
        last_name_sound=name_sound(last_name),
        **fields,
    )


def make_consent(
    person: Person, taken_by: Any, purpose: str = Consent.Purpose.COUNSELLING, **fields: Any
) -> Consent:
    fields.setdefault("given_on", date(2024, 1, 10))
    return Consent.objects.create(
        person=person, purpose=purpose, taken_by=taken_by, text_version="Einwilligung 2024-01", **fields
    )


def make_case(
    site: Any, caseworker: Any, person: Person | None = None, *, consent: bool = True, **fields: Any
) -> Case:
    """An open case at `site` whose person has consented to counselling (unless consent=False)."""
    person = person or make_person(site)
    if consent:
        make_consent(person, caseworker)
    fields.setdefault("opened_on", date(2024, 1, 10))
    number = Case.objects.filter(site=site).count() + 1
    case = Case.objects.create(
        site=site, person=person, caseworker=caseworker, reference=f"{site.code}-2024-{number:04d}", **fields
    )
    CaseNeed.objects.create(case=case, topic="money")
    return case


def make_contact(site: Any, author: Any, case: Case | None = None, **fields: Any) -> Contact:
    fields.setdefault("occurred_on", date(2024, 2, 1))
    fields.setdefault("mode", ContactMode.WALK_IN)
    contact = Contact.objects.create(site=site, case=case, author=author, **fields)
    ContactTopic.objects.create(contact=contact, topic="money")
    return contact


def make_partner(
    site: Any, name: str = "Schuldnerberatung Altenburg", kind: str = "debt_counselling", **fields: Any
) -> Any:
    """A partner institution on the site's list (the referral form offers only those)."""
    from inka.network.models import Partner, SitePartner

    fields.setdefault("town", "Altenburg")
    partner = Partner.objects.create(name=name, kind=kind, **fields)
    SitePartner.objects.create(site=site, partner=partner)
    return partner


def make_sharing_consent(person: Person, taken_by: Any, partner: Any = None, **fields: Any) -> Consent:
    """A consent to share with `partner` by name, or (with partner_kind=…) with every partner of a type."""
    if partner is not None:
        fields["partner"] = partner
    return make_consent(person, taken_by, purpose=Consent.Purpose.SHARING, **fields)


def assert_form_errors(response: Any, *fields: str, status: int = 400, form: str = "form") -> None:
    """The response is `status`, and each field carries an error: in the form and in the page."""
    assert response.status_code == status, response.status_code
    errors = response.context[form].errors
    html = response.content.decode()
    for field in fields:
        assert field in errors, (field, dict(errors))
        assert f'id="id_{field}-error"' in html, field
