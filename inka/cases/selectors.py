"""Reads of case work: explicit site filters, related rows fetched up front, fixed query counts."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inka.cases.models import (
    OUTREACH_MODES,
    AgeBand,
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
    Progress,
    Referral,
    Topic,
)
from inka.cases.names import name_key, name_sound
from inka.core.aggregates import Counts, Period, per_month, per_period
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
    # Restricted persons (Art. 18 GDPR) leave every list and search of the team.
    # The last contact and the next follow-up as subqueries, not a join grouped over all the site's
    # cases: walking the (site, opened_on) index, the database computes them for one page only.
    last_contact = Contact.objects.filter(case=OuterRef("pk")).order_by("-occurred_on").values("occurred_on")
    next_follow_up = _open_follow_ups().order_by("due_on").values("due_on")
    cases = (
        Case.objects.filter(site_id=site_id, person__restricted_at__isnull=True)
        .select_related("person", "caseworker")
        .annotate(last_contact_on=Subquery(last_contact[:1]), next_follow_up_on=Subquery(next_follow_up[:1]))
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
        Person.objects.filter(site_id=site_id, restricted_at__isnull=True)
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
    candidates = Person.objects.filter(site_id=site_id, last_name_sound=sound, restricted_at__isnull=True)
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
        FollowUp.objects.filter(
            assigned_to=user,
            done_on=None,
            case__site_id__in=site_ids,
            case__person__restricted_at__isnull=True,
        )
        .select_related("case__person", "case__site")
        .order_by("due_on", "pk")
    )
    referrals = (
        Referral.objects.filter(
            Q(created_by=user) | Q(case__caseworker=user),
            status=Referral.Status.SENT,
            case__site_id__in=site_ids,
            case__person__restricted_at__isnull=True,
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


def _breakdown(by: str | None, fields: dict[str, str]) -> str | None:
    """The field a selector groups by for the breakdown `by`; a breakdown it does not know is an error."""
    if by is None:
        return None
    if by not in fields:
        raise ValueError(f"Unknown breakdown {by!r}.")
    return fields[by]


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
    if by == "topic":  # an inner join: a contact without a topic is in no topic's count
        contacts = contacts.filter(topics__isnull=False)
    field = _breakdown(
        by, {"mode": "mode", "topic": "topics__topic", "gender": "gender", "age_band": "age_band"}
    )
    return per_month(contacts, site_ids=site_ids, start=start, end=end, day="occurred_on", by=field)


def _years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February becomes 28 February of a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_band_filters(birth: str, day: date) -> dict[str, Q]:
    """Each AgeBand value as a filter on the date of birth at `birth` (a field path): the age on `day`
    in completed years, as `Person.age_on` counts it; "" for persons without a date of birth."""
    lowest = [int(band.rstrip("+").split("-")[0]) for band in AgeBand.values]
    filters: dict[str, Q] = {}
    for index, band in enumerate(AgeBand.values):
        # Aged at least n on `day` = born on or before the same day n years earlier.
        condition = Q(**{f"{birth}__lte": _years_before(day, lowest[index])})
        if index + 1 < len(lowest):
            condition &= Q(**{f"{birth}__gt": _years_before(day, lowest[index + 1])})
        filters[band] = condition
    filters[""] = Q(**{f"{birth}__isnull": True})
    return filters


def person_counts(
    *,
    site_ids: Sequence[int],
    periods: Sequence[Period],
    by: str | None = None,
    first_time: bool | None = None,
) -> Counts:
    """Different persons with at least one contact in their case in each period, by site.

    `first_time=True`: only persons whose first contact at the site (in any of their cases) lies in
    the period; `False`: only those with a contact at the site before the period. `by`: "gender" (of
    the person, "" when not recorded) or "age_band" (age on the period's last day, "" without a date
    of birth; not with `first_time`).
    """
    if first_time is not None:
        if by == "age_band":
            raise ValueError("Persons counselled for the first time are not broken down by age band.")
        # Everyone counselled in a period came for the first time in it or had come before.
        first = _first_time_persons(site_ids=site_ids, periods=periods, by=by)
        if first_time:
            return first
        counselled = person_counts(site_ids=site_ids, periods=periods, by=by)
        return {key: n - first.get(key, 0) for key, n in counselled.items() if n > first.get(key, 0)}

    contacts = Contact.objects.filter(case__isnull=False)

    def persons(period: Period, only: Q | None = None) -> Count:
        condition = period.q("occurred_on")
        return Count("case__person", distinct=True, filter=condition & only if only else condition)

    if by == "age_band":
        # The band depends on the period's last day, so each (period, band) pair gets its own
        # aggregate, under a key of its own: still one query, with periods × bands columns.
        pairs = {
            f"{period.key}|{band}": (period, band, condition)
            for period in periods
            for band, condition in age_band_filters("case__person__birth_date", period.end).items()
        }
        counts = per_period(
            contacts,
            site_ids=site_ids,
            periods=[Period(key, period.start, period.end) for key, (period, _, _) in pairs.items()],
            measure=lambda pair: persons(pair, pairs[pair.key][2]),
            within="occurred_on",
        )
        return {(site, pairs[key][0].key, pairs[key][1]): number for (site, key, _), number in counts.items()}
    field = _breakdown(by, {"gender": "case__person__gender"})
    return per_period(
        contacts, site_ids=site_ids, periods=periods, measure=persons, by=field, within="occurred_on"
    )


def _first_time_persons(*, site_ids: Sequence[int], periods: Sequence[Period], by: str | None) -> Counts:
    """Persons whose first contact at the site (in any of their cases) lies in each period, by site.

    One query: each person's first contact day is found once (a GROUP BY over the contacts), then
    counted per period with one conditional sum each. Asking per period "had a contact before?"
    read all earlier contacts once per period and took tens of seconds at a million contacts. The
    ORM cannot aggregate over a grouped subquery in FROM, hence the SQL; every value is a parameter.
    """
    group = _breakdown(by, {"gender": "gender"})
    if not site_ids or not periods:
        return {}
    quote = connection.ops.quote_name
    contact, case, person = (quote(model._meta.db_table) for model in (Contact, Case, Person))
    sums = ", ".join("SUM(CASE WHEN f.first_on BETWEEN %s AND %s THEN 1 ELSE 0 END)" for _ in periods)
    sites = ", ".join(["%s"] * len(site_ids))
    breakdown = f", p.{quote(group)}" if group else ""
    sql = (
        f"SELECT f.site_id{breakdown}, {sums} FROM ("  # noqa: S608  # nosec B608  (names quoted, values are parameters)
        f"SELECT co.site_id AS site_id, ca.person_id AS person_id, MIN(co.occurred_on) AS first_on "
        f"FROM {contact} co JOIN {case} ca ON ca.id = co.case_id "
        f"WHERE co.site_id IN ({sites}) AND co.occurred_on <= %s "
        f"GROUP BY co.site_id, ca.person_id) f "
        f"JOIN {person} p ON p.id = f.person_id "
        f"WHERE f.first_on >= %s "
        f"GROUP BY f.site_id{breakdown}"
    )
    params: list[Any] = [day for period in periods for day in (period.start, period.end)]
    params += [*site_ids, max(period.end for period in periods), min(period.start for period in periods)]
    counts: Counts = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            value = row[1] if group else None
            for period, number in zip(periods, row[2 if group else 1 :], strict=True):
                if number:
                    counts[(row[0], period.key, value)] = number
    return counts


def case_counts(
    *, site_ids: Sequence[int], start: date, end: date, event: str, by: str | None = None
) -> Counts:
    """Cases opened (`event="opened"`, by the day they were opened) or closed (`"closed"`, by the
    day of closing; a reopened case counts when it is closed again) by site and month.

    `by`: "close_reason" (closed cases only).
    """
    day = {"opened": "opened_on", "closed": "closed_on"}[event]
    field = _breakdown(by, {"close_reason": "close_reason"} if event == "closed" else {})
    return per_month(Case.objects.all(), site_ids=site_ids, start=start, end=end, day=day, by=field)


def referral_counts(
    *, site_ids: Sequence[int], start: date, end: date, by: str | None = None, answered: bool = False
) -> Counts:
    """Referrals by site and the month they were sent; `answered=True`: only those the partner has
    answered (accepted or declined, whatever followed), else all of them.

    `by`: "partner_kind" (the partner's kind) or "referral_status" (the referral's status today).
    """
    referrals = Referral.objects.all()
    if answered:
        referrals = referrals.filter(answered_on__isnull=False)
    field = _breakdown(by, {"partner_kind": "partner__kind", "referral_status": "status"})
    return per_month(
        referrals, site_ids=site_ids, start=start, end=end, day="sent_on", site="case__site_id", by=field
    )


def goal_counts(*, site_ids: Sequence[int], start: date, end: date, by: str | None = None) -> Counts:
    """Goals of help plans achieved, by site and the month they were achieved; `by`: "topic"."""
    goals = Goal.objects.filter(status=Progress.ACHIEVED)
    field = _breakdown(by, {"topic": "topic"})
    return per_month(
        goals, site_ids=site_ids, start=start, end=end, day="done_on", site="case__site_id", by=field
    )


# --- Data quality for monitoring (M7): {site id: (incomplete, total)} from one GROUP BY query each ---

STALE_DAYS = 90
UNANSWERED_DAYS = 30

Tally = dict[int, tuple[int, int]]


def _tally(rows: QuerySet[Any], site: str) -> Tally:
    return {row[site]: (row["incomplete"], row["total"]) for row in rows}


def stale_case_counts(*, site_ids: Sequence[int], today: date) -> Tally:
    """Open cases without any contact in the last 90 days that were opened before them, of all open
    cases: the last sign of work on them lies more than 90 days back."""
    since = today - timedelta(days=STALE_DAYS)
    recent = Contact.objects.filter(case=OuterRef("pk"), occurred_on__gte=since)
    rows = (
        Case.objects.filter(site_id__in=list(site_ids), status=Case.Status.OPEN)
        .order_by()
        .values("site_id")
        .annotate(
            total=Count("pk"), incomplete=Count("pk", filter=Q(opened_on__lt=since) & ~Q(Exists(recent)))
        )
    )
    return _tally(rows, "site_id")


def persons_without_consent_counts(*, site_ids: Sequence[int], today: date) -> Tally:
    """Persons without any consent record (given, expired or withdrawn), of all persons of the site."""
    consents = Consent.objects.filter(person=OuterRef("pk"))
    rows = (
        Person.objects.filter(site_id__in=list(site_ids))
        .order_by()
        .values("site_id")
        .annotate(total=Count("pk"), incomplete=Count("pk", filter=~Exists(consents)))
    )
    return _tally(rows, "site_id")


def overdue_follow_up_counts(*, site_ids: Sequence[int], today: date) -> Tally:
    """Open follow-ups due before today, of all open follow-ups."""
    rows = (
        FollowUp.objects.filter(case__site_id__in=list(site_ids), done_on=None)
        .order_by()
        .values("case__site_id")
        .annotate(total=Count("pk"), incomplete=Count("pk", filter=Q(due_on__lt=today)))
    )
    return _tally(rows, "case__site_id")


def unanswered_referral_counts(*, site_ids: Sequence[int], today: date) -> Tally:
    """Referrals sent in the last 12 months, more than 30 days ago and still awaiting an answer, of
    all referrals sent in the last 12 months."""
    rows = (
        Referral.objects.filter(case__site_id__in=list(site_ids), sent_on__gt=_years_before(today, 1))
        .order_by()
        .values("case__site_id")
        .annotate(
            total=Count("pk"),
            incomplete=Count(
                "pk",
                filter=Q(status=Referral.Status.SENT, sent_on__lt=today - timedelta(days=UNANSWERED_DAYS)),
            ),
        )
    )
    return _tally(rows, "case__site_id")
