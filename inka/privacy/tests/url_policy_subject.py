"""Permission matrix rows of data-subject rights (S5; SECURITY.md row "data-subject export").

The register is the current site's for its caseworkers and site lead (site B's caseworker gets site
B's) and every site's for the data protection officer. A person's requests and contested values are
handled by the site's writers; the export, the person's change history and restriction are for the
site lead and the data protection officer. Restricted persons are opened by the dpo only. Other
sites get 404; programme roles without a membership never reach a person (404), except the dpo.
"""

from datetime import date
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from inka.cases.tests.factories import make_case, make_person
from inka.core.tests.policy_tables import LOGIN, POST_ONLY, Policy
from inka.privacy import services
from inka.privacy.models import RequestKind

# The site's writers; the dpo reaches the object (social scope of every site) but not the page.
WRITERS = {
    "anonymous": LOGIN, "caseworker": 200, "site_lead": 200, "other_caseworker": 404, "coordinator": 404,
    "admin": 404, "default": 403,
}  # fmt: skip
WRITERS_POST = {**WRITERS, "caseworker": 400, "site_lead": 400}
# The request itself: its site's writers and the data protection officer.
REQUEST = {**WRITERS, "dpo": 200}
EXPORTERS = {**WRITERS, "caseworker": 403, "dpo": 200}
# The register of the site one works at now: site B's caseworker gets site B's.
HERE = {"anonymous": LOGIN, "caseworker": 200, "site_lead": 200, "other_caseworker": 200, "default": 403}
DPO_ONLY = {"anonymous": LOGIN, "dpo": 200, "default": 403}


def subject_a(w: Any) -> SimpleNamespace:
    """A person of site A with a case, a rectification request and a contested value; and a
    restricted person of site A (made once per test, cached on `world`)."""
    if "subject" not in w.__dict__:
        caseworker = w.user("caseworker")
        case = make_case(w.site_a, caseworker)
        request = services.request_register(
            actor=caseworker, person=case.person, kind=RequestKind.RECTIFICATION, received_on=date(2024, 3, 1)
        )
        contested = services.contest_mark(
            actor=caseworker,
            person=case.person,
            field=_key(case.person, "last_name"),
            statement="Der Name wird anders geschrieben.",
            contested_on=timezone.localdate(),
        )
        restricted = make_person(w.site_a, "Rita", "Ruhig")
        services.person_restrict(actor=w.user("site_lead"), person=restricted, reason="Löschersuchen")
        w.subject = SimpleNamespace(
            person=case.person, request=request, contested=contested, restricted=restricted
        )
    return w.subject


def _key(obj: Any, field: str) -> str:
    from django.contrib.contenttypes.models import ContentType

    return f"{ContentType.objects.get_for_model(obj).pk}:{obj.pk}:{field}"


def person(w: Any) -> dict[str, Any]:
    return {"pk": subject_a(w).person.pk}


def person_pk(w: Any) -> dict[str, Any]:
    return {"person_pk": subject_a(w).person.pk}


def request_pk(w: Any) -> dict[str, Any]:
    return {"pk": subject_a(w).request.pk}


def restricted(w: Any) -> dict[str, Any]:
    return {"pk": subject_a(w).restricted.pk}


POLICY: dict[str, Policy] = {
    "privacy:request_list": Policy(get={**HERE, "dpo": 200}),
    "privacy:request_detail": Policy(get=REQUEST, kwargs=request_pk),
    # An empty form lacks the status: refused at the field.
    "privacy:request_edit": Policy(
        get=REQUEST, post={**REQUEST, "caseworker": 400, "site_lead": 400, "dpo": 400}, kwargs=request_pk
    ),
    # Corrections are made and recorded by the site's writers.
    "privacy:request_rectify": Policy(get=WRITERS, post=WRITERS_POST, kwargs=request_pk),
    "privacy:request_create": Policy(get=WRITERS, post=WRITERS_POST, kwargs=person_pk),
    "privacy:person": Policy(get=WRITERS, kwargs=person),
    "privacy:person_history": Policy(get=EXPORTERS, kwargs=person),
    "privacy:export": Policy(get=EXPORTERS, kwargs=lambda w: {**person(w), "fmt": "json"}),
    "privacy:contest_create": Policy(get=WRITERS, post=WRITERS_POST, kwargs=person_pk),
    "privacy:contest_resolve": Policy(
        get=WRITERS, post=WRITERS_POST, kwargs=lambda w: {"pk": subject_a(w).contested.pk}
    ),
    "privacy:restrict": Policy(
        get=EXPORTERS, post={**EXPORTERS, "site_lead": 400, "dpo": 400}, kwargs=person
    ),
    "privacy:restricted_list": Policy(get=DPO_ONLY),
    # Opening a restricted person needs a reason: an empty form is refused.
    "privacy:restricted_open": Policy(get=DPO_ONLY, post={**DPO_ONLY, "dpo": 400}, kwargs=restricted),
    "privacy:restriction_lift": Policy(get=POST_ONLY, post={**DPO_ONLY, "dpo": 400}, kwargs=restricted),
}
