"""The permission matrix, generated from the URL conf (SECURITY.md; deny by default).

Every named URL must have a row in POLICY, so a new view cannot ship without a declared policy.
Each row says what every persona gets for GET (and for POST where the view changes data), with
objects of site A: members of A get 200/403 by role, the caseworker of site B gets 404, anonymous
users are sent to the login.
"""

import importlib
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS
from inka.accounts.models import Membership
from inka.cases import services, uploads
from inka.cases.models import Consent, Document, FollowUp, Goal, GoalStep
from inka.cases.tests.factories import make_case, make_consent, make_contact
from inka.core.tests.policy_tables import (
    AUTHOR,
    AUTHOR_POST,
    CASE_READ,
    CASE_WRITE,
    CASE_WRITE_POST,
    EVERYONE,
    HERE_READ,
    HERE_WRITE,
    HERE_WRITE_POST,
    LOGIN,
    POST_ONLY,
    PUBLIC,
    REGISTRY,
    SITE_A_VISIBLE,
    TEAM_A,
    Kwargs,
    Policy,
)
from inka.employment.models import Application, BarrierAssessment, JobOutcome
from inka.esf.models import EducationStart, ExitEvent, Participation, Qualification, Stay
from inka.network.models import Partner, PartnerKind, SitePartner


def site_a(w: Any) -> dict[str, Any]:
    return {"pk": w.site_a.pk}


def team_a(w: Any) -> dict[str, Any]:
    return {"site_pk": w.site_a.pk}


def member_a(w: Any) -> dict[str, Any]:
    membership = Membership.objects.get(user=w.user("caseworker"), site=w.site_a)
    return {"site_pk": w.site_a.pk, "pk": membership.pk}


def partner_a(w: Any) -> dict[str, Any]:
    """Site A's link to a partner (partners are shared; the link is what belongs to the site)."""
    partner = Partner.objects.get_or_create(
        name="Jobcenter Altenburger Land", town="Altenburg", defaults={"kind": PartnerKind.JOBCENTER}
    )[0]
    return {"pk": SitePartner.objects.get_or_create(site=w.site_a, partner=partner)[0].pk}


def case_work_a(w: Any) -> SimpleNamespace:
    """One of everything of case work at site A, made once per test (cached on `world`)."""
    if "case_work" not in w.__dict__:
        caseworker = w.user("caseworker")
        case = make_case(w.site_a, caseworker)
        partner = Partner.objects.create(name="Schuldnerberatung Nord", kind=PartnerKind.DEBT_COUNSELLING)
        SitePartner.objects.create(site=w.site_a, partner=partner)
        consent = make_consent(case.person, caseworker, Consent.Purpose.SHARING, partner_kind=partner.kind)
        goal = Goal.objects.create(case=case, title="Mietschulden klären")
        issued = services.referral_create(actor=caseworker, case=case, partner=partner, purpose="Beratung")
        document = Document.objects.create(
            case=case, title="Bescheid", original_name="bescheid.pdf", stored_name="matrix.pdf",
            content_type="application/pdf", size=9, sha256="0" * 64, uploaded_by=caseworker,
        )  # fmt: skip
        uploads.path_of(document.stored_name).parent.mkdir(parents=True, exist_ok=True)
        uploads.path_of(document.stored_name).write_bytes(b"%PDF-1.4\n")
        w.case_work = SimpleNamespace(
            case=case,
            person=case.person,
            consent=consent,
            contact=make_contact(w.site_a, caseworker, case=case),
            anonymous_contact=make_contact(w.site_a, caseworker),
            goal=goal,
            step=GoalStep.objects.create(goal=goal, title="Unterlagen sammeln"),
            follow_up=FollowUp.objects.create(
                case=case,
                due_on=date(2024, 3, 1),
                subject="Anrufen",
                assigned_to=caseworker,
                created_by=caseworker,
            ),
            referral=issued.referral,
            token=issued.token,
            document=document,
        )
    return w.case_work


def on_case(name: str = "") -> Kwargs:
    """kwargs for a URL of the case, or of the object `name` on it."""

    def kwargs(w: Any) -> dict[str, Any]:
        work = case_work_a(w)
        if not name:
            return {"pk": work.case.pk}
        return {"case_pk": work.case.pk, "pk": getattr(work, name).pk}

    return kwargs


