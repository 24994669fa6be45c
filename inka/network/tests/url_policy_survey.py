"""URL policies of the partner survey.

The site's team and its steering group read the site's surveys, the coordination reads every site's
(summaries only); the data protection officer and the technical administration have no business
here. The partner's answer page is public: the one-time link is the key.
"""

from types import SimpleNamespace
from typing import Any

from inka.core.tests.policy_tables import HERE_WRITE, HERE_WRITE_POST, LOGIN, POST_ONLY, Policy
from inka.network.survey import services
from inka.network.tests.survey_fixtures import open_wave, site_partner, small_instrument

READ = {"anonymous": LOGIN, "dpo": 403, "admin": 403, "default": 200}
READ_A = {**READ, "other_caseworker": 404}
WRITE_A = {"anonymous": LOGIN, "other_caseworker": 404, "default": 403}


def survey_a(w: Any) -> SimpleNamespace:
    """A wave of site A with one invited partner (cached on `world`)."""
    if "survey" not in w.__dict__:
        wave = open_wave(w.site_a, small_instrument())
        partner = site_partner(w.site_a, "Stadtteilverein Nordviertel")
        site_partner(w.site_a, "Kita Sonnenschein")  # still to invite
        issued = services.invitations_create(actor=w.user("site_lead"), wave=wave, partners=[partner])[0]
        w.survey = SimpleNamespace(wave=wave, invitation=issued.invitation, token=issued.token)
    return w.survey


POLICY: dict[str, Policy] = {
    "network:survey_list": Policy(get=READ),
    "network:survey_wave_create": Policy(get=HERE_WRITE, post=HERE_WRITE_POST),
    "network:survey_wave_detail": Policy(get=READ_A, kwargs=lambda w: {"pk": survey_a(w).wave.pk}),
    # An empty form chooses no partner: refused at the field.
    "network:survey_invite": Policy(
        get=POST_ONLY,
        post={**WRITE_A, "caseworker": 400, "site_lead": 400},
        kwargs=lambda w: {"pk": survey_a(w).wave.pk},
    ),
    "network:survey_invitation_renew": Policy(
        get=POST_ONLY,
        post={**WRITE_A, "caseworker": 302, "site_lead": 302},
        kwargs=lambda w: {"pk": survey_a(w).invitation.pk},
    ),
    # Public; an empty form leaves every question unanswered.
    "network:survey_answer": Policy(
        get={"default": 200}, post={"default": 400}, kwargs=lambda w: {"token": survey_a(w).token}
    ),
}
