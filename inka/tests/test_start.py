import pytest


@pytest.mark.parametrize("persona", ["caseworker", "site_lead", "reader", "steering"])
def test_site_members_see_their_site_team_and_opening_hours(world, login, persona):
    world.site_a.opening_hours = "Mo–Do 9–15 Uhr"
    world.site_a.save()
    html = login(world.user(persona)).get("/").content.decode()
    assert "ThINKA Nord" in html
    assert "Mo–Do 9–15 Uhr" in html
    assert "Site_Lead Person" in html
    assert "ThINKA Süd" not in html
    assert "<svg" not in html


def test_coordinator_sees_all_sites_on_the_map_and_in_a_table(world, login):
    for site, (lat, lon) in ((world.site_a, ("50.99", "12.43")), (world.site_b, ("50.88", "12.08"))):
        site.latitude, site.longitude = lat, lon
        site.save()
    html = login(world.user("coordinator")).get("/").content.decode()
    assert "<svg" in html
    assert "ThINKA Nord" in html and "ThINKA Süd" in html
    assert "GeoBasis-DE" in html and "dl-de/by-2-0" in html


def test_user_without_membership_is_told_so(world, login):
    world.user("reader").memberships.all().delete()
    response = login(world.user("reader")).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "ThINKA Nord" not in html
    assert "keinem Standort" in html


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("persona", ["caseworker", "coordinator"])
def test_start_page_query_count_is_flat(
    world, login, site_count, persona, count, django_assert_max_num_queries
):
    site_count(count)
    client = login(world.user(persona))
    with django_assert_max_num_queries(11):
        assert client.get("/").status_code == 200
