"""Demo part of neighbourhood work: community projects with their sessions and attendance, consents to
named participation, and resident activation at every active site, from 2024 (or the site's start) up
to today, with a few sessions planned ahead.

Magnitudes follow the research note on ThINKA figures (§3): 10–40 neighbourhood events a site and
year with 5–100 people each and now and then a festival of 500–1,100 guests; next to them a meeting
place or café that meets every week or fortnight. Budgets of 200–15,000 € a project, partners from
the site's list. A few persons of each site consented to named participation; they are named in
courses, all other attendance is a headcount by age band and gender (a festival mostly as one number
of guests). Resident activation 5–20 times a site and year. Everything is written with bulk_create;
no services run and no audit entries are written. The same seed gives the same data.
"""

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

from inka.accounts.models import Membership
from inka.cases.models import AgeBand, Case, Consent, Gender
from inka.community.models import (
    Activation,
    ActivationKind,
    Attendance,
    AttendanceMode,
    Headcount,
    Project,
    ProjectKind,
    ProjectStatus,
    Session,
)
from inka.core.demo import DemoContext
from inka.core.permissions import Role
from inka.network.models import Partner, SitePartner
from inka.programme.models import Site

FIRST_DAY = date(2024, 1, 1)
PLANNED_AHEAD = timedelta(days=21)  # sessions of running projects are planned this far ahead
CONSENT_SHARE = 0.12  # of a site's persons consent to named participation
MINIMUM_CONSENTS = 3
COMMUNITY_FORM = "Einwilligung namentliche Teilnahme an Gemeinwesenprojekten, Fassung 2023-01"
K = ProjectKind
B = AgeBand
G = Gender