def on_job_integration(name: str = "") -> Kwargs:
    """kwargs for a job-integration URL of the case of site A, or of the part `name` on it."""

    def kwargs(w: Any) -> dict[str, Any]:
        case = case_work_a(w).case
        if "job_integration" not in w.__dict__:
            day, caseworker = date(2024, 1, 15), w.user("caseworker")
            w.job_integration = SimpleNamespace(
                barrier_assessment=BarrierAssessment.objects.create(
                    case=case, assessed_on=day, kind="intake", assessed_by=caseworker
                ),
                application=Application.objects.create(
                    case=case, employer="Netto", position="Verkäuferin", applied_on=day
                ),
                job_outcome=JobOutcome.objects.create(case=case, kind="mini_job", starts_on=day),
            )
        return {"case_pk": case.pk, **({"pk": getattr(w.job_integration, name).pk} if name else {})}

    return kwargs


def on_esf(name: str = "", key: str = "item_pk") -> Kwargs:
    """kwargs for a URL of the ESF participation of the case of site A, or of the part `name` on it."""

    def kwargs(w: Any) -> dict[str, Any]:
        case = case_work_a(w).case
        if "esf" not in w.__dict__:
            day = date(2024, 1, 15)
            participation = Participation.objects.create(
                site=w.site_a, person=case.person, case=case, participation_id="NORD-TN-00001",
                person_key=f"INKA-{case.person.pk}", entry_date=day,
            )  # fmt: skip
            Stay.objects.create(participation=participation, entry_date=day)
            w.esf = SimpleNamespace(
                participation=participation,
                exit_event=ExitEvent.objects.create(
                    participation=participation, occurred_on=day, type="EMPLOYED"
                ),
                education_start=EducationStart.objects.create(participation=participation, started_on=day),
                qualification=Qualification.objects.create(
                    participation=participation, awarded_on=day, title="Kurs"
                ),
                job_outcome=JobOutcome.objects.create(
                    case=case, kind="employment", starts_on=date(2024, 2, 1)
                ),
            )
        return {"pk": w.esf.participation.pk, **({key: getattr(w.esf, name).pk} if name else {})}

    return kwargs


