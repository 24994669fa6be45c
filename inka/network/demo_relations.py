"""Demo part of the network app: what the partners offer, and how each site works with them.

For the partners of `inka.network.demo`: 1–4 services each (the services directory), 0–2 further
contact persons per cooperation, every site's cooperation contract with the municipality plus 3–8
agreements with partners (one of them ending in the coming months, so the work list shows a
reminder), and 6–12 network activities a year since 2024. All people and details are invented.
A second run adds nothing.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from inka.core.demo import DemoContext
from inka.network.models import (
    ActivityKind,
    Agreement,
    AgreementKind,
    Audience,
    Cost,
    NetworkActivity,
    Partner,
    PartnerContact,
    PartnerKind,
    Service,
    ServiceAudience,
    ServiceLanguage,
    SitePartner,
)
from inka.network.selectors import shift_months
from inka.programme.models import Site

K = PartnerKind
A = Audience
FIRST_ACTIVITY_YEAR = 2024


@dataclass(frozen=True)
class Offer:
    name: str
    description: str
    audiences: tuple[str, ...]
    access: str
    languages: tuple[str, ...] = ("de",)
    cost: str = Cost.FREE
    cost_note: str = ""
    hours: str = ""  # empty: drawn from HOURS


HOURS = [
    "Mo und Do 9–12 Uhr, Di 13–17 Uhr",
    "Di 9–12 Uhr und 13–16 Uhr",
    "Mo–Fr 8–12 Uhr, Do auch 13–18 Uhr",
    "Mi 14–17 Uhr",
    "Do 10–13 Uhr, jeden ersten Samstag im Monat 10–12 Uhr",
    "Mo, Mi, Fr 9–13 Uhr",
    "Di und Do 8:30–12 Uhr und nach Vereinbarung",
]

MIGRATION_LANGUAGES = ["ar", "ru", "uk", "fa", "ps", "ti", "ku", "tr", "en", "ro", "vi"]

# What partners of a kind typically offer. A name pattern picks a closer catalogue where one kind
# covers different institutions (a school and a kindergarten, a food bank and a library).
OFFERS: dict[str, list[Offer]] = {
    K.JOBCENTER: [
        Offer(
            "Beratung zum Bürgergeld",
            "Antrag, Weiterbewilligung, Änderungen melden: Was braucht das Jobcenter, und bis wann? "
            "Wir erklären Bescheide und Mitwirkungspflichten.",
            (A.JOBSEEKERS, A.LONG_TERM_UNEMPLOYED, A.FAMILIES),
            "Termin über die Servicenummer oder online; in dringenden Fällen ohne Termin am Empfang",
            ("de", "en"),
        ),
        Offer(
            "Ganzheitliches Coaching für Langzeitarbeitslose (§ 16k SGB II)",
            "Begleitung über bis zu zwei Jahre: Gesundheit, Familie, Schulden und Arbeit zusammen "
            "betrachtet, auch mit Hausbesuchen.",
            (A.LONG_TERM_UNEMPLOYED,),
            "Zuweisung durch die persönliche Ansprechperson im Jobcenter",
        ),
        Offer(
            "Bildung und Teilhabe",
            "Zuschüsse für Schulbedarf, Klassenfahrten, Mittagessen, Lernförderung und Vereinsbeiträge "
            "für Kinder aus Familien mit Bürgergeld, Wohngeld oder Kinderzuschlag.",
            (A.FAMILIES, A.CHILDREN, A.SINGLE_PARENTS),
            "Antrag formlos oder mit Vordruck; Belege mitbringen",
        ),
        Offer(
            "Team U25: Beratung für junge Erwachsene",
            "Ausbildung, erste Wohnung, Schulabschluss nachholen: ein Team für alle unter 25.",
            (A.YOUNG_ADULTS,),
            "Offene Sprechstunde oder Termin per Telefon",
        ),
    ],
    K.EMPLOYMENT_AGENCY: [
        Offer(
            "Arbeitsuchend melden und Arbeitsvermittlung",
            "Wer die Arbeit verliert, meldet sich spätestens drei Monate vorher arbeitsuchend. "
            "Danach: Vermittlung, Bewerbungstraining, Weiterbildung.",
            (A.JOBSEEKERS,),
            "Online über die Arbeitsagentur oder persönlich am Empfang",
            ("de", "en"),
        ),
        Offer(
            "Berufsberatung im Erwerbsleben",
            "Neu anfangen, umschulen, aufsteigen: Beratung zu Weiterbildung und Förderung.",
            (A.JOBSEEKERS, A.WOMEN, A.SINGLE_PARENTS),
            "Termin über die Servicenummer",
        ),
        Offer(
            "Berufsberatung für Schülerinnen und Schüler",
            "Welche Ausbildung passt? Beratung in der Schule und in der Agentur, auch mit den Eltern.",
            (A.CHILDREN, A.YOUNG_ADULTS),
            "Sprechstunde in den Schulen oder Termin in der Agentur",
        ),
        Offer(
            "Anerkennung ausländischer Berufsabschlüsse",
            "Erstberatung: Welche Stelle erkennt den Abschluss an, welche Unterlagen werden gebraucht?",
            (A.MIGRANTS,),
            "Termin per Telefon oder E-Mail",
            ("de", "en", "ar", "ru", "uk"),
        ),
    ],
    K.MUNICIPALITY: [
        Offer(
            "Wohngeld: Beratung und Antrag",
            "Wir prüfen, ob Wohngeld in Frage kommt, und helfen beim Antrag.",
            (A.FAMILIES, A.SENIORS, A.SINGLE_PARENTS),
            "Sprechzeiten ohne Termin; Mietvertrag und Einkommensnachweise mitbringen",
        ),
        Offer(
            "Hilfe bei drohendem Wohnungsverlust",
            "Bei Räumungsklage oder Kündigung: Übernahme von Mietschulden prüfen, Notunterkunft vermitteln.",
            (A.HOUSING_LOSS, A.DEBT),
            "Sofort melden, auch ohne Termin; in Notfällen telefonisch",
        ),
        Offer(
            "Grundsicherung im Alter und bei Erwerbsminderung",
            "Beratung und Antrag, auch zu Hilfe zur Pflege.",
            (A.SENIORS, A.DISABILITY),
            "Termin per Telefon; Hausbesuch möglich",
        ),
        Offer(
            "Bürgerbüro",
            "Anmeldung, Ausweise, Beglaubigungen, Anträge auf Befreiung vom Rundfunkbeitrag.",
            (A.EVERYONE,),
            "Mit Termin (online) oder in der offenen Sprechzeit",
            ("de", "en"),
            Cost.FEE,
            "Gebühren je nach Leistung",
        ),
    ],
    K.HOUSING: [
        Offer(
            "Mieterberatung bei Mietrückständen",
            "Frühzeitig melden: Gemeinsam finden wir eine Ratenzahlung, bevor eine Kündigung droht.",
            (A.DEBT, A.HOUSING_LOSS),
            "Termin im Kundenzentrum per Telefon",
        ),
        Offer(
            "Wohnungsvermittlung",
            "Freie Wohnungen, auch für Menschen mit Wohnberechtigungsschein und für große Familien.",
            (A.EVERYONE, A.FAMILIES),
            "Kundenzentrum ohne Termin",
        ),
        Offer(
            "Nachbarschaftstreff im Quartier",
            "Treffpunkt mit Kaffee, Spielenachmittag und Hilfe beim Ausfüllen von Formularen.",
            (A.EVERYONE, A.SENIORS),
            "Einfach vorbeikommen",
        ),
    ],
    K.DEBT_COUNSELLING: [
        Offer(
            "Offene Sprechstunde Schuldnerberatung",
            "Erste Orientierung ohne Termin: Was ist dringend (Strom, Miete, Pfändung) und was kann warten?",
            (A.DEBT,),
            "Ohne Termin; alle Briefe von Gläubigern mitbringen",
            hours="Di 9–12 Uhr",
        ),
        Offer(
            "Insolvenzberatung",
            "Begleitung im Verbraucherinsolvenzverfahren und Bescheinigung über den gescheiterten "
            "Einigungsversuch (§ 305 InsO).",
            (A.DEBT,),
            "Termin nach dem Erstgespräch; Wartezeit etwa sechs Wochen",
        ),
        Offer(
            "Bescheinigung für das Pfändungsschutzkonto",
            "Bescheinigung über erhöhte Freibeträge auf dem P-Konto, etwa für Kinder oder Kindergeld.",
            (A.DEBT, A.FAMILIES),
            "Termin per Telefon; Nachweise über Unterhalt und Kindergeld mitbringen",
        ),
        Offer(
            "Budgetberatung für Familien",
            "Einnahmen und Ausgaben ordnen, bevor Schulden entstehen: Haushaltsplan, Energiekosten, "
            "Verträge.",
            (A.FAMILIES, A.SINGLE_PARENTS),
            "Termin per Telefon oder E-Mail",
        ),
    ],
    K.ADDICTION_COUNSELLING: [
        Offer(
            "Offene Sprechstunde Suchtberatung",
            "Anonym und vertraulich: Alkohol, Medikamente, Drogen, Glücksspiel. Auch für Angehörige.",
            (A.ADDICTION,),
            "Ohne Termin; Beratung auch anonym",
            hours="Mi 14–18 Uhr",
        ),
        Offer(
            "Vermittlung in Entgiftung und Therapie",
            "Vorbereitung des Antrags auf Entwöhnungsbehandlung und Begleitung bis zur Aufnahme.",
            (A.ADDICTION,),
            "Termin nach Erstgespräch",
        ),
        Offer(
            "Gruppe für Angehörige",
            "Austausch für Partnerinnen, Partner und Eltern von Menschen mit Suchtproblemen.",
            (A.ADDICTION, A.FAMILIES),
            "Anmeldung per Telefon",
            hours="jeden zweiten Donnerstag 17–19 Uhr",
        ),
    ],
    K.MIGRATION: [
        Offer(
            "Migrationsberatung für Erwachsene",
            "Aufenthalt, Sprachkurs, Arbeit, Wohnung, Familiennachzug: Beratung für Zugewanderte ab 27.",
            (A.MIGRANTS,),
            "Termin per Telefon; offene Sprechstunde dienstags",
            ("de", "en", "ar", "ru", "uk", "fa"),
        ),
        Offer(
            "Sprachmittlung und Begleitung zu Behörden",
            "Ehrenamtliche Sprachmittlerinnen und Sprachmittler begleiten zu Ämtern, Ärzten und Schulen.",
            (A.MIGRANTS, A.FAMILIES),
            "Mindestens eine Woche vorher anfragen",
        ),
        Offer(
            "Beratung zu Integrationskursen",
            "Welcher Kurs, welche Kosten, wie anmelden? Auch Kinderbetreuung während des Kurses.",
            (A.MIGRANTS, A.WOMEN),
            "Offene Sprechstunde",
            ("de", "en", "ar", "uk"),
        ),
        Offer(
            "Internationales Frauencafé",
            "Treffpunkt für Frauen aus aller Welt, mit Kinderbetreuung; Deutsch üben im Gespräch.",
            (A.WOMEN, A.MIGRANTS),
            "Einfach vorbeikommen",
            hours="Fr 9:30–11:30 Uhr",
        ),
    ],
    K.CHURCH: [
        Offer(
            "Mittagstisch",
            "Warmes Mittagessen in Gemeinschaft, dienstags und donnerstags.",
            (A.EVERYONE, A.SENIORS),
            "Einfach vorbeikommen",
            cost=Cost.REDUCED,
            cost_note="1,50 € pro Essen, wer nicht zahlen kann, isst trotzdem mit",
            hours="Di und Do 12–13:30 Uhr",
        ),
        Offer(
            "Kleiderkammer",
            "Gut erhaltene Kleidung für Erwachsene und Kinder, auch Bettwäsche und Schulranzen.",
            (A.EVERYONE, A.FAMILIES),
            "Ohne Termin",
            hours="Mi 14–17 Uhr",
        ),
        Offer(
            "Gesprächsangebot in Lebenskrisen",
            "Vertrauliche Gespräche bei Trauer, Trennung oder Einsamkeit, unabhängig von der Konfession.",
            (A.EVERYONE,),
            "Termin über das Gemeindebüro",
        ),
    ],
    K.EMPLOYER: [
        Offer(
            "Praktikum und Probearbeit",
            "Einige Tage mitarbeiten und den Betrieb kennenlernen; danach Gespräch über eine Anstellung.",
            (A.JOBSEEKERS, A.LONG_TERM_UNEMPLOYED),
            "Anfrage per Telefon an die Betriebsleitung",
        ),
        Offer(
            "Einstieg in Teilzeit",
            "Stellen mit 20 bis 30 Stunden, auch mit Arbeitszeiten, die zur Kinderbetreuung passen.",
            (A.JOBSEEKERS, A.SINGLE_PARENTS, A.WOMEN),
            "Kurze Bewerbung per E-Mail oder persönlich",
        ),
        Offer(
            "Ausbildungsplätze",
            "Ausbildung mit Unterstützung bei der Berufsschule; Bewerbung auch ohne Zeugnisse möglich.",
            (A.YOUNG_ADULTS,),
            "Bewerbung per E-Mail",
        ),
    ],
}
BY_NAME: list[tuple[str, list[Offer]]] = [
    (
        "Regelschule",
        [
            Offer(
                "Schulsozialarbeit",
                "Ansprechperson für Schülerinnen, Schüler und Eltern bei Konflikten, Schulangst und "
                "Problemen zu Hause.",
                (A.CHILDREN, A.FAMILIES),
                "In den Pausen oder nach Vereinbarung",
            ),
            Offer(
                "Hausaufgabenhilfe",
                "Betreute Hausaufgaben in kleinen Gruppen, mit ehrenamtlichen Helferinnen und Helfern.",
                (A.CHILDREN,),
                "Anmeldung über das Sekretariat",
                hours="Mo–Do 13:30–15 Uhr",
            ),
        ],
    ),
    (
        "Kindertagesstätte",
        [
            Offer(
                "Eltern-Kind-Gruppe",
                "Für Familien mit Kindern unter drei Jahren: spielen, singen, andere Eltern kennenlernen.",
                (A.FAMILIES, A.CHILDREN),
                "Einfach vorbeikommen",
                hours="Mi 9:30–11 Uhr",
            ),
            Offer(
                "Beratung zum Kita-Platz und zu den Elternbeiträgen",
                "Wie bekomme ich einen Platz, und wer hilft bei den Kosten?",
                (A.FAMILIES, A.SINGLE_PARENTS),
                "Termin über die Kita-Leitung",
            ),
        ],
    ),
    (
        "Kinderschutzbund",
        [
            Offer(
                "Elternberatung „Starke Eltern – starke Kinder“",
                "Kurs und Beratung für Eltern, die den Familienalltag entspannter gestalten möchten.",
                (A.FAMILIES, A.SINGLE_PARENTS),
                "Anmeldung per Telefon",
            ),
            Offer(
                "Kinder- und Jugendtelefon",
                "Anonym und kostenlos für Kinder und Jugendliche, die Sorgen haben.",
                (A.CHILDREN,),
                "Anrufen unter 116 111",
                hours="Mo–Sa 14–20 Uhr",
            ),
        ],
    ),
    (
        "Volkssolidarität",
        [
            Offer(
                "Seniorentreff",
                "Kaffee, Gymnastik, Ausflüge und Hilfe bei Fragen rund um Rente und Pflege.",
                (A.SENIORS,),
                "Einfach vorbeikommen",
                cost=Cost.REDUCED,
                cost_note="Kaffee und Kuchen 2 €",
            ),
            Offer(
                "Nachbarschaftshilfe",
                "Ehrenamtliche helfen beim Einkaufen, begleiten zum Arzt oder kommen zu Besuch.",
                (A.SENIORS, A.DISABILITY),
                "Anfrage per Telefon",
            ),
        ],
    ),
    (
        "SV ",
        [
            Offer(
                "Sport für Kinder und Jugendliche",
                "Fußball, Turnen und Tischtennis; der Vereinsbeitrag kann über Bildung und Teilhabe "
                "bezahlt werden.",
                (A.CHILDREN, A.YOUNG_ADULTS),
                "Zum Probetraining einfach vorbeikommen",
                cost=Cost.REDUCED,
                cost_note="Beitrag 5 € im Monat, über Bildung und Teilhabe kostenlos",
            ),
        ],
    ),
    (
        "Stadtteilverein",
        [
            Offer(
                "Stadtteilcafé",
                "Treffpunkt im Viertel mit günstigem Frühstück, Aushängen und Tauschregal.",
                (A.EVERYONE,),
                "Einfach vorbeikommen",
                cost=Cost.REDUCED,
                cost_note="Frühstück 1 €",
            ),
            Offer(
                "Repair-Café",
                "Gemeinsam reparieren statt wegwerfen: Kleidung, Elektrogeräte, Fahrräder.",
                (A.EVERYONE,),
                "Einfach vorbeikommen",
                hours="jeden letzten Samstag im Monat 10–13 Uhr",
            ),
        ],
    ),
    (
        "Sozialpsychiatrischer Dienst",
        [
            Offer(
                "Sozialpsychiatrische Beratung",
                "Beratung für Menschen mit psychischen Erkrankungen und ihre Angehörigen, auch Hausbesuche.",
                (A.DISABILITY, A.EVERYONE),
                "Termin per Telefon; in Krisen sofort",
            ),
            Offer(
                "Krisenbegleitung",
                "Unterstützung in akuten seelischen Krisen und Hilfe bei der Suche nach Behandlung.",
                (A.EVERYONE,),
                "Telefonisch zu den Dienstzeiten",
            ),
        ],
    ),
    (
        "Hausarztpraxis",
        [
            Offer(
                "Hausärztliche Sprechstunde",
                "Auch für Patientinnen und Patienten ohne festen Hausarzt; Dolmetschen per Video möglich.",
                (A.EVERYONE,),
                "Akutsprechstunde ohne Termin, sonst mit Termin",
                ("de", "en", "ru"),
            ),
        ],
    ),
    (
        "Verbraucherzentrale",
        [
            Offer(
                "Energieberatung",
                "Hohe Strom- oder Heizkostenrechnung? Wir prüfen Abschläge und helfen bei Sperrandrohungen.",
                (A.EVERYONE, A.DEBT),
                "Termin per Telefon",
                cost=Cost.REDUCED,
                cost_note="kostenlos mit Bürgergeld oder Wohngeld, sonst 10 €",
            ),
            Offer(
                "Beratung zu Verträgen und Inkasso",
                "Handyvertrag, Abo-Falle, Inkassoschreiben: Was ist berechtigt?",
                (A.EVERYONE, A.DEBT),
                "Termin per Telefon oder online",
                cost=Cost.FEE,
                cost_note="Erstberatung 15 €",
            ),
        ],
    ),
    (
        "Tafel",
        [
            Offer(
                "Lebensmittelausgabe",
                "Lebensmittel für Menschen mit geringem Einkommen; einmal registrieren, dann wöchentlich.",
                (A.EVERYONE, A.FAMILIES, A.SENIORS),
                "Berechtigungsnachweis (Bescheid) bei der ersten Ausgabe mitbringen",
                cost=Cost.REDUCED,
                cost_note="2 € pro Einkauf",
                hours="Di und Fr 13–15 Uhr",
            ),
        ],
    ),
    (
        "Frauen",
        [
            Offer(
                "Beratung für Frauen in Trennung und bei Gewalt",
                "Vertraulich, auf Wunsch anonym; Vermittlung ins Frauenhaus.",
                (A.WOMEN,),
                "Termin per Telefon; in Notfällen sofort",
                ("de", "en", "ar", "ru"),
            ),
            Offer(
                "Familiencafé",
                "Offener Treff für Mütter, Väter und Kinder mit Beratung zu Elterngeld und Unterhalt.",
                (A.FAMILIES, A.SINGLE_PARENTS),
                "Einfach vorbeikommen",
            ),
        ],
    ),
    (
        "Bibliothek",
        [
            Offer(
                "Lesecafé und Computerhilfe",
                "Zeitungen, Internet-Arbeitsplätze und Hilfe bei Online-Anträgen und Bewerbungen.",
                (A.EVERYONE, A.SENIORS),
                "Zu den Öffnungszeiten, Computerhilfe mit Anmeldung",
                cost=Cost.REDUCED,
                cost_note="Ausweis 12 € im Jahr, ermäßigt 4 €",
            ),
        ],
    ),
]
GENERIC = [
    Offer(
        "Beratung und Information",
        "Fragen zum Angebot beantworten wir gern am Telefon.",
        (A.EVERYONE,),
        "Termin per Telefon",
    ),
]

CONTACT_FUNCTIONS = [
    "Teamleitung",
    "Fallmanagement",
    "Sachbearbeitung",
    "Empfang",
    "Sozialberatung",
    "Koordination Ehrenamt",
    "Geschäftsführung",
]
COOPERATION_TITLES: dict[str, str] = {
    K.JOBCENTER: "Zusammenarbeit bei der Beratung von Leistungsberechtigten",
    K.EMPLOYMENT_AGENCY: "Zusammenarbeit bei Vermittlung und Berufsberatung",
    K.HOUSING: "Kooperation zur Vermeidung von Wohnungsverlust",
    K.DEBT_COUNSELLING: "Vermittlungen in die Schuldnerberatung",
    K.ADDICTION_COUNSELLING: "Vermittlungen in die Suchtberatung",
    K.MIGRATION: "Zusammenarbeit mit der Migrationsberatung",
    K.SCHOOL: "Kooperation Schule und Stadtteilarbeit",
    K.ASSOCIATION: "Gemeinsame Angebote im Stadtteil",
    K.CHURCH: "Nutzung der Gemeinderäume und gemeinsame Angebote",
    K.EMPLOYER: "Praktika und Probearbeit für Ratsuchende",
    K.HEALTH: "Zusammenarbeit bei gesundheitlichen Problemlagen",
    K.OTHER: "Kooperationsvereinbarung",
}
ACTIVITY_TITLES: dict[str, list[str]] = {
    ActivityKind.MEETING: [
        "Netzwerktreffen {place}",
        "Runder Tisch Soziales {place}",
        "Sozialraumkonferenz {place}",
        "Fallübergreifende Netzwerkrunde",
    ],
    ActivityKind.WORKING_GROUP: [
        "AG Wohnen und Mietschulden",
        "AG Übergang Schule–Beruf",
        "AG Kinderarmut",
        "AG Integration",
    ],
    ActivityKind.JOINT_PROJECT: [
        "Stadtteilfest {place}",
        "Aktionstag gegen Energiearmut",
        "Ferienprogramm für Kinder",
        "Gemeinsame Bewerbungswerkstatt",
    ],
    ActivityKind.EVENT: [
        "Fachtag Schuldenprävention",
        "Informationsabend Bürgergeld",
        "Fachaustausch Sucht und Familie",
        "Jobbörse im Stadtteil",
    ],
    ActivityKind.OTHER: ["Hospitation beim Partner", "Gemeinsame Fortbildung Gesprächsführung"],
}
ACTIVITY_KINDS = [
    (ActivityKind.MEETING, 40),
    (ActivityKind.WORKING_GROUP, 25),
    (ActivityKind.JOINT_PROJECT, 15),
    (ActivityKind.EVENT, 15),
    (ActivityKind.OTHER, 5),
]
ACTIVITY_PLACES = ["Stadtteilbüro", "Rathaus, Sitzungsraum", "Gemeindehaus", "Bürgerhaus", "online"]
ACTIVITY_NOTES = [
    "Absprachen zu gegenseitigen Vermittlungen; nächstes Treffen in drei Monaten.",
    "Vorstellung der neuen Angebote; Kontaktliste aktualisiert.",
    "Planung der gemeinsamen Aktion, Aufgaben verteilt.",
    "Austausch über Wartezeiten und kurze Wege zwischen den Beratungsstellen.",
]


@dataclass
class _Rows:
    services: list[Service] = field(default_factory=list)
    audiences: list[tuple[Service, str]] = field(default_factory=list)
    languages: list[tuple[Service, str]] = field(default_factory=list)
    contacts: list[PartnerContact] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    # (old, follow-up): the old agreement is written after its follow-up, which it points to.
    renewed: list[tuple[Agreement, Agreement]] = field(default_factory=list)
    activities: list[tuple[NetworkActivity, list[Partner]]] = field(default_factory=list)


def generate(ctx: DemoContext) -> None:
    sites = [site for _code, site in sorted(ctx.sites.items()) if site.status == Site.Status.ACTIVE]
    links_by_site: dict[int, list[SitePartner]] = defaultdict(list)
    for link in (
        SitePartner.objects.filter(site__in=sites).select_related("partner").order_by("partner__name", "pk")
    ):
        links_by_site[link.site_id].append(link)
    rows = _Rows()
    today = timezone.localdate()
    _services(ctx, rows, [link.partner for site in sites for link in links_by_site[site.pk]])
    with_contacts = set(PartnerContact.objects.values_list("link__site_id", flat=True))
    with_agreements = set(Agreement.objects.values_list("site_id", flat=True))
    with_activities = set(NetworkActivity.objects.values_list("site_id", flat=True))
    for site in sites:
        links = links_by_site[site.pk]
        if site.pk not in with_contacts:
            _contacts(ctx, rows, links)
        if site.pk not in with_agreements:
            _agreements(ctx, rows, site, links, today)
        if site.pk not in with_activities:
            _activities(ctx, rows, site, links, today)
    _write(rows)


def _offers_for(partner: Partner) -> list[Offer]:
    for pattern, offers in BY_NAME:
        if pattern in partner.name:
            return offers
    return OFFERS.get(partner.kind, GENERIC)


def _services(ctx: DemoContext, rows: _Rows, partners: list[Partner]) -> None:
    """1–4 services for each partner that has none yet (partners are shared: once each)."""
    with_services = set(Service.objects.values_list("partner_id", flat=True))
    seen: set[int] = set()
    for partner in partners:
        if partner.pk in with_services or partner.pk in seen:
            continue
        seen.add(partner.pk)
        offers = _offers_for(partner)
        for offer in ctx.rng.sample(offers, ctx.rng.randint(1, min(4, len(offers)))):
            service = Service(
                partner=partner,
                name=offer.name,
                description=offer.description,
                hours=offer.hours or ctx.rng.choice(HOURS),
                access=offer.access,
                cost=offer.cost,
                cost_note=offer.cost_note,
            )
            rows.services.append(service)
            rows.audiences += [(service, audience) for audience in offer.audiences]
            languages = list(offer.languages)
            if partner.kind == K.MIGRATION and ctx.rng.random() < 0.5:
                # Each migration service speaks the languages of its own staff and volunteers.
                languages += ctx.rng.sample(MIGRATION_LANGUAGES, 2)
            rows.languages += [(service, language) for language in dict.fromkeys(languages)]


def _contacts(ctx: DemoContext, rows: _Rows, links: list[SitePartner]) -> None:
    for link in links:
        domain = link.partner.email.split("@")[-1] or "partner.example"
        for _index in range(ctx.rng.choice([0, 0, 1, 1, 1, 2])):
            first, last = ctx.faker.first_name(), ctx.faker.last_name()
            area_code = (link.partner.phone or "03447 1").split()[0]
            rows.contacts.append(
                PartnerContact(
                    link=link,
                    name=f"{first} {last}",
                    function=ctx.rng.choice(CONTACT_FUNCTIONS),
                    phone=f"{area_code} {ctx.rng.randint(10000, 99999)}",
                    email=f"{_ascii(first)}.{_ascii(last)}@{domain}",
                )
            )


def _ascii(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    return re.sub(r"[^a-z]+", "-", name.lower().translate(table)).strip("-")


def _agreement(
    site: Site, partner: Partner, kind: str, title: str, starts_on: date, **dates: Any
) -> Agreement:
    ends_on = dates.get("ends_on")
    return Agreement(
        site=site,
        partner=partner,
        kind=kind,
        title=title,
        signed_on=dates.get("signed_on", starts_on - timedelta(days=21)),
        starts_on=starts_on,
        ends_on=ends_on,
        remind_on=shift_months(ends_on, -3) if ends_on else None,
    )


def _agreements(ctx: DemoContext, rows: _Rows, site: Site, links: list[SitePartner], today: date) -> None:
    """The municipal contract and 3–8 cooperation agreements; one ends soon, some were renewed."""
    rng = ctx.rng
    earliest = max(site.starts_on or date(2013, 3, 1), date(2015, 1, 1))
    municipality = next((link.partner for link in links if link.partner.kind == K.MUNICIPALITY), None)
    if municipality is not None:
        # The carrier's contract with the municipality runs for a funding period and is then renewed.
        title = f"Kooperationsvertrag ThINKA {site.town or site.name}"
        current = _agreement(
            site,
            municipality,
            AgreementKind.MUNICIPAL_CONTRACT,
            title,
            max(earliest, date(2024, 1, 1)),
            ends_on=date(2027, 12, 31),
        )
        if earliest < date(2023, 1, 1):
            old = _agreement(
                site,
                municipality,
                AgreementKind.MUNICIPAL_CONTRACT,
                title,
                max(earliest, date(2021, 1, 1)),
                ends_on=date(2023, 12, 31),
            )
            rows.renewed.append((old, current))
        else:
            rows.agreements.append(current)
    others = [link.partner for link in links if link.partner.kind != K.MUNICIPALITY]
    chosen = rng.sample(others, min(len(others), rng.randint(3, 8)))
    for index, partner in enumerate(chosen):
        title = COOPERATION_TITLES.get(partner.kind, COOPERATION_TITLES[K.OTHER])
        kind = AgreementKind.COOPERATION
        if index == 0:
            # Ends in the coming months: the work list reminds the team to renew it.
            ends_on = today + timedelta(days=rng.randint(30, 80))
            starts_on = max(earliest, shift_months(ends_on, -24) + timedelta(days=1))
            rows.agreements.append(_agreement(site, partner, kind, title, starts_on, ends_on=ends_on))
            continue
        starts_on = earliest + timedelta(days=rng.randint(0, max(0, (today - earliest).days - 60)))
        shape = rng.random()
        if shape < 0.3:
            rows.agreements.append(_agreement(site, partner, kind, title, starts_on))  # open-ended
        elif shape < 0.55 and (today - starts_on).days > 800:
            old = _agreement(site, partner, kind, title, starts_on, ends_on=starts_on + timedelta(days=729))
            follow_up_start = starts_on + timedelta(days=730)
            follow_up_end = shift_months(follow_up_start, 36) - timedelta(days=1)
            follow_up = _agreement(site, partner, kind, title, follow_up_start, ends_on=follow_up_end)
            rows.renewed.append((old, follow_up))
        else:
            ends_on = shift_months(starts_on, rng.choice([24, 36])) - timedelta(days=1)
            rows.agreements.append(_agreement(site, partner, kind, title, starts_on, ends_on=ends_on))


def _activities(ctx: DemoContext, rows: _Rows, site: Site, links: list[SitePartner], today: date) -> None:
    """6–12 activities a year since 2024 (fewer in the current year, up to today), 2–10 partners each."""
    rng = ctx.rng
    partners = [link.partner for link in links]
    kinds, weights = zip(*ACTIVITY_KINDS, strict=True)
    place = site.neighbourhood or site.town or site.name
    started = site.starts_on or date(2013, 3, 1)
    for year in range(max(FIRST_ACTIVITY_YEAR, started.year), today.year + 1):
        first = max(date(year, 1, 1), started)
        last = min(date(year, 12, 31), today)
        share = ((last - first).days + 1) / 365
        for _index in range(max(1, round(rng.randint(6, 12) * share))):
            kind = rng.choices(kinds, weights)[0]
            activity = NetworkActivity(
                site=site,
                kind=kind,
                title=rng.choice(ACTIVITY_TITLES[kind]).format(place=place),
                held_on=first + timedelta(days=rng.randint(0, (last - first).days)),
                place=rng.choice(ACTIVITY_PLACES),
                note=rng.choice(ACTIVITY_NOTES) if rng.random() < 0.6 else "",
            )
            present = rng.sample(partners, min(len(partners), rng.randint(2, 10)))
            rows.activities.append((activity, present))


def _check(objects: Any, *related: str) -> None:
    # Field checks only: the related rows are known to exist, and looking them up costs a query each.
    for obj in objects:
        obj.full_clean(exclude=list(related), validate_unique=False, validate_constraints=False)


def _write(rows: _Rows) -> None:
    """Bulk inserts: a few queries for the whole programme."""
    _check(rows.services, "partner")
    _check(rows.contacts, "link")
    _check(
        [*rows.agreements, *(row for pair in rows.renewed for row in pair)], "site", "partner", "renewed_by"
    )
    _check((activity for activity, _partners in rows.activities), "site")
    Service.objects.bulk_create(rows.services)
    ServiceAudience.objects.bulk_create(
        ServiceAudience(service=service, audience=audience) for service, audience in rows.audiences
    )
    ServiceLanguage.objects.bulk_create(
        ServiceLanguage(service=service, language=language) for service, language in rows.languages
    )
    PartnerContact.objects.bulk_create(rows.contacts)
    follow_ups = Agreement.objects.bulk_create([follow_up for _old, follow_up in rows.renewed])
    for (old, _follow_up), stored in zip(rows.renewed, follow_ups, strict=True):
        old.renewed_by = stored
    Agreement.objects.bulk_create([*rows.agreements, *(old for old, _follow_up in rows.renewed)])
    activities = NetworkActivity.objects.bulk_create([activity for activity, _partners in rows.activities])
    through = NetworkActivity.partners.through
    through.objects.bulk_create(
        through(networkactivity_id=activity.pk, partner_id=partner.pk)
        for activity, (_activity, present) in zip(activities, rows.activities, strict=True)
        for partner in present
    )
