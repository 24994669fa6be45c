from datetime import date

import pytest
from django.core.exceptions import ValidationError

from inka.core.models import AuditEntry
from inka.network import services
from inka.network.models import Partner, PartnerKind, SitePartner

JOBCENTER = {"name": "Jobcenter Altenburger Land", "kind": PartnerKind.JOBCENTER, "town": "Altenburg"}


def test_partner_create_puts_the_partner_on_the_sites_list_and_audits_both(world):
    actor = world.user("caseworker")
    partner = services.partner_create(
        actor=actor,
        site=world.site_a,
        link_fields={"contact_person": "Frau Beispiel", "since": date(2014, 2, 1)},
        **JOBCENTER,
    )
    link = SitePartner.objects.get(partner=partner)
    assert link.site == world.site_a
    assert link.contact_person == "Frau Beispiel"
    assert link.since == date(2014, 2, 1)
    created = AuditEntry.objects.get(action="inka.partner.created")
    assert created.actor_id == actor.pk
    assert created.site_id == world.site_a.pk
    assert created.role == "caseworker"
    assert created.changes["name"] == [None, "Jobcenter Altenburger Land"]
    linked = AuditEntry.objects.get(action="inka.partner.linked")
    assert linked.object_id == str(link.pk)
    assert linked.site_id == world.site_a.pk
    assert linked.changes["contact_person"] == [None, "Frau Beispiel"]


@pytest.mark.parametrize(
    "changes", [{}, {"name": "jobcenter altenburger land"}, {"name": "  Jobcenter Altenburger Land "}]
)
def test_a_second_partner_with_the_same_name_and_town_is_refused_at_the_name(world, changes):
    services.partner_create(actor=world.user("caseworker"), site=world.site_a, **JOBCENTER)
    with pytest.raises(ValidationError) as raised:
        services.partner_create(
            actor=world.user("other_caseworker"), site=world.site_b, **JOBCENTER | changes
        )
    assert raised.value.error_dict["name"][0].code == "duplicate"
    assert Partner.objects.count() == 1
    assert SitePartner.objects.count() == 1
    assert AuditEntry.objects.filter(site_id=world.site_b.pk).count() == 0


def test_the_same_name_in_another_town_is_another_partner(world):
    services.partner_create(actor=world.user("caseworker"), site=world.site_a, **JOBCENTER)
    services.partner_create(
        actor=world.user("caseworker"), site=world.site_a, **JOBCENTER | {"town": "Schmölln"}
    )
    assert Partner.objects.count() == 2


def test_invalid_fields_are_refused_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as raised:
        services.partner_create(actor=None, site=world.site_a, **JOBCENTER | {"postcode": "4600"})
    assert "postcode" in raised.value.error_dict
    with pytest.raises(ValidationError) as raised:
        services.partner_create(
            actor=None, site=world.site_a, link_fields={"contact_email": "kein-mail"}, **JOBCENTER
        )
    assert "contact_email" in raised.value.error_dict
    assert not Partner.objects.exists()
    assert not AuditEntry.objects.exists()


def test_linking_is_idempotent(world):
    partner = services.partner_create(actor=None, site=world.site_a, **JOBCENTER)
    actor = world.user("other_caseworker")
    first = services.site_partner_link(
        actor=actor, site=world.site_b, partner=partner, contact_person="Herr A"
    )
    second = services.site_partner_link(
        actor=actor, site=world.site_b, partner=partner, contact_person="Herr B"
    )
    assert first == second
    assert second.contact_person == "Herr A"
    assert SitePartner.objects.filter(site=world.site_b).count() == 1
    assert AuditEntry.objects.filter(action="inka.partner.linked", site_id=world.site_b.pk).count() == 1


def test_partner_update_audits_the_diff_with_the_site_of_the_change(world):
    partner = services.partner_create(actor=None, site=world.site_a, **JOBCENTER)
    actor = world.user("site_lead")
    services.partner_update(
        actor=actor, partner=partner, site=world.site_a, phone="03447 1234", notes="a\r\nb"
    )
    partner.refresh_from_db()
    assert partner.notes == "a\nb"
    entry = AuditEntry.objects.get(action="inka.partner.updated")
    assert entry.changes == {"notes": ["", "a\nb"], "phone": ["", "03447 1234"]}
    assert entry.site_id == world.site_a.pk
    assert entry.role == "site_lead"
    services.partner_update(actor=actor, partner=partner, site=world.site_a, phone="03447 1234")
    assert AuditEntry.objects.filter(action="inka.partner.updated").count() == 1


def test_partner_update_refuses_a_rename_onto_another_partner(world):
    services.partner_create(actor=None, site=world.site_a, **JOBCENTER)
    other = services.partner_create(actor=None, site=world.site_a, **JOBCENTER | {"name": "Jobcenter Gera"})
    with pytest.raises(ValidationError) as raised:
        services.partner_update(actor=None, partner=other, name="Jobcenter Altenburger Land")
    assert raised.value.error_dict["name"][0].code == "duplicate"
    assert Partner.objects.filter(name="Jobcenter Gera").exists()


def test_partner_update_refuses_unknown_fields(world):
    partner = services.partner_create(actor=None, site=world.site_a, **JOBCENTER)
    with pytest.raises(TypeError):
        services.partner_update(actor=None, partner=partner, created_at=date(2000, 1, 1))


def test_site_partner_update_changes_only_the_cooperation(world):
    partner = services.partner_create(actor=None, site=world.site_a, **JOBCENTER)
    link = SitePartner.objects.get(partner=partner)
    services.site_partner_update(actor=world.user("caseworker"), link=link, contact_person="Frau Neu")
    entry = AuditEntry.objects.get(action="inka.partner.link_updated")
    assert entry.changes == {"contact_person": ["", "Frau Neu"]}
    assert entry.site_id == world.site_a.pk
    with pytest.raises(TypeError):
        services.site_partner_update(actor=None, link=link, site=world.site_b)
    link.refresh_from_db()
    assert link.site == world.site_a
