"""Demo part of the network app: 15–25 made-up partners for every active site.

Partners that serve a whole district or region (the Jobcenter, the employment agency, the district
office) are created once and shared by the sites there, as in reality. All names of people, streets,
phone numbers and addresses are invented; e-mail addresses and websites use `.example` domains.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from inka.core.demo import DemoContext
from inka.network import demo_relations
from inka.network.models import Partner, PartnerKind, SitePartner
from inka.network.survey import demo as survey_demo
from inka.programme.models import District, Site

K = PartnerKind
MINIMUM_PARTNERS = 15

# Seat (town, postcode) of each district's administration: the Jobcenter and the district office.
DISTRICT_SEATS = {
    "16051": ("Erfurt", "99084"),
    "16052": ("Gera", "07545"),
    "16053": ("Jena", "07743"),
    "16054": ("Suhl", "98527"),
    "16055": ("Weimar", "99423"),
    "16061": ("Heilbad Heiligenstadt", "37308"),
    "16062": ("Nordhausen", "99734"),
    "16063": ("Bad Salzungen", "36433"),
    "16064": ("Mühlhausen/Thüringen", "99974"),
    "16065": ("Sondershausen", "99706"),
    "16066": ("Meiningen", "98617"),
    "16067": ("Gotha", "99867"),
    "16068": ("Sömmerda", "99610"),
    "16069": ("Hildburghausen", "98646"),
    "16070": ("Arnstadt", "99310"),
    "16071": ("Apolda", "99510"),
    "16072": ("Sonneberg", "96515"),
    "16073": ("Saalfeld/Saale", "07318"),
    "16074": ("Eisenberg", "07607"),
    "16075": ("Schleiz", "07907"),
    "16076": ("Greiz", "07973"),
    "16077": ("Altenburg", "04600"),
}
# The employment agencies (Agenturen für Arbeit) of Thuringia and the districts they serve.
AGENCIES = {
    "Altenburg-Gera": ("Gera", "07545", {"16052", "16076", "16077"}),
    "Erfurt": ("Erfurt", "99084", {"16051", "16055", "16068", "16071"}),
    "Gotha": ("Gotha", "99867", {"16063", "16067", "16070"}),
    "Jena": ("Jena", "07743", {"16053", "16073", "16074", "16075"}),
    "Nordhausen": ("Nordhausen", "99734", {"16061", "16062", "16064", "16065"}),
    "Suhl": ("Suhl", "98527", {"16054", "16066", "16069", "16072"}),
}
TOWN_POSTCODES = dict(DISTRICT_SEATS.values()) | {
    "Bad Lobenstein": "07356",
    "Artern": "06556",
    "Bleicherode": "99752",
    "Schmalkalden": "98574",
    "Leinefelde-Worbis": "37327",
    "Bad Tabarz": "99891",
    "Eisenach": "99817",
    "Bad Frankenhausen/Kyffhäuser": "06567",
    "Heringen/Helme": "99765",
    "Ilmenau": "98693",
}
# Welfare associations that run counselling services, in the genitive ("Suchtberatung der Caritas").
WELFARE = ["der Diakonie", "der Caritas", "der AWO", "des DRK", "des Paritätischen"]
SCHOOL_NAMES = ["Friedrich Schiller", "Johann Wolfgang von Goethe", "Pestalozzi", "Lessing", "Am Stadtpark"]
KITA_NAMES = ["Sonnenschein", "Pusteblume", "Regenbogen", "Kunterbunt", "Spatzennest", "Zwergenland"]
SAINTS = ["St. Marien", "St. Bartholomäus", "St. Nikolai", "St. Johannis", "St. Georg"]
EMPLOYER_TRADES = [
    "{name} Gebäudereinigung GmbH",
    "Pflegedienst {name} GmbH",
    "{name} Garten- und Landschaftsbau",
    "Bäckerei {name}",
    "{name} Logistik GmbH",
    "Autohaus {name}",
    "{name} Hausmeisterservice",
    "Hotel und Gasthof {name}",
]
OTHER_SERVICES = [
    "Verbraucherzentrale Thüringen, Beratungsstelle {town}",
    "Frauen- und Familienzentrum {town}",
    "Stadtbibliothek {town}",
    "Tafel {town} e.V.",
]


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    kind: str
    town: str
    # Drawn at random for a new partner; an existing partner of the same name and town keeps its own.
    details: dict[str, Any]


def _short(town: str) -> str:
    """The town as it appears in names: "Mühlhausen/Thüringen" → "Mühlhausen"."""
    return town.split("/")[0]


def _slug(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table))[:40].strip("-")


def _phone(ctx: DemoContext) -> str:
    return f"0{ctx.rng.randint(3400, 3699)} {ctx.rng.randint(10000, 99999)}"


def _spec(ctx: DemoContext, name: str, kind: str, town: str, postcode: str = "") -> PartnerSpec:
    domain = f"{_slug(name)}.example"
    details = {
        "street": f"{ctx.faker.street_name()} {ctx.rng.randint(1, 60)}",
        "postcode": postcode or TOWN_POSTCODES.get(town, ""),
        "phone": _phone(ctx),
        "email": f"info@{domain}",
        "website": f"https://www.{domain}/" if ctx.rng.random() < 0.7 else "",
    }
    return PartnerSpec(name, kind, town, details)


def _jobcenter_name(district: District) -> str:
    seat = DISTRICT_SEATS.get(district.key, ("", ""))[0]
    if district.kind == District.Kind.RURAL and _short(seat) == district.name:
        return f"Jobcenter Landkreis {district.name}"
    return f"Jobcenter {district.name}"


def _site_partners(ctx: DemoContext, site: Site) -> list[PartnerSpec]:
    """The partners of one site: district-wide offices first, then the town's institutions."""
    district = site.district
    seat, seat_postcode = DISTRICT_SEATS.get(district.key, (site.town, ""))
    town = site.town or seat
    short = _short(town)
    specs = [_spec(ctx, _jobcenter_name(district), K.JOBCENTER, seat, seat_postcode)]
    for agency, (agency_town, postcode, districts) in AGENCIES.items():
        if district.key in districts:
            specs.append(
                _spec(ctx, f"Agentur für Arbeit {agency}", K.EMPLOYMENT_AGENCY, agency_town, postcode)
            )
    if district.kind == District.Kind.URBAN:
        specs.append(_spec(ctx, f"Amt für Soziales der Stadt {short}", K.MUNICIPALITY, town))
    else:
        specs.append(
            _spec(ctx, f"Landratsamt {district.name}, Sozialamt", K.MUNICIPALITY, seat, seat_postcode)
        )
        if ctx.rng.random() < 0.6:
            specs.append(_spec(ctx, f"Stadtverwaltung {short}, Bürgerbüro", K.MUNICIPALITY, town))
    specs.append(_spec(ctx, f"Wohnungsgesellschaft {short} mbH", K.HOUSING, town))
    if ctx.rng.random() < 0.6:
        specs.append(_spec(ctx, f"Wohnungsgenossenschaft {short} eG", K.HOUSING, town))
    welfare = ctx.rng.sample(WELFARE, 3)
    specs += [
        _spec(ctx, f"Schuldner- und Insolvenzberatung {welfare[0]} {short}", K.DEBT_COUNSELLING, town),
        _spec(ctx, f"Suchtberatungsstelle {welfare[1]} {short}", K.ADDICTION_COUNSELLING, town),
        _spec(ctx, f"Migrationsberatung für Erwachsene {welfare[2]} {short}", K.MIGRATION, town),
    ]
    schools = [f"Staatliche Regelschule „{name}“ {short}" for name in ctx.rng.sample(SCHOOL_NAMES, 2)]
    schools += [f"Kindertagesstätte „{name}“ {short}" for name in ctx.rng.sample(KITA_NAMES, 2)]
    specs += [_spec(ctx, name, K.SCHOOL, town) for name in schools[: ctx.rng.randint(2, 4)]]
    associations = [
        f"Stadtteilverein {site.neighbourhood or short} e.V.",
        f"Kinderschutzbund Ortsverband {short} e.V.",
        f"Volkssolidarität {short} e.V.",
        f"SV Blau-Weiß {short} e.V.",
    ]
    specs += [_spec(ctx, name, K.ASSOCIATION, town) for name in associations[: ctx.rng.randint(2, 4)]]
    if ctx.rng.random() < 0.6:
        church = f"Evangelisch-Lutherische Kirchgemeinde {short}"
    else:
        church = f"Katholische Pfarrei {ctx.rng.choice(SAINTS)} {short}"
    specs.append(_spec(ctx, church, K.CHURCH, town))
    for _index in range(ctx.rng.randint(2, 4)):
        trade = ctx.rng.choice(EMPLOYER_TRADES)
        specs.append(_spec(ctx, trade.format(name=ctx.faker.last_name()), K.EMPLOYER, town))
    specs.append(_spec(ctx, f"Sozialpsychiatrischer Dienst, Gesundheitsamt {district.name}", K.HEALTH, seat))
    if ctx.rng.random() < 0.5:
        specs.append(_spec(ctx, f"Hausarztpraxis Dr. {ctx.faker.last_name()}", K.HEALTH, town))
    if ctx.rng.random() < 0.5:
        specs.append(_spec(ctx, ctx.rng.choice(OTHER_SERVICES).format(town=short), K.OTHER, town))
    # One entry per partner, even if the dice produced the same employer twice.
    unique = {(spec.name, spec.town): spec for spec in specs}
    while len(unique) < MINIMUM_PARTNERS:
        spec = _spec(ctx, f"{ctx.faker.last_name()} Dienstleistungen GmbH", K.EMPLOYER, town)
        unique.setdefault((spec.name, spec.town), spec)
    return list(unique.values())


