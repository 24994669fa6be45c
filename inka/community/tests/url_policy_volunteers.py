"""URL policies of volunteers, their hours and outreach rounds.

Volunteers are person-level data: only the site's team sees them (coordination and administration
do not even find them, 404; the steering group and the data protection officer get 403); the hours
of a session are entered by the site's writers. Outreach rounds hold no person: the steering group
and the coordination read them, the writers record them. Lists and "new" forms work on the user's
current site, so site B's caseworker gets those of site B.
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from inka.community.models import OutreachRound, Project, ProjectKind, Session, Volunteer, VolunteerHours
from inka.core.tests.policy_tables import (
    CASE_READ,
    CASE_WRITE,
    CASE_WRITE_POST,
    HERE_READ,
    HERE_WRITE,
    HERE_WRITE_POST,
    LOGIN,
    POST_ONLY,
    Policy,
)

# Site records of site A that only its writers change (the object is visible to programme roles).
SITE_A_WRITE = {
    "anonymous": LOGIN,
    "other_caseworker": 404,
    "caseworker": 200,
    "site_lead": 200,
    "default": 403,
}
SITE_A_WRITE_POST = {**SITE_A_WRITE, "caseworker": 400, "site_lead": 400}
OUTREACH_LIST = {**HERE_READ, "steering": 200, "coordinator": 200}


def volunteering_a(w: Any) -> SimpleNamespace:
    """A volunteer of site A with hours at a session of a project of site A, and an outreach round."""
    if "volunteering" not in w.__dict__:
        caseworker = w.user("caseworker")
        project = Project.objects.create(
            site=w.site_a,
            title="Stadtteilfest Nordviertel",
            kind=ProjectKind.FESTIVAL,
            starts_on=date(2024, 5, 1),
            created_by=caseworker,
        )
        session = Session.objects.create(project=project, held_on=date(2024, 6, 8), title="Sommerfest")
        volunteer = Volunteer.objects.create(
            site=w.site_a, first_name="Renate", last_name="Vogel", since=date(2024, 1, 1)
        )
        hours = VolunteerHours.objects.create(
            volunteer=volunteer, session=session, project=project, hours=Decimal(4), recorded_by=caseworker
        )
        outreach = OutreachRound.objects.create(
            site=w.site_a, held_on=date(2024, 6, 3), area="Spielplatz Mozartstraße", conversations=5,
            recorded_by=caseworker,
        )  # fmt: skip
        outreach.staff.set([caseworker])
        w.volunteering = SimpleNamespace(session=session, volunteer=volunteer, hours=hours, outreach=outreach)
    return w.volunteering


def on_volunteer(w: Any) -> dict[str, Any]:
    return {"pk": volunteering_a(w).volunteer.pk}


def on_hours(w: Any) -> dict[str, Any]:
    work = volunteering_a(w)
    return {"volunteer_pk": work.volunteer.pk, "pk": work.hours.pk}


POLICY: dict[str, Policy] = {
    "community:volunteer_list": Policy(get=HERE_READ),
    "community:volunteer_create": Policy(get=HERE_WRITE, post=HERE_WRITE_POST),
    "community:volunteer_detail": Policy(get=CASE_READ, kwargs=on_volunteer),
    "community:volunteer_edit": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_volunteer),
    "community:volunteer_hours_create": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_volunteer),
    "community:volunteer_hours_delete": Policy(
        get=POST_ONLY, post={**CASE_WRITE, "caseworker": 302, "site_lead": 302}, kwargs=on_hours
    ),
    "community:volunteer_certificate": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_volunteer),
    # An empty form says "nobody helped": it is valid and clears the session's hours.
    "community:session_hours": Policy(
        get=SITE_A_WRITE,
        post={**SITE_A_WRITE, "caseworker": 302, "site_lead": 302},
        kwargs=lambda w: {"pk": volunteering_a(w).session.pk},
    ),
    "community:outreach_list": Policy(get=OUTREACH_LIST),
    "community:outreach_create": Policy(get=HERE_WRITE, post=HERE_WRITE_POST),
    "community:outreach_edit": Policy(
        get=SITE_A_WRITE, post=SITE_A_WRITE_POST, kwargs=lambda w: {"pk": volunteering_a(w).outreach.pk}
    ),
}
