"""Views of contacts: the quick anonymous contact, the anonymous contacts of a site, the contact log."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inka.accounts.models import Membership, User
from inka.cases.models import Contact, ContactTopic
from inka.cases.tests.factories import assert_form_errors, make_case, make_contact, make_person
from inka.core.models import AccessLogEntry, AuditEntry
from inka.core.permissions import Role

QUICK = reverse("cases:contact_quick")
ANONYMOUS_LIST = reverse("cases:anonymous_contact_list")


def today():
    return timezone.localdate()


def quick_data(**changes):
    data = {
        "occurred_on": today().isoformat(),
        "mode": "outreach",
        "topics": ["money", "housing"],
        "duration_minutes": "20",
        "age_band": "30-44",
        "gender": "f",
    }
    return {**data, **changes}


def case_contact_data(**changes):
    data = {
        "occurred_on": today().isoformat(),
        "mode": "phone",
        "topics": ["money"],
        "duration_minutes": "15",
        "note": "Mahnung besprochen",
        "next_step": "Antrag stellen",
    }
    return {**data, **changes}


# What a browser sends for the form left empty: the text inputs, blank (unticked boxes send nothing).
EMPTY_QUICK = {"occurred_on": "", "duration_minutes": ""}
EMPTY_CASE_CONTACT = {"occurred_on": "", "duration_minutes": "", "note": "", "next_step": ""}


def written():
    return Contact.objects.count(), ContactTopic.objects.count(), AuditEntry.objects.count()


@pytest.fixture
def worker(world):
    return world.user("caseworker")


@pytest.fixture
def case(world, worker):
    return make_case(world.site_a, worker)


@pytest.fixture
def second_worker(world):
    """Another caseworker of site A."""
    user = User.objects.create_user("zweite@nord.test", "pw-not-used-1234", first_name="Zweite")
    Membership.objects.create(user=user, site=world.site_a, role=Role.CASEWORKER)
    return user


# The quick anonymous contact (C1)


def test_quick_form_records_an_anonymous_contact_with_topics(world, login, worker):
    client = login(worker)
    assert client.get(QUICK).status_code == 200
    # A name typed into a field the form does not have goes nowhere.
    response = client.post(QUICK, quick_data(note="Frau Müller, Hauptstraße 5"))
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{QUICK}?gespeichert={contact.pk}"
    assert contact.case is None
    assert contact.site == world.site_a
    assert contact.author == worker
    assert (contact.occurred_on, contact.mode, contact.duration_minutes) == (today(), "outreach", 20)
    assert (contact.age_band, contact.gender, contact.note, contact.next_step) == ("30-44", "f", "", "")
    assert sorted(contact.topics.values_list("topic", flat=True)) == ["housing", "money"]
    assert AuditEntry.objects.filter(action="inka.contact.recorded", object_id=str(contact.pk)).count() == 1
    # The page after saving offers to turn the contact into a case.
    html = client.get(response["Location"]).content.decode()
    assert f"{reverse('cases:case_create')}?kontakt={contact.pk}" in html


def test_quick_form_refuses_a_date_in_the_future(world, login, worker):
    before = written()
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = login(worker).post(QUICK, quick_data(occurred_on=tomorrow))
    assert_form_errors(response, "occurred_on")
    assert written() == before


def test_quick_form_needs_a_topic(world, login, worker):
    before = written()
    response = login(worker).post(QUICK, quick_data(topics=[]))
    assert_form_errors(response, "topics")
    assert written() == before


def test_quick_form_refuses_an_unknown_topic_or_mode(world, login, worker):
    before = written()
    response = login(worker).post(QUICK, quick_data(topics=["money", "lottery"], mode="telepathy"))
    assert_form_errors(response, "topics", "mode")
    assert written() == before


def test_quick_form_empty_post(world, login, worker):
    before = written()
    response = login(worker).post(QUICK, EMPTY_QUICK)
    assert_form_errors(response, "occurred_on", "mode", "topics")
    assert written() == before


def test_saved_notice_does_not_show_a_contact_of_another_site(world, login, worker):
    other = make_contact(world.site_b, world.user("other_caseworker"))
    response = login(worker).get(QUICK, {"gespeichert": other.pk})
    assert response.status_code == 200
    assert response.context["saved"] is None


@pytest.mark.parametrize(("persona", "status"), [("reader", 403), ("steering", 403), ("coordinator", 403)])
def test_quick_form_is_for_writers_only(world, login, persona, status):
    client = login(world.user(persona))
    assert client.get(QUICK).status_code == status
    assert client.post(QUICK, quick_data()).status_code == status
    assert not Contact.objects.exists()


def test_quick_form_sends_anonymous_users_to_the_login(world, login):
    response = login(None).post(QUICK, quick_data())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not Contact.objects.exists()


# The anonymous contacts of a site


def test_anonymous_list_shows_the_sites_anonymous_contacts_only(world, login, worker, case):
    mine = make_contact(world.site_a, worker)
    on_case = make_contact(world.site_a, worker, case=case, note="Notiz")
    other_site = make_contact(world.site_b, world.user("other_caseworker"))
    for persona in ["caseworker", "reader", "site_lead"]:
        response = login(world.user(persona)).get(ANONYMOUS_LIST)
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == [mine]
    html = login(worker).get(ANONYMOUS_LIST).content.decode()
    assert reverse("cases:anonymous_contact_edit", args=[mine.pk]) in html
    assert reverse("cases:anonymous_contact_edit", args=[on_case.pk]) not in html
    response = login(world.user("other_caseworker")).get(ANONYMOUS_LIST)
    assert list(response.context["page"].object_list) == [other_site]


def test_anonymous_list_has_no_edit_or_case_links_for_readers(world, login, worker):
    contact = make_contact(world.site_a, worker)
    html = login(world.user("reader")).get(ANONYMOUS_LIST).content.decode()
    assert reverse("cases:anonymous_contact_edit", args=[contact.pk]) not in html
    assert f"?kontakt={contact.pk}" not in html


@pytest.mark.parametrize("persona", ["steering", "coordinator", "admin", "dpo"])
def test_anonymous_list_is_refused_to_roles_without_case_work(world, login, persona):
    assert login(world.user(persona)).get(ANONYMOUS_LIST).status_code == 403


def test_anonymous_contact_is_edited_by_its_author(world, login, worker):
    contact = make_contact(world.site_a, worker)
    url = reverse("cases:anonymous_contact_edit", args=[contact.pk])
    client = login(worker)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["topics"] == ["money"]
    response = client.post(url, quick_data(topics=["crisis"], occurred_on="2024-02-02"))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.occurred_on == date(2024, 2, 2)
    assert list(contact.topics.values_list("topic", flat=True)) == ["crisis"]
    entry = AuditEntry.objects.get(action="inka.contact.updated")
    assert entry.changes["topics"] == [["money"], ["crisis"]]
    assert entry.changes["occurred_on"] == ["2024-02-01", "2024-02-02"]


def test_anonymous_contact_edit_bad_input(world, login, worker):
    contact = make_contact(world.site_a, worker)
    url = reverse("cases:anonymous_contact_edit", args=[contact.pk])
    before = written()
    response = login(worker).post(url, EMPTY_QUICK)
    assert_form_errors(response, "occurred_on", "mode", "topics")
    response = login(worker).post(url, quick_data(occurred_on=(today() + timedelta(days=1)).isoformat()))
    assert_form_errors(response, "occurred_on")
    assert written() == before
    contact.refresh_from_db()
    assert contact.occurred_on == date(2024, 2, 1)


def test_anonymous_contact_edit_is_refused_to_others(world, login, worker, second_worker, case):
    contact = make_contact(world.site_a, worker)
    url = reverse("cases:anonymous_contact_edit", args=[contact.pk])
    for user in [second_worker, world.user("site_lead"), world.user("reader")]:
        client = login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, quick_data(topics=["crisis"])).status_code == 403
    assert login(world.user("other_caseworker")).get(url).status_code == 404
    # A contact on a case is not edited as an anonymous one.
    on_case = make_contact(world.site_a, worker, case=case)
    assert login(worker).get(reverse("cases:anonymous_contact_edit", args=[on_case.pk])).status_code == 404
    assert list(contact.topics.values_list("topic", flat=True)) == ["money"]
    assert not AuditEntry.objects.exists()


# The contact log of a case (C5)


def test_contact_is_added_on_the_case_and_shown_newest_first(world, login, worker, case):
    older = make_contact(world.site_a, worker, case=case, occurred_on=date(2024, 3, 1), note="ältere Notiz")
    client = login(worker)
    url = reverse("cases:contact_create", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, case_contact_data(topics=["money", "crisis"]))
    assert response.status_code == 302
    assert response["Location"] == f"{case.get_absolute_url()}#kontakte"
    newer = Contact.objects.exclude(pk=older.pk).get()
    assert (newer.case, newer.site, newer.author, newer.note) == (
        case,
        world.site_a,
        worker,
        "Mahnung besprochen",
    )
    assert sorted(newer.topics.values_list("topic", flat=True)) == ["crisis", "money"]
    response = client.get(case.get_absolute_url())
    assert response.context["page"].contacts == [newer, older]
    html = response.content.decode()
    assert html.index("Mahnung besprochen") < html.index("ältere Notiz")


def test_contact_list_shows_all_contacts_of_the_case(world, login, worker, case):
    for day in range(1, 13):
        make_contact(world.site_a, worker, case=case, occurred_on=date(2024, 3, day))
    other = make_case(world.site_a, worker, make_person(world.site_a, "Anna", "Schulz"))
    make_contact(world.site_a, worker, case=other)
    response = login(world.user("reader")).get(reverse("cases:contact_list", args=[case.pk]))
    assert response.status_code == 200
    dates = [contact.occurred_on for contact in response.context["page"].object_list]
    assert dates == [date(2024, 3, day) for day in range(12, 0, -1)]
    # The case page shows the newest ten and links to the list.
    response = login(worker).get(case.get_absolute_url())
    assert len(response.context["page"].contacts) == 10
    assert reverse("cases:contact_list", args=[case.pk]) in response.content.decode()


def test_contact_create_bad_input_writes_nothing(world, login, worker, case):
    url = reverse("cases:contact_create", args=[case.pk])
    client = login(worker)
    before = written()
    assert_form_errors(client.post(url, EMPTY_CASE_CONTACT), "occurred_on", "mode", "topics")
    assert_form_errors(client.post(url, case_contact_data(occurred_on="2999-01-01")), "occurred_on")
    # Before the case was opened (10.01.2024).
    assert_form_errors(client.post(url, case_contact_data(occurred_on="2024-01-09")), "occurred_on")
    assert_form_errors(client.post(url, case_contact_data(duration_minutes="-5")), "duration_minutes")
    assert written() == before


def test_contact_create_after_the_counselling_consent_was_withdrawn(world, login, worker, case):
    consent = case.person.consents.get()
    consent.withdrawn_on = today()
    consent.save()
    before = written()
    response = login(worker).post(reverse("cases:contact_create", args=[case.pk]), case_contact_data())
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert written() == before


def test_contact_edit_by_its_author_writes_the_diff(world, login, worker, case):
    contact = make_contact(world.site_a, worker, case=case, note="alte Notiz")
    url = reverse("cases:contact_edit", args=[case.pk, contact.pk])
    client = login(worker)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["topics"] == ["money"]
    response = client.post(
        url, case_contact_data(occurred_on="2024-02-01", note="neue Notiz", mode="walk_in")
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.note == "neue Notiz"
    entry = AuditEntry.objects.get(action="inka.contact.updated")
    assert entry.actor_id == worker.pk
    assert entry.object_id == str(contact.pk)
    assert entry.changes["note"] == ["alte Notiz", "neue Notiz"]
    assert entry.changes["next_step"] == ["", "Antrag stellen"]
    assert "mode" not in entry.changes
    # The edit page shows the history of the contact.
    response = client.get(url)
    assert [row["entry"] for row in response.context["rows"]] == [entry]
    assert "alte Notiz" in response.content.decode()


def test_contact_edit_bad_input(world, login, worker, case):
    contact = make_contact(world.site_a, worker, case=case, note="alte Notiz")
    url = reverse("cases:contact_edit", args=[case.pk, contact.pk])
    before = written()
    assert_form_errors(login(worker).post(url, case_contact_data(topics=[], mode="")), "topics", "mode")
    assert written() == before
    contact.refresh_from_db()
    assert contact.note == "alte Notiz"


def test_contact_edit_cannot_move_the_contact_before_the_case_was_opened(world, login, worker, case):
    contact = make_contact(world.site_a, worker, case=case)
    url = reverse("cases:contact_edit", args=[case.pk, contact.pk])
    response = login(worker).post(url, case_contact_data(occurred_on="2024-01-09"))
    assert_form_errors(response, "occurred_on")
    contact.refresh_from_db()
    assert contact.occurred_on == date(2024, 2, 1)
    assert not AuditEntry.objects.exists()


def test_contact_edit_is_refused_to_another_caseworker_of_the_site(world, login, worker, second_worker, case):
    contact = make_contact(world.site_a, worker, case=case, note="alte Notiz")
    url = reverse("cases:contact_edit", args=[case.pk, contact.pk])
    client = login(second_worker)
    assert client.get(url).status_code == 403
    assert client.post(url, case_contact_data(note="fremd")).status_code == 403
    contact.refresh_from_db()
    assert contact.note == "alte Notiz"
    assert not AuditEntry.objects.filter(action="inka.contact.updated").exists()
    # The case page offers the edit link to the author only.
    edit_link = reverse("cases:contact_edit", args=[case.pk, contact.pk])
    assert edit_link not in client.get(case.get_absolute_url()).content.decode()
    assert edit_link in login(worker).get(case.get_absolute_url()).content.decode()


def test_contact_edit_of_a_contact_of_another_case_is_404(world, login, worker, case):
    other = make_case(world.site_a, worker, make_person(world.site_a, "Anna", "Schulz"))
    contact = make_contact(world.site_a, worker, case=other)
    response = login(worker).get(reverse("cases:contact_edit", args=[case.pk, contact.pk]))
    assert response.status_code == 404


def test_contact_views_of_another_site_are_404(world, login, worker, case):
    contact = make_contact(world.site_a, worker, case=case)
    client = login(world.user("other_caseworker"))
    for url in [
        reverse("cases:contact_list", args=[case.pk]),
        reverse("cases:contact_create", args=[case.pk]),
        reverse("cases:contact_edit", args=[case.pk, contact.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("cases:contact_create", args=[case.pk]), case_contact_data()).status_code == 404
    )
    assert Contact.objects.count() == 1


def test_contact_list_writes_an_access_log_row(world, login, worker, case):
    make_contact(world.site_a, worker, case=case)
    login(world.user("reader")).get(reverse("cases:contact_list", args=[case.pk]))
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.record_ids) == (
        "case.contacts",
        world.user("reader").pk,
        [case.pk],
    )
