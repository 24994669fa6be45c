from datetime import timedelta

import pytest
from django.urls import reverse

from inka.core.models import AuditEntry
from inka.network.models import Partner, PartnerKind, SitePartner
from inka.programme.models import Site
from inka.steering.models import (
    ActionItem,
    ActionStatus,
    Decision,
    Meeting,
    MeetingStatus,
    Member,
    MemberRole,
    SteeringGroup,
)
from inka.steering.services import due_before_meeting_message
from inka.steering.tests.conftest import today

HOME = reverse("steering:group_home")
CREATE = reverse("steering:group_create")


def url(name, *args):
    return reverse(f"steering:{name}", args=args)


# The group page


def test_site_staff_and_steering_see_the_group_of_their_site(world, login, group, members, held):
    for persona in ["caseworker", "reader", "steering"]:
        response = login(world.user(persona)).get(HOME)
        assert response.status_code == 200
        assert response.context["group"] == group
        html = response.content.decode()
        assert group.name in html and members["housing"].name in html
        assert held.get_absolute_url() in html


def test_only_the_sites_team_sees_members_contact_details(world, login, group, make_member):
    make_member(group, "Ben Geisel", "Jobcenter", MemberRole.JOBCENTER, email="ben.geisel@jobcenter.example")
    assert "ben.geisel@jobcenter.example" in login(world.user("reader")).get(HOME).content.decode()
    assert "ben.geisel@jobcenter.example" not in login(world.user("steering")).get(HOME).content.decode()
    coordinator = login(world.user("coordinator")).get(url("group_detail", group.pk)).content.decode()
    assert "Ben Geisel" in coordinator and "ben.geisel@jobcenter.example" not in coordinator


def test_without_a_group_writers_are_offered_to_set_it_up(world, login):
    response = login(world.user("site_lead")).get(HOME)
    assert response.status_code == 200
    assert CREATE in response.content.decode()
    assert CREATE not in login(world.user("reader")).get(HOME).content.decode()
    assert CREATE not in login(world.user("steering")).get(HOME).content.decode()


def test_the_coordination_sees_every_sites_group(world, login, group, members, held):
    response = login(world.user("coordinator")).get(HOME)
    assert response.status_code == 200
    rows = {site.code: site for site in response.context["page"].object_list}
    assert rows["NORD"].group_name == group.name and rows["NORD"].member_count == 3
    assert rows["SUED"].group_pk is None
    assert url("group_detail", group.pk) in response.content.decode()


def test_the_navigation_entry(world, login):
    for persona, shown in [("steering", True), ("reader", True), ("coordinator", True), ("dpo", False)]:
        nav = login(world.user(persona)).get(reverse("start")).context["nav_items"]
        assert (HOME in [item["url"] for item in nav]) is shown, persona


def test_the_group_page_leads_to_the_sites_key_figures_and_reports(world, login, group):
    for persona in ["caseworker", "steering", "coordinator"]:
        body = login(world.user(persona)).get(url("group_detail", group.pk)).content.decode()
        assert reverse("monitoring:site_dashboard", args=[world.site_a.pk]) in body
        assert reverse("monitoring:report_list") in body


# Setting up the group


def test_a_writer_sets_up_the_group_of_the_current_site(world, login):
    client = login(world.user("site_lead"))
    assert client.get(CREATE).context["form"]["name"].value().endswith("ThINKA Nord")
    response = client.post(CREATE, {"name": "Steuerungsgruppe Nordviertel", "rhythm": "vierteljährlich"})
    group = SteeringGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    assert group.site == world.site_a
    # Once it exists, "set up" leads to it.
    assert client.get(CREATE)["Location"] == group.get_absolute_url()


def test_setting_up_without_a_name_writes_nothing(world, login):
    response = login(world.user("caseworker")).post(CREATE, {"name": ""})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert not SteeringGroup.objects.exists()


def test_editing_the_group(world, login, group):
    response = login(world.user("caseworker")).post(
        url("group_edit", group.pk),
        {"name": "Lenkungskreis Nord", "founded_on": "2014-02-01", "remit": "Alles"},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, str(group.founded_on), group.remit) == ("Lenkungskreis Nord", "2014-02-01", "Alles")


# Members


def member_data(**changes):
    return {
        "name": "Ben Geisel",
        "role": "jobcenter",
        "organisation": "Jobcenter Altenburger Land",
        **changes,
    }


