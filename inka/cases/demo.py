"""Demo part of case work: several years of persons, consents, cases and contacts at every active site.

Magnitudes follow the research note on ThINKA figures (§3): per site and year about 150 new persons
(80–250 by site), three to four counselling contacts per person (some one, some twenty) and anonymous
contacts for about 30 % of all contacts, over the last three calendar years up to today, never before
a site's start. Everything is built in memory and written with one `bulk_create` per model; no
services run and no audit entries are written. The same seed gives the same data.
"""

from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import Any, Generic, TypeVar

from django.db import connections, models, router
from django.db.models import Prefetch
from django.utils import timezone

from inka.accounts.models import Membership
from inka.cases.models import (
    Actor,
    AgeBand,
    Case,
    CaseNeed,
    Consent,
    Contact,
    ContactMode,
    ContactTopic,
    Disability,
    FollowUp,
    Gender,
    Goal,
    GoalStep,
    Person,
    Progress,
    Referral,
    ResidenceStatus,
    Topic,
)
from inka.cases.names import name_key, name_sound
from inka.core.demo import DemoContext
from inka.core.permissions import Role
from inka.network.models import Partner, PartnerKind, Service, SitePartner
from inka.programme.models import Site

T = TypeVar("T")

YEARS = 3  # the current calendar year and the two before it
PERSONS_PER_YEAR = (80, 250, 130)  # low, high, mode of a triangular distribution; mean about 150
ANONYMOUS_SHARE = 0.3
# Contacts per person per unit of density (cases and anonymous ones; measured: the denser, the more
# cases run into today, so the growth is less than linear).
CONTACTS_PER_PERSON = 4.9
STALE_AFTER_DAYS = 120  # a case without contact for about four months is closed
SECOND_CASE_SHARE = 0.05
WITHDRAWAL_SHARE = 0.03
SHARING_SHARE = 0.22  # plus the sharing consents taken for a referral: about 40 % in all
ESF_SHARE = 0.2
GOAL_SHARE = 0.6
REFERRAL_SHARE = 0.25
# The demo logins who should find a full work list at their site.
PERSONAS = {"ALT": "lotse.alt", "GLU": "lotse.gera"}
# Near-duplicate spellings at ALT, so that the duplicate warning can be seen.
DUPLICATE_SITE = "ALT"
DUPLICATE_SPELLINGS = [
    ("Müller", "Mueller"),
    ("Meyer", "Maier"),
    ("Schröder", "Schroeder"),
    ("Strauß", "Strauss"),
    ("Schmidt", "Schmitt"),
]
# Postcodes of the sites' towns, for the persons' addresses when the site has none of its own.
POSTCODES = {
    "Altenburg": "04600",
    "Arnstadt": "99310",
    "Mühlhausen/Thüringen": "99974",
    "Bad Lobenstein": "07356",
    "Artern": "06556",
    "Bleicherode": "99752",
    "Schmalkalden": "98574",
    "Gera": "07549",
    "Weimar": "99427",
    "Leinefelde-Worbis": "37327",
    "Erfurt": "99091",
    "Sonneberg": "96515",
    "Suhl": "98527",
    "Eisenberg": "07607",
    "Sömmerda": "99610",
    "Bad Tabarz": "99891",
    "Saalfeld/Saale": "07318",
    "Eisenach": "99817",
    "Bad Salzungen": "36433",
    "Jena": "07745",
    "Sondershausen": "99706",
    "Bad Frankenhausen/Kyffhäuser": "06567",
    "Gotha": "99867",
    "Nordhausen": "99734",
    "Heringen/Helme": "99765",
}


class _Pick(Generic[T]):
    """A weighted choice, drawn from the demo's random generator."""

    def __init__(self, *weighted: tuple[T, float]) -> None:
        self.items = [item for item, _ in weighted]
        self.cumulative = list(accumulate(weight for _, weight in weighted))
        self.total = self.cumulative[-1]
        self.last = len(self.items) - 1

    def __call__(self, rng: Any) -> T:
        return self.items[min(bisect(self.cumulative, rng.random() * self.total), self.last)]


# --- Persons --------------------------------------------------------------------------------------

GERMAN = "german"
ORIGIN = _Pick(
    (GERMAN, 85),
    ("turkish", 3),
    ("arabic", 2.5),
    ("syrian", 3),
    ("russian", 2.5),
    ("ukrainian", 3),
    ("polish", 0.5),
    ("romanian", 0.5),
)
# (female first names, male first names, last names); a last name "-ow"/"-ski" takes its female form.
NAMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "turkish": (
        ["Ayşe", "Fatma", "Elif", "Zeynep", "Emine", "Hatice", "Merve", "Büşra"],
        ["Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "Emre", "Murat"],
        ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan"],
    ),
    "arabic": (
        ["Fatima", "Aisha", "Mariam", "Noor", "Huda", "Rania", "Samira"],
        ["Mohammed", "Ahmad", "Omar", "Khaled", "Youssef", "Ali", "Karim"],
        ["Al-Hassan", "Haddad", "Khalil", "Mansour", "Saleh", "Nasser", "Ibrahim", "Abdullah"],
    ),
    "syrian": (
        ["Rasha", "Lina", "Hiba", "Dima", "Rana", "Alaa", "Nour"],
        ["Hussam", "Bashar", "Firas", "Tarek", "Wael", "Samer", "Mahmoud"],
        ["Al-Ahmad", "Al-Khatib", "Hamoud", "Kassem", "Darwish", "Al-Ali", "Sabbagh", "Jaber"],
    ),
    "russian": (
        ["Olga", "Tatjana", "Natalja", "Swetlana", "Irina", "Jelena", "Ljudmila"],
        ["Sergej", "Alexander", "Dmitrij", "Wladimir", "Andrej", "Nikolai", "Juri"],
        ["Iwanow", "Petrow", "Smirnow", "Kusnezow", "Popow", "Wolkow", "Sokolow", "Lebedew"],
    ),
    "ukrainian": (
        ["Oksana", "Olena", "Iryna", "Natalija", "Kateryna", "Julija", "Switlana"],
        ["Oleksandr", "Andrij", "Serhij", "Mykola", "Wolodymyr", "Taras", "Dmytro"],
        ["Schewtschenko", "Kowalenko", "Bondarenko", "Tkatschenko", "Kowaltschuk", "Melnyk", "Boiko"],
    ),
    "polish": (
        ["Agnieszka", "Katarzyna", "Małgorzata", "Joanna"],
        ["Piotr", "Tomasz", "Krzysztof", "Paweł"],
        ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński"],
    ),
    "romanian": (
        ["Ioana", "Elena", "Andreea", "Maria"],
        ["Andrei", "Mihai", "Ionuț", "Florin"],
        ["Popescu", "Ionescu", "Stan", "Dumitru", "Munteanu"],
    ),
}
LANGUAGES: dict[str, _Pick[str]] = {
    GERMAN: _Pick(
        ("Deutsch", 85), ("Deutsch, Englisch", 6), ("Deutsch, Russisch", 4), ("Deutsch, Polnisch", 1), ("", 4)
    ),
    "turkish": _Pick(
        ("Türkisch, Deutsch", 50),
        ("Deutsch, Türkisch", 30),
        ("Kurdisch, Türkisch, Deutsch", 10),
        ("Türkisch", 10),
    ),
    "arabic": _Pick(
        ("Arabisch, Deutsch", 55), ("Arabisch", 20), ("Arabisch, Französisch", 10), ("Arabisch, Englisch", 15)
    ),
    "syrian": _Pick(
        ("Arabisch, Deutsch", 55), ("Arabisch", 20), ("Kurdisch, Arabisch", 15), ("Arabisch, Englisch", 10)
    ),
    "russian": _Pick(("Russisch, Deutsch", 55), ("Deutsch, Russisch", 35), ("Russisch", 10)),
    "ukrainian": _Pick(
        ("Ukrainisch, Russisch", 40),
        ("Ukrainisch, Deutsch", 35),
        ("Ukrainisch, Russisch, Englisch", 15),
        ("Ukrainisch", 10),
    ),
    "polish": _Pick(("Polnisch, Deutsch", 70), ("Polnisch", 30)),
    "romanian": _Pick(("Rumänisch, Deutsch", 60), ("Rumänisch, Englisch", 40)),
}
RS = ResidenceStatus
RESIDENCE: dict[str, _Pick[str]] = {
    GERMAN: _Pick((RS.GERMAN, 55), ("", 45)),
    "turkish": _Pick((RS.GERMAN, 40), (RS.PERMIT, 45), ("", 15)),
    "arabic": _Pick((RS.PERMIT, 45), (RS.ASYLUM, 20), (RS.GERMAN, 15), (RS.TOLERATED, 5), ("", 15)),
    "syrian": _Pick((RS.PERMIT, 55), (RS.ASYLUM, 15), (RS.TOLERATED, 5), (RS.GERMAN, 10), ("", 15)),
    "russian": _Pick((RS.GERMAN, 45), (RS.PERMIT, 40), ("", 15)),
    "ukrainian": _Pick((RS.PERMIT, 80), (RS.OTHER, 5), ("", 15)),
    "polish": _Pick((RS.EU, 85), ("", 15)),
    "romanian": _Pick((RS.EU, 85), ("", 15)),
}
GENDER = _Pick((Gender.FEMALE, 55), (Gender.MALE, 43), (Gender.DIVERSE, 2))
AGE = _Pick(((18, 24), 12), ((25, 34), 22), ((35, 44), 22), ((45, 54), 18), ((55, 64), 15), ((65, 79), 11))
HOUSEHOLD = _Pick((1, 35), (2, 25), (3, 17), (4, 13), (5, 6), (6, 4))
LARGE_HOUSEHOLD = _Pick((1, 10), (2, 15), (3, 20), (4, 25), (5, 18), (6, 12))
DISABILITY = _Pick((Disability.RECOGNISED, 6), (Disability.OTHER, 4), (Disability.NONE, 45), ("", 45))
MAIL_DOMAINS = ["mail.example", "web.example", "post.example", "online.example"]

