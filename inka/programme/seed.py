"""The ThINKA seed: the 22 districts, the programme, its funding rounds and its known sites (P5).

Source of the site facts: the research note "ThINKA monitoring, sites, programme figures and
guideline indicators" (§2, §3), which cites a public web page for every fact. Rules used here:

* Only verified facts fill fields. Unknown values stay empty; inferences stay out of the fields and
  are mentioned in the internal notes (`Site.notes`, `SitePeriod.note`), together with the sources.
* Dates carry their precision (month, quarter, year) when the source gives no exact day.
* Coordinates are geographic facts, not ThINKA facts: the approximate centre of the town or the
  neighbourhood, never an office address. They lie inside the site's district polygon (tested).

Re-running is safe: districts are reference data and are updated from the GeoJSON; everything else
is create-only, so whatever users have edited since (a site's fields, its history) is left alone.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django_scopes import scopes_disabled

from inka.core.audit import audit
from inka.programme.map import load_geojson
from inka.programme.models import (
    Carrier,
    DatePrecision,
    District,
    FundingRound,
    Programme,
    Site,
    SitePeriod,
)

DAY = DatePrecision.DAY
MONTH = DatePrecision.MONTH
QUARTER = DatePrecision.QUARTER
YEAR = DatePrecision.YEAR

DISTRICT_KINDS = {
    "Landkreis": District.Kind.RURAL,
    "Kreisfreie Stadt": District.Kind.URBAN,
}

# Frequently cited sources.
JURY_POST = "https://www.thinka.de/blog/jury-begutachtet-interessenbekundungen-und-fordert-elf-trager-zu"
JURY_NOTE = (
    "Start: Laut Jury-Beitrag (Dezember 2012) sollten alle elf ausgewählten Projekte am 1. März 2013 "
    "beginnen; daher 01.03.2013 mit Genauigkeit Monat."
)
COORDINATES_NOTE = "Koordinaten: ungefähre Mitte von {place} (geografische Näherung, nicht die Büroadresse)."


def load_districts() -> None:
    """Create or update the 22 districts of Thuringia from the bundled GeoJSON (key = AGS)."""
    with transaction.atomic():
        for feature in load_geojson()["features"]:
            properties = feature["properties"]
            District.objects.update_or_create(
                key=properties["ags"],
                defaults={"name": properties["name"], "kind": DISTRICT_KINDS[properties["type"]]},
            )


PROGRAMME = {
    "name": "Thüringer Initiative für Integration, Nachhaltigkeit, Kooperation und Aktivierung",
    "coordinating_body": (
        "ThASG – Thüringer Arbeitsgemeinschaft Soziale Stadtentwicklung und Gemeinwesenarbeit e.V. "
        "(Koordinierungsstelle, Jena)"
    ),
    "description": (
        "ThINKA ist ein Programm des Freistaats Thüringen, gefördert aus dem Europäischen Sozialfonds "
        "(ESF, heute ESF Plus) und landesweit koordiniert von der ThASG. Es begann im ersten Quartal "
        "2013 mit elf Standorten und ist seitdem gewachsen. An jedem Standort arbeitet ein kleines Team "
        "von Bürgerlotsinnen und Bürgerlotsen eines Trägers in einem Sozialraum und verbindet zwei "
        "Ansätze: Einzelfallarbeit (Beratung, Begleitung und Vermittlung bei Alltagsproblemen, "
        "Behördenangelegenheiten und Krisen, immer als Hilfe zur Selbsthilfe, auch mit Blick auf die "
        "berufliche Integration) und Sozialraumarbeit (aufsuchende Arbeit und Gemeinwesenprojekte, die "
        "das soziale und kulturelle Leben und das Ehrenamt stärken). Ein Netzwerk kooperierender "
        "Einrichtungen, eine Steuerungsgruppe je Standort und ein Monitoring aller Standorte machen die "
        "Arbeit und ihre Ergebnisse sichtbar."
    ),
}

# The ESF+ Sozialstrategierichtlinie has two rounds (2022–2025 and 2025–2028). Its 52,864,000 € are
# for the whole guideline, not for ThINKA alone, so the budget stays empty. The exact first and last
# days are inferred from the sites: new sites started in July 2022 (Jena, Sondershausen, Heringen)
# and on 1 July 2025 (Bad Frankenhausen, Gotha), when Sondershausen also ended.
FUNDING_ROUNDS = [
    ("Förderrunde 2022–2025", date(2022, 7, 1), date(2025, 6, 30)),
    ("Förderrunde 2025–2028", date(2025, 7, 1), date(2028, 6, 30)),
]


@dataclass(frozen=True)
class PeriodSeed:
    carrier: str | None
    neighbourhood: str
    starts_on: date | None
    precision: str = DAY
    ends_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class SiteSeed:
    code: str
    name: str
    district: str  # official key (AGS)
    neighbourhood: str
    town: str
    latitude: str | None
    longitude: str | None
    starts_on: date | None
    precision: str
    periods: tuple[PeriodSeed, ...]
    notes: str
    street: str = ""
    ends_on: date | None = None
    status: str = Site.Status.ACTIVE
    is_public: bool = True


def _notes(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


MARCH_2013 = date(2013, 3, 1)

SITES: tuple[SiteSeed, ...] = (
    # --- The eleven projects of 2013 (research note §2.1) ---
    SiteSeed(
        code="ALT",
        name="ThINKA Altenburg-Nord",
        district="16077",
        neighbourhood="Altenburg-Nord",
        town="Altenburg",
        latitude="51.00300",
        longitude="12.44000",
        starts_on=MARCH_2013,
        precision=MONTH,
        periods=(
            PeriodSeed(
                "Arbeiterwohlfahrt (AWO)",
                "Altenburg-Nord",
                MARCH_2013,
                MONTH,
                note="Träger laut Jury-Beitrag; welche AWO-Gliederung, ist nicht angegeben.",
            ),
        ),
        notes=_notes(
            "Standort „der ersten Stunde“; Start laut Projektseite im 1. Quartal 2013.",
            JURY_NOTE,
            COORDINATES_NOTE.format(place="Altenburg-Nord"),
            "Quellen: " + JURY_POST,
            "https://inka-altenburg.de/das-projekt",
            "https://thinka.de/wordpress/stutzpunkte/altenburg/",
        ),
    ),
    SiteSeed(
        code="ILM",
        name="ThINKA Ilm-Kreis",
        district="16070",
        neighbourhood="Arnstadt und Ilmenau",
        town="Arnstadt",
        latitude="50.83400",
        longitude="10.94600",
        starts_on=MARCH_2013,
        precision=MONTH,
        periods=(
            PeriodSeed(
                "Arnstädter Bildungswerk e.V.",
                "Arnstadt und Ilmenau",
                MARCH_2013,
                MONTH,
                note=(
                    "Träger laut Jury-Beitrag. Die IKL Ilmenau GmbH wird als weiterer Träger genannt "
                    "(https://www.ikl-ilmenau.de/2023/03/15/10-jahre-thinka/)."
                ),
            ),
        ),
        notes=_notes(
            "Arbeit in Stadtteilen von Arnstadt und Ilmenau; KOMPASS-Büros Anfang 2014 eröffnet. "
            "Am 06.06.2015 wurde im Wohngebiet Rabenhold in Arnstadt (ca. 1.200 Einwohner) ein "
            "Bürgerbüro eröffnet, an dessen Planung ThINKA beteiligt war.",
            JURY_NOTE,
            "Ort und Koordinaten: Arnstadt als Hauptort. " + COORDINATES_NOTE.format(place="Arnstadt"),
            "Quellen: " + JURY_POST,
            "https://www.ikl-ilmenau.de/2023/03/15/10-jahre-thinka/",
            "https://www.inka-thueringen.de/wordpress/2015/07/",
        ),
    ),
    SiteSeed(
        code="MHL",
        name="ThINKA Mühlhausen",
        district="16064",
        neighbourhood="Ballongasse/Bahnhof",
        town="Mühlhausen/Thüringen",
        latitude="51.20600",
        longitude="10.46000",
        starts_on=MARCH_2013,
        precision=MONTH,
        periods=(
            PeriodSeed(
                "ProMo Beschäftigungsgesellschaft mbH",
                "Ballongasse/Bahnhof",
                MARCH_2013,
                MONTH,
                note="Träger laut Jury-Beitrag. Ende der Trägerschaft unbekannt (spätestens 2020).",
            ),
            PeriodSeed(
                "Kirchenkreis Mühlhausen",
                "Ballongasse/Bahnhof",
                date(2020, 1, 1),
                YEAR,
                note=(
                    "belegt für 2020 (TLZ, Dezember 2020); Beginn der Trägerschaft unbekannt. "
                    "https://www.tlz.de/regionen/muehlhausen/"
                    "thinka-in-muehlhausen-bekommt-10-000-euro-id231131390.html"
                ),
            ),
        ),
        notes=_notes(
            "Wohnquartier „Ballongasse/Bahnhof“; Café International als Begegnungsort.",
            JURY_NOTE,
            COORDINATES_NOTE.format(place="dem Quartier Ballongasse/Bahnhof"),
            "Quellen: " + JURY_POST,
            "https://www.tlz.de/regionen/muehlhausen/thinka-in-muehlhausen-bekommt-10-000-euro-id231131390.html",
        ),
    ),
    SiteSeed(
        code="LOB",
        name="ThINKA Bad Lobenstein",
        district="16075",
        neighbourhood="Wohngebiet Tiergarten",
        town="Bad Lobenstein",
        latitude="50.45100",
        longitude="11.63900",
        starts_on=MARCH_2013,
        precision=MONTH,
        periods=(
            PeriodSeed(
                "Neue Arbeit Neustadt e.V.",
                "Wohngebiet Tiergarten",
                MARCH_2013,
                MONTH,
                note=(
                    "Träger laut Jury-Beitrag (Name dort abgeschnitten: „Neue Arbeit N…“). Die "
                    "Trägerschaft endete mit der Auflösung des Vereins; Datum unbekannt."
                ),
            ),
            PeriodSeed(
                "Diakoniestiftung Weimar Bad Lobenstein",
                "Wohngebiet Tiergarten",
                date(2017, 1, 1),
                YEAR,
                note=(
                    "Übernahme nach Auflösung der Neue Arbeit Neustadt e.V.; als Träger belegt 2017 "
                    "(Beitrag vom 09.03.2017), Beginn unbekannt. "
                    "https://www.diakonie-wl.de/aktuelles-09-03-2017-thinka-team-pflanzt-obstbaeume-in-bad-lobenstein.html"
                ),
            ),
        ),
        notes=_notes(
            JURY_NOTE,
            COORDINATES_NOTE.format(place="Bad Lobenstein"),
            "Quellen: " + JURY_POST,
            "https://www.diakonie-wl.de/aktuelles-09-03-2017-thinka-team-pflanzt-obstbaeume-in-bad-lobenstein.html",
        ),
    ),
    SiteSeed(
        code="ART",
        name="ThINKA Artern",
        district="16065",
        neighbourhood="Am Königsstuhl",
        town="Artern",
        street="Einbecker Straße 6",
        latitude="51.36300",
        longitude="11.28800",
        starts_on=MARCH_2013,
        precision=MONTH,
        periods=(
            PeriodSeed(
                None,
                "Am Königsstuhl",
                MARCH_2013,
                MONTH,
                note=(
                    "Träger nicht belegt. Projektleitung und Mitarbeitende kamen aus dem Jugend- und "
                    "Sozialamt des Kyffhäuserkreises; vermutlich setzt der Landkreis das Projekt in "
                    "Eigenregie um (Annahme, nicht belegt)."
                ),
            ),
        ),
        notes=_notes(
            "Wohngebiet „Am Königsstuhl“ (ca. 650 Einwohner 2013); Stadtteilbüro Einbecker Straße 6 "
            "(Postleitzahl in der Quelle nicht genannt). Auftaktveranstaltung am 21.06.2013.",
            JURY_NOTE,
            COORDINATES_NOTE.format(place="Artern"),
            "Quellen: https://www.thinka.de/blog/auftakt-in-artern-am-konigsstuhl",
            "http://www.kyffhaeuser-nachrichten.de/news/news_lang.php?ArtNr=129954",
        ),
    ),
    SiteSeed(
        code="BLS",
        name="ThINKA Bleicherode/Sollstedt",
        district="16062",
        neighbourhood="Bleicherode und Sollstedt",
        town="Bleicherode",
        latitude="51.44000",
        longitude="10.57300",
        starts_on=MARCH_2013,
        precision=MONTH,
        periods=(
            PeriodSeed(
                "Kreisjugendring Nordhausen",
                "Gemeinde Harztor",
                MARCH_2013,
                MONTH,
                ends_on=date(2017, 12, 31),
                note=(
                    "„seit 2013 gibt es ‚ThINKA‘ schon in Harztor“ "
                    "(kreisjugendring-nordhausen.de, 18.01.2018)."
                ),
            ),
            PeriodSeed(
                "Kreisjugendring Nordhausen",
                "Bleicherode und Sollstedt",
                date(2018, 1, 1),
                YEAR,
                note=(
                    "„Das Projekt soll ab 2018 in Bleicherode starten“; zwei Anlaufstellen, am Markt in "
                    "Sollstedt und in der Bachstraße in Bleicherode."
                ),
            ),
        ),
        notes=_notes(
            "2013–2017 in der Gemeinde Harztor, seit 2018 in Bleicherode und Sollstedt (ersetzt Harztor). "
            "2018: zwei Sozialarbeiter für zwei Anlaufstellen.",
            JURY_NOTE,
            "Ort und Koordinaten: Bleicherode als Hauptort. " + COORDINATES_NOTE.format(place="Bleicherode"),
            "Quellen: https://kreisjugendring-nordhausen.de/2018/01/18/thinka-projekt-kommt-nach-bleicherode-sollstedt/",
            "https://villa-lampe.de/Aktuelles/Pressespiegel/JMD-Nordthueringen-ThINKA-laedt-zum-ersten-Jahrestreffen-2024",
        ),
    ),
    SiteSeed(
        code="SMK",
        name="ThINKA Schmalkalden-Walperloh",
        district="16066",
        neighbourhood="Walperloh",
        town="Schmalkalden",
        street="Allendestraße",
        latitude="50.72500",
        longitude="10.45700",
        starts_on=MARCH_2013,
        precision=MONTH,
        periods=(
            PeriodSeed(
                "IFBW e.V. – Interessengemeinschaft zur Förderung der beruflichen Weiterbildung",
                "Walperloh",
                MARCH_2013,
                MONTH,
            ),
        ),
        notes=_notes(
            "Bürgerbüro in der Allendestraße (Hausnummer unbekannt), eröffnet am 11.07.2013.",
            JURY_NOTE,
            COORDINATES_NOTE.format(place="Schmalkalden-Walperloh"),
            "Quellen: https://www.thinka.de/blog/auftaktveranstaltung-schmalkalden",
            "https://www.inka-thueringen.de/wordpress/2018/06/",
        ),
    ),
    SiteSeed(
        code="GLU",
        name="ThINKA Gera-Lusan",
        district="16052",
        neighbourhood="Lusan und Bieblach",
        town="Gera",
        latitude="50.86200",
        longitude="12.10000",
        starts_on=MARCH_2013,
        precision=MONTH,
        periods=(
            PeriodSeed(
                "Kindervereinigung Gera e.V.",
                "Lusan",
                MARCH_2013,
                MONTH,
                ends_on=date(2017, 12, 31),
                note="http://www.kindervereinigung-gera.de/thinka.html",
            ),
            PeriodSeed(
                "OTEGAU GmbH",
                "Lusan und Bieblach",
                date(2018, 1, 1),
                MONTH,
                note="Trägerwechsel und Erweiterung um Bieblach ab 01/2018. "
                "https://www.inka-thueringen.de/wordpress/2018/05/",
            ),
        ),
        notes=_notes(
            JURY_NOTE,
            "Koordinaten: Lusan als Hauptgebiet. " + COORDINATES_NOTE.format(place="Gera-Lusan"),
            "Quellen: http://www.kindervereinigung-gera.de/thinka.html",
            "https://www.inka-thueringen.de/wordpress/2016/05/",
            "https://www.inka-thueringen.de/wordpress/2018/05/",
            "http://neues-gera.de/news_details.php (ID=4487)",
        ),
    ),
    SiteSeed(
        code="WEI",
        name="ThINKA Weimar",
        district="16055",
        neighbourhood="Weimar-West, Schöndorf und Weimar-Nord",
        town="Weimar",
        latitude="50.98500",
        longitude="11.29800",
        starts_on=date(2013, 1, 1),
        precision=DAY,
        periods=(
            PeriodSeed(
                "Hufeland-Träger-Gesellschaft Weimar mbH",
                "Weimar-West, Schöndorf und Weimar-Nord",
                date(2013, 1, 1),
                DAY,
                note="Kofinanziert von GWG, Weimarer Wohnstätte, Jobcenter und Stadtwerken.",
            ),
        ),
        notes=_notes(
            "Anlaufstelle „NAHT-Stelle“; Start am 01.01.2013, früher als die anderen Projekte. "
            "Die NAHT-Stelle ist breiter aufgestellt als ThINKA.",
            COORDINATES_NOTE.format(place="Weimar-West"),
            "Quellen: https://www.thinka.de/blog/weimar-ubernimmt-vorreiterrolle",
            "https://www.thinka.de/blog/naht-stelle-feiert-5-jaehriges-bestehen",
        ),
    ),
    SiteSeed(
        code="LEI",
        name="ThINKA Eichsfeld (Leinefelde)",
        district="16061",
        neighbourhood="Südstadt",
        town="Leinefelde-Worbis",
        latitude="51.38000",
        longitude="10.32800",
        starts_on=None,
        precision=DAY,
        periods=(
            PeriodSeed(
                "Caritas (Caritasregion Eichsfeld/Nordthüringen)",
                "Südstadt",
                None,
                note="Caritas als Träger von ThINKA Eichsfeld belegt 2022; Beginn unbekannt.",
            ),
        ),
        notes=_notes(
            "Beginn unbekannt: Laut Auftrag einer der elf Standorte von 2013; in den Quellen nicht "
            "belegt, daher ohne Startdatum (bei Bestätigung: 01.03.2013, Genauigkeit Monat).",
            "Leinefelde „Südstadt“ (ca. 5.000 Einwohner). Eine ältere Fassung der Projektseite nannte "
            "zusätzlich Heilbad Heiligenstadt „Auf den Liethen“ (ca. 2.700 Einwohner); Zeitraum unbekannt.",
            "Gastgeber des 16. Erfahrungsaustauschs aller ThINKA-Projekte am 31.05./01.06.2022.",
            COORDINATES_NOTE.format(place="der Leinefelder Südstadt"),
            "Quellen: https://www.inka-thueringen.de/wordpress/stutzpunkte/eichsfeld/",
            "https://www.inka-thueringen.de/wordpress/stutzpunkte/eichsfeld-leinefelde/",
            "https://www.inka-thueringen.de/wordpress/2022/06/13/16-erfahrungsaustausch-aller-thinka-projekte-in-leinefelde/",
        ),
    ),
    SiteSeed(
        code="GTH",
        name="ThINKA Gotha (2013)",
        district="16067",
        neighbourhood="",
        town="",
        latitude=None,
        longitude=None,
        starts_on=MARCH_2013,
        precision=MONTH,
        is_public=False,
        periods=(PeriodSeed(None, "", MARCH_2013, MONTH, note="Träger und Sozialraum unbekannt."),),
        notes=_notes(
            "UNGEKLÄRT: Laut Auftrag einer der elf Standorte von 2013 im Landkreis Gotha. In den "
            "gesichteten Quellen wurde kein Gothaer Standort von 2013 gefunden; Ort, Sozialraum, Träger "
            "und Ende sind unbekannt, ebenso ob der Standort noch besteht (Status „aktiv“ ist nur die "
            "Vorgabe). Deshalb nicht öffentlich und ohne Koordinaten.",
            JURY_NOTE,
            "Klären mit der Koordinierungsstelle (vollständige Liste im Jury-Beitrag): " + JURY_POST,
            "Nicht zu verwechseln mit ThINKA Bad Tabarz (2019) und ThINKA Gotha-Ost/West (2025).",
        ),
    ),
    # --- Later phases (research note §2.2) ---
    SiteSeed(
        code="ERF",
        name="ThINKA Erfurt",
        district="16051",
        neighbourhood="Berliner Platz, Rieth, Roter Berg und Johannesplatz",
        town="Erfurt",
        latitude="51.01100",
        longitude="11.00500",
        starts_on=date(2015, 3, 1),
        precision=DAY,
        periods=(
            PeriodSeed(
                "MitMenschen e.V.",
                "Berliner Platz und Rieth",
                date(2015, 3, 1),
                DAY,
                ends_on=date(2022, 10, 31),
                note="Büros eröffnet am 07.07.2015.",
            ),
            PeriodSeed(
                None,
                "Berliner Platz, Rieth, Roter Berg und Johannesplatz",
                date(2022, 11, 1),
                DAY,
                note=(
                    "Roter Berg und Johannesplatz kamen am 01.11.2022 hinzu. An den Standorten 2022/23 "
                    "arbeiten Mitarbeitende der Caritas; wer seitdem Träger ist, ist nicht belegt."
                ),
            ),
        ),
        notes=_notes(
            "Erfurter Norden, vier Büros. Kofinanzierung durch die Wohnungsunternehmen KoWo, TAG und WBG.",
            COORDINATES_NOTE.format(place="Berliner Platz"),
            "Quellen: https://erfurt.de/ef/de/leben/soziales/projekte-initiativen/129166.html",
            "https://erfurt.de/ef/de/service/aktuelles/am/2015/122149.html",
            "https://www.tlz.de/ (id237783991)",
        ),
    ),
    SiteSeed(
        code="SON",
        name="ThINKA Sonneberg-Wolkenrasen",
        district="16072",
        neighbourhood="Wolkenrasen",
        town="Sonneberg",
        latitude="50.36600",
        longitude="11.18500",
        starts_on=date(2015, 3, 20),
        precision=DAY,
        periods=(
            PeriodSeed(
                "Sonneberger Ausbildungszentrum",
                "Wolkenrasen",
                date(2015, 3, 20),
                DAY,
                note=(
                    "Mehrere Träger beteiligt, darunter das Sonneberger Ausbildungszentrum (Rechtsform "
                    "nicht angegeben); die Wohnungsbau GmbH kofinanziert."
                ),
            ),
        ),
        notes=_notes(
            "Wolkenrasen (ca. 4.600 Einwohner); Bürgerbüro Wolkenrasen, Stadtteilzentrum „Wolke 14“. "
            "Startdatum = Auftaktveranstaltung am 20.03.2015.",
            COORDINATES_NOTE.format(place="Sonneberg-Wolkenrasen"),
            "Quellen: https://www.inka-thueringen.de/wordpress/2015/04/12/"
            "auftaktveranstaltung-des-buergerbuero-wolkenrasen-in-sonneberg/",
            "https://www.thinka.de/wordpress/stutzpunkte/sonneberg/",
        ),
    ),
    SiteSeed(
        code="SHL",
        name="ThINKA Suhl",
        district="16054",
        neighbourhood="Wohngebiet Ilmenauer Straße",
        town="Suhl",
        street="Am Himmelreich 8",
        latitude="50.61700",
        longitude="10.70000",
        starts_on=date(2015, 6, 1),
        precision=MONTH,
        periods=(
            PeriodSeed(
                "Internationaler Bund (IB) Mitte gGmbH",
                "Wohngebiet Ilmenauer Straße",
                date(2015, 6, 1),
                MONTH,
            ),
        ),
        notes=_notes(
            "Büro „Am Himmelreich 8“ (Postleitzahl in der Quelle nicht genannt); Straßenfest zum Start "
            "am 12.06.2015. Im September 2015 ist vom „neuen Büro in der Ilmenauer Straße“ die Rede "
            "(https://www.inka-thueringen.de/wordpress/2015/09/); ob das Büro umgezogen ist, ist offen.",
            COORDINATES_NOTE.format(place="dem Wohngebiet Ilmenauer Straße"),
            "Quellen: https://www.inka-thueringen.de/wordpress/2015/07/",
        ),
    ),
    SiteSeed(
        code="GLB",
        name="ThINKA Gera-Liebschwitz",
        district="16052",
        neighbourhood="Liebschwitz",
        town="Gera",
        latitude="50.83300",
        longitude="12.11000",
        starts_on=date(2015, 10, 1),
        precision=QUARTER,
        periods=(PeriodSeed(None, "Liebschwitz", date(2015, 10, 1), QUARTER, note="Träger unbekannt."),),
        notes=_notes(
            "Zweite Förderphase: kam im 4. Quartal 2015 zu den elf Vorhaben hinzu.",
            COORDINATES_NOTE.format(place="Gera-Liebschwitz"),
            "Quellen: https://www.inka-thueringen.de/wordpress/category/veranstaltungen/",
        ),
    ),
    SiteSeed(
        code="EIS",
        name="ThINKA Eisenberg",
        district="16074",
        neighbourhood="",
        town="Eisenberg",
        latitude="50.96800",
        longitude="11.90200",
        starts_on=date(2015, 10, 1),
        precision=QUARTER,
        periods=(PeriodSeed(None, "", date(2015, 10, 1), QUARTER, note="Träger und Sozialraum unbekannt."),),
        notes=_notes(
            "Zweite Förderphase: kam im 4. Quartal 2015 hinzu. Die Quelle nennt nur „Eisenberg“; der "
            "Landkreis (Saale-Holzland-Kreis) ist daraus geschlossen (Annahme: die Thüringer Stadt "
            "Eisenberg). Sozialraum innerhalb der Stadt unbekannt.",
            COORDINATES_NOTE.format(place="Eisenberg"),
            "Quellen: https://www.inka-thueringen.de/wordpress/category/veranstaltungen/",
        ),
    ),
    SiteSeed(
        code="SOE",
        name="ThINKA Sömmerda",
        district="16068",
        neighbourhood="ganzer Landkreis Sömmerda",
        town="Sömmerda",
        latitude="51.15900",
        longitude="11.11700",
        starts_on=None,
        precision=DAY,
        periods=(
            PeriodSeed(
                None,
                "Sömmerda und Buttstädt",
                None,
                ends_on=date(2022, 6, 30),
                note="belegt für 2018 (Juli 2018); Beginn und Träger unbekannt.",
            ),
            PeriodSeed(
                None,
                "ganzer Landkreis Sömmerda",
                date(2022, 7, 1),
                MONTH,
                note="Ab 07/2022 der ganze Landkreis (ca. 70.000 Einwohner); Träger unbekannt.",
            ),
        ),
        notes=_notes(
            "Beginn unbekannt, spätestens 2018 belegt.",
            "Ort und Koordinaten: Kreisstadt Sömmerda. " + COORDINATES_NOTE.format(place="Sömmerda"),
            "Quellen: https://www.thinka.de/wordpress/stutzpunkte/soemmerda/",
            "https://www.inka-thueringen.de/wordpress/2018/07/",
        ),
    ),
    SiteSeed(
        code="TAB",
        name="ThINKA Bad Tabarz",
        district="16067",
        neighbourhood="Am Mönchhof, Karl-Marx-Straße und Gartenstadt",
        town="Bad Tabarz",
        latitude="50.87700",
        longitude="10.51500",
        starts_on=date(2019, 1, 1),
        precision=YEAR,
        periods=(
            PeriodSeed(
                "VHS-Bildungswerk GmbH",
                "Am Mönchhof, Karl-Marx-Straße und Gartenstadt",
                date(2019, 1, 1),
                YEAR,
                note="mit der Gemeinde Bad Tabarz und dem Landratsamt Gotha",
            ),
        ),
        notes=_notes(
            "Start 2019. Um 2019: zwei Mitarbeitende plus die Leitung des Bauamts; 158.000 € für 24 Monate.",
            COORDINATES_NOTE.format(place="Bad Tabarz"),
            "Quellen: https://bildungswerk.de/angebote/ausbildung-umschulung/begleitung-und-unterstuetzung/"
            "thinka-bad-tabarz/",
            "https://www.thueringer-allgemeine.de/leben/vermischtes/article225941473/"
            "Gemeinde-will-Buerger-einbeziehen.html",
        ),
    ),
    SiteSeed(
        code="SLF",
        name="ThINKA Saalfeld",
        district="16073",
        neighbourhood="",
        town="Saalfeld/Saale",
        latitude="50.64800",
        longitude="11.36500",
        starts_on=None,
        precision=DAY,
        periods=(PeriodSeed(None, "", None, note="Träger und Sozialraum unbekannt."),),
        notes=_notes(
            "Beginn unbekannt, spätestens 12/2019 belegt. Sozialraum innerhalb Saalfelds unbekannt.",
            COORDINATES_NOTE.format(place="Saalfeld"),
            "Quellen: https://www.inka-thueringen.de/wordpress/category/koordinierungsstelle/",
        ),
    ),
    SiteSeed(
        code="ESA",
        name="ThINKA Eisenach-Nord/Wutha-Farnroda",
        district="16063",
        neighbourhood="Eisenach-Nord und Wutha-Farnroda",
        town="Eisenach",
        latitude="50.99000",
        longitude="10.31500",
        starts_on=None,
        precision=DAY,
        periods=(
            PeriodSeed(
                None,
                "Eisenach-Nord und Wutha-Farnroda",
                None,
                note=(
                    "Träger nicht belegt. Die Projektseite liegt bei den Naturfreunden Thüringen; dass "
                    "sie Träger sind, ist eine Annahme."
                ),
            ),
        ),
        notes=_notes(
            "Beginn unbekannt; Workshops ab Anfang 2020. Eisenach gehört seit 01.07.2021 zum Wartburgkreis.",
            "Ort und Koordinaten: Eisenach-Nord als Hauptort. "
            + COORDINATES_NOTE.format(place="Eisenach-Nord"),
            "Quellen: http://naturfreunde-thueringen.de/index.php?id=431",
            "https://www.inka-thueringen.de/wordpress/2021/04/",
        ),
    ),
    SiteSeed(
        code="BSA",
        name="ThINKA Bad Salzungen",
        district="16063",
        neighbourhood="Rhönblick/Allendorf",
        town="Bad Salzungen",
        latitude="50.81000",
        longitude="10.22500",
        starts_on=None,
        precision=DAY,
        periods=(PeriodSeed(None, "Rhönblick/Allendorf", None, note="Träger unbekannt."),),
        notes=_notes(
            "Beginn unbekannt, spätestens 09/2022 belegt (vielleicht mit der Förderrunde 07/2022; Annahme).",
            COORDINATES_NOTE.format(place="Bad Salzungen"),
            "Quellen: https://www.inka-thueringen.de/wordpress/category/koordinierungsstelle/",
        ),
    ),
    SiteSeed(
        code="JEN",
        name="ThINKA Jena-Winzerla",
        district="16053",
        neighbourhood="Winzerla",
        town="Jena",
        latitude="50.89400",
        longitude="11.56400",
        starts_on=date(2022, 7, 1),
        precision=MONTH,
        periods=(PeriodSeed("mittendrin e.V.", "Winzerla", date(2022, 7, 1), MONTH),),
        notes=_notes(
            "Winzerla: 10.378 Einwohner, 6.523 Haushalte. Fortführung 2026–2028 von der Stadt gesichert.",
            COORDINATES_NOTE.format(place="Jena-Winzerla"),
            "Quellen: https://www.inka-thueringen.de/wordpress/stutzpunkte/jena/",
            "https://rathaus.jena.de/de/node/10319",
        ),
    ),
    SiteSeed(
        code="SDH",
        name="ThINKA Sondershausen",
        district="16065",
        neighbourhood="Hasenholz-Östertal und Borntal",
        town="Sondershausen",
        latitude="51.36400",
        longitude="10.88800",
        starts_on=date(2022, 7, 1),
        precision=MONTH,
        ends_on=date(2025, 6, 30),
        status=Site.Status.ENDED,
        periods=(
            PeriodSeed(
                "FAU Sondershausen",
                "Hasenholz-Östertal und Borntal",
                date(2022, 7, 1),
                MONTH,
                ends_on=date(2025, 6, 30),
                note="Kooperationsvertrag zwischen Stadt Sondershausen, FAU und Landkreis.",
            ),
        ),
        notes=_notes(
            "Gegründet im Juli 2022 im Hasenholz-Östertal (Hasenholz-Östertal-Centrum, HOC); Anfang "
            "2023 Suche nach Räumen im Wohngebiet Borntal.",
            "Ende: Ab 01.07.2025 arbeitet ThINKA im Kyffhäuserkreis stattdessen in Bad Frankenhausen "
            "und An der Schmücke (BFA); das Ende am 30.06.2025 ist daraus geschlossen.",
            COORDINATES_NOTE.format(place="Hasenholz-Östertal"),
            "Quellen: https://www.sondershausen.de/details/neujahrsempfang-bei-thinka-sondershausen.html",
            "https://www.thinka.de/projekte/badfrankenhausen-anderschmuecke",
        ),
    ),
    SiteSeed(
        code="BFA",
        name="ThINKA Bad Frankenhausen/An der Schmücke",
        district="16065",
        neighbourhood="Bad Frankenhausen und An der Schmücke",
        town="Bad Frankenhausen/Kyffhäuser",
        latitude="51.35600",
        longitude="11.09900",
        starts_on=date(2025, 7, 1),
        precision=DAY,
        periods=(
            PeriodSeed(
                None,
                "Bad Frankenhausen und An der Schmücke",
                date(2025, 7, 1),
                DAY,
                note="Träger nicht belegt.",
            ),
        ),
        notes=_notes(
            "Ersetzt seit 01.07.2025 ThINKA Sondershausen (SDH).",
            "Ort und Koordinaten: Bad Frankenhausen als Hauptort. "
            + COORDINATES_NOTE.format(place="Bad Frankenhausen"),
            "Quellen: https://www.thinka.de/projekte/badfrankenhausen-anderschmuecke",
        ),
    ),
    SiteSeed(
        code="GOT",
        name="ThINKA Gotha-Ost/West",
        district="16067",
        neighbourhood="Gotha-Ost (Oststadt) und Gotha-West",
        town="Gotha",
        latitude="50.94800",
        longitude="10.70100",
        starts_on=date(2025, 7, 1),
        precision=DAY,
        periods=(
            PeriodSeed(
                None, "Gotha-Ost (Oststadt) und Gotha-West", date(2025, 7, 1), DAY, note="Träger unbekannt."
            ),
        ),
        notes=_notes(
            "Gotha-Ost/Oststadt (ca. 8.500 Einwohner) und Gotha-West (über 10.200 Einwohner).",
            COORDINATES_NOTE.format(place="Gotha"),
            "Quellen: https://www.thinka.de/projekte/gotha",
        ),
    ),
    SiteSeed(
        code="NDH",
        name="ThINKA Nordhausen",
        district="16062",
        neighbourhood="",
        town="Nordhausen",
        latitude="51.50500",
        longitude="10.79100",
        starts_on=None,
        precision=DAY,
        periods=(PeriodSeed(None, "", None, note="Träger und Sozialraum unbekannt."),),
        notes=_notes(
            "Einer der drei Nordhäuser Standorte (mit Bleicherode/Sollstedt und Heringen/Helme). Beginn "
            "unbekannt (vielleicht wie Heringen/Helme 07/2022; Annahme). Sozialraum in der Stadt unbekannt.",
            "Der Jugendmigrationsdienst Nordthüringen (Villa Lampe) lud 2024 zum Jahrestreffen von ThINKA "
            "ein; ob er Träger eines Nordhäuser Standorts ist, ist nicht belegt.",
            COORDINATES_NOTE.format(place="Nordhausen"),
            "Quellen: https://www.inka-thueringen.de/wordpress/category/allgemein/",
            "https://nnz-online.de/news/news_lang.php?ArtNr=378314",
            "https://villa-lampe.de/Aktuelles/Pressespiegel/JMD-Nordthueringen-ThINKA-laedt-zum-ersten-Jahrestreffen-2024",
        ),
    ),
    SiteSeed(
        code="HEL",
        name="ThINKA Heringen/Helme",
        district="16062",
        neighbourhood="",
        town="Heringen/Helme",
        latitude="51.44700",
        longitude="10.87800",
        starts_on=date(2022, 7, 1),
        precision=MONTH,
        periods=(PeriodSeed(None, "", date(2022, 7, 1), MONTH, note="Träger und Sozialraum unbekannt."),),
        notes=_notes(
            "Start 07/2022; 2022 ein Team von drei Personen. Sozialraum innerhalb der Stadt unbekannt.",
            COORDINATES_NOTE.format(place="Heringen/Helme"),
            "Quellen: https://www.inka-thueringen.de/wordpress/category/allgemein/",
            "https://nnz-online.de/news/news_lang.php?ArtNr=378314",
        ),
    ),
)


def _site_defaults(seed: SiteSeed, district: District) -> dict[str, object]:
    return {
        "name": seed.name,
        "district": district,
        "neighbourhood": seed.neighbourhood,
        "street": seed.street,
        "town": seed.town,
        "latitude": Decimal(seed.latitude) if seed.latitude else None,
        "longitude": Decimal(seed.longitude) if seed.longitude else None,
        "starts_on": seed.starts_on,
        "starts_on_precision": seed.precision,
        "ends_on": seed.ends_on,
        "status": seed.status,
        "is_public": seed.is_public,
        "notes": seed.notes,
    }


def load_thinka_seed(*, actor: object = None) -> None:
    """Load districts, programme, funding rounds, carriers, sites and their history.

    Idempotent by natural keys, and create-only: a second run adds what is missing and changes
    nothing users have edited. A site's history is seeded only while the site has none, so a
    corrected or deleted period does not come back.
    """
    # The seed runs outside any request (management command, data load, tests), so there is no
    # site scope: the scoped managers of Site and SitePeriod must be used with scopes disabled.
    with transaction.atomic(), scopes_disabled():
        load_districts()
        districts = {district.key: district for district in District.objects.all()}

        programme, _ = Programme.objects.get_or_create(short_name="ThINKA", defaults=PROGRAMME)
        for name, starts_on, ends_on in FUNDING_ROUNDS:
            FundingRound.objects.get_or_create(
                programme=programme,
                name=name,
                defaults={
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "budget": None,
                    "esf_share": Decimal(60),
                    "land_share": Decimal(20),
                    "local_share": Decimal(20),
                    "indicator_set": FundingRound.IndicatorSet.ESF_PLUS,
                },
            )

        carriers: dict[str, Carrier] = {}
        for seed in SITES:
            site, created = Site.objects.get_or_create(
                code=seed.code, defaults=_site_defaults(seed, districts[seed.district])
            )
            if created:
                audit(actor=actor, action="inka.site.seeded", obj=site)
            if not created and site.periods.exists():
                continue
            for period in seed.periods:
                carrier = None
                if period.carrier:
                    if period.carrier not in carriers:
                        carriers[period.carrier], _ = Carrier.objects.get_or_create(name=period.carrier)
                    carrier = carriers[period.carrier]
                SitePeriod.objects.get_or_create(
                    site=site,
                    starts_on=period.starts_on,
                    neighbourhood=period.neighbourhood,
                    defaults={
                        "carrier": carrier,
                        "starts_on_precision": period.precision,
                        "ends_on": period.ends_on,
                        "note": period.note,
                    },
                )
