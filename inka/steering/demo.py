"""Demo part of the steering groups: a group for every active site with its members, quarterly
meetings since 2024 with minutes, decisions and action items, and the next meeting planned.

At ALT the demo logins take part: steuerung.alt sits in the group for the town, leitung.alt and
lotse.alt for the carrier; some of their action items are open, one of them overdue. Everything is
written with a handful of bulk inserts.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from inka.core.demo import DemoContext
from inka.network.models import PartnerKind, SitePartner
from inka.programme.models import Site, SitePeriod
from inka.steering.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Decision,
    Meeting,
    MeetingStatus,
    Member,
    MemberRole,
    SteeringGroup,
)

FIRST_YEAR = 2024
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-"})
R = MemberRole


@dataclass(frozen=True)
class Topic:
    """A subject a steering group deals with: the agenda item, what was said, what was decided and agreed."""

    agenda: str
    minutes: str
    decision: str
    actions: tuple[tuple[str, str], ...]  # (action item, role of the member who takes it on)


TOPICS = (
    Topic(
        "Stadtteilfest {year}: Planung und Aufgaben",
        "Das Stadtteilfest soll wieder auf dem Platz vor dem Stadtteilbüro stattfinden. Die "
        "Wohnungsgesellschaft bietet an, Strom, Bänke und Tische zu stellen; das Stadtteilbüro "
        "koordiniert die Vereine und Initiativen.",
        "Das Stadtteilfest {year} findet im September statt; die Wohnungsgesellschaft stellt Strom, "
        "Bänke und Tische.",
        (
            ("Genehmigung für das Stadtteilfest beim Ordnungsamt beantragen", R.MUNICIPALITY),
            ("Vereine und Initiativen zum Stadtteilfest einladen", R.CARRIER),
        ),
    ),
    Topic(
        "Spielplatz und Grünflächen im Wohngebiet",
        "Mehrere Eltern haben im Stadtteilbüro auf den schlechten Zustand des Spielplatzes "
        "hingewiesen. Die Stadt prüft Mittel aus dem Verfügungsfonds; die Wohnungsgesellschaft ist "
        "bereit, die angrenzende Fläche zur Verfügung zu stellen.",
        "Die Steuerungsgruppe unterstützt den Antrag auf Mittel aus dem Verfügungsfonds für die "
        "Erneuerung des Spielplatzes.",
        (
            ("Antrag auf Mittel aus dem Verfügungsfonds für den Spielplatz vorbereiten", R.MUNICIPALITY),
            ("Zuständigkeit für die Fläche am Spielplatz klären", R.HOUSING),
        ),
    ),
    Topic(
        "Sprechstunde des Jobcenters im Stadtteilbüro",
        "Die gemeinsame Sprechstunde wird gut angenommen. Viele Fragen zu Bescheiden lassen sich "
        "direkt klären, ohne dass die Menschen ins Jobcenter fahren müssen.",
        "Die Sprechstunde des Jobcenters im Stadtteilbüro wird auf zweimal im Monat erweitert.",
        (
            ("Termine der Jobcenter-Sprechstunde für das nächste Halbjahr abstimmen", R.JOBCENTER),
            ("Aushang und Handzettel zur Sprechstunde im Wohngebiet verteilen", R.CARRIER),
        ),
    ),
    Topic(
        "Mietschulden und drohender Wohnungsverlust",
        "Die Wohnungsgesellschaft berichtet von steigenden Mietrückständen. Mieterinnen und Mieter mit "
        "Rückständen sollen früh auf die Beratung im Stadtteilbüro hingewiesen werden, bevor eine "
        "Kündigung ausgesprochen wird.",
        "Bei Mietrückständen weist die Wohnungsgesellschaft mit einem gemeinsamen Schreiben auf die "
        "Beratung im Stadtteilbüro hin.",
        (
            ("Gemeinsames Schreiben an Mieter mit Rückständen entwerfen", R.CARRIER),
            ("Ansprechperson für Mietrückstände in der Wohnungsgesellschaft benennen", R.HOUSING),
        ),
    ),
    Topic(
        "Weiterführung der Förderung und Kofinanzierung",
        "Der Träger stellt den Zeitplan für den Antrag auf die nächste Förderperiode vor. Für den "
        "Eigenanteil von 20 Prozent werden Zusagen der Kommune und der Wohnungsgesellschaft gebraucht.",
        "Kommune und Wohnungsgesellschaft sagen ihren Anteil an der Kofinanzierung für die nächste "
        "Förderperiode zu.",
        (
            ("Absichtserklärung zur Kofinanzierung an den Träger senden", R.MUNICIPALITY),
            ("Antragsunterlagen für die nächste Förderperiode zusammenstellen", R.CARRIER),
        ),
    ),
    Topic(
        "Ehrenamtliche im Stadtteil",
        "Im Stadtteil engagieren sich inzwischen mehrere Bewohnerinnen und Bewohner regelmäßig, etwa im "
        "Nachbarschaftscafé und bei der Hausaufgabenhilfe. Die Anerkennung dieses Engagements soll "
        "sichtbarer werden.",
        "Zum Jahresende gibt es einen Dankeschön-Abend für alle Ehrenamtlichen im Stadtteil.",
        (("Raum und Ablauf für den Dankeschön-Abend planen", R.CARRIER),),
    ),
    Topic(
        "Energiekosten: Beratung im Winter",
        "Wegen hoher Nachzahlungen für Heizung und Strom kommen mehr Menschen in die Beratung. "
        "Besonders Familien und ältere Menschen sind betroffen.",
        "Im Winter bietet das Stadtteilbüro eine zusätzliche Sprechstunde zu Energiekosten an.",
        (
            ("Termin für die Energiesprechstunde mit der Verbraucherzentrale vereinbaren", R.CARRIER),
            ("Merkblatt zu Härtefallhilfen bei Energieschulden bereitstellen", R.MUNICIPALITY),
        ),
    ),
    Topic(
        "Sauberkeit und Sicherheit im Wohngebiet",
        "Bewohnerinnen und Bewohner beklagen Müll an den Containerplätzen und dunkle Wege am Abend. "
        "Ein gemeinsamer Frühjahrsputz hat sich in anderen Stadtteilen bewährt.",
        "Im Frühjahr findet ein gemeinsamer Frühjahrsputz mit Bewohnerinnen und Bewohnern statt.",
        (
            ("Müllsäcke, Handschuhe und Container für den Frühjahrsputz organisieren", R.HOUSING),
            ("Beleuchtung am Fußweg zur Haltestelle prüfen lassen", R.MUNICIPALITY),
        ),
    ),
    Topic(
        "Angebote für Familien mit kleinen Kindern",
        "Junge Familien fragen nach einem Treffpunkt am Nachmittag. Die Kita und die Familienhebamme "
        "des Landkreises würden sich beteiligen.",
        "Das Elterncafé findet künftig jeden Mittwochnachmittag im Stadtteilbüro statt.",
        (
            ("Raum für das Elterncafé mit der Wohnungsgesellschaft klären", R.HOUSING),
            ("Kontakt zur Familienhebamme des Landkreises herstellen", R.MUNICIPALITY),
        ),
    ),
    Topic(
        "Übergang von der Schule in Ausbildung",
        "Das Jobcenter und die Regelschule berichten von Jugendlichen ohne Anschluss nach der Schule. "
        "Eine gemeinsame Informationsveranstaltung im Stadtteil soll Eltern und Jugendliche erreichen.",
        "Im Frühjahr findet eine Informationsveranstaltung zu Ausbildung und Praktika im Stadtteilbüro "
        "statt.",
        (
            ("Betriebe für die Informationsveranstaltung ansprechen", R.JOBCENTER),
            ("Einladung an Eltern und Jugendliche über die Schule verteilen", R.OTHER),
        ),
    ),
)
OPENING = "Begrüßung und Bestätigung des Protokolls der letzten Sitzung"
REPORT = "Bericht aus dem Stadtteilbüro und Zahlen des Quartals"
OPEN_ITEMS = "Offene Aufgaben"
OTHER_BUSINESS = "Verschiedenes"
REPORT_DECISION = "Die Steuerungsgruppe nimmt den Bericht des Stadtteilbüros zustimmend zur Kenntnis."
FIGURES_ACTION = ("Zahlen des Quartals für die nächste Sitzung aufbereiten", R.CARRIER)
REPORT_TOPICS = [
    "Mietschulden, Bescheide des Jobcenters und Energiekosten",
    "Anträge auf Bürgergeld, Wohngeld und Kinderzuschlag",
    "Arbeitssuche, Bewerbungen und Schulden",
    "Behördengänge, Post vom Amt und Fragen zur Miete",
]
PLACES = [
    "Stadtteilbüro",
    "Beratungsraum im Stadtteilbüro",
    "Rathaus, Beratungsraum 2",
    "Geschäftsstelle der Wohnungsgesellschaft",
]


@dataclass
class MemberPlan:
    member: Member
    role: str

    def active_on(self, day: date) -> bool:
        since, until = self.member.since, self.member.until
        return (since is None or since <= day) and (until is None or until >= day)


@dataclass
class GroupPlan:
    site: Site
    group: SteeringGroup
    members: list[MemberPlan] = field(default_factory=list)


def generate(ctx: DemoContext) -> None:
    today = timezone.localdate()
    with_group = set(SteeringGroup.objects.values_list("site_id", flat=True))
    sites = [
        site
        for _code, site in sorted(ctx.sites.items())
        if site.status == Site.Status.ACTIVE and site.pk not in with_group
    ]
    if not sites:
        return
    partners = _partners_by_kind(sites)
    carriers = _carriers(sites)
    plans = [_group_plan(ctx, site, partners[site.pk], carriers.get(site.pk, "")) for site in sites]
    SteeringGroup.objects.bulk_create([plan.group for plan in plans])
    for plan in plans:
        for member_plan in plan.members:
            member_plan.member.group = plan.group
    Member.objects.bulk_create([mp.member for plan in plans for mp in plan.members])
    _meetings(ctx, plans, today)


def _partners_by_kind(sites: list[Site]) -> dict[int, dict[str, list[Any]]]:
    found: dict[int, dict[str, list[Any]]] = {site.pk: defaultdict(list) for site in sites}
    for link in (
        SitePartner.objects.filter(site__in=sites).select_related("partner").order_by("partner__name")
    ):
        found[link.site_id][link.partner.kind].append(link.partner)
    return found


def _carriers(sites: list[Site]) -> dict[int, str]:
    """The current carrier of each site (its latest period with a carrier)."""
    carriers: dict[int, str] = {}
    periods = SitePeriod.objects.filter(site__in=sites, carrier__isnull=False).select_related("carrier")
    for period in periods.order_by("site", "starts_on", "pk"):
        carriers[period.site_id] = period.carrier.name  # type: ignore[union-attr]
    return carriers


def _contact(ctx: DemoContext, first: str, last: str, partner: Any) -> dict[str, str]:
    domain = partner.email.split("@")[-1] if partner is not None and partner.email else "traeger.example"
    area = partner.phone.split()[0] if partner is not None and partner.phone else "03447"
    local = f"{first}.{last}".lower().translate(UMLAUTS)
    return {
        "email": f"{local.replace(' ', '-')}@{domain}",
        "phone": f"{area} {ctx.rng.randint(10000, 99999)}",
    }


def _group_plan(ctx: DemoContext, site: Site, partners: dict[str, list[Any]], carrier: str) -> GroupPlan:
    founded = max(site.starts_on or date(2013, 3, 1), date(2013, 3, 1)) + timedelta(
        days=ctx.rng.randint(60, 240)
    )
    group = SteeringGroup(
        site=site,
        name=f"Steuerungsgruppe {site.name}",
        founded_on=founded,
        rhythm="vierteljährlich",
        remit=(
            f"Die Steuerungsgruppe begleitet die Arbeit von {site.name}: Sie bespricht jedes Quartal "
            "die Entwicklung im Stadtteil und die Zahlen der Beratung, entscheidet über gemeinsame "
            "Vorhaben und sorgt für den Zugang zu den Angeboten von Kommune, Wohnungsunternehmen "
            "und Jobcenter."
        ),
    )
    plan = GroupPlan(site, group)
    first_day = _first_day(group)

    def first_of(*kinds: str) -> Any:
        return next((partners[kind][0] for kind in kinds if partners.get(kind)), None)

    def add(
        role: str, function: str, partner: Any, organisation: str = "", *, user: Any = None, **dates: date
    ) -> None:
        if user is not None:
            first, last = user.first_name, user.last_name
        else:
            first, last = ctx.faker.first_name(), ctx.faker.last_name()
        # Members from the start of the group, at the latest from the first meeting in the demo.
        since = dates.get("since", min(founded + timedelta(days=ctx.rng.randint(0, 2 * 365)), first_day))
        member = Member(
            name=f"{first} {last}",
            organisation=organisation or (partner.name if partner is not None else ""),
            partner=partner,
            role=role,
            function=function,
            user=user,
            since=since,
            until=dates.get("until"),
            **_contact(ctx, first, last, partner),
        )
        plan.members.append(MemberPlan(member, role))

    municipality = first_of(PartnerKind.MUNICIPALITY)
    housing = first_of(PartnerKind.HOUSING)
    jobcenter = first_of(PartnerKind.JOBCENTER)
    carrier_name = carrier or f"Träger von {site.name}"
    if site.code == "ALT" and "steuerung.alt" in ctx.users:
        add(R.MUNICIPALITY, "Sozialplanung", municipality, user=ctx.users["steuerung.alt"])
    else:
        add(
            R.MUNICIPALITY,
            ctx.rng.choice(["Sozialplanung", "Leitung Sozialamt", "Quartiersmanagement"]),
            municipality,
        )
    if housing is not None and ctx.rng.random() < 0.3:
        # The housing company changed its representative: the earlier one left the group.
        add(R.HOUSING, "Sozialmanagement", housing, since=date(FIRST_YEAR - 2, 1, 1), until=date(2025, 3, 31))
        add(R.HOUSING, "Bestandsmanagement", housing, since=date(2025, 4, 1))
    else:
        add(R.HOUSING, "Bestandsmanagement", housing, "" if housing else "Wohnungsgesellschaft")
    if site.code == "ALT" and "leitung.alt" in ctx.users:
        add(R.CARRIER, "Standortleitung", None, carrier_name, user=ctx.users["leitung.alt"])
        add(R.CARRIER, "Bürgerlotsin", None, carrier_name, user=ctx.users["lotse.alt"])
    else:
        add(R.CARRIER, "Projektleitung", None, carrier_name)
    add(R.JOBCENTER, "Teamleitung Markt und Integration", jobcenter, "" if jobcenter else "Jobcenter")
    others = [*partners.get(PartnerKind.ASSOCIATION, [])[:1], *partners.get(PartnerKind.SCHOOL, [])[:1]]
    for partner in others[: ctx.rng.randint(0, 2)]:
        if len(plan.members) < 7:
            add(R.OTHER, "Vorstand" if partner.kind == PartnerKind.ASSOCIATION else "Schulleitung", partner)
    return plan


def _first_day(group: SteeringGroup) -> date:
    """The first day the demo has meetings for: 2024, or the group's founding if later."""
    return max(group.founded_on or date(FIRST_YEAR, 1, 1), date(FIRST_YEAR, 1, 1))


