"""Network activities (N3): meetings, joint projects and working groups with the partners present."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from inka.core.models import AuditEntry
from inka.network import selectors
from inka.network.models import NetworkActivity
from inka.network.tests.relation_factories import make_activity, make_link

LIST = reverse("network:activity_list")
CREATE = reverse("network:activity_create")


def edit_url(activity):
    return reverse("network:activity_edit", args=[activity.pk])


@pytest.fixture
def partners(world):
    return [make_link(world.site_a, name).partner for name in ["Jobcenter", "Tafel", "Regelschule"]]


def data(partners, **changes):
    values = {
        "kind": "working_group",
        "title": "AG Wohnen",
        "held_on": "2024-06-03",
        "place": "Stadtteilbüro",
        "partners": [str(partner.pk) for partner in partners],
        "note": "Absprachen zu Mietschulden",
    }
    return {**values, **changes}


def written():
    return NetworkActivity.objects.count(), AuditEntry.objects.count()


def test_list_of_a_year_with_counts_by_kind(world, login, partners):
    this_year = timezone.localdate().year
    make_activity(
        world.site_a, "Netzwerktreffen Frühjahr", partners=tuple(partners), held_on=date(this_year, 1, 2)
    )
    make_activity(world.site_a, "AG Wohnen", kind="working_group", held_on=date(this_year, 1, 3))
    make_activity(world.site_a, "Stadtteilfest", kind="joint_project", held_on=date(2024, 6, 1))
    make_activity(world.site_b, "Treffen in Gera", held_on=date(this_year, 1, 2))
    client = login(world.user("steering"))
    response = client.get(LIST)
    assert [a.title for a in response.context["page"].object_list] == [
        "AG Wohnen",
        "Netzwerktreffen Frühjahr",
    ]
    assert [(kind, count) for kind, _label, count in response.context["counts"]] == [
        ("meeting", 1),
        ("working_group", 1),
    ]
    html = response.content.decode()
    assert "Jobcenter, Regelschule, Tafel" in html
    assert CREATE not in html
    response = client.get(LIST, {"year": "2024"})
    assert [a.title for a in response.context["page"].object_list] == ["Stadtteilfest"]
    response = client.get(LIST, {"year": "all", "kind": "meeting"})
    assert [a.title for a in response.context["page"].object_list] == ["Netzwerktreffen Frühjahr"]
    assert client.get(LIST, {"year": "1999"}).status_code == 400
    response = login(world.user("coordinator")).get(LIST)
    assert {a.title for a in response.context["page"].object_list} == {
        "AG Wohnen",
        "Netzwerktreffen Frühjahr",
        "Treffen in Gera",
    }
    assert login(world.user("dpo")).get(LIST).status_code == 403


def test_activity_counts_and_years(world):
    make_activity(world.site_a, held_on=date(2024, 3, 1))
    make_activity(world.site_a, kind="event", held_on=date(2025, 3, 1))
    make_activity(world.site_a, kind="event", held_on=date(2025, 4, 1))
    assert selectors.activity_years(site_ids=[world.site_a.pk]) == [2025, 2024]
    counts = selectors.activity_counts(site_ids=[world.site_a.pk], year=2025)
    assert [(kind, count) for kind, _label, count in counts] == [("event", 2)]
    assert [count for _kind, _label, count in selectors.activity_counts(site_ids=[world.site_a.pk])] == [1, 2]


@pytest.mark.parametrize(
    ("persona", "rows"), [("caseworker", 1), ("caseworker", 50), ("coordinator", 1), ("coordinator", 50)]
)
def test_list_query_count_does_not_grow_with_rows(
    world, login, partners, persona, rows, django_assert_max_num_queries
):
    for index in range(rows):
        make_activity(
            world.site_a, f"Treffen {index}", partners=tuple(partners), held_on=timezone.localdate()
        )
    client = login(world.user(persona))
    with django_assert_max_num_queries(14):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == rows


def test_the_caseworker_records_an_activity_with_the_partners_present(world, login, partners):
    client = login(world.user("caseworker"))
    form = client.get(CREATE).context["form"]
    assert [choice[1] for choice in form.fields["partners"].choices] == ["Jobcenter", "Regelschule", "Tafel"]
    response = client.post(CREATE, data(partners[:2]))
    assert response["Location"] == LIST
    activity = NetworkActivity.objects.get()
    assert (activity.site, activity.kind, activity.held_on) == (
        world.site_a,
        "working_group",
        date(2024, 6, 3),
    )
    assert set(activity.partners.all()) == set(partners[:2])
    entry = AuditEntry.objects.get(action="inka.network_activity.created")
    assert entry.changes["partners"] == [None, sorted(partner.pk for partner in partners[:2])]
    # The partner page shows it among the recent activities.
    link = make_link(world.site_a, "Jobcenter")
    assert "AG Wohnen" in client.get(link.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": ""}, "kind"),
        ({"title": ""}, "title"),
        ({"held_on": "gestern"}, "held_on"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_bad_input_is_400_at_the_field_and_nothing_written(world, login, partners, changes, field):
    response = login(world.user("caseworker")).post(CREATE, data(partners, **changes))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert f'id="id_{field}-error"' in response.content.decode()
    assert written() == (0, 0)


def test_only_the_sites_partners_can_be_present(world, login, partners):
    foreign = make_link(world.site_b, "Jobcenter Gera", town="Gera").partner
    response = login(world.user("caseworker")).post(CREATE, data([partners[0], foreign]))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["partners"]
    assert written() == (0, 0)


def test_edit_changes_who_was_present(world, login, partners):
    activity = make_activity(world.site_a, "AG Wohnen", partners=tuple(partners), held_on=date(2024, 6, 3))
    client = login(world.user("site_lead"))
    form = client.get(edit_url(activity)).context["form"]
    assert sorted(form["partners"].value()) == sorted(partner.pk for partner in partners)
    response = client.post(edit_url(activity), data(partners[:1], title="AG Wohnen und Schulden"))
    assert response["Location"] == f"{LIST}?year=2024"
    activity.refresh_from_db()
    assert activity.title == "AG Wohnen und Schulden"
    assert list(activity.partners.all()) == partners[:1]
    entry = AuditEntry.objects.get(action="inka.network_activity.updated")
    assert entry.changes["partners"] == [sorted(p.pk for p in partners), [partners[0].pk]]
    assert client.post(edit_url(activity), data(partners, held_on="")).status_code == 400
    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("reader", 403), ("steering", 403), ("coordinator", 403), ("dpo", 403), ("other_caseworker", 404)],
)
def test_only_the_sites_writers_change_activities(world, login, partners, persona, status):
    activity = make_activity(world.site_a, "AG Wohnen")
    client = login(world.user(persona))
    assert client.get(edit_url(activity)).status_code == status
    assert client.post(edit_url(activity), data(partners, title="Gekapert")).status_code == status
    if persona != "other_caseworker":
        assert client.post(CREATE, data(partners)).status_code == 403
    assert NetworkActivity.objects.get().title == "AG Wohnen"
    assert not AuditEntry.objects.exists()


def test_anonymous_users_are_sent_to_the_login(world, client):
    activity = make_activity(world.site_a)
    for url in [LIST, CREATE, edit_url(activity)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
