"""Demo part of neighbourhood work: volunteers with their hours, and outreach rounds.

Every active site has 5–25 volunteers (fewer at small scales, never under 5), about one in five also
a client of the site. They help at the sessions of the site's projects (made before by
demo_projects; none at all is fine): up to four a session, one to six hours each; about a third
also give hours every month (homework help, accompanying neighbours, …), some ended their engagement.
Outreach rounds 1–3 a month since 2024 (at scales below 1 a share of them, never under a tenth),
3–12 conversations each, at places of the site's neighbourhood. As the service does, every
conversation becomes an anonymous contact (mode outreach) and topic t goes to the first n_t of
them. Written with bulk_create; no services run and no audit entries are written.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate, islice
from typing import Any

from django.db import connections, models, router
from django.db.models import F
from django.utils import timezone

from inka.accounts.models import Membership
from inka.cases.models import Contact, ContactMode, ContactTopic, Person, Topic
from inka.cases.names import name_key
from inka.community.models import (
    OutreachRound,
    OutreachTopic,
    Project,
    ProjectKind,
    Session,
    Volunteer,
    VolunteerHours,
)
from inka.core.demo import DemoContext
from inka.core.permissions import Role
from inka.programme.models import Site

FIRST_DAY = date(2024, 1, 1)
ENGAGED_SINCE = date(2021, 1, 1)  # the longest-serving volunteers began then
CLIENT_SHARE = 0.2
ENDED_SHARE = 0.2
MONTHLY_SHARE = 0.35
MAIL_DOMAINS = ["mail.example", "web.example", "post.example"]

SKILLS = [
    "Backen und Kochen", "kleine Reparaturen", "Russisch", "Arabisch", "Ukrainisch", "Türkisch", "Englisch",
    "Gartenarbeit", "Hausaufgabenhilfe", "Fahrdienst mit eigenem Auto", "Musik, Gitarre", "Nähen",
    "Computer und Smartphone", "Kinderbetreuung", "Fotografieren", "Feste organisieren", "Vorlesen",
    "Basteln mit Kindern", "Fahrräder reparieren",
]  # fmt: skip
AVAILABILITY = [
    "werktags nachmittags", "vormittags", "am Wochenende", "dienstags und donnerstags", "nach Absprache",
    "abends ab 18 Uhr", "einmal im Monat samstags", "mittwochs",
]  # fmt: skip
MONTHLY_ACTIVITIES = [
    "Hausaufgabenhilfe", "Begleitung zu Ämtern", "Pflege des Nachbarschaftsgartens",
    "Ausschank im Stadtteilcafé", "Sprachpatenschaft", "Fahrdienst für ältere Nachbarn",
    "Vorlesen in der Kita", "Reparaturcafé", "Besuche bei älteren Nachbarn",
]  # fmt: skip
SESSION_ACTIVITIES = [
    "Aufbau und Abbau", "Kuchenbuffet", "Kinderschminken", "Dolmetschen", "Musik", "Fotos",
    "Anmeldung und Begrüßung", "Getränkestand", "", "", "",
]  # fmt: skip
SESSION_HOURS = ["1", "1.5", "2", "2", "2.5", "3", "3", "4", "5", "6"]
# Kinds of projects with regular help over the month.
REGULAR_KINDS = {ProjectKind.MEETING_PLACE, ProjectKind.COURSE, ProjectKind.COUNSELLING_HOUR}

# Places of outreach rounds: streets, squares and shops of the sites' neighbourhoods.
AREAS: dict[str, list[str]] = {
    "ALT": [
        "Karl-Marx-Straße", "Fichtestraße", "Bertolt-Brecht-Straße", "Platz der Einheit", "Kaufland Nord",
        "Spielplatz Kauerndorfer Allee", "Haltestelle Nordplatz", "Bei den Garagen Erich-Mäder-Straße",
    ],
    "GLU": [
        "Lusaner Brunnen", "Zeulsdorfer Straße", "Werner-Petzold-Straße", "Einkaufszentrum Lusan",
        "Bieblacher Hang", "Straßenbahnhaltestelle Lusan Zentrum", "Spielplatz Karl-Matthes-Straße",
    ],
    "JEN": [
        "Anna-Siemsen-Straße", "Rudolstädter Straße", "Kastanienstraße", "Einkaufszentrum Winzerla",
        "Spielplatz Schrödingerstraße", "Haltestelle Damaschkeweg",
    ],
    "ERF": [
        "Berliner Platz", "Rieth-Center", "Roter Berg", "Johannesplatz", "Vilniuser Straße", "Moskauer Platz",
    ],
    "SON": ["Wolkenrasen, Stadtteilzentrum „Wolke 14“", "Spielplatz Wolkenrasen", "Gustav-König-Straße"],
    "SHL": ["Ilmenauer Straße", "Am Himmelreich", "Spielplatz Auenstraße", "Haltestelle Ilmenauer Straße"],
    "TAB": ["Am Mönchhof", "Karl-Marx-Straße", "Gartenstadt", "Kurpark"],
    "ART": ["Am Königsstuhl", "Einbecker Straße", "Marktplatz"],
    "SMK": ["Allendestraße", "Walperloh, Spielplatz", "Wilhelm-Külz-Straße"],
    "MHL": ["Ballongasse", "Bahnhofsvorplatz", "Café International"],
    "LOB": ["Wohngebiet Tiergarten", "Spielplatz Tiergarten", "Markt"],
    "LEI": ["Südstadt, Einkaufszentrum", "Spielplatz Südstadt", "Haltestelle Südstadt"],
}  # fmt: skip
GENERIC_AREAS = [
    "Marktplatz", "Spielplatz", "vor dem Supermarkt", "Bushaltestelle", "Wochenmarkt", "Bahnhofsvorplatz",
    "Stadtteiltreff", "Innenhof der Wohnblöcke", "Schulhof (Nachmittag)", "Park",
]  # fmt: skip
# How likely a topic comes up in a conversation on the street.
TOPIC_WEIGHTS = [
    (Topic.EVERYDAY, 30), (Topic.AUTHORITIES, 20), (Topic.MONEY, 18), (Topic.HOUSING, 16), (Topic.WORK, 10),
    (Topic.FAMILY, 9), (Topic.HEALTH, 8), (Topic.EDUCATION, 5), (Topic.RESIDENCE, 5), (Topic.CRISIS, 2),
    (Topic.OTHER, 4),
]  # fmt: skip


def _day_between(rng: Any, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _months(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _engaged(volunteer: Volunteer, day: date) -> bool:
    return volunteer.since <= day and (volunteer.until is None or volunteer.until >= day)


CONTACT_COLUMNS = [
    "site_id", "case_id", "occurred_on", "mode", "duration_minutes", "age_band", "gender", "note",
    "next_step", "author_id",
]  # fmt: skip


def _insert(
    model: type[models.Model], columns: list[str], rows: Iterable[list[Any]], *, returning: bool
) -> list[Any]:
    """Write plain rows with one multi-row INSERT per batch: bulk_create without its per-value work and
    without holding every row in memory at once. With `returning`, the new keys in row order."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    stamps = [
        str(f.column)
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
    ]
    now = [connection.ops.adapt_datetimefield_value(timezone.now())] * len(stamps)
    names = ", ".join(quote(column) for column in [*columns, *stamps])
    placeholders = "(" + ", ".join(["%s"] * (len(columns) + len(stamps))) + ")"
    pk = model._meta.pk
    assert pk is not None
    suffix = f" RETURNING {quote(str(pk.column))}" if returning else ""
    batch = max(1, min(1000, (connection.features.max_query_params or 30000) // (len(columns) + len(stamps))))
    keys: list[Any] = []
    rows = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(rows, batch)):
            params = [value for row in chunk for value in (*row, *now)]
            # Only quoted table and column names go into the text; every value is a parameter.
            values = ", ".join([placeholders] * len(chunk))
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES {values}{suffix}"  # noqa: S608  # nosec B608
            cursor.execute(sql, params)
            if returning:
                keys.extend(row[0] for row in cursor.fetchall())
    return keys


@dataclass
class _Rows:
    volunteers: list[Volunteer] = field(default_factory=list)
    # Hours as (volunteer, project id, session id, month, hours, what was done, recorded by id).
    hours: list[tuple[Volunteer, int | None, int | None, date | None, str, str, int]] = field(
        default_factory=list
    )
    # Each round with its team and its topic counts; the conversations follow from them on saving.
    rounds: list[tuple[OutreachRound, list[Any], dict[str, int]]] = field(default_factory=list)

    def save(self) -> None:
        Volunteer.objects.bulk_create(self.volunteers, batch_size=1000)
        _insert(
            VolunteerHours,
            ["volunteer_id", "project_id", "session_id", "month", "hours", "activity", "recorded_by_id"],
            ([volunteer.pk, *rest] for volunteer, *rest in self.hours),
            returning=False,
        )
        keys = _insert(
            OutreachRound,
            ["site_id", "held_on", "area", "duration_minutes", "conversations", "note", "recorded_by_id"],
            (
                [o.site_id, o.held_on, o.area, o.duration_minutes, o.conversations, o.note, o.recorded_by_id]
                for o, _, _ in self.rounds
            ),
            returning=True,
        )
        for (outreach, _, _), key in zip(self.rounds, keys, strict=True):
            outreach.pk = key
        _insert(
            OutreachRound.staff.through,
            ["outreachround_id", "user_id"],
            ([outreach.pk, user.pk] for outreach, staff, _ in self.rounds for user in staff),
            returning=False,
        )
        _insert(
            OutreachTopic,
            ["round_id", "topic", "conversations"],
            ([outreach.pk, t, n] for outreach, _, counts in self.rounds for t, n in sorted(counts.items())),
            returning=False,
        )
        # As the service records them: anonymous, no duration, age band, gender or text.
        keys = _insert(
            Contact,
            CONTACT_COLUMNS,
            (
                [
                    o.site_id,
                    None,
                    o.held_on,
                    ContactMode.OUTREACH.value,
                    None,
                    "",
                    "",
                    "",
                    "",
                    o.recorded_by_id,
                ]
                for o, _, _ in self.rounds
                for __ in range(o.conversations)
            ),
            returning=True,
        )
        firsts = list(accumulate((o.conversations for o, _, _ in self.rounds), initial=0))
        _insert(
            ContactTopic,
            ["contact_id", "topic"],
            (
                [keys[first + i], topic]
                for first, (_, _, counts) in zip(firsts, self.rounds, strict=False)
                for topic, n in sorted(counts.items())
                for i in range(n)
            ),
            returning=False,
        )
        _insert(
            OutreachRound.contacts.through,
            ["outreachround_id", "contact_id"],
            (
                [o.pk, keys[first + i]]
                for first, (o, _, _) in zip(firsts, self.rounds, strict=False)
                for i in range(o.conversations)
            ),
            returning=False,
        )


class _SiteDemo:
    def __init__(
        self,
        ctx: DemoContext,
        site: Site,
        team: list[Any],
        clients: list[int],
        sessions: list[Session],
        projects: list[Project],
        today: date,
        rows: _Rows,
    ) -> None:
        self.ctx, self.rng, self.faker = ctx, ctx.rng, ctx.faker
        self.site, self.team, self.clients, self.today, self.rows = site, team, clients, today, rows
        self.sessions, self.projects = sessions, projects
        self.site_start = site.starts_on or FIRST_DAY

    def run(self) -> None:
        volunteers = self._volunteers()
        self._session_hours(volunteers)
        self._monthly_hours(volunteers)
        self._outreach_rounds()

    def _volunteers(self) -> list[Volunteer]:
        rng = self.rng
        count = max(5, round(rng.randint(5, 25) * min(1.0, self.ctx.scale)))
        first = max(ENGAGED_SINCE, self.site_start)
        chosen = rng.sample(self.clients, min(len(self.clients), round(count * CLIENT_SHARE)))
        persons = Person.objects.in_bulk(chosen)
        clients = [persons[pk] for pk in chosen]
        volunteers = []
        for index in range(count):
            person = clients[index] if index < len(clients) else None
            if person is not None:
                first_name, last_name = person.first_name, person.last_name
                phone, email = person.phone, person.email
            else:
                female = rng.random() < 0.65  # most volunteers in neighbourhood work are women
                first_name = self.faker.first_name_female() if female else self.faker.first_name_male()
                last_name = self.faker.last_name()
                phone = self._phone() if rng.random() < 0.8 else ""
                local = f"{name_key(first_name).replace(' ', '.')}.{name_key(last_name).replace(' ', '')}"
                email = f"{local}@{rng.choice(MAIL_DOMAINS)}" if rng.random() < 0.3 else ""
            since = _day_between(rng, first, self.today - timedelta(days=30))
            until = None
            if rng.random() < ENDED_SHARE and (self.today - since).days > 120:
                until = _day_between(rng, since + timedelta(days=60), self.today - timedelta(days=1))
            volunteers.append(
                Volunteer(
                    site=self.site,
                    person=person,
                    first_name=first_name,
                    last_name=last_name,
                    phone=phone,
                    email=email,
                    skills=", ".join(rng.sample(SKILLS, rng.randint(1, 3))),
                    availability=rng.choice(AVAILABILITY),
                    since=since,
                    until=until,
                )
            )
        self.rows.volunteers.extend(volunteers)
        return volunteers

    def _phone(self) -> str:
        prefix = self.rng.choice(["151", "160", "170", "171", "172", "176"])
        return f"0{prefix} {self.rng.randint(1000000, 99999999)}"

    def _session_hours(self, volunteers: list[Volunteer]) -> None:
        rng = self.rng
        for session in self.sessions:
            engaged = [v for v in volunteers if _engaged(v, session.held_on)]
            helpers = rng.choice([0, 0, 1, 1, 2, 2, 3, 4])
            for volunteer in rng.sample(engaged, min(helpers, len(engaged))):
                self.rows.hours.append(
                    (
                        volunteer,
                        session.project_id,
                        session.pk,
                        None,
                        rng.choice(SESSION_HOURS),
                        rng.choice(SESSION_ACTIVITIES),
                        rng.choice(self.team).pk,
                    )
                )

    def _monthly_hours(self, volunteers: list[Volunteer]) -> None:
        rng = self.rng
        regular = [p for p in self.projects if p.kind in REGULAR_KINDS]
        for volunteer in volunteers:
            if rng.random() >= MONTHLY_SHARE:
                continue
            activity = rng.choice(MONTHLY_ACTIVITIES)
            project = rng.choice(regular) if regular and rng.random() < 0.4 else None
            last = min(volunteer.until or self.today, self.today)
            for month in _months(max(volunteer.since, FIRST_DAY), last):
                if project is not None and (
                    month < project.starts_on.replace(day=1) or (project.ends_on and month > project.ends_on)
                ):
                    continue
                if rng.random() < 0.75:
                    hours = Decimal(rng.randint(2, 24)) / (2 if rng.random() < 0.3 else 1)
                    project_id = project.pk if project else None
                    self.rows.hours.append(
                        (volunteer, project_id, None, month, str(hours), activity, rng.choice(self.team).pk)
                    )

    def _outreach_rounds(self) -> None:
        rng = self.rng
        areas = AREAS.get(self.site.code, GENERIC_AREAS)
        keep = min(1.0, max(self.ctx.scale, 0.1))
        topics, weights = zip(*TOPIC_WEIGHTS, strict=True)
        for month in _months(max(FIRST_DAY, self.site_start), self.today):
            last = min((month + timedelta(days=32)).replace(day=1) - timedelta(days=1), self.today)
            for _ in range(rng.randint(1, 3)):
                if rng.random() >= keep:
                    continue
                held_on = _day_between(rng, month, last)
                if held_on.weekday() == 6 and held_on > month:  # Saturday rather than Sunday
                    held_on -= timedelta(days=1)
                staff = rng.sample(self.team, min(len(self.team), rng.choice([1, 1, 2])))
                conversations = rng.randint(3, 12)
                outreach = OutreachRound(
                    site=self.site,
                    held_on=held_on,
                    area=rng.choice(areas),
                    duration_minutes=rng.choice([60, 90, 90, 120, 120, 150, 180]),
                    conversations=conversations,
                    recorded_by=staff[0],
                )
                counts: dict[str, int] = {}
                for topic in sorted(set(rng.choices(topics, weights=weights, k=rng.randint(1, 3)))):
                    counts[topic] = max(1, round(conversations * rng.uniform(0.15, 0.6)))
                self.rows.rounds.append((outreach, staff, counts))


def generate(ctx: DemoContext) -> None:
    if ctx.scale <= 0:
        return
    today = timezone.localdate()
    sites = list(Site.objects.filter(status=Site.Status.ACTIVE).order_by("code"))
    teams: dict[int, list[Any]] = defaultdict(list)
    memberships = (
        Membership.objects.filter(site__in=sites, role__in=[Role.CASEWORKER, Role.SITE_LEAD])
        .select_related("user")
        .order_by("user__email")
    )
    for membership in memberships:
        assert membership.site_id is not None
        teams[membership.site_id].append(membership.user)
    clients: dict[int, list[int]] = defaultdict(list)
    for person_id, site_id in (
        Person.objects.filter(site__in=sites).order_by("pk").values_list("pk", "site_id")
    ):
        clients[site_id].append(person_id)
    sessions: dict[int, list[Session]] = defaultdict(list)
    for session in (
        Session.objects.filter(project__site__in=sites, held_on__lte=today)
        .annotate(site_id=F("project__site_id"))
        .only("pk", "project_id", "held_on")
        .order_by("held_on", "pk")
    ):
        sessions[session.site_id].append(session)
    projects: dict[int, list[Project]] = defaultdict(list)
    for project in Project.objects.filter(site__in=sites).order_by("pk"):
        projects[project.site_id].append(project)
    rows = _Rows()
    for site in sites:
        if not teams[site.pk] or (site.starts_on and site.starts_on > today):
            continue
        _SiteDemo(
            ctx, site, teams[site.pk], clients[site.pk], sessions[site.pk], projects[site.pk], today, rows
        ).run()
    rows.save()