def _meeting_days(ctx: DemoContext, start: date, today: date) -> list[date]:
    """A meeting a quarter from `start`, mid-quarter on a Tuesday to Thursday, up to the next one."""
    days = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while True:
        day = date(year, quarter * 3 - 1, ctx.rng.randint(8, 22))
        day += timedelta(days=(1 - day.weekday()) % 7 + ctx.rng.randint(0, 2))  # Tuesday to Thursday
        if day >= start:
            days.append(day)
        if day > today:
            return days
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def _meetings(ctx: DemoContext, plans: list[GroupPlan], today: date) -> None:
    meetings: list[Meeting] = []
    details: list[tuple[GroupPlan, Meeting, list[Topic]]] = []
    for plan in plans:
        place = ctx.rng.choice(PLACES)
        start = time(ctx.rng.choice([9, 10, 14, 15]), 0)
        for day in _meeting_days(ctx, _first_day(plan.group), today):
            meeting = Meeting(
                group=plan.group,
                held_on=day,
                starts_at=start,
                place=place,
                status=MeetingStatus.HELD if day <= today else MeetingStatus.PLANNED,
            )
            topics = ctx.rng.sample(TOPICS, ctx.rng.randint(1, 2))
            meetings.append(meeting)
            details.append((plan, meeting, topics))
    for plan, meeting, topics in details:
        _write_minutes(ctx, plan, meeting, topics)
    Meeting.objects.bulk_create(meetings)

    agenda, decisions, items, present = [], [], [], []
    by_group: dict[int, list[tuple[GroupPlan, Meeting, list[Topic]]]] = defaultdict(list)
    for entry in details:
        by_group[entry[0].group.pk].append(entry)
    for entries in by_group.values():
        held = [entry for entry in entries if entry[1].status == MeetingStatus.HELD]
        for position, (plan, meeting, topics) in enumerate(entries):
            titles = [
                OPENING,
                REPORT,
                *(_fill(topic.agenda, meeting) for topic in topics),
                OPEN_ITEMS,
                OTHER_BUSINESS,
            ]
            agenda += [
                AgendaItem(meeting=meeting, position=n, title=title) for n, title in enumerate(titles, 1)
            ]
            if meeting.status != MeetingStatus.HELD:
                continue
            members = [mp for mp in plan.members if mp.active_on(meeting.held_on)]
            for mp in members:
                if ctx.rng.random() < 0.85:
                    present.append(Meeting.present.through(meeting_id=meeting.pk, member_id=mp.member.pk))
            texts = [_fill(topic.decision, meeting) for topic in topics]
            if ctx.rng.random() < 0.5:
                texts.insert(0, REPORT_DECISION)
            decisions += [Decision(meeting=meeting, text=text) for text in texts[:3]]
            is_last = position == len(held) - 1
            items += _action_items(ctx, members, meeting, topics, today, recent=is_last)
    _scripted_alt_items(ctx, plans, by_group, items, today)
    AgendaItem.objects.bulk_create(agenda)
    Decision.objects.bulk_create(decisions)
    ActionItem.objects.bulk_create(items)
    Meeting.present.through.objects.bulk_create(present)


