"""The privacy field registry and the processing activities of INKA (Art. 30 GDPR).

Each app classifies every field of its models in `<app>/field_registry.py`:
`FIELDS = {"app.Model": {"field": Category.…}}` and names the processing activity each model serves,
`ACTIVITIES = {"app.Model": "activity_key"}`. The activities themselves (purpose, legal basis,
recipients, retention, source, technical and organisational measures) are defined once, here.
The records of processing, the retention rules and the export of a person's data (Art. 15) are
generated from this registry; `inka/core/tests/test_field_registry.py` fails for any field or model
that is not classified.
"""

import importlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Category(models.TextChoices):
    """What kind of data a field holds; decides who sees it, how long it is kept, what is exported."""

    IDENTIFIER = "identifier", _("identifying data (names, birth date, keys pointing at a person)")
    CONTACT = "contact", _("contact data (address, phone, e-mail)")
    SPECIAL = "special", _("special categories of personal data (Art. 9 and 10 GDPR)")
    CASE_CONTENT = "case_content", _("case content (situation, notes, contacts, goals, outcomes)")
    METADATA = "metadata", _("metadata (ids, times, states, references)")
    STAFF = "staff", _("personal data of staff and of people at partner institutions")
    ORGANISATION = "organisation", _("organisational data (no natural person)")
    LOG = "log", _("log data (who did what, when)")


class RetentionRule(models.TextChoices):
    """How long the data of an activity is kept; the retention run acts on these keys."""

    ESF_RETENTION = "esf_retention", _("until the end of the ESF retention period, then anonymised")
    ACCESS_LOG = "access_log", _("access log period, then deleted")
    ACCOUNT = "account", _("while the account is needed")
    COOPERATION = "cooperation", _("while the cooperation lasts")
    ORGANISATION = "organisation", _("no personal data: kept while the programme needs it")


@dataclass(frozen=True)
class Activity:
    """One processing activity of the record of processing activities (Art. 30(1) GDPR)."""

    key: str
    name: "StrOrPromise"
    purpose: "StrOrPromise"
    legal_basis: "StrOrPromise"
    data_subjects: "StrOrPromise"
    categories_of_data: "StrOrPromise"
    recipients: "StrOrPromise"
    retention: "StrOrPromise"
    retention_rule: str
    source: "StrOrPromise"
    tom: "StrOrPromise"


# Technical and organisational measures (Art. 32 GDPR) that hold for every activity; `Activity.tom`
# refers to them by code and adds what is specific to the activity.
MEASURES: tuple[tuple[str, "StrOrPromise", "StrOrPromise"], ...] = (
    (
        "T1",
        _("Two-factor login"),
        _(
            "Every account logs in with password and a one-time code (TOTP); repeated failures lock the "
            "login without revealing whether the account exists."
        ),
    ),
    (
        "T2",
        _("Site isolation and least privilege"),
        _(
            "Every record belongs to a site; only the site's team sees it, everyone else gets "
            "“not found”. Roles grant only what the task needs; special categories only for "
            "the caseworkers of the site."
        ),
    ),
    (
        "T3",
        _("Access log and change history"),
        _(
            "Every read of social data and every refused attempt is logged (who, when, role, records); "
            "every change with its old and new values. The application can only append to both logs."
        ),
    ),
    (
        "T4",
        _("Encryption in transit, no third parties"),
        _(
            "TLS only (HSTS); a strict content security policy; no scripts, fonts or trackers from third "
            "parties; no personal data in addresses, e-mails or log lines."
        ),
    ),
    (
        "T5",
        _("Sessions and time-outs"),
        _(
            "A new session at every login; logged out after 30 minutes without activity and after 10 hours "
            "at the latest; all sessions end when an account is deactivated or its password changes."
        ),
    ),
    (
        "T6",
        _("Backups"),
        _(
            "Regular backups of database and documents with a manifest of hashes; restores are tested, "
            "and after a restore the deletion journal is applied again."
        ),
    ),
    (
        "T7",
        _("Retention and anonymisation"),
        _(
            "The retention run anonymises what is due and keeps only anonymous statistics; a pseudonymous "
            "deletion journal records what was removed."
        ),
    ),
    (
        "T8",
        _("Aggregates only beyond the site"),
        _(
            "The coordinating body and the steering groups see figures only, with counts below 3 "
            "suppressed so that no single person can be recognised."
        ),
    ),
)

# Said wherever the legal construction is a decision of the carrier, not of the software.
_TO_CONFIRM = _("To be confirmed by the carrier with its data protection officer.")