# --- Cases ----------------------------------------------------------------------------------------

NEED = _Pick(
    (Topic.MONEY, 20),
    (Topic.AUTHORITIES, 20),
    (Topic.WORK, 15),
    (Topic.HOUSING, 13),
    (Topic.FAMILY, 8),
    (Topic.HEALTH, 7),
    (Topic.EVERYDAY, 7),
    (Topic.CRISIS, 4),
    (Topic.EDUCATION, 3),
    (Topic.RESIDENCE, 1),
    (Topic.OTHER, 2),
)
MIGRANT_NEED = _Pick(
    (Topic.RESIDENCE, 25),
    (Topic.AUTHORITIES, 20),
    (Topic.WORK, 15),
    (Topic.EDUCATION, 12),
    (Topic.HOUSING, 10),
    (Topic.MONEY, 8),
    (Topic.FAMILY, 5),
    (Topic.EVERYDAY, 3),
    (Topic.HEALTH, 2),
)
NEED_COUNT = _Pick((1, 45), (2, 38), (3, 17))
# About 3.3 contacts per case on average (fewer on cases opened in the last weeks).
CONTACT_COUNT = _Pick(
    (1, 30),
    (2, 21),
    (3, 14),
    (4, 10),
    (5, 7),
    (6, 5),
    (7, 3.5),
    (8, 2.5),
    (10, 2.5),
    (12, 1.8),
    (15, 1.5),
    (20, 1.2),
)
GAP_DAYS = _Pick(((1, 7), 30), ((8, 21), 40), ((22, 60), 25), ((61, 110), 5))
CR = Case.CloseReason
CLOSE_REASON = _Pick(
    (CR.GOALS_ACHIEVED, 35),
    (CR.NO_CONTACT, 25),
    (CR.REFERRED, 15),
    (CR.ENDED_BY_PERSON, 10),
    (CR.MOVED, 8),
    (CR.OTHER, 7),
)
# A gendered sentence is a pair (female, male); the male form also stands for "diverse".
Text = str | tuple[str, str]
LIFE_SITUATION: dict[str, list[Text]] = {
    Topic.MONEY: [
        (
            "Alleinerziehende Mutter von zwei Kindern, Mietschulden seit dem Frühjahr.",
            "Alleinerziehender Vater von zwei Kindern, Mietschulden seit dem Frühjahr.",
        ),
        "Mehrere offene Forderungen (Energieversorger, Versandhandel); ein Inkassobüro hat sich gemeldet.",
        "Bezieht Bürgergeld; das Geld reicht am Monatsende regelmäßig nicht.",
        "Stromsperre angedroht, Rückstand beim Versorger rund 900 Euro.",
        (
            "Rentnerin mit kleiner Rente, unsicher, ob ihr Grundsicherung zusteht.",
            "Rentner mit kleiner Rente, unsicher, ob ihm Grundsicherung zusteht.",
        ),
    ],
    Topic.AUTHORITIES: [
        "Versteht die Schreiben vom Jobcenter nicht und hat Fristen versäumt.",
        "Weiterbewilligungsantrag beim Jobcenter ist überfällig, die Leistungen wurden eingestellt.",
        "Braucht Hilfe beim Antrag auf Wohngeld und Kinderzuschlag.",
        "Schwierigkeiten mit Formularen; liest und schreibt nur wenig.",
        "Ein Widerspruch gegen einen Bescheid der Familienkasse steht an.",
    ],
    Topic.HOUSING: [
        "Kündigung der Wohnung wegen Mietrückständen erhalten.",
        "Die Wohnung ist zu klein geworden, sucht eine größere Wohnung im Viertel.",
        "Schimmel in der Wohnung, der Vermieter reagiert nicht.",
        "Lebt seit der Trennung vorübergehend bei Bekannten.",
    ],
    Topic.HEALTH: [
        "Nach längerer Krankheit wieder zu Hause, braucht Unterstützung im Alltag.",
        "Wartet seit Monaten auf einen Facharzttermin; ein Pflegegrad ist beantragt.",
    ],
    Topic.FAMILY: [
        "Getrennt lebend, Streit um Unterhalt und den Umgang mit den Kindern.",
        "Pflegt die an Demenz erkrankte Mutter und ist damit an der Belastungsgrenze.",
        "Familie mit drei Kindern, die älteste Tochter hat Probleme in der Schule.",
    ],
    Topic.CRISIS: [
        (
            "Akute Krise nach dem Tod des Partners, wirkt stark belastet.",
            "Akute Krise nach dem Tod der Partnerin, wirkt stark belastet.",
        ),
        "Nach der Trennung in einer schwierigen Lage, schläft schlecht und zieht sich zurück.",
    ],
    Topic.WORK: [
        "Seit zwei Jahren arbeitslos, möchte wieder im Lager oder in der Produktion arbeiten.",
        "Minijob in der Gastronomie, sucht eine Stelle mit mehr Stunden.",
        "Hat keinen Berufsabschluss und wünscht sich eine Umschulung.",
        "Es fehlen Bewerbungsunterlagen; war lange nicht mehr auf Stellensuche.",
    ],
    Topic.EDUCATION: [
        "Möchte den Hauptschulabschluss nachholen.",
        "Sucht einen Kitaplatz für das jüngste Kind, um arbeiten gehen zu können.",
    ],
    Topic.RESIDENCE: [
        "Vor zwei Jahren nach Deutschland gekommen, lernt Deutsch im Integrationskurs.",
        "Die Aufenthaltserlaubnis läuft in drei Monaten ab; die Verlängerung ist noch offen.",
        "Lebt seit 2016 in Deutschland und möchte den Berufsabschluss anerkennen lassen.",
    ],
    Topic.EVERYDAY: [
        "Lebt allein, hat wenig Kontakte im Viertel und sucht Anschluss.",
        "Braucht Hilfe mit dem Smartphone und mit Online-Terminen.",
        "Kommt mit Einkäufen und Behördengängen allein nicht mehr zurecht.",
    ],
    Topic.OTHER: ["Kam über das Nachbarschaftscafé zur Beratung; das Anliegen ist noch nicht ganz klar."],
}
CASE_NOTES = [
    "Kommt meist vormittags, telefonisch schlecht erreichbar.",
    "Die Tochter übersetzt bei den Terminen.",
    "Wünscht Termine möglichst nach 14 Uhr wegen der Kinder.",
    "Sehr motiviert, bringt Unterlagen vollständig mit.",
    "Hat über die Nachbarin vom Büro erfahren.",
    "Der Kontakt entstand bei der aufsuchenden Arbeit im Viertel.",
    "Post wird oft nicht geöffnet; Termine telefonisch erinnern.",
    "Schämt sich, Hilfe anzunehmen; behutsam vorgehen.",
    "Kam zuerst zum Sprachcafé, dann in die Beratung.",
    "",
    "",
]
HEALTH_NOTES = [
    "Chronische Rückenschmerzen, nur eingeschränkt belastbar.",
    "Depressive Episode, in hausärztlicher Behandlung.",
    "Diabetes, regelmäßige Arzttermine.",
    "Nach einer Bandscheibenoperation in der Reha gewesen.",
]
ADDICTION_NOTES = [
    "Alkoholkonsum nach eigener Aussage reduziert; wünscht Kontakt zur Suchtberatung.",
    "Früher Cannabiskonsum, seit einem Jahr abstinent.",
    "Glücksspiel als Ursache der Schulden benannt.",
]
CRIMINAL_RECORD_NOTES = [
    "Geldstrafe wegen Fahrens ohne Fahrschein offen, Ratenzahlung vereinbart.",
    "Bis vor einem Jahr in Haft; die Bewährungshilfe ist eingebunden.",
]
# Outcomes of closed cases: for "goals achieved" and "referred" by the case's main need.
ACHIEVED: dict[str, list[str]] = {
    Topic.MONEY: ["Die Schulden sind geordnet, die Raten werden gezahlt.", "Die Stromsperre ist abgewendet."],
    Topic.AUTHORITIES: [
        "Die Leistungen werden wieder gezahlt; die Person kommt allein zurecht.",
        "Die Anträge sind bewilligt, die Ziele erreicht.",
    ],
    Topic.HOUSING: [
        "Die Mietschulden sind geregelt, die Wohnung ist gesichert.",
        "Eine passende Wohnung ist gefunden.",
    ],
    Topic.HEALTH: ["Der Pflegegrad ist bewilligt, die Versorgung ist geregelt."],
    Topic.FAMILY: [
        "Der Unterhaltsvorschuss ist bewilligt.",
        "Die Entlastung in der Familie ist organisiert.",
    ],
    Topic.CRISIS: ["Die Lage hat sich stabilisiert."],
    Topic.WORK: ["Arbeitsstelle gefunden, Beratung nicht mehr nötig.", "Die Umschulung hat begonnen."],
    Topic.EDUCATION: ["Der Kurs hat begonnen.", "Der Kitaplatz ist zugesagt."],
    Topic.RESIDENCE: ["Die Aufenthaltserlaubnis ist verlängert.", "Der Berufsabschluss ist anerkannt."],
    Topic.EVERYDAY: [
        "Kommt im Alltag wieder allein zurecht.",
        "Nimmt regelmäßig an Angeboten im Stadtteil teil.",
    ],
    Topic.OTHER: ["Das Anliegen ist geklärt."],
}
REFERRED: dict[str, list[str]] = {
    Topic.MONEY: ["An die Schuldnerberatung übergeben; dort läuft die Schuldenregulierung."],
    Topic.RESIDENCE: ["Die Weiterbetreuung übernimmt der Migrationsdienst."],
    Topic.HEALTH: ["Der Sozialpsychiatrische Dienst hat die Begleitung übernommen."],
    Topic.FAMILY: ["Die Familie wird von der Erziehungsberatung weiter begleitet."],
}
OUTCOMES: dict[str, list[str]] = {
    CR.REFERRED: ["An eine Fachberatungsstelle übergeben; dort läuft die Beratung weiter."],
    CR.ENDED_BY_PERSON: [
        "Die Person möchte vorerst keine weitere Beratung.",
        "Beratung auf eigenen Wunsch beendet; kann sich jederzeit wieder melden.",
    ],
    CR.NO_CONTACT: [
        "Seit Monaten nicht mehr erreichbar; Briefe blieben unbeantwortet.",
        "Termine mehrfach nicht wahrgenommen, kein Kontakt mehr.",
    ],
    CR.MOVED: [
        "In eine andere Stadt gezogen; Kontakt der dortigen Beratungsstelle mitgegeben.",
        "Zu Angehörigen in ein anderes Bundesland gezogen.",
    ],
    CR.OTHER: ["Die Zuständigkeit liegt bei einer anderen Stelle.", "Das Anliegen hat sich erledigt."],
    CR.CONSENT_WITHDRAWN: ["Einwilligung widerrufen; die Beratung ist beendet."],
}
# Sentences that say how many children live with the person: (words, children, adults at least).
CHILDREN_IN_TEXT = [("von zwei Kindern", 2, 1), ("mit drei Kindern", 3, 2), ("das jüngste Kind", 2, 1)]
PENSION_AGE = 63
WITHDRAWAL_NOTES = [
    "Möchte nicht, dass weiter Daten gespeichert werden.",
    "Widerruf schriftlich im Büro abgegeben.",
    "Widerruf telefonisch, schriftliche Bestätigung folgt.",
]

