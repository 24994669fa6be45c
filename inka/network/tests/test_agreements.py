"""Cooperation agreements (N2): rules, status, renewal and the reminder on the work list."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inka.core.models import AuditEntry
from inka.network import selectors, services
from inka.network.models import Agreement, AgreementKind, PartnerKind
from inka.network.selectors import AgreementStatus, shift_months
from inka.network.tests.relation_factories import make_agreement, make_link

LIST = reverse("network:agreement_list")
CREATE = reverse("network:agreement_create")
WORK_LIST = reverse("cases:work_list")


def today():
    return timezone.localdate()


def detail_url(agreement):
    return reverse("network:agreement_detail", args=[agreement.pk])


def edit_url(agreement):
    return reverse("network:agreement_edit", args=[agreement.pk])


def renew_url(agreement):
    return reverse("network:agreement_renew", args=[agreement.pk])


@pytest.fixture
def municipality(world):
    return make_link(world.site_a, "Landratsamt Altenburger Land", kind=PartnerKind.MUNICIPALITY).partner


@pytest.fixture
def jobcenter(world):
    return make_link(world.site_a, "Jobcenter Altenburger Land", kind=PartnerKind.JOBCENTER).partner


def data(partner, **changes):
    values = {
        "partner": str(partner.pk),
        "kind": "cooperation",
        "title": "Zusammenarbeit bei Vermittlungen",
        "signed_on": "2024-01-10",
        "starts_on": "2024-02-01",
        "ends_on": "2026-01-31",
        "remind_on": "",
        "note": "",
    }
    return {**values, **changes}


def written():
    return Agreement.objects.count(), AuditEntry.objects.count()


# Services


def test_the_reminder_defaults_to_three_months_before_the_end(world, jobcenter):
    actor = world.user("caseworker")
    agreement = services.agreement_create(
        actor=actor,
        site=world.site_a,
        partner=jobcenter,
        kind=AgreementKind.COOPERATION,
        title="Vermittlungen",
        signed_on=date(2024, 1, 10),
        starts_on=date(2024, 2, 1),
        ends_on=date(2026, 5, 31),
    )
    assert agreement.remind_on == date(2026, 2, 28)
    entry = AuditEntry.objects.get(action="inka.agreement.created")
    assert (entry.site_id, entry.changes["remind_on"]) == (world.site_a.pk, [None, "2026-02-28"])
    open_ended = services.agreement_create(
        actor=actor,
        site=world.site_a,
        partner=jobcenter,
        kind=AgreementKind.OTHER,
        title="Raumnutzung",
        signed_on=date(2024, 1, 10),
        starts_on=date(2024, 2, 1),
    )
    assert open_ended.remind_on is None


def test_shift_months_keeps_the_day_or_takes_the_months_last():
    assert shift_months(date(2026, 5, 31), -3) == date(2026, 2, 28)
    assert shift_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert shift_months(date(2026, 1, 15), -1) == date(2025, 12, 15)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": date(2024, 1, 31)}, "ends_on"),
        ({"signed_on": date(2999, 1, 1)}, "signed_on"),
        ({"remind_on": date(2026, 2, 1)}, "remind_on"),
        ({"kind": AgreementKind.MUNICIPAL_CONTRACT}, "partner"),
        ({"title": ""}, "title"),
    ],
)
def test_agreement_rules(world, jobcenter, changes, field):
    fields = {
        "partner": jobcenter,
        "kind": AgreementKind.COOPERATION,
        "title": "Vermittlungen",
        "signed_on": date(2024, 1, 10),
        "starts_on": date(2024, 2, 1),
        "ends_on": date(2026, 1, 31),
    }
    with pytest.raises(ValidationError) as raised:
        services.agreement_create(actor=None, site=world.site_a, **fields | changes)
    assert list(raised.value.error_dict) == [field]
    assert written() == (0, 0)


def test_the_partner_must_be_on_the_sites_list(world):
    foreign = make_link(world.site_b, "Jobcenter Gera", town="Gera").partner
    with pytest.raises(ValidationError) as raised:
        services.agreement_create(
            actor=None,
            site=world.site_a,
            partner=foreign,
            kind=AgreementKind.COOPERATION,
            title="Vermittlungen",
            signed_on=date(2024, 1, 10),
            starts_on=date(2024, 2, 1),
        )
    assert list(raised.value.error_dict) == ["partner"]


def test_renewal_links_the_follow_up_once(world, jobcenter):
    old = make_agreement(world.site_a, jobcenter, ends_on=date(2026, 1, 31))
    actor = world.user("site_lead")
    follow_up = services.agreement_renew(
        actor=actor,
        agreement=old,
        partner=jobcenter,
        kind=AgreementKind.COOPERATION,
        title="Vermittlungen",
        signed_on=date(2025, 12, 1),
        starts_on=date(2026, 2, 1),
        ends_on=date(2028, 1, 31),
    )
    old.refresh_from_db()
    assert old.renewed_by == follow_up
    assert follow_up.site == world.site_a
    assert AuditEntry.objects.get(action="inka.agreement.renewed").changes == {
        "renewed_by": [None, follow_up.pk]
    }
    with pytest.raises(ValidationError):
        services.agreement_renew(actor=actor, agreement=old, partner=jobcenter, title="Noch einmal")
    assert Agreement.objects.count() == 2


def test_status_of_agreements(world, jobcenter):
    day = today()
    rows = {
        "upcoming": make_agreement(world.site_a, jobcenter, starts_on=day + timedelta(days=5)),
        "running": make_agreement(world.site_a, jobcenter, starts_on=day, ends_on=day + timedelta(days=400)),
        "soon": make_agreement(world.site_a, jobcenter, starts_on=day, ends_on=day + timedelta(days=60)),
        "reminded": make_agreement(
            world.site_a, jobcenter, starts_on=day, ends_on=day + timedelta(days=400), remind_on=day
        ),
        "open": make_agreement(world.site_a, jobcenter, starts_on=day),
        "expired": make_agreement(
            world.site_a, jobcenter, starts_on=date(2020, 1, 1), ends_on=day - timedelta(days=1)
        ),
    }
    rows["renewed"] = make_agreement(
        world.site_a,
        jobcenter,
        starts_on=date(2020, 1, 1),
        ends_on=date(2021, 1, 1),
        renewed_by=rows["running"],
    )
    statuses = {a.pk: a.status for a in selectors.agreement_list(site_ids=[world.site_a.pk], today=day)}
    assert {key: statuses[agreement.pk] for key, agreement in rows.items()} == {
        "upcoming": AgreementStatus.UPCOMING,
        "running": AgreementStatus.RUNNING,
        "soon": AgreementStatus.ENDS_SOON,
        "reminded": AgreementStatus.ENDS_SOON,
        "open": AgreementStatus.OPEN_ENDED,
        "expired": AgreementStatus.EXPIRED,
        "renewed": AgreementStatus.RENEWED,
    }
    soon = selectors.agreement_list(site_ids=[world.site_a.pk], today=day, status=AgreementStatus.ENDS_SOON)
    assert {a.pk for a in soon} == {rows["soon"].pk, rows["reminded"].pk}


# The work list


def test_the_reminder_is_on_the_work_list_of_the_sites_writers_until_renewed(world, login, jobcenter):
    day = today()
    due = make_agreement(
        world.site_a, jobcenter, title="Vermittlungen", ends_on=day + timedelta(days=60), remind_on=day
    )
    make_agreement(
        world.site_a,
        jobcenter,
        title="Später",
        ends_on=day + timedelta(days=400),
        remind_on=day + timedelta(days=200),
    )
    make_agreement(
        world.site_a,
        jobcenter,
        title="Längst vorbei",
        ends_on=day - timedelta(days=31),
        remind_on=day - timedelta(days=120),
    )
    make_link(world.site_b, "Jobcenter Gera", town="Gera")
    client = login(world.user("caseworker"))
    response = client.get(WORK_LIST)
    (section,) = [s for s in response.context["extra_sections"] if s.provider.key == "vereinbarungen"]
    (item,) = section.items
    assert (item.due_on, item.url, item.site_code) == (day, detail_url(due), "NORD")
    assert item.label == "Vermittlungen (Jobcenter Altenburger Land)"
    assert detail_url(due) in response.content.decode()
    # Not for those who cannot renew, nor for another site.
    for persona in ["reader", "steering", "other_caseworker"]:
        response = login(world.user(persona)).get(WORK_LIST)
        if response.status_code == 200:
            sections = [s for s in response.context["extra_sections"] if s.provider.key == "vereinbarungen"]
            assert all(not section.items for section in sections), persona
        else:
            assert response.status_code == 403
    # Renewing makes the reminder disappear.
    client = login(world.user("caseworker"))
    form = client.get(renew_url(due)).context["form"]
    posted = {name: form[name].value() or "" for name in form.fields}
    posted = {name: value.isoformat() if isinstance(value, date) else value for name, value in posted.items()}
    assert client.post(renew_url(due), posted).status_code == 302
    response = client.get(WORK_LIST)
    (section,) = [s for s in response.context["extra_sections"] if s.provider.key == "vereinbarungen"]
    assert section.items == []


def test_reminders_of_several_sites_and_open_ended_agreements(world, jobcenter):
    day = today()
    gera = make_link(world.site_b, "Jobcenter Gera", town="Gera").partner
    make_agreement(
        world.site_a,
        jobcenter,
        title="A",
        ends_on=day + timedelta(days=10),
        remind_on=day + timedelta(days=14),
    )
    make_agreement(
        world.site_b, gera, title="B", ends_on=day - timedelta(days=30), remind_on=day - timedelta(days=90)
    )
    make_agreement(world.site_b, gera, title="Offen", remind_on=day - timedelta(days=1))
    make_agreement(
        world.site_b,
        gera,
        title="Zu früh",
        ends_on=day + timedelta(days=100),
        remind_on=day + timedelta(days=15),
    )
    reminders = selectors.agreement_reminders(site_ids=[world.site_a.pk, world.site_b.pk], today=day)
    assert [a.title for a in reminders] == ["B", "Offen", "A"]


# Pages


def test_list_shows_status_and_filters(world, login, jobcenter):
    day = today()
    make_agreement(world.site_a, jobcenter, title="Läuft bald aus", ends_on=day + timedelta(days=30))
    make_agreement(world.site_a, jobcenter, title="Unbefristet")
    make_agreement(world.site_b, make_link(world.site_b, "Jobcenter Gera", town="Gera").partner, title="Gera")
    client = login(world.user("reader"))
    response = client.get(LIST)
    assert [a.title for a in response.context["page"].object_list] == ["Unbefristet", "Läuft bald aus"]
    assert CREATE not in response.content.decode()
    response = client.get(LIST, {"status": "ends_soon"})
    assert [a.title for a in response.context["page"].object_list] == ["Läuft bald aus"]
    assert client.get(LIST, {"status": "bald"}).status_code == 400
    assert CREATE in login(world.user("caseworker")).get(LIST).content.decode()
    response = login(world.user("coordinator")).get(LIST)
    assert {a.title for a in response.context["page"].object_list} == {
        "Läuft bald aus",
        "Unbefristet",
        "Gera",
    }
    assert login(world.user("dpo")).get(LIST).status_code == 403


@pytest.mark.parametrize(
    ("persona", "rows"), [("caseworker", 1), ("caseworker", 50), ("coordinator", 1), ("coordinator", 50)]
)
def test_list_query_count_does_not_grow_with_rows(world, login, persona, rows, django_assert_max_num_queries):
    for index in range(rows):
        partner = make_link(world.site_a, f"Partner {index:02}").partner
        make_agreement(world.site_a, partner, title=f"Vereinbarung {index}", ends_on=date(2030, 1, 1))
    client = login(world.user(persona))
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == rows


def test_the_caseworker_records_an_agreement_from_the_partner_page(world, login, municipality):
    client = login(world.user("caseworker"))
    link = make_link(world.site_a, "Landratsamt Altenburger Land")
    assert f"{CREATE}?partner={municipality.pk}" in client.get(link.get_absolute_url()).content.decode()
    form = client.get(CREATE, {"partner": municipality.pk}).context["form"]
    assert str(form["partner"].value()) == str(municipality.pk)
    response = client.post(CREATE, data(municipality, kind="municipal_contract", title="Kooperationsvertrag"))
    agreement = Agreement.objects.get()
    assert response["Location"] == detail_url(agreement)
    assert (agreement.site, agreement.kind, agreement.remind_on) == (
        world.site_a,
        "municipal_contract",
        date(2025, 10, 31),
    )
    html = client.get(link.get_absolute_url()).content.decode()
    assert "Kooperationsvertrag" in html and detail_url(agreement) in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": "2024-01-01"}, "ends_on"),
        ({"signed_on": "2999-01-01"}, "signed_on"),
        ({"remind_on": "2026-02-01"}, "remind_on"),
        ({"kind": "municipal_contract"}, "partner"),
        ({"starts_on": "morgen"}, "starts_on"),
        ({"partner": ""}, "partner"),
    ],
)
def test_bad_input_is_400_at_the_field_and_nothing_written(world, login, jobcenter, changes, field):
    response = login(world.user("caseworker")).post(CREATE, {**data(jobcenter), **changes})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert f'id="id_{field}-error"' in response.content.decode()
    assert written() == (0, 0)


def test_a_partner_of_another_site_cannot_be_chosen(world, login, jobcenter):
    foreign = make_link(world.site_b, "Jobcenter Gera", town="Gera").partner
    response = login(world.user("caseworker")).post(CREATE, data(foreign))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["partner"]
    assert written() == (0, 0)


def test_signed_in_the_future_is_refused_in_german(world, login, jobcenter):
    response = login(world.user("caseworker")).post(CREATE, data(jobcenter, signed_on="2999-01-01"))
    assert "Das Datum darf nicht in der Zukunft liegen." in response.content.decode()


def test_detail_edit_and_renew(world, login, jobcenter):
    agreement = make_agreement(
        world.site_a, jobcenter, title="Vermittlungen", ends_on=date(2026, 1, 31), note="Alt"
    )
    reader = login(world.user("reader"))
    html = reader.get(detail_url(agreement)).content.decode()
    assert "Vermittlungen" in html and "Jobcenter Altenburger Land" in html
    assert edit_url(agreement) not in html and renew_url(agreement) not in html
    client = login(world.user("site_lead"))
    html = client.get(detail_url(agreement)).content.decode()
    assert edit_url(agreement) in html and renew_url(agreement) in html
    response = client.post(
        edit_url(agreement), data(jobcenter, title="Vermittlungen und Fallkonferenzen", remind_on="")
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.title, agreement.remind_on) == ("Vermittlungen und Fallkonferenzen", date(2025, 10, 31))
    assert AuditEntry.objects.get(action="inka.agreement.updated").changes["title"] == [
        "Vermittlungen",
        "Vermittlungen und Fallkonferenzen",
    ]
    # Renewal: the form is filled in from the old agreement, for the same length of time.
    initial = client.get(renew_url(agreement)).context["form"].initial
    assert (
        initial["partner"],
        initial["title"],
        initial["starts_on"],
        initial["ends_on"],
        initial["signed_on"],
    ) == (
        jobcenter.pk,
        "Vermittlungen und Fallkonferenzen",
        date(2026, 2, 1),
        date(2028, 1, 31),
        today(),
    )
    response = client.post(
        renew_url(agreement),
        data(jobcenter, signed_on="2025-12-01", starts_on="2026-02-01", ends_on="2028-01-31"),
    )
    follow_up = Agreement.objects.get(renews=agreement)
    assert response["Location"] == detail_url(follow_up)
    html = client.get(detail_url(follow_up)).content.decode()
    assert detail_url(agreement) in html
    html = client.get(detail_url(agreement)).content.decode()
    assert detail_url(follow_up) in html and renew_url(agreement) not in html
    # Renewing again writes nothing and leads to the follow-up.
    before = written()
    response = client.post(renew_url(agreement), data(jobcenter))
    assert response["Location"] == detail_url(follow_up)
    assert written() == before


def test_renewal_with_bad_input_writes_nothing(world, login, jobcenter):
    agreement = make_agreement(world.site_a, jobcenter, ends_on=date(2026, 1, 31))
    response = login(world.user("caseworker")).post(
        renew_url(agreement), data(jobcenter, ends_on="2020-01-01")
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["ends_on"]
    agreement.refresh_from_db()
    assert agreement.renewed_by is None
    assert written() == (1, 0)


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("reader", 200, 403),
        ("steering", 200, 403),
        ("coordinator", 200, 403),
        ("admin", 403, 403),
        ("dpo", 403, 403),
        ("other_caseworker", 404, 404),
    ],
)
def test_who_may_read_and_change_an_agreement(world, login, jobcenter, persona, read, write):
    agreement = make_agreement(world.site_a, jobcenter, title="Vermittlungen", ends_on=date(2026, 1, 31))
    client = login(world.user(persona))
    assert client.get(detail_url(agreement)).status_code == read
    for url in [edit_url(agreement), renew_url(agreement)]:
        assert client.get(url).status_code == write
        assert client.post(url, data(jobcenter, title="Gekapert")).status_code == write
    assert Agreement.objects.get().title == "Vermittlungen"


@pytest.mark.parametrize("persona", ["reader", "steering", "coordinator", "dpo"])
def test_only_the_sites_writers_record_agreements(world, login, jobcenter, persona):
    client = login(world.user(persona))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, data(jobcenter)).status_code == 403
    assert written() == (0, 0)


def test_anonymous_users_are_sent_to_the_login(world, client, jobcenter):
    agreement = make_agreement(world.site_a, jobcenter)
    for url in [LIST, CREATE, detail_url(agreement), edit_url(agreement), renew_url(agreement)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