def _activities() -> tuple[Activity, ...]:
    # Built on each call: the access log's period comes from the settings.
    return (
        Activity(
            key="counselling",
            name=_("Counselling and case work"),
            purpose=_(
                "Counselling and accompanying people in difficult life situations at the sites: recording "
                "their situation and concerns, contacts, goals and steps, follow-ups, documents and "
                "referrals to partner institutions, and the consents these rest on."
            ),
            legal_basis=format_lazy(
                "{} {}",
                _(
                    "Art. 6(1)(a) GDPR (consent to counselling) and, where the carrier performs a task in "
                    "the public interest, Art. 6(1)(e) GDPR; for health, addiction and disability Art. "
                    "9(2)(a) GDPR (explicit consent) and § 22(1) no. 1(b) BDSG (care in the social "
                    "sector by staff bound to confidentiality); for criminal records Art. 10 GDPR, only as "
                    "far as a law permits it; where the carrier works for a social benefits agency, "
                    "§§ 67a, 67b SGB X. Referrals: Art. 6(1)(a) GDPR, the person's consent to the "
                    "named partner."
                ),
                _TO_CONFIRM,
            ),
            data_subjects=_(
                "People seeking advice at a site (clients); members of their household and other people "
                "named in notes; people at anonymous contacts are not identified."
            ),
            categories_of_data=_(
                "Master data and contact data; life situation, concerns, contacts, goals, follow-ups, "
                "referrals, documents and consents; special categories: health, addiction, disability, "
                "residence status; criminal records."
            ),
            recipients=_(
                "Partner institutions named in a referral, only with the person's consent (or a documented "
                "reason) and only the message written for them. The coordinating body and the steering "
                "groups receive aggregates only. A hosting provider only as processor under Art. 28 GDPR. "
                "No transfer to third countries."
            ),
            retention=_(
                "Until the end of the ESF retention period of the funding round: 31 December of the year of "
                "the round's final payment plus the round's retention years (5 unless the funding notice "
                "says otherwise, Art. 82 of Regulation (EU) 2021/1060); then `inka retention run` "
                "anonymises it, deletes documents and keeps only anonymous statistics. A consent ends with "
                "its withdrawal; what rests on it is no longer used."
            ),
            retention_rule=RetentionRule.ESF_RETENTION,
            source=_(
                "The person themselves; the caseworkers' own observations; partner institutions answering "
                "a referral."
            ),
            tom=_(
                "T1–T8. Special categories only for the caseworkers and site leads of the site; "
                "restricted persons only for the data protection officer with a logged reason; documents "
                "checked by content and given out only as download to the site's team; referral links for "
                "partners expire and work once; optimistic locking against lost updates."
            ),
        ),
        Activity(
            key="employment",
            name=_("Support towards employment"),
            purpose=_(
                "Supporting clients on their way to work or training: barriers to employment, career "
                "perspective and action plan, applications and outcomes."
            ),
            legal_basis=format_lazy(
                "{} {}",
                _(
                    "Art. 6(1)(a) GDPR and, where applicable, Art. 6(1)(e) GDPR, as for counselling; ratings "
                    "of health or addiction barriers Art. 9(2)(a) GDPR (explicit consent) and § 22(1) "
                    "no. 1(b) BDSG; a criminal record as a barrier Art. 10 GDPR."
                ),
                _TO_CONFIRM,
            ),
            data_subjects=_("Clients in counselling who want support towards employment."),
            categories_of_data=_(
                "Barrier assessments and ratings (including health, addiction and criminal record), career "
                "plans, applications with employer and position, job and training outcomes."
            ),
            recipients=_(
                "None outside the site's team; employers and partners learn only what the person passes on "
                "or consents to. The coordinating body and ESF reporting receive aggregates only."
            ),
            retention=_(
                "As the case: until the end of the ESF retention period of the funding round, then "
                "anonymised by the retention run."
            ),
            retention_rule=RetentionRule.ESF_RETENTION,
            source=_("The person themselves; the caseworkers' assessment."),
            tom=_(
                "T1–T8. Barrier ratings count as special categories: only for the caseworkers of the site."
            ),
        ),
        Activity(
            key="esf",
            name=_("ESF participant data"),
            purpose=_(
                "Monitoring, reporting, evaluation, verification and audit of the ESF Plus funding: the "
                "entry questionnaire, stays, results on leaving and six months later, as required for the "
                "common indicators."
            ),
            legal_basis=format_lazy(
                "{} {}",
                _(
                    "Art. 6(1)(c) and (e) GDPR with Art. 4 and Art. 72(1)(e) and Annex XVII of Regulation "
                    "(EU) 2021/1060 and Annex I of Regulation (EU) 2021/1057 (ESF+), and the funding "
                    "notice; for disability, minority and other disadvantage (and, in the 2014–2020 "
                    "indicator set, a foreign background) Art. 9(2)(a) GDPR (explicit consent, refusal "
                    "possible and recorded) or Art. 9(2)(g) GDPR as determined by the managing authority."
                ),
                _TO_CONFIRM,
            ),
            data_subjects=_("Clients who take part in the ESF-funded counselling (participants)."),
            categories_of_data=_(
                "Participation id and person key, gender, date of birth, labour market status, education, "
                "household situation, third-country nationality, homelessness; special categories: "
                "disability, minority, other disadvantage, foreign background; results on leaving and six "
                "months later."
            ),
            recipients=_(
                "The ESF managing authority and its intermediate body: pseudonymous participant records "
                "(person key instead of name) and aggregates, as the funding notice requires; the European "
                "Commission, audit authority and evaluators commissioned by the managing authority within "
                "their tasks. The coordinating body receives aggregates only."
            ),
            retention=_(
                "Until the end of the ESF retention period: 31 December of the year of the funding round's "
                "final payment plus its retention years (at least 5, Art. 82 of Regulation (EU) 2021/1060); "
                "then anonymised by the retention run so that every ESF figure stays the same."
            ),
            retention_rule=RetentionRule.ESF_RETENTION,
            source=_(
                "The person themselves (entry questionnaire, information leaflet acknowledged, follow-up "
                "survey); the caseworkers."
            ),
            tom=_(
                "T1–T8. Sensitive questions are optional and blank means “not asked”; readers "
                "never see special categories; reports beyond the site are suppressed aggregates."
            ),
        ),
        Activity(
            key="community",
            name=_("Community work and volunteering"),
            purpose=_(
                "Planning and documenting community projects, their sessions and attendance, outreach rounds "
                "and the activation of residents; coordinating volunteers and their hours."
            ),
            legal_basis=format_lazy(
                "{} {}",
                _(
                    "Art. 6(1)(e) or (f) GDPR for the documentation of the community work (mostly without "
                    "names); Art. 6(1)(b) GDPR for the volunteering arrangement and Art. 6(1)(a) GDPR for "
                    "named attendance."
                ),
                _TO_CONFIRM,
            ),
            data_subjects=_("Volunteers; residents attending by name (only clients); staff of the site."),
            categories_of_data=_(
                "Projects, sessions and head counts without names; volunteers' names, contact data, skills, "
                "availability and hours; named attendance of clients."
            ),
            recipients=_(
                "Public descriptions of projects are published; otherwise none outside the site's team. "
                "The coordinating body and the steering group receive aggregates only."
            ),
            retention=_(
                "Volunteers and named attendance: until the end of the ESF retention period of the funding "
                "round in which they were last recorded (proof of the funded work), then anonymised; "
                "projects and head counts contain no personal data."
            ),
            retention_rule=RetentionRule.ESF_RETENTION,
            source=_("The volunteers themselves; the staff of the site."),
            tom=_(
                "T1–T8. Notes are written without residents' names; attendance is counted, not "
                "named, by default."
            ),
        ),
        Activity(
            key="network",
            name=_("Partner network and partner survey"),
            purpose=_(
                "Keeping the partner network of a site: partner institutions and their services, contact "
                "persons, cooperation agreements and network activities; the anonymous partner survey."
            ),
            legal_basis=format_lazy(
                "{} {}",
                _(
                    "Art. 6(1)(f) GDPR (legitimate interest in working together) or Art. 6(1)(e) GDPR for "
                    "contact persons at partner institutions; survey answers are anonymous."
                ),
                _TO_CONFIRM,
            ),
            data_subjects=_("Contact persons and staff of partner institutions."),
            categories_of_data=_(
                "Institutions with their office address and services; names, functions, phone and e-mail of "
                "contact persons; notes on the cooperation; anonymous survey answers and comments."
            ),
            recipients=_(
                "The services directory is visible to all sites; contact persons and notes on a cooperation "
                "only to the site's team. The coordinating body and the steering group receive the survey "
                "index and aggregates only."
            ),
            retention=_(
                "Contact persons while the cooperation lasts, removed by the site when it ends or the "
                "person leaves; survey answers are anonymous and kept for the comparison over years."
            ),
            retention_rule=RetentionRule.COOPERATION,
            source=_("The partner institutions and their staff; the staff of the site."),
            tom=_("T1–T8. Survey links are single-use tokens stored only as hashes; answers carry no name."),
        ),
        Activity(
            key="steering",
            name=_("Steering group"),
            purpose=_(
                "Organising the local steering group of a site: members, meetings, minutes, decisions "
                "and action items."
            ),
            legal_basis=format_lazy(
                "{} {}",
                _("Art. 6(1)(e) or (f) GDPR for the representatives of institutions in the steering group."),
                _TO_CONFIRM,
            ),
            data_subjects=_("Members and guests of the steering group; staff of the site."),
            categories_of_data=_(
                "Names, institutions, functions and contact data of members; attendance, minutes and action "
                "items with the person responsible."
            ),
            recipients=_(
                "The members of the steering group (agenda, minutes); the coordinating body. No data about "
                "clients: the steering group sees aggregates only."
            ),
            retention=_(
                "Members while they belong to the group; minutes and decisions until the end of the ESF "
                "retention period of the funding round as proof of the funded work."
            ),
            retention_rule=RetentionRule.COOPERATION,
            source=_("The members themselves; the staff of the site."),
            tom=_("T1–T8."),
        ),
        Activity(
            key="monitoring",
            name=_("Monitoring and reporting"),
            purpose=_(
                "Reports of the sites to the coordinating body and the funder; indicators and dashboards "
                "computed from the case, community, network and ESF records, as aggregates only."
            ),
            legal_basis=_(
                "Art. 6(1)(c) and (e) GDPR with the funding notice and Art. 4 of Regulation (EU) 2021/1060; "
                "for the staff who submit and review reports Art. 6(1)(b) GDPR (employment). Aggregates "
                "with suppressed small counts are no personal data."
            ),
            data_subjects=_("Staff who submit and review reports; clients only as counts."),
            categories_of_data=_(
                "Narratives of the reports, aggregated figures, who submitted and reviewed when."
            ),
            recipients=_(
                "The coordinating body (all sites, suppressed aggregates); the steering group of the site "
                "(accepted reports); the funder and the ministry (programme report)."
            ),
            retention=_(
                "Until the end of the ESF retention period of the funding round (proof of the funded work)."
            ),
            retention_rule=RetentionRule.ORGANISATION,
            source=_("Computed from the site's records; written by the site lead."),
            tom=_("T1–T8; especially T8: counts below 3 suppressed, with secondary suppression."),
        ),
        Activity(
            key="accounts",
            name=_("User accounts"),
            purpose=_("Logging in, roles and site memberships of the people who work with INKA."),
            legal_basis=format_lazy(
                "{} {}",
                _(
                    "Art. 6(1)(b) and (c) GDPR with Art. 32 GDPR (employment relationship; secure access); "
                    "§ 26 BDSG where applicable."
                ),
                _TO_CONFIRM,
            ),
            data_subjects=_(
                "Staff of the sites and the carriers, the coordinating body, the data protection officer, "
                "technical administrators, steering group members with access."
            ),
            categories_of_data=_(
                "Name, work e-mail and phone, password hash, second factor, roles and sites, last login."
            ),
            recipients=_("None; the site lead sees the own team, the technical administration all accounts."),
            retention=_(
                "While the person works with INKA; afterwards the account is deactivated, not deleted, "
                "so that the logs stay attributable; deleted when the last log entries naming it are due."
            ),
            retention_rule=RetentionRule.ACCOUNT,
            source=_("The person; the carrier or site lead who invites them."),
            tom=_(
                "T1, T5; passwords stored with Argon2; a new account has no site and no role until granted."
            ),
        ),
        Activity(
            key="access_log",
            name=_("Access log"),
            purpose=_(
                "Proving who read which social data, detecting misuse and answering breach questions "
                "(which persons did account X see between t1 and t2)."
            ),
            legal_basis=_(
                "Art. 6(1)(c) GDPR with Art. 5(2) and Art. 32 GDPR and § 22(2) sentence 2 no. 2 BDSG "
                "(logging for special categories); § 78a SGB X where social data are concerned."
            ),
            data_subjects=_("Users of INKA; clients only by the ids of the records read."),
            categories_of_data=_("Time, account, role, site, action, record type and ids, outcome, reason."),
            recipients=_(
                "The site lead (own site) and the data protection officer (all sites); the supervisory "
                "authority in case of a breach."
            ),
            retention=format_lazy(
                _("{days} days, then deleted by the retention run (setting ACCESS_LOG_RETENTION_DAYS)."),
                days=settings.ACCESS_LOG_RETENTION_DAYS,
            ),
            retention_rule=RetentionRule.ACCESS_LOG,
            source=_("Written by INKA itself at every read."),
            tom=_("T3: append-only for the application (on PostgreSQL enforced by grants); T1, T2."),
        ),
        Activity(
            key="change_history",
            name=_("Change history"),
            purpose=_(
                "Proving who changed which data when, with the old and new values; restoring wrong changes."
            ),
            legal_basis=_(
                "Art. 6(1)(c) GDPR with Art. 5(1)(d), 5(2) and 32 GDPR and § 22(2) sentence 2 no. 2 "
                "BDSG (input control)."
            ),
            data_subjects=_("Users of INKA; every person whose data was changed."),
            categories_of_data=_(
                "Time, account, role, site, action, record, and the changed values – which may include "
                "special categories."
            ),
            recipients=_("The site lead (own site) and the data protection officer (all sites)."),
            retention=_(
                "As long as the records it describes: when a person is anonymised, the values in the "
                "entries about them are anonymised with them."
            ),
            retention_rule=RetentionRule.ESF_RETENTION,
            source=_("Written by INKA itself at every change."),
            tom=_("T3: append-only for the application; T1, T2."),
        ),
        Activity(
            key="privacy",
            name=_("Data protection administration"),
            purpose=_(
                "Handling the rights of data subjects (access, rectification, restriction, objection, "
                "erasure) within their deadlines; contested values; approving retention runs; the "
                "deletion journal."
            ),
            legal_basis=_(
                "Art. 6(1)(c) GDPR with Art. 12–21, Art. 5(2) and Art. 17 GDPR; §§ 83, 84 "
                "SGB X where social data are concerned."
            ),
            data_subjects=_("Clients who exercise their rights; staff who handle the requests."),
            categories_of_data=_(
                "Kind of request, dates and deadline, identity check, answer, notes; contested values and "
                "the person's statement; approvals of retention runs; pseudonymous deletion journal."
            ),
            recipients=_("The data subject (the answer); the supervisory authority on request."),
            retention=_(
                "Requests and contested values as long as the person's records, then anonymised with them; "
                "dates and outcome stay as proof (Art. 5(2) GDPR). The deletion journal holds only "
                "pseudonymous ids and is kept as long as backups exist from which deleted data could return."
            ),
            retention_rule=RetentionRule.ESF_RETENTION,
            source=_("The data subject; the staff and the data protection officer."),
            tom=_("T1–T7; only the data protection officer approves retention runs."),
        ),
        Activity(
            key="programme",
            name=_("Programme, sites and public site information"),
            purpose=_(
                "Managing the programme, funding rounds, carriers and sites; publishing the sites' "
                "addresses, opening hours and contact persons."
            ),
            legal_basis=format_lazy(
                "{} {}",
                _(
                    "No personal data except the public contact person of a site: Art. 6(1)(f) GDPR or the "
                    "contact person's consent (Art. 6(1)(a) GDPR)."
                ),
                _TO_CONFIRM,
            ),
            data_subjects=_("Contact persons of the sites named on the public pages."),
            categories_of_data=_(
                "Sites with address and opening hours; name, phone and e-mail of the contact person."
            ),
            recipients=_("The public (site pages without login)."),
            retention=_("While the site exists; the contact person is removed when they change."),
            retention_rule=RetentionRule.ORGANISATION,
            source=_("The coordinating body and the carriers."),
            tom=_("T1–T5; only the coordinating body and the technical administration change it."),
        ),
    )