# --- Contacts -------------------------------------------------------------------------------------

M = ContactMode
# Over all contacts on cases: walk-in 35 %, appointment 25 %, phone 15 %, outreach 10 %, home visit
# 7 %, accompaniment 5 %, online 3 %; the first contact (about 30 % of them) mostly walks in.
FIRST_MODE = _Pick((M.WALK_IN, 45), (M.OUTREACH, 20), (M.PHONE, 15), (M.APPOINTMENT, 15), (M.HOME_VISIT, 5))
CASE_MODE = _Pick(
    (M.WALK_IN, 30.7),
    (M.APPOINTMENT, 29.3),
    (M.PHONE, 15),
    (M.OUTREACH, 5.7),
    (M.HOME_VISIT, 7.9),
    (M.ACCOMPANIMENT, 7.1),
    (M.ONLINE, 4.3),
)
ANONYMOUS_MODE = _Pick(
    (M.WALK_IN, 35),
    (M.OUTREACH, 30),
    (M.PHONE, 20),
    (M.APPOINTMENT, 5),
    (M.ONLINE, 5),
    (M.HOME_VISIT, 3),
    (M.ACCOMPANIMENT, 2),
)
DURATION = _Pick((10, 10), (15, 15), (20, 15), (30, 22), (45, 18), (60, 12), (75, 4), (90, 4))
SHORT_DURATION = _Pick((10, 35), (15, 35), (20, 20), (30, 10))
TOPIC_COUNT = _Pick((1, 55), (2, 35), (3, 10))
AGE_BAND = _Pick(
    (AgeBand.UNDER_18, 3),
    (AgeBand.FROM_18, 17),
    (AgeBand.FROM_30, 28),
    (AgeBand.FROM_45, 20),
    (AgeBand.FROM_55, 17),
    (AgeBand.FROM_65, 15),
    ("", 40),
)
ANONYMOUS_GENDER = _Pick((Gender.FEMALE, 48), (Gender.MALE, 36), (Gender.DIVERSE, 1), ("", 15))
FIRST_NOTES = [
    "Erstgespräch: Anliegen aufgenommen, Einwilligung erklärt und unterschrieben.",
    "Erstgespräch im Büro, Unterlagen gesichtet und Vorgehen besprochen.",
    "Erster Kontakt bei der aufsuchenden Arbeit, danach Gespräch im Büro.",
]
CONTACT_NOTES: dict[str, list[str]] = {
    Topic.MONEY: [
        "Mahnungen sortiert und eine Übersicht der Schulden erstellt.",
        "Haushaltsplan gemeinsam aufgestellt.",
        "Ratenzahlung mit dem Energieversorger besprochen und Schreiben vorbereitet.",
        "Kontoauszüge durchgesehen; das Pfändungsschutzkonto ist eingerichtet.",
    ],
    Topic.AUTHORITIES: [
        "Weiterbewilligungsantrag gemeinsam ausgefüllt.",
        "Bescheid des Jobcenters erklärt; die Berechnung stimmt.",
        "Widerspruch formuliert, die Person reicht ihn selbst ein.",
        "Fehlende Unterlagen für die Wohngeldstelle zusammengestellt.",
    ],
    Topic.HOUSING: [
        "Mit der Wohnungsgesellschaft telefoniert, die Räumung ist vorerst abgewendet.",
        "Wohnungsangebote im Viertel durchgesehen.",
        "Schreiben an den Vermieter wegen der Mängel aufgesetzt.",
    ],
    Topic.HEALTH: [
        "Über den Pflegegrad und den Antrag bei der Pflegekasse informiert.",
        "Termin beim Sozialpsychiatrischen Dienst vereinbart.",
        "Schreiben der Krankenkasse erklärt.",
    ],
    Topic.FAMILY: [
        "Über Unterhaltsvorschuss informiert, Antrag mitgegeben.",
        "Gespräch über die Lage in der Familie; Entlastungsangebote aufgezeigt.",
        "Kontakt zur Erziehungsberatung hergestellt.",
    ],
    Topic.CRISIS: [
        "Akute Lage besprochen, die Person wirkt etwas entlastet.",
        "Gemeinsam einen Plan für die nächsten Tage gemacht.",
        "Notfallnummern mitgegeben, kurzfristigen Folgetermin vereinbart.",
    ],
    Topic.WORK: [
        "Lebenslauf überarbeitet und zwei Bewerbungen geschrieben.",
        "Stellenangebote in der Umgebung recherchiert.",
        "Auf das Vorstellungsgespräch vorbereitet.",
        "Über Weiterbildung und Bildungsgutschein gesprochen.",
    ],
    Topic.EDUCATION: [
        "Anmeldung zum Kurs für den Schulabschluss besprochen.",
        "Kitagutschein beantragt.",
        "Über Deutschkurse in der Stadt informiert.",
    ],
    Topic.RESIDENCE: [
        "Termin bei der Ausländerbehörde vorbereitet, Unterlagen geprüft.",
        "Antrag auf Anerkennung des Berufsabschlusses besprochen.",
        "Über Integrations- und Berufssprachkurse informiert.",
    ],
    Topic.EVERYDAY: [
        "Online-Termin beim Bürgeramt gemeinsam gebucht.",
        "Angebote im Stadtteiltreff vorgestellt.",
        "Beim Einrichten des Smartphones geholfen.",
    ],
    Topic.OTHER: [
        "Allgemeines Beratungsgespräch, Anliegen geklärt.",
        "Kurzer Austausch zum Stand der Dinge.",
    ],
}
NEXT_STEPS: dict[str, list[str]] = {
    Topic.MONEY: [
        "Kontoauszüge der letzten drei Monate mitbringen.",
        "Termin bei der Schuldnerberatung wahrnehmen.",
        "Ratenvereinbarung unterschreiben und zurückschicken.",
    ],
    Topic.AUTHORITIES: [
        "Antrag bis Monatsende beim Jobcenter abgeben.",
        "Bescheid abwarten und zum nächsten Termin mitbringen.",
        "Fehlende Nachweise nachreichen.",
    ],
    Topic.HOUSING: [
        "Besichtigungstermin mit dem Vermieter vereinbaren.",
        "Wohnungsbewerbung abgeben.",
        "Übernahme der Mietschulden beim Jobcenter beantragen.",
    ],
    Topic.HEALTH: ["Antrag bei der Pflegekasse stellen.", "Arzttermin wahrnehmen und Bericht mitbringen."],
    Topic.FAMILY: [
        "Antrag auf Unterhaltsvorschuss beim Jugendamt abgeben.",
        "Termin bei der Erziehungsberatung wahrnehmen.",
    ],
    Topic.CRISIS: [
        "Kurzfristiger Folgetermin in dieser Woche.",
        "Rückmeldung nach dem Gespräch mit der Beratungsstelle.",
    ],
    Topic.WORK: [
        "Zwei Bewerbungen bis zum nächsten Termin abschicken.",
        "Termin bei der Arbeitsvermittlung wahrnehmen.",
        "Zeugnisse und Nachweise kopieren.",
    ],
    Topic.EDUCATION: ["Anmeldung zum Kurs abschicken.", "Kitaplatz bei der Stadt anfragen."],
    Topic.RESIDENCE: ["Termin bei der Ausländerbehörde wahrnehmen.", "Übersetzte Zeugnisse besorgen."],
    Topic.EVERYDAY: [
        "Stadtteiltreff am Donnerstag besuchen.",
        "Beim nächsten Mal das Smartphone mitbringen.",
    ],
    Topic.OTHER: ["Meldet sich bei Bedarf wieder."],
}

