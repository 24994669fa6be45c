"""Reads of case work: explicit site filters, related rows fetched up front, fixed query counts."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inka.cases.models import (
    OUTREACH_MODES,
    Case,
    CaseNeed,
    Consent,
    Contact,
    ContactTopic,
    Document,
    FollowUp,
    Goal,
    GoalStep,
    Person,
    Referral,
    Topic,
)
from inka.cases.names import name_key, name_sound
from inka.core.aggregates import Counts, per_month
from inka.core.models import AuditEntry

UPCOMING_DAYS = 14


def _open_follow_ups() -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(case=OuterRef("pk"), done_on=None)


def case_list(
    *,
    site_id: int,
    q: str = "",
    status: str = "",
    caseworker_id: int | None = None,
    topic: str = "",
    follow_ups: str = "",
) -> QuerySet[Case]:
    """Cases of a site, newest first, with the person, the last contact and the next follow-up."""
    cases = (
        Case.objects.filter(site_id=site_id)
        .select_related("person", "caseworker")
        .annotate(
            last_contact_on=Max("contacts__occurred_on"),
            next_follow_up_on=Min("follow_ups__due_on", filter=Q(follow_ups__done_on=None)),
        )
        .order_by("-opened_on", "-pk")
    )
    if q:
        words = name_key(q).split()
        by_name = Q()
        for word in words:
            by_name &= Q(person__name_key__contains=word)
        cases = cases.filter((by_name if words else Q(pk__in=[])) | Q(reference__iexact=q.strip()))
    if status:
        cases = cases.filter(status=status)
    if caseworker_id:
        cases = cases.filter(caseworker_id=caseworker_id)
    if topic:
        cases = cases.filter(Exists(CaseNeed.objects.filter(case=OuterRef("pk"), topic=topic)))
    today = timezone.localdate()
    if follow_ups == "open":
        cases = cases.filter(Exists(_open_follow_ups()))
    elif follow_ups == "overdue":
        cases = cases.filter(Exists(_open_follow_ups().filter(due_on__lt=today)))
    return cases


def case_needs(cases: list[Case]) -> dict[int, list[str]]:
    """The need topics of each case, in one query."""
    needs: dict[int, list[str]] = {case.pk: [] for case in cases}
    for case_id, topic in CaseNeed.objects.filter(case__in=cases).values_list("case_id", "topic"):
        needs[case_id].append(topic)
    return needs


def person_search(*, site_id: int, q: str = "", birth_date: date | None = None) -> QuerySet[Person]:
    """Persons of a site by name (spelling-independent) and birth date, with their open case."""
    persons = (
        Person.objects.filter(site_id=site_id)
        .annotate(
            case_count=Count("cases"),
            open_case_id=Max("cases__pk", filter=Q(cases__status=Case.Status.OPEN)),
        )
        .order_by("last_name", "first_name", "pk")
    )
    for word in name_key(q).split():
        persons = persons.filter(name_key__contains=word)
    if birth_date:
        persons = persons.filter(birth_date=birth_date)
    return persons


def person_duplicates(
    *, site_id: int, first_name: str, last_name: str, birth_date: date | None, exclude_pk: int | None = None
) -> list[Person]:
    """Persons at the site who may be the one being typed: same name however spelled
    (Müller/Mueller, Meyer/Maier), and the same birth date where both are known."""
    sound = name_sound(last_name)
    if not sound:
        return []
    first_sound = name_sound(first_name)
    candidates = Person.objects.filter(site_id=site_id, last_name_sound=sound)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    if birth_date:
        candidates = candidates.filter(Q(birth_date=birth_date) | Q(birth_date=None))
    found = []
    for person in candidates.order_by("last_name", "first_name", "pk")[:200]:
        same_birth = birth_date is not None and person.birth_date == birth_date
        similar_first = bool(first_sound) and name_sound(person.first_name) == first_sound
        if similar_first or (same_birth and not first_name):
            found.append(person)
    return found[:10]


@dataclass
class CasePage:
    """Everything the case page shows, fetched in a fixed number of queries."""

    needs: list[str]
    contacts: list[Contact]
    contact_count: int
    goals: list[Goal]
    follow_ups: list[FollowUp]
    referrals: list[Referral]
    documents: list[Document]
    consents: list[Consent]
    counselling_consent: Consent | None


CONTACTS_ON_CASE_PAGE = 10


def case_page(*, case: Case) -> CasePage:
    today = timezone.localdate()
    contacts = list(
        case.contacts.select_related("author")
        .prefetch_related(Prefetch("topics", queryset=ContactTopic.objects.order_by("topic")))
        .order_by("-occurred_on", "-pk")[:CONTACTS_ON_CASE_PAGE]
    )
    consents = list(case.person.consents.select_related("partner", "taken_by").order_by("-given_on", "-pk"))
    counselling = next(
        (c for c in consents if c.purpose == Consent.Purpose.COUNSELLING and c.is_valid_on(today)), None
    )
    return CasePage(
        needs=sorted(case.needs.values_list("topic", flat=True)),
        contacts=contacts,
        contact_count=case.contacts.count(),
        goals=list(
            case.goals.prefetch_related(
                Prefetch("steps", queryset=GoalStep.objects.order_by("due_on", "pk"))
            ).order_by("status", "due_on", "pk")
        ),
        follow_ups=list(case.follow_ups.select_related("assigned_to").order_by("done_on", "due_on", "pk")),
        referrals=list(case.referrals.select_related("partner", "consent").order_by("-sent_on", "-pk")),
        documents=list(case.documents.select_related("uploaded_by").order_by("-created_at", "-pk")),
        consents=consents,
        counselling_consent=counselling,
    )


def contact_list(*, case: Case) -> QuerySet[Contact]:
    return (
        case.contacts.select_related("author")
        .prefetch_related(Prefetch("topics", queryset=ContactTopic.objects.order_by("topic")))
        .order_by("-occurred_on", "-pk")
    )


def anonymous_contact_list(*, site_id: int) -> QuerySet[Contact]:
    """Anonymous contacts of a site, newest first."""
    return (
        Contact.objects.filter(site_id=site_id, case=None)
        .select_related("author")
        .prefetch_related(Prefetch("topics", queryset=ContactTopic.objects.order_by("topic")))
        .order_by("-occurred_on", "-pk")
    )


@dataclass
class WorkList:
    overdue: list[FollowUp]
    upcoming: list[FollowUp]
    waiting_referrals: list[Referral]


WORK_LIST_LIMIT = 100


def work_list(*, user: Any, site_ids: list[int], today: date | None = None) -> WorkList:
    """A caseworker's reminders: overdue and upcoming follow-ups, referrals waiting for an answer."""
    today = today or timezone.localdate()
    follow_ups = (
        FollowUp.objects.filter(assigned_to=user, done_on=None, case__site_id__in=site_ids)
        .select_related("case__person", "case__site")
        .order_by("due_on", "pk")
    )
    referrals = (
        Referral.objects.filter(
            Q(created_by=user) | Q(case__caseworker=user),
            status=Referral.Status.SENT,
            case__site_id__in=site_ids,
        )
        .select_related("case__person", "case__site", "partner")
        .order_by("sent_on", "pk")
    )
    return WorkList(
        overdue=list(follow_ups.filter(due_on__lt=today)[:WORK_LIST_LIMIT]),
        upcoming=list(
            follow_ups.filter(due_on__gte=today, due_on__lte=today + timedelta(days=UPCOMING_DAYS))[
                :WORK_LIST_LIMIT
            ]
        ),
        waiting_referrals=list(referrals[:WORK_LIST_LIMIT]),
    )


