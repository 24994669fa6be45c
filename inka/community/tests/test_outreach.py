"""Outreach rounds: their conversations become anonymous contacts, a correction replaces them; the
list with its summary per month; the phone-sized form."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inka.cases.models import Contact, ContactMode, ContactTopic
from inka.cases.tests.factories import make_case
from inka.community import selectors, services
from inka.community.models import OutreachRound, OutreachTopic
from inka.core.models import AuditEntry

LIST = reverse("community:outreach_list")
CREATE = reverse("community:outreach_create")
DAY = date(2024, 6, 3)


@pytest.fixture
def actor(world):
    return world.user("caseworker")


def record(world, actor, conversations=12, topics=None, **fields):
    fields.setdefault("held_on", DAY)
    fields.setdefault("area", "Spielplatz Mozartstraße")
    return services.outreach_round_create(
        actor=actor,
        site=world.site_a,
        staff=[actor],
        topics={"money": 5, "housing": 3} if topics is None else topics,
        conversations=conversations,
        **fields,
    )


def topic_counts(outreach):
    return Counter(
        ContactTopic.objects.filter(contact__in=outreach.contacts.all()).values_list("topic", flat=True)
    )


def form_data(actor, **changes):
    data = {
        "held_on": "2024-06-03",
        "area": "Markt und Wochenmarkt",
        "duration_minutes": "90",
        "staff": [str(actor.pk)],
        "conversations": "12",
        "topic_money": "5",
        "topic_housing": "3",
        "note": "",
    }
    data.update(changes)
    return data


# Services


def test_a_round_with_12_conversations_makes_12_anonymous_contacts_with_the_topic_counts(world, actor):
    outreach = record(world, actor)
    contacts = Contact.objects.filter(site=world.site_a)
    assert contacts.count() == 12
    assert set(outreach.contacts.all()) == set(contacts)
    assert {(c.case_id, c.mode, c.occurred_on, c.author_id, c.age_band, c.gender) for c in contacts} == {
        (None, ContactMode.OUTREACH, DAY, actor.pk, "", "")
    }
    assert topic_counts(outreach) == {"money": 5, "housing": 3}
    assert dict(outreach.topics.values_list("topic", "conversations")) == {"money": 5, "housing": 3}
    entry = AuditEntry.objects.get(action="inka.outreach.recorded")
    assert entry.changes["conversations"] == [None, 12]
    assert entry.changes["topics"] == [None, {"housing": 3, "money": 5}]


def test_editing_the_round_to_8_conversations_leaves_8_contacts(world, actor):
    outreach = record(world, actor)
    services.outreach_round_update(
        actor=actor,
        outreach=outreach,
        staff=[actor],
        topics={"money": 2, "work": 1},
        held_on=DAY - timedelta(days=1),
        area=outreach.area,
        duration_minutes=None,
        conversations=8,
        note="",
    )
    contacts = Contact.objects.filter(site=world.site_a)
    assert contacts.count() == 8
    assert set(outreach.contacts.all()) == set(contacts)
    assert set(contacts.values_list("occurred_on", flat=True)) == {DAY - timedelta(days=1)}
    assert topic_counts(outreach) == {"money": 2, "work": 1}
    assert not OutreachTopic.objects.filter(topic="housing").exists()
    entry = AuditEntry.objects.get(action="inka.outreach.updated")
    assert entry.changes["conversations"] == [12, 8]


def test_conversations_taken_into_a_case_stay_and_count(world, actor):
    outreach = record(world, actor, conversations=3, topics={"money": 1})
    case = make_case(world.site_a, actor, opened_on=DAY)
    taken = outreach.contacts.order_by("pk").first()
    taken.case = case
    taken.save()
    data = {"held_on": DAY, "area": "x", "duration_minutes": None, "note": ""}
    with pytest.raises(ValidationError) as error:
        services.outreach_round_update(
            actor=actor, outreach=outreach, staff=[actor], topics={}, conversations=0, **data
        )
    assert "conversations" in error.value.message_dict
    assert Contact.objects.count() == 3
    services.outreach_round_update(
        actor=actor,
        outreach=OutreachRound.objects.get(),
        staff=[actor],
        topics={"money": 2},
        conversations=4,
        **data,
    )
    assert Contact.objects.count() == 4
    assert Contact.objects.filter(case=case).get() == taken
    assert outreach.contacts.count() == 4
    assert topic_counts(outreach)["money"] == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"topics": {"money": 13}}, "topics"),
        ({"topics": {"castle": 1}}, "topics"),
        ({"held_on": timezone.localdate() + timedelta(days=1)}, "held_on"),
        ({"staff": []}, "staff"),
    ],
)
def test_bad_rounds_write_nothing(world, actor, changes, field):
    fields = {"held_on": DAY, "area": "Markt", "conversations": 12, "topics": {}, "staff": [actor], **changes}
    with pytest.raises(ValidationError) as error:
        services.outreach_round_create(actor=actor, site=world.site_a, **fields)
    assert field in error.value.message_dict
    assert not OutreachRound.objects.exists()
    assert not Contact.objects.exists()


def test_only_the_sites_team_goes_on_its_rounds(world, actor):
    with pytest.raises(ValidationError) as error:
        services.outreach_round_create(
            actor=actor,
            site=world.site_a,
            staff=[world.user("other_caseworker")],
            topics={},
            held_on=DAY,
            area="Markt",
            conversations=2,
        )
    assert "staff" in error.value.message_dict


def test_month_summary_counts_rounds_conversations_and_top_topics(world, actor):
    today = date(2024, 6, 20)
    record(world, actor, conversations=12, topics={"money": 5, "housing": 3, "work": 1, "health": 4})
    record(world, actor, conversations=4, topics={"work": 4}, held_on=date(2024, 6, 10))
    record(world, actor, conversations=7, topics={}, held_on=date(2024, 4, 2))
    services.outreach_round_create(
        actor=world.user("other_caseworker"),
        site=world.site_b,
        staff=[world.user("other_caseworker")],
        topics={},
        held_on=DAY,
        area="Gera",
        conversations=20,
    )
    months = selectors.outreach_month_summary(site_ids=[world.site_a.pk], today=today)
    assert len(months) == 12
    assert months[0].month == date(2024, 6, 1)
    assert (months[0].rounds, months[0].conversations) == (2, 16)
    assert [count for label, count in months[0].topics] == [5, 5, 4]
    assert (months[1].rounds, months[2].rounds, months[2].conversations) == (0, 1, 7)
    assert months[-1].month == date(2023, 7, 1)
    assert selectors.outreach_year_totals(site_ids=[world.site_a.pk], year=2024) == {
        "rounds": 3,
        "conversations": 23,
    }


# Views


def test_the_form_records_a_round_and_the_anonymous_contacts_follow(world, login, actor):
    client = login(actor)
    page = client.get(CREATE)
    assert page.status_code == 200
    assert page.context["form"]["staff"].value() == [actor.pk]
    response = client.post(CREATE, form_data(actor))
    assert response.status_code == 302
    outreach = OutreachRound.objects.get()
    assert (outreach.area, outreach.duration_minutes, outreach.recorded_by) == (
        "Markt und Wochenmarkt",
        90,
        actor,
    )
    assert list(outreach.staff.all()) == [actor]
    anonymous = client.get(reverse("cases:anonymous_contact_list"))
    assert anonymous.context["page"].paginator.count == 12
    listing = client.get(LIST).content.decode()
    assert "Markt und Wochenmarkt" in listing


def test_a_topic_counted_more_often_than_the_conversations_is_refused_at_its_field(world, login, actor):
    response = login(actor).post(CREATE, form_data(actor, conversations="4", topic_money="5"))
    assert response.status_code == 400
    assert "topic_money" in response.context["form"].errors
    assert not OutreachRound.objects.exists()
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": "2999-01-01"}, "held_on"),
        ({"conversations": ""}, "conversations"),
        ({"conversations": "-1"}, "conversations"),
        ({"staff": []}, "staff"),
        ({"area": ""}, "area"),
    ],
)
def test_bad_input_gives_400_at_the_field_and_writes_nothing(world, login, actor, changes, field):
    response = login(actor).post(CREATE, form_data(actor, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not OutreachRound.objects.exists()
    assert not Contact.objects.exists()


def test_editing_in_the_form_replaces_the_contacts(world, login, actor):
    outreach = record(world, actor)
    url = reverse("community:outreach_edit", args=[outreach.pk])
    client = login(world.user("site_lead"))
    page = client.get(url)
    assert page.context["form"]["topic_money"].value() == 5
    response = client.post(url, form_data(actor, conversations="8", topic_money="2", topic_housing=""))
    assert response.status_code == 302
    assert Contact.objects.count() == 8
    assert topic_counts(outreach) == {"money": 2}


def test_steering_and_coordination_read_rounds_without_who_went(world, login, actor):
    record(world, actor, note="Viele Fragen zu Nebenkosten")
    for persona in ["steering", "coordinator"]:
        response = login(world.user(persona)).get(LIST)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Spielplatz Mozartstraße" in html
        assert actor.get_full_name() not in html
        assert "Nebenkosten" not in html
        assert not response.context["can_create"]
    html = login(actor).get(LIST).content.decode()
    assert actor.get_full_name() in html
    assert "Viele Fragen zu Nebenkosten" in html


def test_coordination_can_pick_a_site(world, login, actor):
    record(world, actor)
    client = login(world.user("coordinator"))
    response = client.get(LIST, {"site": world.site_b.pk})
    assert response.context["page"].paginator.count == 0
    response = client.get(LIST)
    assert response.context["page"].paginator.count == 1
    assert client.get(LIST, {"site": "x"}).status_code == 400


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_does_not_grow_with_rows(world, login, actor, rows, django_assert_max_num_queries):
    for index in range(rows):
        record(world, actor, conversations=3, topics={"money": 1, "work": 2}, area=f"Straße {index}")
    client = login(actor)
    with django_assert_max_num_queries(16):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_for_the_coordination(world, login, actor, rows, django_assert_max_num_queries):
    for index in range(rows):
        record(world, actor, conversations=1, topics={}, area=f"Straße {index}")
    client = login(world.user("coordinator"))
    with django_assert_max_num_queries(16):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == rows
