"""Data protection in case work (SECURITY.md, issue part 11): roles, special categories, the access
log and the change history."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from inka.cases import services
from inka.cases.models import (
    Case,
    Consent,
    Contact,
    Disability,
    Document,
    FollowUp,
    Goal,
    GoalStep,
    Person,
    Referral,
    ResidenceStatus,
)
from inka.cases.tests.factories import (
    make_case,
    make_contact,
    make_partner,
    make_person,
    make_sharing_consent,
)
from inka.core.models import AccessLogEntry, AuditEntry


def today():
    return timezone.localdate()


@pytest.fixture
def o(world):
    """One of everything at site A, made by the caseworker."""
    worker = world.user("caseworker")
    person = make_person(world.site_a, phone="0151 1111")
    case = make_case(world.site_a, worker, person)
    partner = make_partner(world.site_a)
    consent = make_sharing_consent(person, worker, partner)
    goal = services.goal_create(actor=worker, case=case, title="Ziel")
    return SimpleNamespace(
        worker=worker,
        person=person,
        case=case,
        consent=consent,
        partner=partner,
        contact=make_contact(world.site_a, worker, case=case, note="Notiz"),
        anonymous=make_contact(world.site_a, worker),
        goal=goal,
        step=services.step_create(actor=worker, goal=goal, title="Schritt"),
        follow_up=services.follow_up_create(
            actor=worker, case=case, due_on=today(), subject="Anrufen", assigned_to=worker
        ),
        referral=services.referral_create(
            actor=worker, case=case, partner=partner, purpose="Beratung"
        ).referral,
    )


def rows_everywhere():
    models = [Person, Case, Consent, Contact, Goal, GoalStep, FollowUp, Referral, Document, AuditEntry]
    return {model.__name__: model.objects.count() for model in models}


# Every view that changes data, with a valid POST body for the caseworker.
WRITE_VIEWS = {
    "cases:contact_quick": (
        lambda o: {},
        lambda o: {"occurred_on": today().isoformat(), "mode": "phone", "topics": ["money"]},
    ),
    "cases:anonymous_contact_edit": (
        lambda o: {"pk": o.anonymous.pk},
        lambda o: {"occurred_on": today().isoformat(), "mode": "phone", "topics": ["crisis"]},
    ),
    "cases:person_edit": (
        lambda o: {"pk": o.person.pk},
        lambda o: {"first_name": "Jürgen", "last_name": "Meier"},
    ),
    "cases:consent_create": (
        lambda o: {"person_pk": o.person.pk},
        lambda o: {
            "purpose": "esf",
            "text_version": "v1",
            "form": "written",
            "given_on": today().isoformat(),
        },
    ),
    "cases:consent_withdraw": (
        lambda o: {"person_pk": o.person.pk, "pk": o.consent.pk},
        lambda o: {"withdrawn_on": today().isoformat()},
    ),
    "cases:case_create": (
        lambda o: {},
        lambda o: {
            "first_name": "Anna",
            "last_name": "Schulz",
            "caseworker": o.worker.pk,
            "opened_on": today().isoformat(),
            "needs": ["money"],
        },
    ),
    "cases:case_edit": (
        lambda o: {"pk": o.case.pk},
        lambda o: {
            "caseworker": o.worker.pk,
            "opened_on": "2024-01-10",
            "needs": ["crisis"],
            "notes": "geändert",
            "version": "1",
        },
    ),
    "cases:case_close": (
        lambda o: {"pk": o.case.pk},
        lambda o: {"closed_on": today().isoformat(), "close_reason": "moved", "version": "1"},
    ),
    "cases:case_reopen": (lambda o: {"pk": o.case.pk}, lambda o: {"version": "1"}),
    "cases:contact_create": (
        lambda o: {"pk": o.case.pk},
        lambda o: {"occurred_on": today().isoformat(), "mode": "phone", "topics": ["money"]},
    ),
    "cases:contact_edit": (
        lambda o: {"case_pk": o.case.pk, "pk": o.contact.pk},
        lambda o: {"occurred_on": "2024-02-01", "mode": "phone", "topics": ["crisis"], "note": "x"},
    ),
    "cases:goal_create": (
        lambda o: {"case_pk": o.case.pk},
        lambda o: {"title": "Neues Ziel", "who_acts": "person", "status": "open"},
    ),
    "cases:goal_edit": (
        lambda o: {"case_pk": o.case.pk, "pk": o.goal.pk},
        lambda o: {"title": "Ziel", "who_acts": "person", "status": "achieved"},
    ),
    "cases:step_create": (
        lambda o: {"case_pk": o.case.pk, "goal_pk": o.goal.pk},
        lambda o: {"title": "Neuer Schritt", "who_acts": "person", "status": "open"},
    ),
    "cases:step_edit": (
        lambda o: {"case_pk": o.case.pk, "pk": o.step.pk},
        lambda o: {"title": "Schritt", "who_acts": "person", "status": "achieved"},
    ),
    "cases:follow_up_create": (
        lambda o: {"case_pk": o.case.pk},
        lambda o: {"due_on": today().isoformat(), "subject": "Neu", "assigned_to": o.worker.pk},
    ),
    "cases:follow_up_done": (lambda o: {"case_pk": o.case.pk, "pk": o.follow_up.pk}, lambda o: {}),
    "cases:referral_create": (
        lambda o: {"case_pk": o.case.pk},
        lambda o: {"partner": o.partner.pk, "purpose": "Noch eine"},
    ),
    "cases:referral_detail": (
        lambda o: {"case_pk": o.case.pk, "pk": o.referral.pk},
        lambda o: {"status": "withdrawn"},
    ),
    "cases:referral_renew_link": (lambda o: {"case_pk": o.case.pk, "pk": o.referral.pk}, lambda o: {}),
    "cases:document_upload": (
        lambda o: {"case_pk": o.case.pk},
        lambda o: {"title": "t", "upload": ""},
    ),
}


@pytest.mark.parametrize("name", sorted(WRITE_VIEWS))
@pytest.mark.parametrize("persona", ["reader", "steering"])
def test_readers_and_steering_cannot_write(world, login, o, name, persona):
    kwargs, data = WRITE_VIEWS[name]
    before = rows_everywhere()
    response = login(world.user(persona)).post(reverse(name, kwargs=kwargs(o)), data(o))
    assert response.status_code == 403
    assert rows_everywhere() == before


# Forms the reader must not even open (the POST-only views and the referral page are left out).
FORM_PAGES = sorted(
    set(WRITE_VIEWS)
    - {"cases:follow_up_done", "cases:case_reopen", "cases:referral_renew_link", "cases:referral_detail"}
)


@pytest.mark.parametrize("name", FORM_PAGES)
def test_readers_do_not_get_the_forms(world, login, o, name):
    kwargs, _data = WRITE_VIEWS[name]
    assert login(world.user("reader")).get(reverse(name, kwargs=kwargs(o))).status_code == 403
    assert login(o.worker).get(reverse(name, kwargs=kwargs(o))).status_code == 200


# The quick contact and opening a case work on the user's own site; all others name an object.
@pytest.mark.parametrize("name", sorted(set(WRITE_VIEWS) - {"cases:contact_quick", "cases:case_create"}))
def test_the_caseworker_of_another_site_gets_404_on_writes(world, login, o, name):
    kwargs, data = WRITE_VIEWS[name]
    before = rows_everywhere()
    response = login(world.user("other_caseworker")).post(reverse(name, kwargs=kwargs(o)), data(o))
    assert response.status_code == 404
    assert rows_everywhere() == before


@pytest.mark.parametrize("name", sorted(WRITE_VIEWS))
def test_anonymous_writes_go_to_the_login(world, login, o, name):
    kwargs, data = WRITE_VIEWS[name]
    before = rows_everywhere()
    response = login(None).post(reverse(name, kwargs=kwargs(o)), data(o))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert rows_everywhere() == before


@pytest.mark.parametrize(
    "name",
    sorted(set(WRITE_VIEWS) - {"cases:case_reopen", "cases:document_upload"}),
)
def test_the_caseworker_can_write(world, login, o, name):
    """The same requests succeed for the caseworker: the refusals above are about the role."""
    kwargs, data = WRITE_VIEWS[name]
    audit_entries = AuditEntry.objects.count()
    response = login(o.worker).post(reverse(name, kwargs=kwargs(o)), data(o))
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert AuditEntry.objects.count() > audit_entries


# Pages that show social data


READ_VIEWS = {
    "cases:case_detail": lambda o: {"pk": o.case.pk},
    "cases:case_history": lambda o: {"pk": o.case.pk},
    "cases:contact_list": lambda o: {"pk": o.case.pk},
    "cases:person_detail": lambda o: {"pk": o.person.pk},
    "cases:referral_detail": lambda o: {"case_pk": o.case.pk, "pk": o.referral.pk},
}
LIST_VIEWS = ["cases:case_list", "cases:person_list", "cases:anonymous_contact_list", "cases:work_list"]


@pytest.mark.parametrize("name", sorted(READ_VIEWS))
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("caseworker", 200),
        ("site_lead", 200),
        ("reader", 200),
        ("steering", 403),
        ("dpo", 403),
        ("coordinator", 404),
        ("admin", 404),
        ("other_caseworker", 404),
    ],
)
def test_object_pages_by_role(world, login, o, name, persona, status):
    response = login(world.user(persona)).get(reverse(name, kwargs=READ_VIEWS[name](o)))
    assert response.status_code == status
    if status != 200:
        assert "Müller" not in response.content.decode()


@pytest.mark.parametrize("name", sorted(READ_VIEWS) + LIST_VIEWS)
def test_pages_send_anonymous_users_to_the_login(world, login, o, name):
    kwargs = READ_VIEWS[name](o) if name in READ_VIEWS else {}
    response = login(None).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", LIST_VIEWS)
@pytest.mark.parametrize("persona", ["steering", "coordinator", "admin", "dpo"])
def test_list_pages_are_refused_to_roles_without_case_work(world, login, o, name, persona):
    response = login(world.user(persona)).get(reverse(name), {"q": "Müller"})
    # The work list lets a steering member in, for the steering group's action items only.
    expected = 200 if (name, persona) == ("cases:work_list", "steering") else 403
    assert response.status_code == expected
    assert "Müller" not in response.content.decode()


# Special categories (Art. 9 GDPR)


SPECIAL_VALUES = ["Diabetes-XYZ", "Alkohol-XYZ", "Bewährung-XYZ", "XYZ"]
SPECIAL_FIELD_NAMES = {
    Case: ["health_note", "addiction_note", "criminal_record_note"],
    Person: ["residence_status", "disability"],
}
SPECIAL_LABELS = [
    "Health",
    "Addiction",
    "Criminal record",
    "Residence status",
    "Disability",
    "Special categories",
]


def special_words():
    """The special-category values and the names of their fields, in English and German."""
    words = set(SPECIAL_VALUES) | {"asylum", "recognised"}
    for language in ["en", "de"]:
        with translation.override(language):
            words |= {str(ResidenceStatus.ASYLUM.label), str(Disability.RECOGNISED.label)}
            words |= {translation.gettext(label) for label in SPECIAL_LABELS}
            for model, names in SPECIAL_FIELD_NAMES.items():
                words |= {str(model._meta.get_field(name).verbose_name) for name in names}
    return sorted(words)


@pytest.fixture
def special(world, o):
    """The case and person with special-category data, also in the change history."""
    services.case_update(
        actor=o.worker,
        case=o.case,
        version=o.case.version,
        needs=["money"],
        health_note="Diabetes-XYZ",
        addiction_note="Alkohol-XYZ",
        criminal_record_note="Bewährung-XYZ",
    )
    services.person_update(
        actor=o.worker, person=o.person, residence_status="asylum", disability="recognised"
    )
    return o


def special_pages(o):
    return [
        o.case.get_absolute_url(),
        o.person.get_absolute_url(),
        reverse("cases:case_history", args=[o.case.pk]),
        reverse("cases:contact_list", args=[o.case.pk]),
        reverse("cases:referral_detail", args=[o.case.pk, o.referral.pk]),
    ]


def test_readers_never_see_special_categories(world, login, special):
    client = login(world.user("reader"))
    for url in special_pages(special):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Müller" in html, url
        for word in special_words():
            assert word not in html, (url, word)
    # The case list offers "Health" as a need to filter by; it shows no special-category values.
    html = client.get(reverse("cases:case_list")).content.decode()
    assert "Müller" in html
    for word in [*SPECIAL_VALUES, "asylum", "recognised"]:
        assert word not in html


def test_caseworkers_see_special_categories(world, login, special):
    client = login(special.worker)
    case_page = client.get(special.case.get_absolute_url()).content.decode()
    for value in ["Diabetes-XYZ", "Alkohol-XYZ", "Bewährung-XYZ"]:
        assert value in case_page
    person_page = client.get(special.person.get_absolute_url()).content.decode()
    with translation.override("de"):
        assert str(ResidenceStatus.ASYLUM.label) in person_page
        assert str(Disability.RECOGNISED.label) in person_page
    history = client.get(reverse("cases:case_history", args=[special.case.pk])).content.decode()
    assert "Diabetes-XYZ" in history
    edit = client.get(reverse("cases:case_edit", args=[special.case.pk]))
    assert "health_note" in edit.context["form"].fields
    assert "Diabetes-XYZ" in edit.content.decode()


def test_a_site_lead_sees_special_categories(world, login, special):
    html = login(world.user("site_lead")).get(special.case.get_absolute_url()).content.decode()
    assert "Diabetes-XYZ" in html


# The access log: one row per page with social data


@pytest.mark.parametrize(
    ("name", "action", "record"),
    [
        ("cases:case_detail", "case.view", "case"),
        ("cases:person_detail", "person.view", "person"),
        ("cases:case_history", "case.history", "case"),
        ("cases:contact_list", "case.contacts", "case"),
    ],
)
@pytest.mark.parametrize("persona", ["caseworker", "reader"])
def test_every_page_of_a_person_or_case_writes_exactly_one_access_log_row(
    world, login, o, name, action, record, persona
):
    obj = getattr(o, record)
    user = world.user(persona)
    response = login(user).get(reverse(name, args=[obj.pk]))
    assert response.status_code == 200
    (entry,) = AccessLogEntry.objects.all()
    assert (entry.action, entry.record_ids, entry.object_id) == (action, [obj.pk], str(obj.pk))
    assert (entry.actor_id, entry.role, entry.site_id, entry.outcome) == (
        user.pk,
        persona,
        world.site_a.pk,
        "allowed",
    )
    assert entry.content_type.model == record


def test_the_case_list_writes_one_row_with_the_shown_case_ids(world, login, o):
    other = make_case(world.site_a, o.worker, make_person(world.site_a, "Anna", "Schulz"))
    make_case(world.site_b, world.user("other_caseworker"), make_person(world.site_b, "Berta", "Krause"))
    response = login(world.user("reader")).get(reverse("cases:case_list"))
    (entry,) = AccessLogEntry.objects.all()
    assert entry.action == "case.list"
    assert sorted(entry.record_ids) == sorted([o.case.pk, other.pk])
    assert sorted(entry.record_ids) == sorted(case.pk for case in response.context["rows"])


def test_refused_requests_are_logged_as_denied(world, login, o):
    login(world.user("other_caseworker")).get(o.case.get_absolute_url())
    (entry,) = AccessLogEntry.objects.all()
    assert entry.outcome == "denied"
    assert entry.record_ids == [o.case.pk]


def test_the_access_log_holds_no_field_values(world, login, special):
    login(special.worker).get(special.case.get_absolute_url())
    (entry,) = AccessLogEntry.objects.all()
    stored = str(entry.__dict__)
    for word in ["Müller", "Jürgen", "Diabetes-XYZ", "0151 1111"]:
        assert word not in stored


# The change history: every change, with actor and diff


def test_every_change_through_a_view_writes_an_audit_entry_with_actor_and_site(world, login, o):
    client = login(o.worker)
    steps = [
        (
            "inka.case.updated",
            reverse("cases:case_edit", args=[o.case.pk]),
            WRITE_VIEWS["cases:case_edit"][1](o),
        ),
        (
            "inka.person.updated",
            reverse("cases:person_edit", args=[o.person.pk]),
            {"first_name": "Jörg", "last_name": "Müller"},
        ),
        (
            "inka.contact.recorded",
            reverse("cases:contact_create", args=[o.case.pk]),
            WRITE_VIEWS["cases:contact_create"][1](o),
        ),
        (
            "inka.follow_up.added",
            reverse("cases:follow_up_create", args=[o.case.pk]),
            WRITE_VIEWS["cases:follow_up_create"][1](o),
        ),
        (
            "inka.consent.recorded",
            reverse("cases:consent_create", args=[o.person.pk]),
            WRITE_VIEWS["cases:consent_create"][1](o),
        ),
    ]
    for action, url, data in steps:
        before = AuditEntry.objects.count()
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.status_code)
        assert AuditEntry.objects.count() == before + 1, action
        entry = AuditEntry.objects.latest("pk")
        assert (entry.action, entry.actor_id, entry.role, entry.site_id) == (
            action,
            o.worker.pk,
            "caseworker",
            world.site_a.pk,
        )
        assert entry.changes, action
    entry = AuditEntry.objects.get(action="inka.person.updated")
    assert entry.changes["first_name"] == ["Jürgen", "Jörg"]


def test_the_history_is_append_only(world, o):
    entry = AuditEntry.objects.first()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