def case_history(*, case: Case) -> QuerySet[AuditEntry]:
    """The change history of a case and of everything on it, newest first."""
    return AuditEntry.objects.filter(
        Q(content_type__app_label="cases", content_type__model="case", object_id=str(case.pk))
        | Q(data__case=case.pk)
        | Q(content_type__app_label="cases", content_type__model="person", object_id=str(case.person_id))
        | Q(data__person=case.person_id),
        site_id=case.site_id,
    ).order_by("-at", "-pk")


def contact_history(*, contact: Contact) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type__app_label="cases",
        content_type__model="contact",
        object_id=str(contact.pk),
        site_id=contact.site_id,
    ).order_by("-at", "-pk")


SPECIAL_FIELDS = frozenset(
    {"health_note", "addiction_note", "criminal_record_note", "residence_status", "disability"}
)
USER_FIELDS = frozenset({"caseworker", "assigned_to", "author", "taken_by"})


def history_rows(entries: list[AuditEntry], *, can_see_special: bool) -> list[dict[str, Any]]:
    """Change-history entries as readable rows: field labels, choice and topic labels, user names;
    special-category values left out for those who may not see them."""
    user_ids = {
        value
        for entry in entries
        for name, pair in entry.changes.items()
        if name in USER_FIELDS
        for value in pair
        if isinstance(value, int)
    }
    users = {
        user.pk: user.get_full_name() or user.email
        for user in get_user_model().objects.filter(pk__in=user_ids)
    }
    rows = []
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type else None
        changes = []
        for name, (old, new) in sorted(entry.changes.items()):
            if name in SPECIAL_FIELDS and not can_see_special:
                continue
            changes.append(
                (
                    _field_label(model, name),
                    _readable(model, name, old, users),
                    _readable(model, name, new, users),
                )
            )
        rows.append({"entry": entry, "changes": changes})
    return rows


def _field_label(model: Any, name: str) -> Any:
    if name in ("topics", "needs"):
        return gettext_lazy("Topics") if name == "topics" else gettext_lazy("Needs")
    try:
        return model._meta.get_field(name).verbose_name if model else name
    except FieldDoesNotExist:  # a field that no longer exists keeps its code
        return name


def _readable(model: Any, name: str, value: Any, users: dict[int, str]) -> Any:
    if value is None or value == "":
        return ""
    if name in ("topics", "needs") and isinstance(value, list):
        return ", ".join(str(Topic(code).label) for code in value if code in Topic.values)
    if name in USER_FIELDS:
        return users.get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    try:
        choices = dict(model._meta.get_field(name).flatchoices) if model else {}
    except FieldDoesNotExist:
        choices = {}
    return choices.get(value, value)


# --- Figures for monitoring: numbers only, one GROUP BY query each (inka.core.aggregates) ---------


def contact_counts(
    *,
    site_ids: Sequence[int],
    start: date,
    end: date,
    by: str | None = None,
    anonymous: bool | None = None,
    outreach: bool = False,
) -> Counts:
    """Contacts by site and month: all, or anonymous / in cases only, or those made by going out.

    `by`: "mode", "topic" (a contact counts once per topic), "gender" or "age_band" (as recorded on
    anonymous contacts; "" when not recorded).
    """
    contacts = Contact.objects.all()
    if anonymous is not None:
        contacts = contacts.filter(case__isnull=anonymous)
    if outreach:
        contacts = contacts.filter(mode__in=OUTREACH_MODES)
    field = {"topic": "topics__topic"}.get(by or "", by)
    counts = per_month(contacts, site_ids=site_ids, start=start, end=end, day="occurred_on", by=field)
    return counts