def test_adding_a_member_from_the_partner_list(world, login, group):
    partner = Partner.objects.create(name="Jobcenter Altenburger Land", kind=PartnerKind.JOBCENTER)
    SitePartner.objects.create(site=world.site_a, partner=partner)
    Partner.objects.create(name="Jobcenter Gera", kind=PartnerKind.JOBCENTER)
    client = login(world.user("caseworker"))
    form = client.get(url("member_create", group.pk)).context["form"]
    assert list(form.fields["partner"].queryset) == [partner]
    assert world.user("steering") in form.fields["user"].queryset
    assert world.user("other_caseworker") not in form.fields["user"].queryset
    response = client.post(
        url("member_create", group.pk),
        member_data(organisation="", partner=partner.pk, user=world.user("steering").pk),
    )
    assert response.status_code == 302
    member = Member.objects.get()
    assert (member.organisation, member.partner, member.user) == (
        partner.name,
        partner,
        world.user("steering"),
    )


def test_a_member_needs_an_institution(world, login, group):
    response = login(world.user("caseworker")).post(
        url("member_create", group.pk), member_data(organisation="")
    )
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert not Member.objects.exists()


def test_an_account_of_another_site_cannot_be_linked(world, login, group):
    response = login(world.user("caseworker")).post(
        url("member_create", group.pk), member_data(user=world.user("other_caseworker").pk)
    )
    assert response.status_code == 400
    assert "user" in response.context["form"].errors
    assert not Member.objects.exists()


