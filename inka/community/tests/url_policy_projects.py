"""URL policies of community projects, their sessions and attendance, and resident activation.

Lists and "new" forms work on the user's current site, so site B's caseworker gets those of site B.
Projects and activations are site records: the steering group reads its site's, the coordination
every site's; the data protection officer and the administration get 403. The attendance page of a
session shows persons: the site's team only.
"""

from datetime import date
from types import SimpleNamespace
from typing import Any

from inka.community.models import Activation, ActivationKind, AttendanceMode, Project, ProjectKind, Session
from inka.core.tests.policy_tables import (
    HERE_READ,
    HERE_WRITE,
    HERE_WRITE_POST,
    LOGIN,
    SITE_A_VISIBLE,
    Policy,
)

# Site records of site A: every reader of community work; the dpo and the administration get 403.
COMMUNITY_READ = {**SITE_A_VISIBLE, "dpo": 403, "admin": 403}
COMMUNITY_WRITE = {
    "anonymous": LOGIN,
    "other_caseworker": 404,
    "caseworker": 200,
    "site_lead": 200,
    "default": 403,
}
COMMUNITY_WRITE_POST = {**COMMUNITY_WRITE, "caseworker": 400, "site_lead": 400}
# Persons named at a session: the site's team reads them, its writers change them.
TEAM_READ = {**COMMUNITY_WRITE, "reader": 200}
# The current site's list: every role that reads community work, at its own site.
HERE_LIST = {**HERE_READ, "steering": 200, "coordinator": 200}


def community_a(w: Any) -> SimpleNamespace:
    """A project of site A with a past session whose attendance is recorded by name, and an activation."""
    if "community" not in w.__dict__:
        caseworker = w.user("caseworker")
        project = Project.objects.create(
            site=w.site_a,
            title="Nachbarschaftscafé Nordviertel",
            kind=ProjectKind.MEETING_PLACE,
            starts_on=date(2024, 1, 1),
            created_by=caseworker,
        )
        session = Session.objects.create(
            project=project, held_on=date(2024, 2, 6), attendance_mode=AttendanceMode.NAMED
        )
        activation = Activation.objects.create(
            site=w.site_a,
            occurred_on=date(2024, 3, 1),
            kind=ActivationKind.TOOK_OVER_TASK,
            description="Eine Bewohnerin backt jetzt jede Woche den Kuchen für das Café.",
            project=project,
            recorded_by=caseworker,
        )
        w.community = SimpleNamespace(project=project, session=session, activation=activation)
    return w.community


def _project(w: Any) -> dict[str, Any]:
    return {"pk": community_a(w).project.pk}


POLICY: dict[str, Policy] = {
    "community:project_list": Policy(get=HERE_LIST),
    "community:project_create": Policy(get=HERE_WRITE, post=HERE_WRITE_POST),
    "community:project_detail": Policy(get=COMMUNITY_READ, kwargs=_project),
    "community:project_edit": Policy(get=COMMUNITY_WRITE, post=COMMUNITY_WRITE_POST, kwargs=_project),
    "community:session_create": Policy(
        get=COMMUNITY_WRITE,
        post=COMMUNITY_WRITE_POST,
        kwargs=lambda w: {"project_pk": community_a(w).project.pk},
    ),
    "community:session_edit": Policy(
        get=COMMUNITY_WRITE, post=COMMUNITY_WRITE_POST, kwargs=lambda w: {"pk": community_a(w).session.pk}
    ),
    # Named attendance: never for the steering group or the coordination.
    "community:session_attendance": Policy(
        get=TEAM_READ, post=COMMUNITY_WRITE_POST, kwargs=lambda w: {"pk": community_a(w).session.pk}
    ),
    "community:activation_list": Policy(get=HERE_LIST),
    "community:activation_create": Policy(get=HERE_WRITE, post=HERE_WRITE_POST),
    "community:activation_edit": Policy(
        get=COMMUNITY_WRITE, post=COMMUNITY_WRITE_POST, kwargs=lambda w: {"pk": community_a(w).activation.pk}
    ),
}