def _fill(text: str, meeting: Meeting) -> str:
    return text.format(year=meeting.held_on.year)


def _write_minutes(ctx: DemoContext, plan: GroupPlan, meeting: Meeting, topics: list[Topic]) -> None:
    if meeting.status != MeetingStatus.HELD:
        return
    members = [mp.member for mp in plan.members if mp.active_on(meeting.held_on)]
    carrier = next((m for m in members if m.role == R.CARRIER), members[0])
    chair = next((m for m in members if m.role == R.MUNICIPALITY), members[0])
    parts = [
        f"1. {OPENING}\n{chair.name} begrüßt die Anwesenden. Das Protokoll der letzten Sitzung wird ohne "
        "Änderungen bestätigt.",
        f"2. {REPORT}\n{carrier.name} berichtet aus dem Stadtteilbüro. Die Beratung wird weiter gut "
        f"angenommen; häufige Themen sind {ctx.rng.choice(REPORT_TOPICS)}. Die Zahlen des Quartals "
        "liegen der Steuerungsgruppe vor.",
    ]
    for number, topic in enumerate(topics, start=3):
        parts.append(f"{number}. {_fill(topic.agenda, meeting)}\n{topic.minutes}")
    number = len(topics) + 3
    parts.append(
        f"{number}. {OPEN_ITEMS}\nDie offenen Aufgaben aus der letzten Sitzung werden durchgegangen; "
        "was noch nicht erledigt ist, bleibt auf der Liste."
    )
    parts.append(f"{number + 1}. {OTHER_BUSINESS}\nKeine weiteren Themen.")
    meeting.minutes = "\n\n".join(parts)
    meeting.minutes_by = carrier.name
    if ctx.rng.random() < 0.3:
        meeting.guests = ctx.rng.choice(
            [
                "Vertreterin der Verbraucherzentrale",
                "Leitung der Kita im Stadtteil",
                "Vertreter des Stadtteilvereins",
                "Quartiersmanagerin der Stadt",
            ]
        )