CORE_POLICY: dict[str, Policy] = {
    "start": Policy(get=EVERYONE),
    # Account pages
    "accounts:login": Policy(get={"anonymous": 200, "default": 302}),
    "accounts:logout": Policy(get={"anonymous": LOGIN, "default": 405}, post={"default": 302}),
    "accounts:password_change": Policy(get=EVERYONE, post={"anonymous": LOGIN, "default": 200}),
    "accounts:password_change_done": Policy(get=EVERYONE),
    "accounts:password_reset": Policy(get=PUBLIC),
    "accounts:password_reset_done": Policy(get=PUBLIC),
    "accounts:password_reset_confirm": Policy(
        get=PUBLIC, kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}
    ),
    "accounts:password_reset_complete": Policy(get=PUBLIC),
    "accounts:site_switch": Policy(get=POST_ONLY),
    "accounts:my_team": Policy(get={"anonymous": LOGIN, "site_lead": 302, "default": 403}),
    "accounts:team": Policy(get=TEAM_A, kwargs=team_a),
    "accounts:member_invite": Policy(
        get=POST_ONLY, post={**TEAM_A, "site_lead": 400, "admin": 400}, kwargs=team_a
    ),
    "accounts:member_edit": Policy(
        get=TEAM_A, post={**TEAM_A, "site_lead": 400, "admin": 400}, kwargs=member_a
    ),
    "accounts:member_reinvite": Policy(
        get=POST_ONLY, post={**TEAM_A, "site_lead": 302, "admin": 302}, kwargs=member_a
    ),
    "accounts:user_list": Policy(get={"anonymous": LOGIN, "admin": 200, "default": 403}),
    "accounts:user_toggle_active": Policy(
        get=POST_ONLY,
        post={"anonymous": LOGIN, "admin": 302, "default": 403},
        kwargs=lambda w: {"pk": w.user("reader").pk},
    ),
    # Site registry
    "programme:site_list": Policy(get=EVERYONE),
    "programme:site_create": Policy(
        get={"anonymous": LOGIN, "coordinator": 200, "admin": 200, "default": 403},
        post={"anonymous": LOGIN, "coordinator": 400, "admin": 400, "default": 403},
    ),
    "programme:site_detail": Policy(get=SITE_A_VISIBLE, kwargs=site_a),
    "programme:site_edit": Policy(
        get=REGISTRY, post={**REGISTRY, "coordinator": 400, "admin": 400}, kwargs=site_a
    ),
    "programme:site_period_create": Policy(
        get=REGISTRY, post={**REGISTRY, "coordinator": 400, "admin": 400}, kwargs=site_a
    ),
    "programme:site_public": Policy(get=PUBLIC, kwargs=lambda w: {"code": w.site_a.code}),
    # Partner network: lists and "add" work on the user's current site, so site B's caseworker gets
    # its own list and form; a partner link of site A is 404 for site B.
    "network:partner_list": Policy(get={"anonymous": LOGIN, "dpo": 403, "admin": 403, "default": 200}),
    "network:partner_create": Policy(
        get={
            "anonymous": LOGIN,
            "caseworker": 200,
            "site_lead": 200,
            "other_caseworker": 200,
            "default": 403,
        },
        post={
            "anonymous": LOGIN,
            "caseworker": 400,
            "site_lead": 400,
            "other_caseworker": 400,
            "default": 403,
        },
    ),
    "network:partner_detail": Policy(get={**SITE_A_VISIBLE, "dpo": 403, "admin": 403}, kwargs=partner_a),
    "network:partner_edit": Policy(
        get={
            "anonymous": LOGIN,
            "other_caseworker": 404,
            "caseworker": 200,
            "site_lead": 200,
            "default": 403,
        },
        post={
            "anonymous": LOGIN,
            "other_caseworker": 404,
            "caseworker": 400,
            "site_lead": 400,
            "default": 403,
        },
        kwargs=partner_a,
    ),
    # Case work
    # A steering member gets the work list with the action items of the steering group only.
    "cases:work_list": Policy(get={**HERE_WRITE, "reader": 403, "steering": 200}),
    "cases:anonymous_contact_list": Policy(get=HERE_READ),
    "cases:contact_quick": Policy(get=HERE_WRITE, post=HERE_WRITE_POST),
    "cases:anonymous_contact_edit": Policy(
        get=AUTHOR, post=AUTHOR_POST, kwargs=lambda w: {"pk": case_work_a(w).anonymous_contact.pk}
    ),
    "cases:person_list": Policy(get=HERE_READ),
    "cases:person_duplicates": Policy(get=HERE_WRITE),
    "cases:person_detail": Policy(get=CASE_READ, kwargs=lambda w: {"pk": case_work_a(w).person.pk}),
    "cases:person_edit": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=lambda w: {"pk": case_work_a(w).person.pk}
    ),
    "cases:consent_create": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=lambda w: {"person_pk": case_work_a(w).person.pk}
    ),
    "cases:consent_withdraw": Policy(
        get=CASE_WRITE,
        post=CASE_WRITE_POST,
        kwargs=lambda w: {"person_pk": case_work_a(w).person.pk, "pk": case_work_a(w).consent.pk},
    ),
    "cases:case_list": Policy(get=HERE_READ),
    "cases:case_create": Policy(get=HERE_WRITE, post=HERE_WRITE_POST),
    "cases:case_detail": Policy(get=CASE_READ, kwargs=on_case()),
    "cases:case_edit": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_case()),
    "cases:case_close": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_case()),
    "cases:case_reopen": Policy(
        get=POST_ONLY, post={**CASE_WRITE, "caseworker": 302, "site_lead": 302}, kwargs=on_case()
    ),
    "cases:case_history": Policy(get=CASE_READ, kwargs=on_case()),
    "cases:contact_list": Policy(get=CASE_READ, kwargs=on_case()),
    "cases:contact_create": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_case()),
    "cases:contact_edit": Policy(get=AUTHOR, post=AUTHOR_POST, kwargs=on_case("contact")),
    "cases:goal_create": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=lambda w: {"case_pk": on_case()(w)["pk"]}
    ),
    "cases:goal_edit": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_case("goal")),
    "cases:step_create": Policy(
        get=CASE_WRITE,
        post=CASE_WRITE_POST,
        kwargs=lambda w: {"case_pk": case_work_a(w).case.pk, "goal_pk": case_work_a(w).goal.pk},
    ),
    "cases:step_edit": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_case("step")),
    "cases:follow_up_create": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=lambda w: {"case_pk": on_case()(w)["pk"]}
    ),
    "cases:follow_up_done": Policy(
        get=POST_ONLY, post={**CASE_WRITE, "caseworker": 302, "site_lead": 302}, kwargs=on_case("follow_up")
    ),
    "cases:referral_create": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=lambda w: {"case_pk": on_case()(w)["pk"]}
    ),
    "cases:referral_detail": Policy(
        get=CASE_READ, post={**CASE_WRITE, "caseworker": 400, "site_lead": 400}, kwargs=on_case("referral")
    ),
    "cases:referral_renew_link": Policy(
        get=POST_ONLY, post={**CASE_WRITE, "caseworker": 302, "site_lead": 302}, kwargs=on_case("referral")
    ),
    "cases:document_upload": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=lambda w: {"case_pk": on_case()(w)["pk"]}
    ),
    "cases:document_download": Policy(get=CASE_READ, kwargs=on_case("document")),
    # The partner answers without an account; the link is the key.
    "cases:referral_answer": Policy(
        get=PUBLIC, post={"default": 400}, kwargs=lambda w: {"token": case_work_a(w).token}
    ),
    # Job integration: parts of a case, changed by the case's writers only
    "employment:barrier_assessment_create": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_job_integration()
    ),
    "employment:barrier_assessment_edit": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_job_integration("barrier_assessment")
    ),
    "employment:career_plan_edit": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_job_integration()),
    "employment:application_create": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_job_integration()
    ),
    "employment:application_edit": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_job_integration("application")
    ),
    "employment:job_outcome_create": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_job_integration()
    ),
    "employment:job_outcome_edit": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_job_integration("job_outcome")
    ),
    # ESF participation: person-level data of a site, like case work
    "esf:participation_list": Policy(get=HERE_READ),
    "esf:participation_start": Policy(
        get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=lambda w: {"case_pk": case_work_a(w).case.pk}
    ),
    "esf:participation_detail": Policy(get=CASE_READ, kwargs=on_esf()),
    "esf:entry_edit": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_esf()),
    "esf:exit_edit": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_esf()),
    "esf:exit_event_create": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_esf()),
    "esf:education_start_create": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_esf()),
    "esf:qualification_create": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_esf()),
    # An empty form takes a documented "no answer possible" back, which is allowed.
    "esf:no_answer_edit": Policy(
        get=CASE_WRITE, post={**CASE_WRITE, "caseworker": 302, "site_lead": 302}, kwargs=on_esf()
    ),
    # The participation of the matrix has no exit yet, so the follow-up is refused at the field.
    "esf:followup_edit": Policy(get=CASE_WRITE, post=CASE_WRITE_POST, kwargs=on_esf()),
    "esf:exit_event_delete": Policy(
        get=POST_ONLY, post={**CASE_WRITE, "caseworker": 302, "site_lead": 302}, kwargs=on_esf("exit_event")
    ),
    "esf:education_start_delete": Policy(
        get=POST_ONLY,
        post={**CASE_WRITE, "caseworker": 302, "site_lead": 302},
        kwargs=on_esf("education_start"),
    ),
    "esf:qualification_delete": Policy(
        get=POST_ONLY,
        post={**CASE_WRITE, "caseworker": 302, "site_lead": 302},
        kwargs=on_esf("qualification"),
    ),
    "esf:job_outcome_adopt": Policy(
        get=POST_ONLY,
        post={**CASE_WRITE, "caseworker": 302, "site_lead": 302},
        kwargs=on_esf("job_outcome", key="outcome_pk"),
    ),
    # ESF report: the current site for its team (in full) and its steering group (suppressed); the
    # programme coordination all sites, suppressed; site B's caseworker gets the report of site B.
    "esf:report": Policy(get={"anonymous": LOGIN, "dpo": 403, "admin": 403, "default": 200}),
    # Logs: inka/core/tests/url_policy_logs.py
}