def test_ending_a_membership_in_the_form(world, login, members):
    member = members["housing"]
    data = member_data(
        name=member.name, role=member.role, organisation=member.organisation, until="2025-06-30"
    )
    response = login(world.user("site_lead")).post(
        url("member_edit", member.pk), {**data, "since": "2025-07-01"}
    )
    assert response.status_code == 400
    assert "until" in response.context["form"].errors
    response = login(world.user("site_lead")).post(url("member_edit", member.pk), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert str(member.until) == "2025-06-30"


# Meetings


def test_planning_a_meeting_with_an_agenda_one_item_per_line(world, login, group, members, held):
    client = login(world.user("site_lead"))
    form = client.get(url("meeting_create", group.pk)).context["form"]
    assert form["place"].value() == "Stadtteilbüro"  # taken from the last meeting
    day = today() + timedelta(days=40)
    response = client.post(
        url("meeting_create", group.pk),
        {
            "held_on": day.isoformat(),
            "starts_at": "16:30",
            "place": "Rathaus",
            "agenda": "1. Begrüßung\r\nTOP 2: Bericht aus dem Stadtteilbüro\r\n\r\n- Verschiedenes",
        },
    )
    meeting = Meeting.objects.get(held_on=day)
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.status == MeetingStatus.PLANNED and str(meeting.starts_at) == "16:30:00"
    assert list(meeting.agenda.values_list("title", flat=True)) == [
        "Begrüßung",
        "Bericht aus dem Stadtteilbüro",
        "Verschiedenes",
    ]
    # The open action item of the meeting before is on the new meeting's page.
    page = client.get(meeting.get_absolute_url())
    assert [item.pk for item in page.context["earlier_items"]] == [held.action_items.get().pk]
    assert "Genehmigung für das Stadtteilfest beantragen" in page.content.decode()


def test_planning_needs_a_date(world, login, group):
    response = login(world.user("caseworker")).post(url("meeting_create", group.pk), {"agenda": "A"})
    assert response.status_code == 400
    assert "held_on" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_calling_a_meeting_off(world, login, group, make_meeting):
    meeting = make_meeting(group, held_on=today() + timedelta(days=3), status=MeetingStatus.PLANNED)
    client = login(world.user("caseworker"))
    assert "cancelled" in client.get(url("meeting_edit", meeting.pk)).context["form"].fields
    response = client.post(
        url("meeting_edit", meeting.pk),
        {"held_on": meeting.held_on.isoformat(), "agenda": "", "cancelled": "on"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


def test_a_held_meeting_shows_its_minutes(world, login, held):
    response = login(world.user("steering")).get(held.get_absolute_url())
    html = response.content.decode()
    assert "Das Stadtteilfest findet im September statt." in html
    assert "Genehmigung für das Stadtteilfest beantragen" in html
    assert url("meeting_minutes_pdf", held.pk) in html
    assert url("meeting_minutes", held.pk) not in html  # steering members read only


# Minutes


def minutes_data(meeting, *, present=(), decisions=(), actions=(), initial=(0, 0), **fields):
    data = {
        "held_on": meeting.held_on.isoformat(),
        "present": [member.pk for member in present],
        "guests": "",
        "minutes": "1. Begrüßung\n2. Bericht",
        "minutes_by": "Thomas Wagner",
        "decisions-TOTAL_FORMS": len(decisions),
        "decisions-INITIAL_FORMS": initial[0],
        "actions-TOTAL_FORMS": len(actions),
        "actions-INITIAL_FORMS": initial[1],
        **fields,
    }
    for index, decision in enumerate(decisions):
        data.update({f"decisions-{index}-{key}": value for key, value in decision.items()})
    for index, action in enumerate(actions):
        data.update({f"actions-{index}-{key}": value for key, value in action.items()})
    return data


@pytest.fixture
def planned(group, members, make_meeting):
    meeting = make_meeting(group, held_on=today(), status=MeetingStatus.PLANNED)
    meeting.agenda.create(position=1, title="Begrüßung")
    meeting.agenda.create(position=2, title="Bericht")
    return meeting


def test_the_minutes_form_starts_from_the_agenda(world, login, planned):
    form = login(world.user("site_lead")).get(url("meeting_minutes", planned.pk)).context["form"]
    assert form["minutes"].value().startswith("1. Begrüßung\n")
    assert form["minutes_by"].value() == world.user("site_lead").get_full_name()


def test_recording_minutes_with_a_decision_and_an_action_item(world, login, members, planned):
    due = today() + timedelta(days=14)
    response = login(world.user("site_lead")).post(
        url("meeting_minutes", planned.pk),
        minutes_data(
            planned,
            present=[members["town"], members["housing"]],
            decisions=[{"text": "Das Elterncafé findet mittwochs statt."}, {"text": ""}],
            actions=[
                {
                    "title": "Raum klären",
                    "owner": members["housing"].pk,
                    "due_on": due.isoformat(),
                    "note": "",
                },
                {"title": "", "owner": "", "due_on": "", "note": ""},
            ],
        ),
    )
    assert response.status_code == 302 and response["Location"] == planned.get_absolute_url()
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.HELD
    assert set(planned.present.all()) == {members["town"], members["housing"]}
    assert list(planned.decisions.values_list("text", flat=True)) == [
        "Das Elterncafé findet mittwochs statt."
    ]
    item = planned.action_items.get()
    assert (item.title, item.owner, item.due_on) == ("Raum klären", members["housing"], due)


def test_an_action_item_due_before_its_meeting_is_refused_at_the_field(world, login, members, planned):
    before = planned.held_on - timedelta(days=1)
    response = login(world.user("site_lead")).post(
        url("meeting_minutes", planned.pk),
        minutes_data(
            planned,
            decisions=[{"text": "Beschluss"}],
            actions=[{"title": "Zu früh", "owner": members["town"].pk, "due_on": before.isoformat()}],
        ),
    )
    assert response.status_code == 400
    assert response.context["actions"].forms[0].errors["due_on"] == [due_before_meeting_message()]
    assert due_before_meeting_message() in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.PLANNED
    assert not Decision.objects.exists() and not ActionItem.objects.exists()
    assert not AuditEntry.objects.exists()


def test_minutes_of_a_meeting_still_to_come_are_refused(world, login, group, members, make_meeting):
    future = make_meeting(group, held_on=today() + timedelta(days=2), status=MeetingStatus.PLANNED)
    response = login(world.user("site_lead")).post(url("meeting_minutes", future.pk), minutes_data(future))
    assert response.status_code == 400
    assert "held_on" in response.context["form"].errors
    assert Meeting.objects.get(pk=future.pk).status == MeetingStatus.PLANNED


def test_removing_an_action_item_when_editing_the_minutes(world, login, members, held):
    item = held.action_items.get()
    decision = held.decisions.get()
    data = minutes_data(
        held,
        initial=(1, 1),
        decisions=[{"pk": decision.pk, "text": decision.text}],
        actions=[
            {
                "pk": item.pk,
                "title": item.title,
                "owner": item.owner_id,
                "due_on": item.due_on.isoformat(),
                "DELETE": "on",
            }
        ],
    )
    response = login(world.user("caseworker")).post(url("meeting_minutes", held.pk), data)
    assert response.status_code == 302
    assert not ActionItem.objects.exists()
    assert Decision.objects.get() == decision


# Action items


def test_the_owner_updates_their_action_item(world, login, members, held, make_item):
    item = make_item(held, members["town"], "Stellungnahme einholen")
    client = login(world.user("steering"))
    form = client.get(url("action_item_edit", item.pk)).context["form"]
    assert set(form.fields) == {"status", "done_on", "note"}
    response = client.post(url("action_item_edit", item.pk), {"status": "done", "note": "liegt vor"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.done_on, item.note) == (ActionStatus.DONE, today(), "liegt vor")


def test_only_owners_and_writers_update_action_items(world, login, members, held):
    others = held.action_items.get()  # the carrier's, not the steering member's
    assert login(world.user("steering")).get(url("action_item_edit", others.pk)).status_code == 403
    assert (
        login(world.user("reader")).post(url("action_item_edit", others.pk), {"status": "done"}).status_code
        == 403
    )
    others.refresh_from_db()
    assert others.status == ActionStatus.OPEN


def test_a_writer_moves_the_due_date_but_not_before_the_meeting(world, login, members, held):
    item = held.action_items.get()
    data = {"title": item.title, "owner": members["housing"].pk, "status": "in_progress", "note": ""}
    client = login(world.user("site_lead"))
    before = (held.held_on - timedelta(days=1)).isoformat()
    response = client.post(url("action_item_edit", item.pk), {**data, "due_on": before})
    assert response.status_code == 400
    assert response.context["form"].errors["due_on"] == [due_before_meeting_message()]
    item.refresh_from_db()
    assert item.owner == members["carrier"]
    later = (item.due_on + timedelta(days=7)).isoformat()
    assert client.post(url("action_item_edit", item.pk), {**data, "due_on": later}).status_code == 302
    item.refresh_from_db()
    assert (item.owner, item.status, str(item.due_on)) == (
        members["housing"],
        ActionStatus.IN_PROGRESS,
        later,
    )


def test_action_item_list_and_its_filters(world, login, group, members, held, make_item):
    done = make_item(held, members["town"], "Erledigt", status=ActionStatus.DONE)
    mine = make_item(held, members["town"], "Meins")
    client = login(world.user("steering"))
    items = client.get(url("action_item_list", group.pk)).context["page"].object_list
    assert done not in items and mine in items
    response = client.get(url("action_item_list", group.pk), {"status": "all", "owner": members["town"].pk})
    assert set(response.context["page"].object_list) == {done, mine}
    assert response.context["editable"] == {done.pk, mine.pk}  # their own items
    assert client.get(url("action_item_list", group.pk), {"status": "lost"}).status_code == 400


# Query counts do not grow with the rows shown


@pytest.fixture
def rows_of(group, members, make_meeting, make_item):
    def make(count):
        for index in range(count):
            meeting = make_meeting(group, held_on=today() - timedelta(days=index + 1))
            make_item(meeting, members["town"], f"Aufgabe {index}", due_on=today() + timedelta(days=index))
            Member.objects.create(group=group, name=f"Mitglied {index}", organisation="Verein", role="other")

    return make


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize(
    ("persona", "page", "cap"),
    [
        ("caseworker", "home", 16),
        ("steering", "home", 25),
        ("coordinator", "home", 10),
        ("coordinator", "detail", 25),
        ("steering", "actions", 12),
        ("caseworker", "meeting", 14),
    ],
)
def test_query_count_does_not_grow_with_rows(
    world, login, group, rows_of, persona, page, cap, count, django_assert_max_num_queries
):
    rows_of(count)
    address = {
        "home": HOME,
        "detail": url("group_detail", group.pk),
        "actions": url("action_item_list", group.pk) + "?status=all",
        "meeting": url("meeting_detail", Meeting.objects.order_by("held_on").last().pk),
    }[page]
    client = login(world.user(persona))
    with django_assert_max_num_queries(cap):
        response = client.get(address)
    assert response.status_code == 200
    if persona == "coordinator" and page == "home":
        assert len(response.context["page"].object_list) == 2  # the sites, whatever their groups hold
    elif page == "meeting":
        assert len(response.context["earlier_items"]) == count - 1  # the items of the meetings before
    else:
        listed = response.context["page" if page == "actions" else "meetings"].object_list
        assert len(listed) == count


@pytest.mark.parametrize("count", [1, 50])
def test_the_coordinations_overview_does_not_grow_with_sites(
    world, login, site_count, make_group, count, django_assert_max_num_queries
):
    site_count(count)
    for site in Site.objects.all():
        make_group(site, f"Steuerungsgruppe {site.code}")
    client = login(world.user("coordinator"))
    with django_assert_max_num_queries(10):
        response = client.get(HOME)
    assert len(response.context["page"].object_list) == count