def activities() -> tuple[Activity, ...]:
    """All processing activities of INKA, in the order of the record of processing."""
    return _activities()


@cache
def _app_registries() -> tuple[Any, ...]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("inka."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.field_registry"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.field_registry":
                raise
    return tuple(modules)


def field_registry() -> dict[str, dict[str, Category]]:
    """All classifications of all INKA apps, by model label and field name."""
    return {label: fields for module in _app_registries() for label, fields in module.FIELDS.items()}


def activity_keys() -> dict[str, str]:
    """Model label → key of the processing activity the model serves."""
    return {label: key for module in _app_registries() for label, key in module.ACTIVITIES.items()}


def field_category(label: str, field: str) -> Category:
    """The category of one field; KeyError for a field nobody classified."""
    return field_registry()[label][field]


def activity_of(label: str) -> Activity:
    """The processing activity a model serves."""
    key = activity_keys()[label]
    return next(activity for activity in activities() if activity.key == key)


def model_fields(model: type[models.Model]) -> list[Any]:
    """The fields the registry classifies: concrete ones and many-to-many in both directions."""
    return [field for field in model._meta.get_fields() if field.concrete or field.many_to_many]


def verbose_name(field: Any) -> str:
    """The field's label; the other side of a many-to-many has none, so its model's plural stands in."""
    name = getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural
    return str(name)


def fields_for_export(label: str) -> list[tuple[str, str, Category]]:
    """(field name, label, category) of every classified field of the model, in the model's order."""
    classified = field_registry()[label]
    model = apps.get_model(label)
    return [(field.name, verbose_name(field), classified[field.name]) for field in model_fields(model)]


_TEXTS = (
    "name",
    "purpose",
    "legal_basis",
    "data_subjects",
    "categories_of_data",
    "recipients",
    "retention",
    "source",
    "tom",
)


def problems(
    fields: dict[str, dict[str, Category]] | None = None, keys: dict[str, str] | None = None
) -> list[str]:
    """What keeps the registry from being complete: unclassified fields, models without an activity,
    activities with empty texts, special categories without an Art. 9/10 basis; [] when complete."""
    fields = field_registry() if fields is None else fields
    keys = activity_keys() if keys is None else keys
    found: list[str] = []
    by_key = {activity.key: activity for activity in activities()}
    labels = set()
    for model in apps.get_models():
        if not model.__module__.startswith("inka."):
            continue
        label = model._meta.label
        labels.add(label)
        names = {field.name for field in model_fields(model)}
        classified = fields.get(label, {})
        found += [f"{label}.{name}: not classified" for name in sorted(names - set(classified))]
        found += [f"{label}.{name}: no such field" for name in sorted(set(classified) - names)]
        found += [
            f"{label}.{name}: {value!r} is not a Category"
            for name, value in classified.items()
            if not isinstance(value, Category)
        ]
        if keys.get(label) not in by_key:
            found.append(f"{label}: no processing activity (ACTIVITIES)")
        elif Category.SPECIAL in classified.values():
            basis = str(by_key[keys[label]].legal_basis)
            if "Art. 9" not in basis and "Art. 10" not in basis:
                found.append(f"{label}: special categories, but its activity names no Art. 9/10 basis")
    found += [f"{label}: no such model" for label in sorted((set(fields) | set(keys)) - labels)]
    for activity in by_key.values():
        found += [
            f"activity {activity.key}: {text} is empty"
            for text in _TEXTS
            if not str(getattr(activity, text)).strip()
        ]
        if activity.retention_rule not in RetentionRule.values:
            found.append(f"activity {activity.key}: unknown retention rule {activity.retention_rule!r}")
        if activity.key not in keys.values():
            found.append(f"activity {activity.key}: no model serves it")
    return found


def processing_record() -> list[dict[str, Any]]:
    """The record of processing activities: per activity its texts, its models and their fields,
    and the fields grouped by category with their labels (Art. 30(1) GDPR)."""
    keys = activity_keys()
    models_in_order = [model for model in apps.get_models() if model._meta.label in keys]
    record = []
    for activity in activities():
        served = [model for model in models_in_order if keys[model._meta.label] == activity.key]
        exported = {model._meta.label: fields_for_export(model._meta.label) for model in served}
        categories = []
        for category in Category:
            groups = [
                (
                    str(model._meta.verbose_name),
                    [label for _name, label, kind in exported[model._meta.label] if kind == category],
                )
                for model in served
            ]
            groups = [(model_name, labels) for model_name, labels in groups if labels]
            if groups:
                categories.append({"category": category, "label": category.label, "models": groups})
        record.append(
            {
                "activity": activity,
                "texts": {text: str(getattr(activity, text)) for text in _TEXTS},
                "retention_rule_label": RetentionRule(activity.retention_rule).label,
                "categories": categories,
                "models": [
                    {
                        "model": model._meta.label,
                        "name": str(model._meta.verbose_name),
                        "fields": [
                            {"field": name, "label": label, "category": kind.value}
                            for name, label, kind in exported[model._meta.label]
                        ],
                    }
                    for model in served
                ],
            }
        )
    return record
