import pytest
from django.test import RequestFactory

from inka.core.audit import audit, diff, log_access, snapshot
from inka.core.models import AccessLogEntry, AuditEntry
from inka.core.scoping import site_access


def test_diff_lists_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}


def test_audit_records_actor_role_site_and_changes(world):
    site = world.site_a
    before = snapshot(site, ["name", "district"])
    site.name = "Neu"
    entry = audit(
        actor=world.user("coordinator"),
        action="inka.site.updated",
        obj=site,
        changes=diff(before, snapshot(site, ["name", "district"])),
        reason="Test",
    )
    entry.refresh_from_db()
    assert entry.changes == {"name": ["ThINKA Nord", "Neu"]}
    assert entry.site_id == site.pk
    assert entry.role == "coordinator"
    assert entry.actor_label == "coordinator@programm.test"
    assert entry.data == {"reason": "Test"}
    assert entry.object_id == str(site.pk)


def test_log_entries_are_append_only(world):
    entry = audit(actor=None, action="inka.test", obj=world.site_a)
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_access_log_records_ids_and_role_but_no_content(world):
    request = RequestFactory().get("/")
    request.user = world.user("caseworker")
    request.site_access = site_access(request.user)
    request.request_id = "abc123"
    entry = log_access(request, action="view", site_id=world.site_a.pk, records=[world.site_a])
    assert entry.record_ids == [world.site_a.pk]
    assert entry.role == "caseworker"
    assert entry.outcome == AccessLogEntry.Outcome.ALLOWED
    assert entry.request_id == "abc123"
    assert "ThINKA" not in f"{entry.object_label}{entry.record_ids}"


def test_site_lead_sees_only_log_entries_of_own_site(world, login):
    audit(actor=None, action="inka.test.nord", obj=world.site_a)
    audit(actor=None, action="inka.test.sued", obj=world.site_b)
    html = login(world.user("site_lead")).get("/protokolle/aenderungen/").content.decode()
    assert "inka.test.nord" in html
    assert "inka.test.sued" not in html
    html = login(world.user("dpo")).get("/protokolle/aenderungen/").content.decode()
    assert "inka.test.nord" in html and "inka.test.sued" in html


def test_log_filter_by_action_and_bad_dates(world, login):
    audit(actor=None, action="inka.alpha", obj=world.site_a)
    audit(actor=None, action="inka.beta", obj=world.site_a)
    client = login(world.user("dpo"))
    shown = client.get("/protokolle/aenderungen/", {"action": "inka.alpha"}).context["page"].object_list
    assert [entry.action for entry in shown] == ["inka.alpha"]
    # Actions are chosen from those registered or in use; anything else is refused at the field.
    response = client.get("/protokolle/aenderungen/", {"action": "alpha"})
    assert response.status_code == 400 and "action" in response.context["form"].errors
    response = client.get("/protokolle/zugriffe/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 400
    assert "date_to" in response.context["form"].errors


@pytest.mark.parametrize("entries", [1, 20])
def test_log_page_query_count_is_flat(world, login, entries, django_assert_max_num_queries):
    for index in range(entries):
        audit(actor=world.user("site_lead"), action=f"inka.test.{index}", obj=world.site_a)
    client = login(world.user("site_lead"))
    # Session, user, second factor, memberships; accounts and actions of the filter; count, page,
    # site names; the access-log row of this read (and its content type).
    with django_assert_max_num_queries(14):
        assert client.get("/protokolle/aenderungen/").status_code == 200


def test_refused_requests_are_written_to_the_access_log(world, login):
    client = login(world.user("caseworker"))
    assert client.get(f"/standorte/{world.site_b.pk}/").status_code == 404
    assert client.get(f"/standorte/{world.site_a.pk}/bearbeiten/").status_code == 403
    denied = AccessLogEntry.objects.filter(outcome=AccessLogEntry.Outcome.DENIED).order_by("pk")
    assert [(entry.action, entry.record_ids) for entry in denied] == [
        ("programme:site_detail", [world.site_b.pk]),
        ("programme:site_edit", [world.site_a.pk]),
    ]
    assert all(entry.actor_id == world.user("caseworker").pk for entry in denied)


def test_error_pages_are_german_and_inside_the_shell(world, login):
    client = login(world.user("caseworker"))
    forbidden = client.get(f"/standorte/{world.site_a.pk}/bearbeiten/").content.decode()
    assert "Nicht erlaubt" in forbidden and "Hauptnavigation" in forbidden
    assert "Seite nicht gefunden" in client.get("/gibt-es-nicht/").content.decode()


def test_audit_log_shows_readable_actions_roles_and_fields(world, login):
    site = world.site_a
    audit(
        actor=world.user("coordinator"),
        action="inka.site.updated",
        obj=site,
        changes={"status": ["active", "ended"], "opening_hours": ["", "Mo 9–12"]},
    )
    html = login(world.user("dpo")).get("/protokolle/aenderungen/").content.decode()
    assert "Standort geändert" in html
    assert "Programmkoordination" in html
    assert "Öffnungszeiten" in html and "beendet" in html