def _owner(ctx: DemoContext, members: list[MemberPlan], role: str) -> Member:
    fitting = [mp.member for mp in members if mp.role == role] or [
        mp.member for mp in members if mp.role == R.CARRIER
    ]
    return ctx.rng.choice(fitting or [mp.member for mp in members])


def _action_items(
    ctx: DemoContext,
    members: list[MemberPlan],
    meeting: Meeting,
    topics: list[Topic],
    today: date,
    *,
    recent: bool,
) -> list[ActionItem]:
    """The meeting's action items; those of earlier meetings are mostly done by now."""
    agreed = [action for topic in topics for action in topic.actions]
    if ctx.rng.random() < 0.5:
        agreed.append(FIGURES_ACTION)
    items = []
    for title, role in agreed[:4]:
        due = meeting.held_on + timedelta(weeks=ctx.rng.randint(3, 10))
        item = ActionItem(meeting=meeting, title=title, owner=_owner(ctx, members, role), due_on=due)
        chance = ctx.rng.random()
        if recent:
            item.status = ActionStatus.IN_PROGRESS if chance < 0.35 else ActionStatus.OPEN
        elif chance < 0.07:
            item.status = ActionStatus.DROPPED
            item.note = "Hat sich erledigt, weil sich die Lage geändert hat."
        elif chance < 0.93 or (today - meeting.held_on).days > 270:  # nothing lingers for years
            item.status = ActionStatus.DONE
            latest = max(meeting.held_on, min(due + timedelta(days=14), today))
            span = (latest - meeting.held_on).days
            item.done_on = meeting.held_on + timedelta(days=ctx.rng.randint(min(7, span), span))
        else:
            item.status = ActionStatus.IN_PROGRESS
            item.note = "Gespräche laufen noch."
        items.append(item)
    return items