# --- Help plan, follow-ups, referrals -------------------------------------------------------------

GOAL_COUNT = _Pick((1, 50), (2, 35), (3, 15))
STEP_COUNT = _Pick((0, 20), (1, 35), (2, 30), (3, 15))
GOAL_ACTOR = _Pick((Actor.PERSON, 55), (Actor.CASEWORKER, 30), (Actor.PARTNER, 15))
STEP_ACTOR = _Pick((Actor.PERSON, 60), (Actor.CASEWORKER, 30), (Actor.PARTNER, 10))
GOALS: dict[str, list[str]] = {
    Topic.MONEY: [
        "Überblick über alle Schulden gewinnen",
        "Stromsperre abwenden",
        "Haushaltsbuch führen und Ausgaben senken",
        "Termin bei der Schuldnerberatung wahrnehmen",
    ],
    Topic.AUTHORITIES: [
        "Leistungen vom Jobcenter wieder lückenlos beziehen",
        "Anträge selbstständig und fristgerecht stellen",
        "Wohngeld bewilligt bekommen",
    ],
    Topic.HOUSING: [
        "Wohnung erhalten",
        "Eine bezahlbare größere Wohnung finden",
        "Mängel in der Wohnung beseitigen lassen",
    ],
    Topic.HEALTH: ["Pflegegrad beantragen", "Regelmäßige ärztliche Behandlung sicherstellen"],
    Topic.FAMILY: [
        "Unterhaltsvorschuss erhalten",
        "Entlastung bei der Pflege der Mutter organisieren",
        "Umgang mit den Kindern regeln",
    ],
    Topic.CRISIS: ["Die akute Krise stabilisieren", "Eine sichere Wohnsituation finden"],
    Topic.WORK: [
        "Vollständige Bewerbungsunterlagen erstellen",
        "Eine sozialversicherungspflichtige Stelle finden",
        "Eine Umschulung beginnen",
    ],
    Topic.EDUCATION: [
        "Den Schulabschluss nachholen",
        "Einen Kitaplatz bekommen",
        "Deutschkenntnisse auf B1 verbessern",
    ],
    Topic.RESIDENCE: ["Aufenthaltserlaubnis verlängern", "Berufsabschluss anerkennen lassen"],
    Topic.EVERYDAY: ["Termine selbstständig online buchen", "Anschluss im Stadtteil finden"],
    Topic.OTHER: ["Anliegen klären und passende Stelle finden"],
}
STEPS: dict[str, list[str]] = {
    Topic.MONEY: [
        "Alle Mahnungen und Verträge sammeln",
        "Haushaltsplan erstellen",
        "Gläubiger anschreiben",
        "Pfändungsschutzkonto einrichten",
    ],
    Topic.AUTHORITIES: [
        "Unterlagen zusammenstellen",
        "Antrag ausfüllen",
        "Antrag abgeben und Eingang bestätigen lassen",
        "Bescheid prüfen",
    ],
    Topic.HOUSING: [
        "Gespräch mit der Wohnungsgesellschaft führen",
        "Übernahme der Mietschulden beantragen",
        "Wohnungsangebote durchsehen",
        "Wohnberechtigungsschein beantragen",
    ],
    Topic.HEALTH: [
        "Hausarzttermin vereinbaren",
        "Antrag bei der Pflegekasse stellen",
        "Begutachtung vorbereiten",
    ],
    Topic.FAMILY: [
        "Antrag beim Jugendamt stellen",
        "Entlastungsangebote heraussuchen",
        "Termin bei der Familienberatung",
    ],
    Topic.CRISIS: ["Gespräch mit der Krisenberatung", "Notfallplan aufschreiben"],
    Topic.WORK: [
        "Lebenslauf schreiben",
        "Bewerbungsfoto machen lassen",
        "Drei Bewerbungen abschicken",
        "Vorstellungsgespräch üben",
    ],
    Topic.EDUCATION: ["Kursangebote vergleichen", "Anmeldung abschicken", "Kitagutschein beantragen"],
    Topic.RESIDENCE: [
        "Termin bei der Ausländerbehörde buchen",
        "Zeugnisse übersetzen lassen",
        "Antrag bei der Anerkennungsstelle stellen",
    ],
    Topic.EVERYDAY: ["Smartphone einrichten", "Stadtteiltreff besuchen"],
    Topic.OTHER: ["Zuständige Stelle herausfinden"],
}
FOLLOW_UPS: dict[str, list[str]] = {
    Topic.MONEY: ["Rückmeldung der Schuldnerberatung abfragen", "Ratenzahlung beim Energieversorger prüfen"],
    Topic.AUTHORITIES: [
        "Nachfragen, ob der Antrag beim Jobcenter eingegangen ist",
        "Widerspruchsfrist beachten",
        "Bescheid der Wohngeldstelle prüfen",
    ],
    Topic.HOUSING: ["Wohnungsbesichtigung: Ergebnis erfragen", "Antwort der Wohnungsgesellschaft nachhalten"],
    Topic.HEALTH: ["Termin bei der Pflegekasse nachhalten", "Nachfragen, wie der Arzttermin war"],
    Topic.FAMILY: ["Antrag beim Jugendamt nachhalten", "Nachfragen, wie es in der Familie läuft"],
    Topic.CRISIS: [
        "Anrufen: Wie geht es nach der Krise?",
        "Kurz nachfragen, ob die Beratungsstelle erreicht wurde",
    ],
    Topic.WORK: ["Anrufen: Wie lief das Vorstellungsgespräch?", "Bewerbungsstand besprechen"],
    Topic.EDUCATION: ["Kursanmeldung bestätigt?", "Zusage für den Kitaplatz nachhalten"],
    Topic.RESIDENCE: ["Unterlagen für die Ausländerbehörde vollständig?", "Stand der Anerkennung erfragen"],
    Topic.EVERYDAY: ["Nachfragen, ob der Stadtteiltreff gefallen hat"],
    Topic.OTHER: ["Kurz nachfragen, ob sich das Anliegen erledigt hat"],
}
K = PartnerKind
PARTNER_KINDS_FOR: dict[str, list[str]] = {
    Topic.MONEY: [K.DEBT_COUNSELLING, K.HOUSING],
    Topic.AUTHORITIES: [K.JOBCENTER, K.MUNICIPALITY],
    Topic.HOUSING: [K.HOUSING, K.MUNICIPALITY],
    Topic.HEALTH: [K.HEALTH, K.ADDICTION_COUNSELLING],
    Topic.FAMILY: [K.SCHOOL, K.ASSOCIATION, K.MUNICIPALITY],
    Topic.CRISIS: [K.HEALTH, K.CHURCH, K.ASSOCIATION],
    Topic.WORK: [K.JOBCENTER, K.EMPLOYMENT_AGENCY, K.EMPLOYER],
    Topic.EDUCATION: [K.SCHOOL, K.EMPLOYMENT_AGENCY, K.MIGRATION],
    Topic.RESIDENCE: [K.MIGRATION],
    Topic.EVERYDAY: [K.ASSOCIATION, K.CHURCH],
    Topic.OTHER: [K.ASSOCIATION, K.OTHER],
}
PURPOSES: dict[str, list[str]] = {
    K.JOBCENTER: [
        "Klärung der Leistungen und der Weiterbewilligung",
        "Aufnahme in eine Aktivierungsmaßnahme",
    ],
    K.EMPLOYMENT_AGENCY: ["Berufsberatung und Weiterbildungsmöglichkeiten"],
    K.MUNICIPALITY: [
        "Wohngeldantrag und Wohnberechtigungsschein",
        "Unterstützung durch den Allgemeinen Sozialen Dienst",
    ],
    K.HOUSING: ["Ratenvereinbarung zu den Mietrückständen", "Vermittlung einer passenden Wohnung"],
    K.DEBT_COUNSELLING: ["Schuldnerberatung: Erstgespräch und Schuldenregulierung"],
    K.ADDICTION_COUNSELLING: ["Erstgespräch in der Suchtberatung"],
    K.MIGRATION: ["Beratung zu Aufenthalt und Anerkennung"],
    K.SCHOOL: ["Abstimmung zur Förderung des Kindes"],
    K.ASSOCIATION: ["Begleitung im Alltag durch Ehrenamtliche"],
    K.CHURCH: ["Unterstützung durch Kleiderkammer und Besuchsdienst"],
    K.EMPLOYER: ["Probearbeit und mögliche Einstellung"],
    K.HEALTH: ["Vermittlung an den Sozialpsychiatrischen Dienst"],
    K.OTHER: ["Weitere Unterstützung im Anliegen"],
}
MESSAGES = [
    "Bitte um Rückruf für einen Ersttermin; vormittags gut erreichbar.",
    "Die Unterlagen bringt die Person zum Termin mit.",
    "Ein Termin in den nächsten zwei Wochen wäre wichtig.",
    "Die Person spricht wenig Deutsch; eine Begleitung zum ersten Termin ist möglich.",
    "",
]
RS_ = Referral.Status
RECENT_REFERRAL = _Pick((RS_.SENT, 75), (RS_.ACCEPTED, 25))
OLDER_REFERRAL = _Pick(
    (RS_.COMPLETED, 48), (RS_.ACCEPTED, 28), (RS_.DECLINED, 15), (RS_.SENT, 5), (RS_.WITHDRAWN, 4)
)
DECLINE_REASONS = [
    "Keine freien Kapazitäten in den nächsten drei Monaten.",
    "Nicht zuständig; der Wohnort liegt außerhalb des Einzugsgebiets.",
    "Das Angebot passt nicht zum Anliegen; eine andere Stelle wurde empfohlen.",
]
REFERRAL_OUTCOMES = [
    "Das Erstgespräch hat stattgefunden, die Beratung läuft dort weiter.",
    "Eine Ratenvereinbarung wurde geschlossen.",
    "Die Person wurde in die Maßnahme aufgenommen.",
    "Das Anliegen wurde geklärt, weitere Unterstützung ist nicht nötig.",
]
OVERRIDE_REASONS = [
    "Akute Wohnungsnotlage, Einwilligung wird nachgeholt.",
    "Stromsperre am Folgetag; mündliches Einverständnis, die schriftliche Einwilligung folgt.",
]
SHARING_KINDS = _Pick(
    (K.JOBCENTER, 30),
    (K.DEBT_COUNSELLING, 20),
    (K.HOUSING, 15),
    (K.MUNICIPALITY, 15),
    (K.MIGRATION, 10),
    (K.HEALTH, 10),
)
# Versions of the consent forms, by the day they took effect.
FORM_VERSIONS = [(date(2023, 1, 1), "2021-07"), (date(2025, 7, 1), "2023-01"), (date.max, "2025-07")]