def _weighted(rng: Any, options: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([option for option, _ in options], weights=[weight for _, weight in options])[0]


# Who comes, by kind of project: weights of the age bands and of the genders.
AGES: dict[str, list[tuple[str, float]]] = {
    "seniors": [
        (B.FROM_65, 40), (B.FROM_55, 22), (B.FROM_45, 12), (B.FROM_30, 12), (B.FROM_18, 6), (B.UNDER_18, 8),
    ],
    "families": [
        (B.UNDER_18, 36), (B.FROM_18, 9), (B.FROM_30, 25), (B.FROM_45, 10), (B.FROM_55, 8), (B.FROM_65, 12),
    ],
    "adults": [(B.FROM_18, 18), (B.FROM_30, 30), (B.FROM_45, 22), (B.FROM_55, 18), (B.FROM_65, 12)],
    "everyone": [
        (B.UNDER_18, 18), (B.FROM_18, 12), (B.FROM_30, 20), (B.FROM_45, 16), (B.FROM_55, 16), (B.FROM_65, 18),
    ],
}  # fmt: skip
GENDERS: dict[str, list[tuple[str, float]]] = {
    "women": [(G.FEMALE, 70), (G.MALE, 28), (G.DIVERSE, 2)],
    "mixed": [(G.FEMALE, 53), (G.MALE, 46), (G.DIVERSE, 1)],
}

UNKNOWN_SHARE = 0.05  # of the people counted by age and gender, one of the two is not known


def _cell_weights(ages: str, genders: str) -> tuple[list[tuple[str, str]], list[float]]:
    """Headcount cells (age band, gender) and their cumulative weights, "" for unknown."""
    bands = [*AGES[ages], ("", sum(weight for _, weight in AGES[ages]) * UNKNOWN_SHARE)]
    sexes = [*GENDERS[genders], ("", sum(weight for _, weight in GENDERS[genders]) * UNKNOWN_SHARE)]
    cells = [(band, gender) for band, _ in bands for gender, _ in sexes]
    weights = [band_weight * gender_weight for _, band_weight in bands for _, gender_weight in sexes]
    return cells, list(accumulate(weights))


_CELLS = {(ages, genders): _cell_weights(ages, genders) for ages in AGES for genders in GENDERS}


@dataclass(frozen=True)
class Plan:
    """A kind of project as sites run it."""

    kind: str
    titles: list[str]
    goals: str
    public: str
    places: list[str]
    people: tuple[int, int]  # per session
    ages: str
    genders: str
    budget: tuple[int, int]
    minutes: int
    sessions: tuple[int, int] = (1, 1)  # per project
    every_days: int = 7  # between sessions of a series
    months: tuple[int, ...] = tuple(range(1, 13))  # when it may start
    named: bool = False  # named participants where enough persons consented
    guests_share: tuple[float, float] = (0.0, 0.15)  # counted as guests without age and gender


CAFE = Plan(
    K.MEETING_PLACE,
    ["Nachbarschaftscafé {hood}", "Offener Treff {hood}", "Begegnungscafé {hood}",
     "Kaffeeklatsch am Dienstag"],
    "Ein fester Ort, an dem sich Nachbarinnen und Nachbarn kennenlernen; Anlaufstelle für Fragen zum Alltag; "
    "Ehrenamtliche übernehmen nach und nach die Organisation.",
    "Jede Woche offen für alle: Kaffee, Kuchen und Gespräche mit den Nachbarn. Der Eintritt ist frei.",
    ["Nachbarschaftstreff", "Stadtteilbüro", "Gemeinderaum der Kirchgemeinde"],
    (6, 28), "seniors", "women", (1500, 6000), 120,
)  # fmt: skip
ONE_DAY: list[tuple[Plan, float]] = [
    (
        Plan(
            K.FESTIVAL,
            ["Stadtteilfest {hood} {year}", "Sommerfest {hood} {year}", "Nachbarschaftsfest {year}"],
            "Das Viertel feiert gemeinsam; Vereine und Partner stellen sich vor; "
            "neue Ehrenamtliche gewinnen.",
            "Mit Bühnenprogramm, Kinderflohmarkt, Hüpfburg und Ständen der Vereine aus dem Viertel.",
            ["Festwiese am Wohngebiet", "Marktplatz", "Schulhof der Grundschule"],
            (150, 1100), "families", "mixed", (2000, 15000), 360,
            months=(5, 6, 7, 8, 9), guests_share=(0.7, 1.0),
        ),
        0.9,
    ),
    (
        Plan(
            K.CLEAN_UP,
            ["Frühjahrsputz {hood} {year}", "Aktionstag „Sauberes Viertel“ {year}"],
            "Gemeinsam Grünflächen und Spielplätze aufräumen; Verantwortung für das eigene Umfeld stärken.",
            "Wir räumen gemeinsam auf – Handschuhe, Zangen und Säcke werden gestellt, danach gibt es Suppe.",
            ["Treffpunkt am Spielplatz", "Treffpunkt vor dem Stadtteilbüro"],
            (6, 45), "everyone", "mixed", (200, 800), 180,
            months=(3, 4, 10),
        ),
        0.7,
    ),
    (
        Plan(
            K.CULTURE,
            ["Adventsnachmittag {year}", "Weihnachtsmarkt im Viertel {year}"],
            "Begegnung der Generationen; Familien und Ältere aus dem Viertel zusammenbringen.",
            "Ein Nachmittag mit Musik, Basteln für Kinder, Glühwein und Gebäck.",
            ["Nachbarschaftstreff", "Gemeindesaal"],
            (30, 100), "families", "mixed", (300, 2500), 180,
            months=(12,), guests_share=(0.2, 0.6),
        ),
        0.5,
    ),
    (
        Plan(
            K.CULTURE,
            ["Herbstfest mit Laternenumzug {year}", "Erntedankfest im Nachbarschaftsgarten {year}"],
            "Begegnung der Generationen; Familien und Ältere aus dem Viertel zusammenbringen.",
            "Mit Laternenbasteln, Kürbissuppe und Musik – für Groß und Klein.",
            ["Nachbarschaftsgarten", "Gemeindesaal", "Schulhof der Grundschule"],
            (30, 150), "families", "mixed", (300, 2500), 180,
            months=(9, 10, 11), guests_share=(0.2, 0.6),
        ),
        0.4,
    ),
]  # fmt: skip
SERIES: list[tuple[Plan, float]] = [
    (
        Plan(
            K.COURSE,
            ["Smartphone-Kurs für Seniorinnen und Senioren", "Nähkurs für Anfängerinnen",
             "Kochkurs: gesund und günstig", "Bewerbungswerkstatt"],
            "Alltagskompetenzen stärken; Teilnehmende lernen voneinander und bleiben in Kontakt.",
            "Ein Kurs in kleiner Gruppe, kostenlos und ohne Vorkenntnisse. Anmeldung im Stadtteilbüro.",
            ["Stadtteilbüro", "Nachbarschaftstreff"],
            (4, 12), "adults", "women", (200, 1500), 90,
            sessions=(4, 10), named=True,
        ),
        1.0,
    ),
    (
        Plan(
            K.COURSE,
            ["Deutsch im Alltag – Gesprächskreis", "Lernhilfe für Eltern"],
            "Sprachpraxis und Sicherheit im Umgang mit Behörden, Schule und Kita.",
            "Wir üben Alltagsdeutsch in entspannter Runde. Kinderbetreuung ist möglich.",
            ["Stadtteilbüro"],
            (4, 10), "adults", "women", (200, 1200), 90,
            sessions=(6, 12), named=True,
        ),
        0.5,
    ),
    (
        Plan(
            K.SPORTS,
            ["Bewegungstreff im Park {year}", "Spaziergruppe „Fit im Viertel“ {year}"],
            "Bewegung an der frischen Luft, besonders für Ältere; soziale Kontakte fördern.",
            "Jede Woche gemeinsam bewegen – für alle, die mitmachen möchten.",
            ["Park am Wohngebiet", "Treffpunkt vor dem Stadtteilbüro"],
            (5, 16), "seniors", "women", (200, 800), 60,
            sessions=(8, 18), months=(4, 5),
        ),
        0.45,
    ),
    (
        Plan(
            K.PARTICIPATION,
            ["Bewohnerversammlung {hood} {year}", "Zukunftswerkstatt Spielplatz {year}"],
            "Bewohnerinnen und Bewohner bringen ihre Anliegen ein und gestalten ihr Viertel mit.",
            "Ihre Meinung zählt: Wir sammeln Ideen für das Viertel und geben sie an Stadt "
            "und Vermieter weiter.",
            ["Gemeindesaal", "Aula der Grundschule", "Nachbarschaftstreff"],
            (12, 60), "adults", "mixed", (200, 1000), 120,
            sessions=(2, 4), every_days=70,
        ),
        0.6,
    ),
    (
        Plan(
            K.CULTURE,
            ["Kinonachmittag im Treff {year}", "Lesecafé {year}"],
            "Gemeinsame Kulturerlebnisse im Viertel, auch für Menschen mit wenig Geld.",
            "Einmal im Monat: Film oder Lesung, Kaffee und Gespräch. Der Eintritt ist frei.",
            ["Nachbarschaftstreff", "Stadtteilbibliothek"],
            (10, 40), "seniors", "mixed", (300, 2000), 150,
            sessions=(4, 6), every_days=28, months=(1, 2, 9, 10),
        ),
        0.4,
    ),
    (
        Plan(
            K.COUNSELLING_HOUR,
            ["Sprechstunde im Nachbarschaftstreff {year}", "Beratung vor Ort {year}"],
            "Niedrigschwelliger Zugang zur Beratung dort, wo die Menschen wohnen.",
            "Fragen zu Anträgen, Briefen und Behörden? Kommen Sie einfach vorbei.",
            ["Nachbarschaftstreff", "Mieterbüro der Wohnungsgesellschaft"],
            (3, 12), "adults", "mixed", (0, 0), 120,
            sessions=(6, 12), every_days=14,
        ),
        0.3,
    ),
]  # fmt: skip
SESSION_NOTES = [
    "Viele neue Gesichter, gute Stimmung.",
    "Wegen Regen nach drinnen verlegt.",
    "Zwei Ehrenamtliche haben den Aufbau übernommen.",
    "Etwas weniger Besuch als sonst, Ferienzeit.",
    "Nachbarn haben selbst gebackenen Kuchen mitgebracht.",
]
# What residents did, by kind: how many took part, and texts with the kinds of project they grew out of
# (none: it stands on its own).
ACTIVATIONS: dict[str, tuple[tuple[int, int], list[tuple[str, tuple[str, ...]]]]] = {
    ActivationKind.TOOK_OVER_TASK: (
        (1, 2),
        [
            ("Eine Bewohnerin backt jetzt jede Woche den Kuchen für das Café.", (K.MEETING_PLACE,)),
            ("Zwei Bewohner schließen den Treff jetzt selbst auf und wieder zu.", (K.MEETING_PLACE,)),
            ("Ein Bewohner kümmert sich um die Hochbeete im Innenhof.", (K.CLEAN_UP,)),
            ("Eine Bewohnerin hat den Einkaufsdienst für ältere Nachbarn übernommen.", ()),
            ("Ein Bewohner leitet die Gruppe an, wenn das Team nicht da ist.", (K.SPORTS, K.COURSE)),
        ],
    ),
    ActivationKind.FOUNDED_GROUP: (
        (3, 8),
        [
            ("Mütter aus dem Viertel haben eine wöchentliche Krabbelgruppe gegründet.", ()),
            ("Aus dem Bewegungstreff ist eine eigene Laufgruppe entstanden.", (K.SPORTS,)),
            ("Eltern haben eine Initiative für einen sicheren Schulweg gegründet.", (K.PARTICIPATION,)),
            ("Ein Team für ein Repair-Café hat sich zusammengefunden.", (K.MEETING_PLACE,)),
            ("Teilnehmerinnen des Kurses treffen sich jetzt selbstständig weiter.", (K.COURSE,)),
        ],
    ),
    ActivationKind.ORGANISED_EVENT: (
        (2, 6),
        [
            ("Bewohner haben ein Hoffest im Innenhof selbst organisiert.", ()),
            ("Anwohnerinnen haben beim Fest einen Flohmarkt selbst geplant und betreut.", (K.FESTIVAL,)),
            ("Jugendliche haben ein Fußballturnier auf dem Bolzplatz organisiert.", ()),
            ("Nachbarn haben einen Spieleabend im Treff auf die Beine gestellt.", (K.MEETING_PLACE,)),
        ],
    ),
    ActivationKind.REPRESENTS_NEIGHBOURS: (
        (1, 2),
        [
            ("Eine Bewohnerin vertritt das Viertel jetzt im Stadtteilrat.", (K.PARTICIPATION,)),
            ("Zwei Mieter sprechen für ihr Haus bei der Wohnungsgesellschaft.", ()),
            ("Ein Bewohner ist in den Beirat des Quartiersmanagements gewählt worden.", (K.PARTICIPATION,)),
        ],
    ),
    ActivationKind.OTHER: (
        (2, 10),
        [
            ("Bewohnerinnen haben Unterschriften für eine neue Bushaltestelle gesammelt.", ()),
            ("Nachbarn haben einen Bücherschrank aufgestellt und pflegen ihn selbst.", (K.CULTURE,)),
        ],
    ),
}  # fmt: skip
ACTIVATION_KINDS = [
    (ActivationKind.TOOK_OVER_TASK, 40),
    (ActivationKind.FOUNDED_GROUP, 15),
    (ActivationKind.ORGANISED_EVENT, 25),
    (ActivationKind.REPRESENTS_NEIGHBOURS, 12),
    (ActivationKind.OTHER, 8),
]


@dataclass
class _Rows:
    projects: list[Project] = field(default_factory=list)
    partners: list[tuple[Project, Partner]] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    # (session, age band, gender, count): many rows, written without model instances
    headcounts: list[tuple[Session, str, str, int]] = field(default_factory=list)
    attendances: list[tuple[Session, int]] = field(default_factory=list)  # (session, person id)
    consents: list[Consent] = field(default_factory=list)
    activations: list[Activation] = field(default_factory=list)

    def save(self) -> None:
        Consent.objects.bulk_create(self.consents)
        Project.objects.bulk_create(self.projects)
        through = Project.partners.through
        through.objects.bulk_create(
            [through(project_id=project.pk, partner_id=partner.pk) for project, partner in self.partners]
        )
        Session.objects.bulk_create(self.sessions)
        _insert(Headcount, ["session_id", "age_band", "gender", "count"], self.headcounts)
        _insert(Attendance, ["session_id", "person_id"], self.attendances)
        Activation.objects.bulk_create(self.activations)


def _insert(model: type[models.Model], columns: list[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert plain rows without building model instances; each row begins with its (saved) session."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    values = [(row[0].pk, *row[1:]) for row in rows]
    # Only quoted table and column names go into the text; every value is a parameter.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _short_place(site: Site) -> str:
    """The neighbourhood's first name for titles: "Gotha-Ost (Oststadt) und Gotha-West" → "Gotha-Ost"."""
    name = re.split(r",| und | \(|/", site.neighbourhood or "")[0].strip()
    if not name or name.lower().startswith("ganze"):
        return site.town or site.name
    return name


class _SiteDemo:
    """The neighbourhood work of one site from `start` up to today."""

    def __init__(
        self,
        ctx: DemoContext,
        site: Site,
        team: list[Any],
        partners: list[Partner],
        cases: list[Case],
        start: date,
        today: date,
        rows: _Rows,
    ) -> None:
        self.ctx, self.rng, self.site, self.team, self.partners = ctx, ctx.rng, site, team, partners
        self.start, self.today, self.rows = start, today, rows
        self.hood = _short_place(site)
        self.cases = cases
        self.consented: list[tuple[int, date]] = []  # person ids
        self.projects: list[Project] = []

    def _day(self, lo: date, hi: date) -> date:
        return lo if hi <= lo else lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def _scaled(self, count: float) -> int:
        return max(1, round(count * self.ctx.scale))

    def run(self) -> None:
        self._consents()
        self._cafe()
        for year in range(self.start.year, self.today.year + 1):
            first = max(self.start, date(year, 1, 1))
            last = min(date(year, 12, 31), self.today + PLANNED_AHEAD)
            share = ((last - first).days + 1) / 365
            plans = [plan for plan, chance in [*ONE_DAY, *SERIES] if self.rng.random() < chance]
            # At a small scale only a few projects a year, so that the demo stays small.
            keep = max(1, round(len(plans) * min(1.0, self.ctx.scale * 5) * share))
            for plan in self.rng.sample(plans, min(keep, len(plans))):
                self._project(plan, year, first, last)
        self._activations()

    # Consents

    def _consents(self) -> None:
        """Some persons of the site consent to named participation, some weeks after their first contact."""
        first_seen: dict[int, tuple[date, Any]] = {}
        for case in sorted(self.cases, key=lambda case: case.opened_on):
            if case.close_reason == Case.CloseReason.CONSENT_WITHDRAWN:
                first_seen.pop(case.person_id, None)
                continue
            first_seen.setdefault(case.person_id, (case.opened_on, case.caseworker_id))
        candidates = sorted(first_seen.items(), key=lambda item: (item[1][0], item[0]))
        wanted = max(MINIMUM_CONSENTS, round(len(candidates) * CONSENT_SHARE))
        latest = self.today - timedelta(days=1)
        for person_id, (seen, caseworker_id) in self.rng.sample(candidates, min(wanted, len(candidates))):
            if seen > latest:
                continue
            given_on = self._day(seen, min(seen + timedelta(days=60), latest))
            self.rows.consents.append(
                Consent(
                    person_id=person_id,
                    purpose=Consent.Purpose.COMMUNITY,
                    text_version=COMMUNITY_FORM,
                    form=Consent.Form.WRITTEN,
                    given_on=given_on,
                    taken_by_id=caseworker_id,
                )
            )
            self.consented.append((person_id, given_on))

    # Projects

    def _project(self, plan: Plan, year: int, first: date, last: date) -> None:
        rng = self.rng
        months = [
            month for month in plan.months if first <= date(year, month, 28) and date(year, month, 1) <= last
        ]
        if not months:
            return
        month = rng.choice(months)
        latest = 14 if month == 12 else 28  # December events before Christmas
        starts_on = self._day(max(first, date(year, month, 1)), min(last, date(year, month, latest)))
        starts_on = self._weekday(starts_on, saturday=plan.sessions == (1, 1))
        count = rng.randint(*plan.sessions)
        if plan.sessions != (1, 1):
            count = self._scaled(count)
        days = [starts_on + timedelta(days=plan.every_days * index) for index in range(count)]
        # No sessions between Christmas and New Year.
        days = [day for day in days if day.year == year and not (day.month == 12 and day.day >= 22)]
        if not days:
            return
        ends_on = days[-1]
        title = rng.choice(plan.titles).format(hood=self.hood, year=year)
        project = self._new_project(plan, title, starts_on, ends_on)
        if project.status == ProjectStatus.CANCELLED:
            return
        named = plan.named and self._may_name(starts_on)
        group = self._group(starts_on, plan.people) if named else []
        place = rng.choice(plan.places)  # a project meets at one place
        for day in days:
            self._session(project, plan, day, group, place)

    def _cafe(self) -> None:
        """The site's meeting place: every week or fortnight since the start, on a fixed weekday."""
        plan = CAFE
        every = self.rng.choice([7, 7, 14])
        first = self._weekday(self.start + timedelta(days=self.rng.randint(7, 40)), saturday=False)
        title = self.rng.choice(plan.titles).format(hood=self.hood, year=first.year)
        project = self._new_project(plan, title, first, None)
        place = self.rng.choice(plan.places)
        day, index = first, 0
        end = self.today + PLANNED_AHEAD
        step = max(every, round(every / max(self.ctx.scale, 0.01)))
        while day <= end:
            self._session(project, plan, day, [], place)
            index += 1
            day = first + timedelta(days=step * index)

    def _new_project(self, plan: Plan, title: str, starts_on: date, ends_on: date | None) -> Project:
        rng, today = self.rng, self.today
        if starts_on > today:
            status = ProjectStatus.PLANNED
        elif ends_on is not None and ends_on < today:
            status = ProjectStatus.COMPLETED
        else:
            status = ProjectStatus.RUNNING
        if status != ProjectStatus.PLANNED and ends_on is not None and rng.random() < 0.02:
            status = ProjectStatus.CANCELLED
        budget = spent = None
        if plan.budget[1] and rng.random() < 0.85:
            budget = Decimal(round(rng.randint(*plan.budget), -1))
            if status == ProjectStatus.COMPLETED:
                spent = (budget * Decimal(rng.uniform(0.75, 1.05))).quantize(Decimal("0.01"))
            elif status == ProjectStatus.RUNNING:
                done = (
                    0.5
                    if ends_on is None
                    else ((today - starts_on).days + 1) / ((ends_on - starts_on).days + 1)
                )
                spent = (budget * Decimal(min(1.0, done) * rng.uniform(0.8, 1.1))).quantize(Decimal("0.01"))
        project = Project(
            site=self.site,
            title=title[:200],
            kind=plan.kind,
            status=status,
            goals=plan.goals,
            starts_on=starts_on,
            ends_on=ends_on,
            budget=budget,
            spent=spent,
            public_description=plan.public,
            created_by=rng.choice(self.team),
        )
        self.rows.projects.append(project)
        self.projects.append(project)
        if self.partners:
            for partner in rng.sample(self.partners, min(len(self.partners), rng.choice([0, 1, 1, 2, 3]))):
                self.rows.partners.append((project, partner))
        return project

    @staticmethod
    def _weekday(day: date, *, saturday: bool) -> date:
        """Events on a Saturday, series on a working day (Tuesday to Thursday)."""
        if saturday:
            return day + timedelta(days=(5 - day.weekday()) % 7)
        return day + timedelta(days=(1 - day.weekday()) % 7 + (day.toordinal() % 3))

    def _session(self, project: Project, plan: Plan, day: date, group: list[int], place: str) -> None:
        rng = self.rng
        if project.ends_on is not None and day > project.ends_on:
            return
        session = Session(
            project=project,
            held_on=day,
            place=place,
            duration_minutes=plan.minutes,
            attendance_mode=AttendanceMode.NAMED if group else AttendanceMode.HEADCOUNT,
            note=rng.choice(SESSION_NOTES) if rng.random() < 0.08 else "",
        )
        self.rows.sessions.append(session)
        if day > self.today:
            return
        if group:
            for person_id in group:
                if rng.random() < 0.8:
                    self.rows.attendances.append((session, person_id))
            return
        self._headcount(session, plan)

    def _headcount(self, session: Session, plan: Plan) -> None:
        rng = self.rng
        low, high = plan.people
        people = round(rng.triangular(low, high, low + (high - low) / 4))
        guests = round(people * rng.uniform(*plan.guests_share))
        cells, weights = _CELLS[(plan.ages, plan.genders)]
        counts = Counter(rng.choices(cells, cum_weights=weights, k=people - guests))
        if guests:
            counts[("", "")] += guests
        self.rows.headcounts.extend(
            (session, band, gender, count) for (band, gender), count in counts.items()
        )

    def _may_name(self, day: date) -> bool:
        return sum(1 for _, given_on in self.consented if given_on <= day) >= MINIMUM_CONSENTS

    def _group(self, day: date, people: tuple[int, int]) -> list[int]:
        """Ids of persons who consented before `day`: the fixed group of a course."""
        ready = [person_id for person_id, given_on in self.consented if given_on <= day]
        return self.rng.sample(ready, min(len(ready), self.rng.randint(*people)))

    # Resident activation

    def _activations(self) -> None:
        rng = self.rng
        for year in range(self.start.year, self.today.year + 1):
            first = max(self.start, date(year, 1, 1))
            last = min(date(year, 12, 31), self.today)
            share = ((last - first).days + 1) / 365
            for _ in range(self._scaled(rng.randint(5, 20) * share)):
                kind = _weighted(rng, ACTIVATION_KINDS)
                residents, texts = ACTIVATIONS[kind]
                text, kinds = rng.choice(texts)
                day = self._day(first, last)
                fitting = [
                    p
                    for p in self.projects
                    if p.kind in kinds and p.starts_on <= day and p.status != ProjectStatus.CANCELLED
                ]
                self.rows.activations.append(
                    Activation(
                        site=self.site,
                        occurred_on=day,
                        kind=kind,
                        residents=rng.randint(*residents),
                        description=text,
                        # The latest fitting project it grew out of, mostly.
                        project=fitting[-1] if fitting and rng.random() < 0.8 else None,
                        recorded_by=rng.choice(self.team),
                    )
                )


def generate(ctx: DemoContext) -> None:
    if ctx.scale <= 0:
        return
    today = timezone.localdate()
    sites = list(Site.objects.filter(status=Site.Status.ACTIVE).order_by("code"))
    teams: dict[int, list[Any]] = {}
    memberships = (
        Membership.objects.filter(site__in=sites, role__in=[Role.CASEWORKER, Role.SITE_LEAD])
        .select_related("user")
        .order_by("user__email")
    )
    for membership in memberships:
        assert membership.site_id is not None
        teams.setdefault(membership.site_id, []).append(membership.user)
    partners: dict[int, list[Partner]] = {}
    links = (
        SitePartner.objects.filter(site__in=sites, partner__is_active=True)
        .select_related("partner")
        .order_by("partner__name", "partner__town")
    )
    for link in links:
        partners.setdefault(link.site_id, []).append(link.partner)
    cases: dict[int, list[Case]] = {}
    for case in ctx.cases:
        cases.setdefault(case.site_id, []).append(case)
    rows = _Rows()
    for site in sites:
        start = max(FIRST_DAY, site.starts_on or FIRST_DAY)
        if site.pk not in teams or start > today:
            continue
        _SiteDemo(
            ctx, site, teams[site.pk], partners.get(site.pk, []), cases.get(site.pk, []), start, today, rows
        ).run()
    rows.save()