def _link_details(ctx: DemoContext, site: Site, spec: PartnerSpec) -> dict[str, Any]:
    start = site.starts_on or date(2013, 3, 1)
    span = max(0, min(4 * 365, (timezone.localdate() - start).days))
    first, last = ctx.faker.first_name(), ctx.faker.last_name()
    has_contact = ctx.rng.random() < 0.85
    domain = spec.details["email"].split("@")[-1]
    area_code = spec.details["phone"].split()[0]
    return {
        "since": start + timedelta(days=ctx.rng.randint(0, span)),
        "contact_person": f"{first} {last}" if has_contact else "",
        # A direct line: the partner's area code with another number.
        "contact_phone": f"{area_code} {ctx.rng.randint(10000, 99999)}" if has_contact else "",
        "contact_email": f"{_slug(first)}.{_slug(last)}@{domain}" if has_contact else "",
    }


def generate(ctx: DemoContext) -> None:
    _generate_partners(ctx)
    # Services, contacts, agreements and activities of those partners; then the partner survey.
    demo_relations.generate(ctx)
    survey_demo.generate(ctx)


def _generate_partners(ctx: DemoContext) -> None:
    sites = [site for _code, site in sorted(ctx.sites.items()) if site.status == Site.Status.ACTIVE]
    planned: list[tuple[Site, PartnerSpec, dict[str, Any]]] = []
    for site in sites:
        for spec in _site_partners(ctx, site):
            planned.append((site, spec, _link_details(ctx, site, spec)))

    # Bulk writes: one query for the partners on record, one insert each for new partners and links.
    partners = {(p.name, p.town): p for p in Partner.objects.filter(name__in={s.name for _, s, _ in planned})}
    new_partners = []
    for _site, spec, _details in planned:
        if (spec.name, spec.town) not in partners:
            partner = Partner(name=spec.name, kind=spec.kind, town=spec.town, **spec.details)
            partner.full_clean(validate_unique=False, validate_constraints=False)
            partners[(spec.name, spec.town)] = partner
            new_partners.append(partner)
    Partner.objects.bulk_create(new_partners)

    linked = set(SitePartner.objects.filter(site__in=sites).values_list("site_id", "partner_id"))
    new_links = []
    for site, spec, details in planned:
        partner = partners[(spec.name, spec.town)]
        if (site.pk, partner.pk) in linked:
            continue
        link = SitePartner(site=site, partner=partner, **details)
        # Site and partner are known to exist; checking them would cost two queries per link.
        link.full_clean(exclude=["site", "partner"], validate_unique=False, validate_constraints=False)
        linked.add((site.pk, partner.pk))
        new_links.append(link)
    SitePartner.objects.bulk_create(new_links)