CONTACT_COLUMNS = [
    "site_id", "case_id", "occurred_on", "mode", "duration_minutes", "age_band", "gender", "note",
    "next_step", "author_id",
]  # fmt: skip


def _age(person: Person, day: date) -> int | None:
    return person.age_on(day)


def _version(day: date) -> str:
    return next(version for until, version in FORM_VERSIONS if day < until)


def _workday(day: date, lo: date, hi: date) -> date:
    """A weekend day moved to the Friday before or the Monday after, within [lo, hi] if possible."""
    weekday = day.weekday()
    if weekday < 5:
        return day
    before = day - timedelta(days=weekday - 4)
    if before >= lo:
        return before
    after = day + timedelta(days=7 - weekday)
    return after if after <= hi else day


def _insert(
    model: type[models.Model], columns: list[str], rows: list[list[Any]], *, returning: bool
) -> list[Any]:
    """Write `rows` (values in the order of `columns`) with one multi-row INSERT per batch.

    This is what bulk_create does, without its per-value preparation, which would take most of the
    demo's time: the values here are already plain str, int, bool, date or None. The timestamps of
    TimeStampedModel are set here. With `returning`, the primary keys come back in row order, as
    bulk_create relies on for SQLite (≥ 3.35) and PostgreSQL.
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    stamps = [
        str(f.column)
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
    ]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    names = ", ".join(quote(column) for column in [*columns, *stamps])
    placeholders = "(" + ", ".join(["%s"] * (len(columns) + len(stamps))) + ")"
    table, pk = quote(model._meta.db_table), model._meta.pk
    assert pk is not None
    suffix = f" RETURNING {quote(str(pk.column))}" if returning else ""
    limit = connection.features.max_query_params or 30000
    batch = max(1, min(1000, limit // (len(columns) + len(stamps))))
    keys: list[Any] = []
    with connection.cursor() as cursor:
        for offset in range(0, len(rows), batch):
            chunk = rows[offset : offset + batch]
            values = ", ".join([placeholders] * len(chunk))
            params = [value for row in chunk for value in [*row, *[now] * len(stamps)]]
            # Only quoted table and column names go into the text; every value is a parameter.
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {values}{suffix}", params)  # noqa: S608  # nosec B608
            if returning:
                keys.extend(row[0] for row in cursor.fetchall())
    return keys


def _insert_objects(model: type[models.Model], objects: list[Any]) -> None:
    """Write unsaved model instances and give each its primary key.

    A foreign key to an object created earlier in this run is read from the related object, which
    has its primary key by then (as bulk_create does).
    """
    if not objects:
        return
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not (isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add))
    ]
    relations = [f for f in fields if f.is_relation]
    rows = []
    for obj in objects:
        for f in relations:
            if getattr(obj, f.attname) is None:
                # Without an id the descriptor returns the cached object (or None), never queries.
                related = getattr(obj, f.name)
                if related is not None:
                    setattr(obj, f.attname, related.pk)
        rows.append([getattr(obj, f.attname) for f in fields])
    keys = _insert(model, [str(f.column) for f in fields], rows, returning=True)
    alias = router.db_for_write(model)
    for obj, key in zip(objects, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = alias


@dataclass
class _Rows:
    """Everything built in memory, written model by model at the end (one INSERT per batch)."""

    persons: list[Person] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    needs: list[tuple[Case, str]] = field(default_factory=list)
    # Contacts are the bulk of the data: plain rows in CONTACT_COLUMNS order (the case as an object
    # until it has its key), and their topics by the contact's index in this list.
    contacts: list[list[Any]] = field(default_factory=list)
    contact_topics: list[tuple[int, str]] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    steps: list[GoalStep] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)

    def save(self) -> None:
        # In this order every row finds the primary keys of the rows it refers to.
        _insert_objects(Person, self.persons)
        _insert_objects(Consent, self.consents)
        _insert_objects(Case, self.cases)
        needs = [[case.pk, topic] for case, topic in self.needs]
        _insert(CaseNeed, ["case_id", "topic"], needs, returning=False)
        for row in self.contacts:
            row[1] = row[1] and row[1].pk
        keys = _insert(Contact, CONTACT_COLUMNS, self.contacts, returning=True)
        topics = [[keys[index], topic] for index, topic in self.contact_topics]
        _insert(ContactTopic, ["contact_id", "topic"], topics, returning=False)
        _insert_objects(Goal, self.goals)
        _insert_objects(GoalStep, self.steps)
        _insert_objects(FollowUp, self.follow_ups)
        _insert_objects(Referral, self.referrals)


@dataclass
class _PersonPlan:
    person: Person
    origin: str
    first_contact: date
    sharing: list[Consent] = field(default_factory=list)


class _SiteDemo:
    """The case work of one site, from its start (or three years back) up to today."""

    def __init__(
        self,
        ctx: DemoContext,
        site: Site,
        team: list[tuple[Any, str]],
        partners: list[Partner],
        start: date,
        today: date,
        rows: _Rows,
        contact_density: float = 1.0,
    ) -> None:
        self.ctx, self.rng, self.faker = ctx, ctx.rng, ctx.faker
        self.site, self.start, self.today, self.rows = site, start, today, rows
        self.partners = partners
        self.users = [user for user, _ in team]
        persona = ctx.users.get(PERSONAS.get(site.code, ""))
        self.persona = persona if persona in self.users else None
        weights = [0.6 if role == Role.SITE_LEAD else 1.0 for user, role in team if user != self.persona]
        others = [user for user, _ in team if user != self.persona]
        if self.persona is not None:
            # The demo login gets about 60 % of the site's cases, so its work list is full.
            others.append(self.persona)
            weights.append(1.5 * sum(weights) if weights else 1.0)
        self.caseworker_pick = _Pick(*zip(others, weights, strict=True))
        self.town = site.town or site.district.name
        self.postcode = site.postcode or POSTCODES.get(self.town, "")
        # A neighbourhood has a handful of streets; most persons live in them.
        self.streets = [self.faker.street_name() for _ in range(self.rng.randint(8, 14))]
        self.cases: list[Case] = []
        self.case_contacts = 0
        self.contact_density = contact_density

    # Dates

    def _day(self, lo: date, hi: date) -> date:
        if hi <= lo:
            return lo
        return lo + timedelta(days=self.rng.randint(0, (hi - lo).days))

    def _workday_between(self, lo: date, hi: date) -> date:
        return _workday(self._day(lo, hi), lo, hi)

    def _opening_days(self, count: int, recent: int) -> list[date]:
        """`count` opening days over the site's period, at least `recent` of them in the last weeks."""
        days = sorted(self._workday_between(self.start, self.today) for _ in range(count))
        recent_from = max(self.start, self.today - timedelta(days=45))
        recent_to = max(recent_from, self.today - timedelta(days=10))
        missing = min(count, recent) - sum(day >= recent_from for day in days)
        for index in range(missing):
            days[-1 - index] = self._workday_between(recent_from, recent_to)
        return sorted(days)

    # Generation

    def run(self, count: int | None = None) -> None:
        """Generate the site's case work: `count` persons, or as many as the site's yearly rate and
        the demo's scale give."""
        if count is None:
            per_year = self.rng.triangular(*PERSONS_PER_YEAR)
            count = max(1, round(per_year * _years(self.start, self.today) * self.ctx.scale))
        recent = 2 if self.persona is not None else 1
        days = self._opening_days(count, recent)
        plans = []
        for index, opened_on in enumerate(days):
            # The last ones are recent on purpose: open cases for the demo login's work list.
            forced = index >= len(days) - recent
            plans.append(self._person_with_cases(opened_on, forced=forced))
        if self.site.code == DUPLICATE_SITE:
            self._near_duplicates(plans)
        self._anonymous_contacts()
        self._number_cases()
        if self.persona is not None:
            self._fill_work_list()

    def _person_with_cases(self, opened_on: date, *, forced: bool) -> _PersonPlan:
        rng = self.rng
        earlier = None
        if not forced and rng.random() < SECOND_CASE_SHARE:
            day = opened_on - timedelta(days=rng.randint(200, 900))
            earlier = _workday(day, self.start, opened_on) if day >= self.start else None
        plan = self._person(earlier or opened_on)
        if earlier is not None:
            # An earlier case, closed well before the person came back.
            self._case(plan, earlier, until=opened_on - timedelta(days=30), earlier=True)
        caseworker = self.persona if forced and self.persona is not None else None
        self._case(plan, opened_on, until=self.today, caseworker=caseworker, forced=forced)
        return plan

    def _person(self, first_contact: date) -> _PersonPlan:
        rng, faker = self.rng, self.faker
        origin = ORIGIN(rng)
        gender = GENDER(rng)
        female = gender == Gender.FEMALE or (gender == Gender.DIVERSE and rng.random() < 0.5)
        if origin == GERMAN:
            first = faker.first_name_female() if female else faker.first_name_male()
            last = faker.last_name()
        else:
            females, males, lasts = NAMES[origin]
            first = rng.choice(females if female else males)
            last = rng.choice(lasts)
            if female and last.endswith(("ow", "ew")):
                last += "a"
            elif female and last.endswith("ski"):
                last = last[:-1] + "a"
        low, high = AGE(rng)
        # At least `age` full years (leap days included) before the first contact, less than age + 1.
        age = rng.randint(low, high)
        birth = first_contact - timedelta(days=(age * 1461) // 4 + 1 + rng.randint(0, 362))
        size = (LARGE_HOUSEHOLD if origin in ("arabic", "syrian", "turkish") else HOUSEHOLD)(rng)
        household = None if rng.random() < 0.08 else size
        children = None if household is None else rng.randint(0, max(0, household - 1 - (rng.random() < 0.6)))
        in_neighbourhood = rng.choices([True, False, None], cum_weights=[85, 95, 100])[0]
        street = rng.choice(self.streets) if in_neighbourhood else faker.street_name()
        has_email = rng.random() < 0.25
        person = Person(
            site_id=self.site.pk,
            first_name=first,
            last_name=last,
            birth_date=birth if rng.random() < 0.95 else None,
            gender=gender,
            street=f"{street} {rng.randint(1, 60)}" if rng.random() < 0.95 else "",
            postcode=self.postcode,
            town=self.town,
            in_neighbourhood=in_neighbourhood,
            phone=self._phone() if rng.random() < 0.85 else "",
            email=self._email(first, last) if has_email else "",
            household_size=household,
            children=children,
            languages=LANGUAGES[origin](rng),
            residence_status=RESIDENCE[origin](rng),
            disability=DISABILITY(rng),
            name_key=name_key(last, first),
            last_name_sound=name_sound(last),
        )
        self.rows.persons.append(person)
        return _PersonPlan(person, origin, first_contact)

    def _email(self, first: str, last: str) -> str:
        local = f"{name_key(first).replace(' ', '.')}.{name_key(last).replace(' ', '')}"
        return f"{local}@{self.rng.choice(MAIL_DOMAINS)}"

    def _phone(self) -> str:
        rng = self.rng
        if rng.random() < 0.75:
            prefix = rng.choice(["151", "152", "157", "160", "162", "170", "171", "172", "176"])
            return f"0{prefix} {rng.randint(1000000, 99999999)}"
        return f"0{rng.randint(3400, 3699)} {rng.randint(10000, 999999)}"

    def _case(
        self,
        plan: _PersonPlan,
        opened_on: date,
        *,
        until: date,
        caseworker: Any = None,
        earlier: bool = False,
        forced: bool = False,
    ) -> None:
        rng, today = self.rng, self.today
        caseworker = caseworker or self.caseworker_pick(rng)
        needs = self._needs(plan.origin, _age(plan.person, opened_on))
        days = self._contact_days(opened_on, until, 4 if earlier else None)
        last = days[-1]
        withdrawn_on = None
        status, closed_on, reason = Case.Status.OPEN, None, ""
        if earlier:
            status, reason = Case.Status.CLOSED, CLOSE_REASON(rng)
            closed_on = self._day(last, min(last + timedelta(days=60), until))
        elif not forced and rng.random() < WITHDRAWAL_SHARE and last + timedelta(days=1) <= today:
            withdrawn_on = self._day(last + timedelta(days=1), min(last + timedelta(days=30), today))
            status, reason = Case.Status.CLOSED, CR.CONSENT_WITHDRAWN
            closed_on = self._day(withdrawn_on, min(withdrawn_on + timedelta(days=3), today))
        elif (today - last).days > STALE_AFTER_DAYS:
            status, reason = Case.Status.CLOSED, CLOSE_REASON(rng)
            closed_on = self._day(last, last + timedelta(days=60))
        elif not forced and (today - last).days > 21 and rng.random() < 0.15:
            status, reason = Case.Status.CLOSED, rng.choice([CR.GOALS_ACHIEVED, CR.REFERRED])
            closed_on = self._day(last, today)
        situation = " ".join(self._situation(plan.person, topic, opened_on) for topic in needs[:2])
        self._fit_household(plan.person, situation)
        notes = rng.choice(CASE_NOTES)
        if "Kinder" in notes and not plan.person.children:
            notes = ""
        case = Case(
            site=self.site,
            person=plan.person,
            caseworker=caseworker,
            status=status,
            opened_on=opened_on,
            closed_on=closed_on,
            close_reason=reason,
            outcome=self._outcome(reason, needs[0]),
            life_situation=situation,
            notes=notes,
            health_note=rng.choice(HEALTH_NOTES) if rng.random() < 0.12 else "",
            addiction_note=rng.choice(ADDICTION_NOTES) if rng.random() < 0.05 else "",
            criminal_record_note=rng.choice(CRIMINAL_RECORD_NOTES) if rng.random() < 0.03 else "",
        )
        self.rows.cases.append(case)
        self.cases.append(case)
        self.rows.needs.extend((case, topic) for topic in needs)
        self._consents(plan, case, withdrawn_on, first=not plan.sharing and not earlier)
        self._contacts(case, needs, days)
        self._goals(case, needs)
        self._follow_ups(case, needs)
        if self.partners and rng.random() < REFERRAL_SHARE:
            self._referral(plan, case, needs, days)

    @staticmethod
    def _text(text: Text, female: bool) -> str:
        if isinstance(text, str):
            return text
        return text[0] if female else text[1]

    def _situation(self, person: Person, topic: str, day: date) -> str:
        female = person.gender == Gender.FEMALE
        texts = [self._text(text, female) for text in LIFE_SITUATION[topic]]
        age = _age(person, day)
        fitting = [text for text in texts if "Rentner" not in text or (age or 0) >= PENSION_AGE]
        return self.rng.choice(fitting or texts)

    @staticmethod
    def _fit_household(person: Person, situation: str) -> None:
        for words, children, adults in CHILDREN_IN_TEXT:
            if words in situation:
                person.children = max(person.children or 0, children)
                person.household_size = max(person.household_size or 0, person.children + adults)

    def _outcome(self, reason: str, topic: str) -> str:
        if not reason:
            return ""
        if reason == CR.GOALS_ACHIEVED:
            return self.rng.choice(ACHIEVED[topic])
        return self.rng.choice(
            REFERRED.get(topic, OUTCOMES[reason]) if reason == CR.REFERRED else OUTCOMES[reason]
        )

    def _needs(self, origin: str, age: int | None) -> list[str]:
        pick = NEED if origin == GERMAN else MIGRANT_NEED
        needs: list[str] = []
        for _ in range(NEED_COUNT(self.rng)):
            topic = pick(self.rng)
            if age is not None and age >= 65 and topic in (Topic.WORK, Topic.EDUCATION):
                topic = self.rng.choice([Topic.HEALTH, Topic.EVERYDAY, Topic.MONEY])
            if topic not in needs:
                needs.append(topic)
        return needs

    def _contact_days(self, opened_on: date, until: date, at_most: int | None) -> list[date]:
        rng, density = self.rng, self.contact_density
        count = CONTACT_COUNT(rng)
        if at_most is not None:
            count = min(count, at_most)
        if density != 1.0:
            # More contacts in the same span of time: counselled more closely, not for longer.
            count = max(1, round(count * density))
        days = [opened_on]
        day = opened_on
        for _ in range(count - 1):
            low, high = GAP_DAYS(rng)
            gap = rng.randint(low, high)
            day = day + timedelta(days=gap if density == 1.0 else max(1, round(gap / density)))
            if day.weekday() >= 5:
                day += timedelta(days=7 - day.weekday())
            if day > until:
                break
            days.append(day)
        return days

    def _consents(self, plan: _PersonPlan, case: Case, withdrawn_on: date | None, *, first: bool) -> None:
        rng, opened_on = self.rng, case.opened_on
        version = _version(opened_on)
        consents = [
            Consent(
                person=plan.person,
                purpose=Consent.Purpose.COUNSELLING,
                text_version=f"Einwilligung Beratung und Dokumentation, Fassung {version}",
                given_on=opened_on,
                taken_by_id=case.caseworker_id,
                withdrawn_on=withdrawn_on,
                form=Consent.Form.WRITTEN,
                withdrawal_note=rng.choice(WITHDRAWAL_NOTES) if withdrawn_on else "",
            )
        ]
        if first and rng.random() < SHARING_SHARE:
            consents.append(self._sharing(plan, case, opened_on, kind=self._sharing_kind(case)))
        if first and rng.random() < ESF_SHARE:
            consents.append(
                Consent(
                    person=plan.person,
                    purpose=Consent.Purpose.ESF,
                    text_version="ESF-Plus-Teilnahmeerklärung mit Datenschutzhinweisen, Fassung 2022-07",
                    form=Consent.Form.WRITTEN,
                    given_on=opened_on,
                    taken_by_id=case.caseworker_id,
                )
            )
        self.rows.consents.extend(consents)

    def _sharing_kind(self, case: Case) -> str:
        kinds = sorted({partner.kind for partner in self.partners})
        return self.rng.choice(kinds) if kinds and self.rng.random() < 0.7 else SHARING_KINDS(self.rng)

    def _sharing(
        self, plan: _PersonPlan, case: Case, day: date, *, kind: str = "", partner: Partner | None = None
    ) -> Consent:
        """A sharing consent for a type of partner or a named one; the caller adds it to the rows."""
        consent = Consent(
            person=plan.person,
            purpose=Consent.Purpose.SHARING,
            partner_id=partner.pk if partner is not None else None,
            partner_kind="" if partner is not None else kind,
            text_version=f"Schweigepflichtentbindung Netzwerkpartner, Fassung {_version(day)}",
            form=Consent.Form.ELECTRONIC if self.rng.random() < 0.1 else Consent.Form.WRITTEN,
            given_on=day,
            taken_by_id=case.caseworker_id,
            expires_on=day + timedelta(days=730) if self.rng.random() < 0.3 else None,
        )
        plan.sharing.append(consent)
        return consent

    def _author(self, caseworker: int) -> int:
        # Now and then a colleague stands in (holidays, illness).
        if len(self.users) > 1 and self.rng.random() < 0.1:
            return int(self.rng.choice(self.users).pk)
        return caseworker

    def _contacts(self, case: Case, needs: list[str], days: list[date]) -> None:
        rng, rows = self.rng, self.rows
        for index, day in enumerate(days):
            if index == 0:
                topics = list(needs)
                mode, note = FIRST_MODE(rng), rng.choice(FIRST_NOTES)
            else:
                topics = self._contact_topics(needs)
                mode, note = CASE_MODE(rng), rng.choice(CONTACT_NOTES[topics[0]])
            closing = case.closed_on is not None and index == len(days) - 1
            next_step = "" if closing or rng.random() < 0.15 else rng.choice(NEXT_STEPS[topics[0]])
            duration = (SHORT_DURATION if mode == M.PHONE else DURATION)(rng)
            author = self._author(case.caseworker_id)
            number = len(rows.contacts)
            rows.contacts.append([self.site.pk, case, day, mode, duration, "", "", note, next_step, author])
            rows.contact_topics.extend((number, topic) for topic in topics)
        self.case_contacts += len(days)

    def _contact_topics(self, needs: list[str]) -> list[str]:
        topics: list[str] = []
        for _ in range(TOPIC_COUNT(self.rng)):
            topic = self.rng.choice(needs) if self.rng.random() < 0.8 else NEED(self.rng)
            if topic not in topics:
                topics.append(topic)
        return topics

    def _anonymous_contacts(self) -> None:
        rng, rows = self.rng, self.rows
        count = max(1, round(self.case_contacts * ANONYMOUS_SHARE / (1 - ANONYMOUS_SHARE)))
        for _ in range(count):
            day = self._workday_between(self.start, self.today)
            mode = ANONYMOUS_MODE(rng)
            duration = SHORT_DURATION(rng) if rng.random() < 0.7 else DURATION(rng)
            age_band, gender, author = AGE_BAND(rng), ANONYMOUS_GENDER(rng), rng.choice(self.users).pk
            # Anonymous: no case, and no note or next step (a database constraint).
            number = len(rows.contacts)
            rows.contacts.append([self.site.pk, None, day, mode, duration, age_band, gender, "", "", author])
            topics = self._contact_topics([NEED(rng)])
            rows.contact_topics.extend((number, topic) for topic in topics)

    def _goals(self, case: Case, needs: list[str]) -> None:
        rng, today = self.rng, self.today
        if rng.random() >= GOAL_SHARE:
            return
        end = case.closed_on or today
        titles: set[str] = set()
        for index in range(GOAL_COUNT(rng)):
            topic = needs[index % len(needs)]
            title = rng.choice(GOALS[topic])
            if title in titles:
                continue
            titles.add(title)
            status, done_on = Progress.OPEN, None
            if case.closed_on is not None:
                likely = case.close_reason in (CR.GOALS_ACHIEVED, CR.REFERRED)
                status = Progress.ACHIEVED if rng.random() < (0.75 if likely else 0.35) else Progress.GIVEN_UP
                done_on = self._day(case.opened_on, end)
            elif (today - case.opened_on).days > 30 and rng.random() < 0.3:
                status, done_on = Progress.ACHIEVED, self._day(case.opened_on + timedelta(days=7), today)
            goal = Goal(
                case=case,
                title=title,
                topic=topic,
                who_acts=GOAL_ACTOR(rng),
                due_on=case.opened_on + timedelta(days=rng.randint(21, 150)),
                status=status,
                done_on=done_on,
            )
            self.rows.goals.append(goal)
            self._steps(case, goal, topic)

    def _steps(self, case: Case, goal: Goal, topic: str) -> None:
        rng = self.rng
        options = STEPS[topic]
        for title in rng.sample(options, min(STEP_COUNT(rng), len(options))):
            assert goal.due_on is not None
            due_on = self._day(case.opened_on + timedelta(days=3), goal.due_on)
            if goal.done_on is not None:
                status = Progress.ACHIEVED if rng.random() < 0.85 else Progress.GIVEN_UP
                done_on: date | None = self._day(case.opened_on, goal.done_on)
            elif rng.random() < 0.45:
                status, done_on = Progress.ACHIEVED, self._day(case.opened_on, self.today)
            else:
                status, done_on = Progress.OPEN, None
            self.rows.steps.append(
                GoalStep(
                    goal=goal,
                    title=title,
                    who_acts=STEP_ACTOR(rng),
                    due_on=due_on,
                    status=status,
                    done_on=done_on,
                )
            )

    def _follow_up(self, case: Case, topic: str, due_on: date, done_on: date | None) -> None:
        self.rows.follow_ups.append(
            FollowUp(
                case=case,
                due_on=due_on,
                subject=self.rng.choice(FOLLOW_UPS[topic]),
                assigned_to_id=case.caseworker_id,
                created_by_id=case.caseworker_id,
                done_on=done_on,
            )
        )

    def _follow_ups(self, case: Case, needs: list[str]) -> None:
        rng, today, opened_on = self.rng, self.today, case.opened_on
        if case.closed_on is not None:
            if rng.random() < 0.5:
                due_on = self._day(opened_on, case.closed_on)
                self._follow_up(case, rng.choice(needs), due_on, self._day(due_on, case.closed_on))
            return
        if (today - opened_on).days > 14 and rng.random() < 0.3:
            due_on = self._day(opened_on, today - timedelta(days=7))
            self._follow_up(case, rng.choice(needs), due_on, self._day(due_on, due_on + timedelta(days=4)))
        for _ in range(rng.choices([0, 1, 2], cum_weights=[30, 75, 100])[0]):
            days_open = (today - opened_on).days
            if days_open > 0 and rng.random() < 0.2:
                due_on = today - timedelta(days=rng.randint(1, min(14, days_open)))
            else:
                due_on = today + timedelta(days=rng.randint(0, 21))
            self._follow_up(case, rng.choice(needs), due_on, None)

    def _referral(self, plan: _PersonPlan, case: Case, needs: list[str], days: list[date]) -> None:
        rng, today = self.rng, self.today
        kinds = {kind for topic in needs for kind in PARTNER_KINDS_FOR[topic]}
        fitting = [partner for partner in self.partners if partner.kind in kinds]
        partner = rng.choice(fitting or self.partners)
        sent_on = rng.choice(days)
        consent = next(
            (c for c in plan.sharing if c.covers_partner(partner) and c.is_valid_on(sent_on)),
            None,
        )
        override = ""
        if consent is None:
            if rng.random() < 0.02:
                override = rng.choice(OVERRIDE_REASONS)
            else:
                # The consent is taken in the conversation in which the referral is made.
                named = rng.random() < 0.2
                consent = self._sharing(
                    plan, case, sent_on, kind=partner.kind, partner=partner if named else None
                )
                self.rows.consents.append(consent)
        age = (today - sent_on).days
        status = RECENT_REFERRAL(rng) if age <= 14 else OLDER_REFERRAL(rng)
        answered = status in (RS_.ACCEPTED, RS_.DECLINED, RS_.COMPLETED)
        # A referral names one of the partner's services (taken in turn, so that the random stream of
        # the rest of the demo stays as it was).
        services = getattr(partner, "demo_services", [])
        service = services[len(self.rows.referrals) % len(services)] if services else None
        self.rows.referrals.append(
            Referral(
                case=case,
                partner_id=partner.pk,
                service_id=service.pk if service is not None else None,
                purpose=rng.choice(PURPOSES.get(partner.kind, PURPOSES[K.OTHER])),
                message=rng.choice(MESSAGES),
                consent=consent,
                consent_override_reason=override,
                status=status,
                sent_on=sent_on,
                answered_on=min(today, sent_on + timedelta(days=rng.randint(1, 14))) if answered else None,
                answered_by=f"{rng.choice(['Frau', 'Herr'])} {self.faker.last_name()}" if answered else "",
                decline_reason=rng.choice(DECLINE_REASONS) if status == RS_.DECLINED else "",
                outcome=rng.choice(REFERRAL_OUTCOMES) if status == RS_.COMPLETED else "",
                created_by_id=case.caseworker_id,
            )
        )

    def _near_duplicates(self, plans: list[_PersonPlan]) -> None:
        """Pairs of records that are probably one person who came back and was recorded again: same
        first name and birth date, last name spelt differently (Müller/Mueller, Meyer/Maier)."""
        rng = self.rng
        pairs = max(1, min(len(DUPLICATE_SPELLINGS), round(10 * self.ctx.scale)))
        german = [plan for plan in plans if plan.origin == GERMAN and plan.person.birth_date]
        rng.shuffle(german)
        found: list[tuple[_PersonPlan, _PersonPlan]] = []
        for first in german:
            if len(found) == pairs:
                break
            taken = {id(plan) for pair in found for plan in pair}
            second = next(
                (
                    plan
                    for plan in german
                    if id(plan) not in taken
                    and plan.person.gender == first.person.gender
                    and plan.first_contact > first.first_contact
                ),
                None,
            )
            if id(first) not in taken and second is not None:
                found.append((first, second))
        for (first, second), (spelling, variant) in zip(found, DUPLICATE_SPELLINGS, strict=False):
            for person, last in ((first.person, spelling), (second.person, variant)):
                person.last_name = last
                person.first_name = first.person.first_name
                person.birth_date = first.person.birth_date
                person.name_key = name_key(last, person.first_name)
                person.last_name_sound = name_sound(last)

    def _number_cases(self) -> None:
        """References SITE-YEAR-NNNN, numbered per site and year in the order the cases were opened."""
        counters: dict[int, int] = {}
        for case in sorted(self.cases, key=lambda case: case.opened_on):  # stable: ties keep their order
            year = case.opened_on.year
            counters[year] = counters.get(year, 0) + 1
            case.reference = f"{self.site.code}-{year}-{counters[year]:04d}"

    def _fill_work_list(self) -> None:
        """Make sure the demo login has an overdue and an upcoming follow-up on its work list."""
        assert self.persona is not None
        today, persona = self.today, self.persona.pk
        cases = [case for case in self.cases if case.caseworker_id == persona and case.is_open]
        if not cases:
            return
        ids = {id(case) for case in cases}
        mine = [f for f in self.rows.follow_ups if id(f.case) in ids and f.done_on is None]
        case = min(cases, key=lambda case: case.opened_on)
        if not any(f.due_on < today for f in mine):
            due_on = today - timedelta(days=self.rng.randint(1, 5))
            self._follow_up(case, Topic.AUTHORITIES, due_on, None)
        if not any(f.due_on >= today for f in mine):
            due_on = today + timedelta(days=self.rng.randint(1, 10))
            self._follow_up(case, Topic.WORK, due_on, None)


def _years(start: date, today: date) -> float:
    return ((today - start).days + 1) / 365.25


def _fixed_counts(
    ctx: DemoContext, sites: list[Site], starts: dict[int, date], today: date
) -> dict[int, int]:
    """Persons per site adding up to exactly `ctx.persons`, shared by each site's yearly rate and
    span; sets the scale every later part of the demo grows by. Empty without `ctx.persons`."""
    if ctx.persons is None or not sites:
        return {}
    weights = {
        site.pk: ctx.rng.triangular(*PERSONS_PER_YEAR) * _years(starts[site.pk], today) for site in sites
    }
    total = sum(weights.values())
    ctx.scale = ctx.persons / total
    exact = {pk: ctx.persons * weight / total for pk, weight in weights.items()}
    counts = {pk: int(share) for pk, share in exact.items()}
    # Largest remainders first, so that the counts add up to the number asked for.
    for pk in sorted(exact, key=lambda pk: exact[pk] - counts[pk], reverse=True)[
        : ctx.persons - sum(counts.values())
    ]:
        counts[pk] += 1
    return {pk: max(1, count) for pk, count in counts.items()}


def generate(ctx: DemoContext) -> None:
    if ctx.scale <= 0:
        return
    today = timezone.localdate()
    period_start = date(today.year - YEARS + 1, 1, 1)
    sites = list(Site.objects.filter(status=Site.Status.ACTIVE).select_related("district").order_by("code"))
    teams: dict[int, list[tuple[Any, str]]] = {}
    memberships = (
        Membership.objects.filter(site__in=sites, role__in=[Role.CASEWORKER, Role.SITE_LEAD])
        .select_related("user")
        .order_by("user__email")
    )
    for membership in memberships:
        assert membership.site_id is not None
        teams.setdefault(membership.site_id, []).append((membership.user, membership.role))
    partners: dict[int, list[Partner]] = {}
    offered = Service.objects.filter(is_active=True).order_by("pk")
    links = (
        SitePartner.objects.filter(site__in=sites, partner__is_active=True)
        .select_related("partner")
        .prefetch_related(Prefetch("partner__services", queryset=offered, to_attr="demo_services"))
        .order_by("partner__name", "partner__town")
    )
    for link in links:
        partners.setdefault(link.site_id, []).append(link.partner)
    rows = _Rows()
    spans = {
        site.pk: start
        for site in sites
        if site.pk in teams and (start := max(period_start, site.starts_on or period_start)) <= today
    }
    counts = _fixed_counts(ctx, [site for site in sites if site.pk in spans], spans, today)
    density = 1.0 if ctx.contacts is None else ctx.contacts / (CONTACTS_PER_PERSON * (ctx.persons or 1))
    for site in sites:
        if site.pk not in spans:
            continue
        demo = _SiteDemo(
            ctx, site, teams[site.pk], partners.get(site.pk, []), spans[site.pk], today, rows, density
        )
        demo.run(counts.get(site.pk))
    rows.save()
    ctx.cases.extend(rows.cases)