def app_policies() -> dict[str, Policy]:
    """The policies apps declare in `inka/<app>/tests/url_policy*.py`."""
    policies: dict[str, Policy] = {}
    for config in apps.get_app_configs():
        if config.name.startswith("inka."):
            for module_path in sorted((Path(config.path) / "tests").glob("url_policy*.py")):
                module = importlib.import_module(f"{config.name}.tests.{module_path.stem}")
                assert not set(module.POLICY) & set(policies), f"{module_path} repeats a policy"
                policies.update(module.POLICY)
    return policies


POLICY = {**CORE_POLICY, **app_policies()}


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_declared_policy():
    assert url_names() - set(POLICY) == set(), "declare a policy for these URLs"
    assert set(POLICY) - url_names() == set(), "these policies name URLs that no longer exist"


def expected(table: dict[str, int], persona: str) -> int:
    return table.get(persona, table.get("default", 0))


CASES = [(name, persona) for name in sorted(POLICY) for persona in PERSONAS]


@pytest.mark.parametrize(("url_name", "persona"), CASES)
def test_get(url_name, persona, world, login):
    policy = POLICY[url_name]
    client = login(world.user(persona))
    response = client.get(reverse(url_name, kwargs=policy.kwargs(world)))
    assert response.status_code == expected(policy.get, persona)
    if response.status_code == LOGIN and persona == "anonymous" and url_name != "accounts:logout":
        assert response["Location"].startswith(reverse("accounts:login"))


POST_CASES = [(name, persona) for name in sorted(POLICY) if POLICY[name].post for persona in PERSONAS]


@pytest.mark.parametrize(("url_name", "persona"), POST_CASES)
def test_post_with_empty_form(url_name, persona, world, login):
    policy = POLICY[url_name]
    client = login(world.user(persona))
    response = client.post(reverse(url_name, kwargs=policy.kwargs(world)), {})
    assert response.status_code == expected(policy.post, persona)
