"""Resident activation: services and selectors against the database, then the pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inka.cases.tests.factories import assert_form_errors
from inka.community import selectors, services
from inka.community.models import Activation, ActivationKind
from inka.community.tests.test_projects import make_project
from inka.core.models import AuditEntry

LIST = reverse("community:activation_list")
CREATE = reverse("community:activation_create")
VALID = {
    "occurred_on": "2024-05-02",
    "kind": "founded_group",
    "residents": "4",
    "description": "Mütter aus dem Viertel treffen sich jetzt jeden Mittwoch selbst.",
    "project": "",
}


@pytest.fixture
def actor(world):
    return world.user("caseworker")


def make_activation(site, actor, occurred_on=date(2024, 5, 2), kind=ActivationKind.TOOK_OVER_TASK, **fields):
    fields.setdefault("description", "Eine Bewohnerin backt den Kuchen für das Café.")
    return Activation.objects.create(
        site=site, occurred_on=occurred_on, kind=kind, recorded_by=actor, **fields
    )


def edit_url(activation):
    return reverse("community:activation_edit", args=[activation.pk])


# Services and selectors


def test_activation_create_and_update_write_audit_entries(world, actor):
    project = make_project(world.site_a, actor)
    activation = services.activation_create(
        actor=actor,
        site=world.site_a,
        occurred_on=date(2024, 5, 2),
        kind=ActivationKind.ORGANISED_EVENT,
        residents=3,
        description="Ein Hoffest,\r\nselbst organisiert.",
        project=project,
    )
    assert activation.description == "Ein Hoffest,\nselbst organisiert."
    assert activation.recorded_by == actor
    created = AuditEntry.objects.get(action="inka.community.activation.created")
    assert created.changes["project"] == [None, project.pk]
    services.activation_update(actor=actor, activation=activation, residents=5)
    updated = AuditEntry.objects.get(action="inka.community.activation.updated")
    assert updated.changes == {"residents": [3, 5]}


def test_an_activation_cannot_lie_in_the_future(world, actor):
    with pytest.raises(ValidationError) as error:
        services.activation_create(
            actor=actor,
            site=world.site_a,
            occurred_on=timezone.localdate() + timedelta(days=1),
            kind=ActivationKind.OTHER,
            description="Noch nicht geschehen.",
        )
    assert "occurred_on" in error.value.message_dict
    assert not Activation.objects.exists()


def test_an_activation_belongs_to_a_project_of_its_own_site(world, actor):
    elsewhere = make_project(world.site_b, world.user("other_caseworker"))
    with pytest.raises(ValidationError) as error:
        services.activation_create(
            actor=actor,
            site=world.site_a,
            occurred_on=date(2024, 5, 2),
            kind=ActivationKind.OTHER,
            description="Unterschriften gesammelt.",
            project=elsewhere,
        )
    assert "project" in error.value.message_dict


def test_counts_by_kind_for_a_year(world, actor):
    make_activation(world.site_a, actor, residents=2)
    make_activation(world.site_a, actor, occurred_on=date(2024, 9, 1), residents=1)
    make_activation(world.site_a, actor, kind=ActivationKind.FOUNDED_GROUP, residents=6)
    make_activation(world.site_a, actor, occurred_on=date(2023, 12, 31))
    make_activation(world.site_b, world.user("other_caseworker"))
    counts = {
        c.kind: (c.records, c.residents)
        for c in selectors.activation_counts(site_ids=[world.site_a.pk], year=2024)
    }
    assert counts == {
        ActivationKind.TOOK_OVER_TASK: (2, 3),
        ActivationKind.FOUNDED_GROUP: (1, 6),
        ActivationKind.ORGANISED_EVENT: (0, 0),
        ActivationKind.REPRESENTS_NEIGHBOURS: (0, 0),
        ActivationKind.OTHER: (0, 0),
    }
    assert selectors.activation_list(site_ids=[world.site_a.pk], year=2024).count() == 3
    assert selectors.activation_list(site_ids=[world.site_a.pk], year=2024, kind="founded_group").count() == 1


# Pages


def test_the_list_shows_the_year_with_its_counts(world, login, actor):
    make_activation(world.site_a, actor, residents=2)
    make_activation(world.site_a, actor, occurred_on=date(2023, 4, 1), description="Flohmarkt im Hof.")
    make_activation(world.site_b, world.user("other_caseworker"), description="In Gera.")
    client = login(world.user("caseworker"))
    response = client.get(LIST, {"year": 2024})
    assert [a.description for a in response.context["page"].object_list] == [
        "Eine Bewohnerin backt den Kuchen für das Café."
    ]
    counts = {c.kind: c.records for c in response.context["counts"]}
    assert counts[ActivationKind.TOOK_OVER_TASK] == 1
    html = response.content.decode()
    assert CREATE in html and edit_url(Activation.objects.filter(site=world.site_a).first()) in html
    assert response.context["year"] == 2024


def test_the_list_shows_this_year_by_default(world, login, actor):
    make_activation(world.site_a, actor, occurred_on=timezone.localdate())
    response = login(world.user("reader")).get(LIST)
    assert response.context["year"] == timezone.localdate().year
    assert len(response.context["page"].object_list) == 1
    assert CREATE not in response.content.decode()


def test_a_bad_year_is_a_400(world, login):
    assert login(world.user("caseworker")).get(LIST, {"year": "neunzehn"}).status_code == 400


@pytest.mark.parametrize("persona", ["steering", "coordinator"])
def test_steering_and_coordination_read_the_list(world, login, actor, persona):
    make_activation(world.site_a, actor)
    make_activation(world.site_b, world.user("other_caseworker"), description="In Gera.")
    response = login(world.user(persona)).get(LIST, {"year": 2024})
    assert response.status_code == 200
    shown = {a.description for a in response.context["page"].object_list}
    if persona == "steering":
        assert shown == {"Eine Bewohnerin backt den Kuchen für das Café."}
    else:
        assert shown == {"Eine Bewohnerin backt den Kuchen für das Café.", "In Gera."}
        assert "SUED" in response.content.decode()
    assert CREATE not in response.content.decode()


@pytest.mark.parametrize("persona", ["dpo", "admin"])
def test_the_data_protection_officer_and_administration_get_403(world, login, persona):
    assert login(world.user(persona)).get(LIST).status_code == 403


@pytest.mark.parametrize(
    ("persona", "rows"), [(p, n) for p in ["caseworker", "coordinator"] for n in (1, 50)]
)
def test_list_query_count_does_not_grow_with_rows(
    world, login, actor, persona, rows, django_assert_max_num_queries
):
    project = make_project(world.site_a, actor)
    for _ in range(rows):
        make_activation(world.site_a, actor, project=project)
    client = login(world.user(persona))
    with django_assert_max_num_queries(12):
        response = client.get(LIST, {"year": 2024})
    assert len(response.context["page"].object_list) == rows


def test_caseworker_records_an_activation_from_the_project(world, login, actor):
    project = make_project(world.site_a, actor)
    client = login(world.user("caseworker"))
    form = client.get(CREATE, {"projekt": project.pk}).context["form"]
    assert form.initial["project"] == project.pk
    response = client.post(CREATE, {**VALID, "project": project.pk})
    assert response["Location"] == f"{LIST}?year=2024"
    activation = Activation.objects.get()
    assert (activation.site, activation.project, activation.residents) == (world.site_a, project, 4)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"residents": "0"}, "residents"),
        ({"residents": "-2"}, "residents"),
        ({"kind": "miracle"}, "kind"),
        ({"description": ""}, "description"),
        ({"occurred_on": (timezone.localdate() + timedelta(days=3)).isoformat()}, "occurred_on"),
    ],
)
def test_bad_activation_input_is_refused_at_the_field(world, login, changes, field):
    response = login(world.user("caseworker")).post(CREATE, {**VALID, **changes})
    assert_form_errors(response, field)
    assert not Activation.objects.exists()


def test_a_project_of_another_site_cannot_be_chosen(world, login):
    elsewhere = make_project(world.site_b, world.user("other_caseworker"))
    response = login(world.user("caseworker")).post(CREATE, {**VALID, "project": elsewhere.pk})
    assert_form_errors(response, "project")


def test_editing_an_activation(world, login, actor):
    activation = make_activation(world.site_a, actor)
    client = login(world.user("site_lead"))
    assert client.get(edit_url(activation)).status_code == 200
    response = client.post(edit_url(activation), {**VALID, "residents": "7"})
    assert response.status_code == 302
    activation.refresh_from_db()
    assert (activation.residents, activation.kind) == (7, "founded_group")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("reader", 403), ("steering", 403), ("coordinator", 403), ("other_caseworker", 404)],
)
def test_only_the_sites_writers_edit(world, login, actor, persona, status):
    activation = make_activation(world.site_a, actor)
    client = login(world.user(persona))
    assert client.get(edit_url(activation)).status_code == status
    assert client.post(edit_url(activation), VALID).status_code == status
    activation.refresh_from_db()
    assert activation.residents == 1