def _scripted_alt_items(
    ctx: DemoContext,
    plans: list[GroupPlan],
    by_group: dict[int, list[tuple[GroupPlan, Meeting, list[Topic]]]],
    items: list[ActionItem],
    today: date,
) -> None:
    """At ALT the demo logins own open action items: two due soon, one overdue."""
    plan = next((plan for plan in plans if plan.site.code == "ALT"), None)
    if plan is None:
        return
    linked = {mp.member.user.email.split("@")[0]: mp.member for mp in plan.members if mp.member.user}
    held = [
        meeting for _plan, meeting, _topics in by_group[plan.group.pk] if meeting.status == MeetingStatus.HELD
    ]
    if len(held) < 2 or "lotse.alt" not in linked or "steuerung.alt" not in linked:
        return
    last, earlier = held[-1], held[-2]
    # They take the place of random ones, so that a meeting still agrees one to four items.
    for meeting, keep in [(last, 2), (earlier, 3)]:
        of_meeting = [item for item in items if item.meeting is meeting]
        for item in of_meeting[keep:]:
            items.remove(item)
    overdue = max(earlier.held_on + timedelta(weeks=4), today - timedelta(days=ctx.rng.randint(10, 20)))
    if overdue >= today:
        overdue = today - timedelta(days=1)
    items += [
        ActionItem(
            meeting=earlier,
            title="Liste der Ansprechpersonen im Netzwerk aktualisieren",
            owner=linked["lotse.alt"],
            due_on=max(overdue, earlier.held_on),
            status=ActionStatus.IN_PROGRESS,
            note="Die Hälfte der Partner ist schon erreicht.",
        ),
        ActionItem(
            meeting=last,
            title="Termin für den Runden Tisch Wohnen mit der Wohnungsgesellschaft vereinbaren",
            owner=linked["lotse.alt"],
            due_on=max(today, last.held_on) + timedelta(days=ctx.rng.randint(10, 30)),
        ),
        ActionItem(
            meeting=last,
            title="Stellungnahme der Stadt zur Kofinanzierung einholen",
            owner=linked["steuerung.alt"],
            due_on=max(today, last.held_on) + timedelta(days=ctx.rng.randint(14, 40)),
        ),
    ]
