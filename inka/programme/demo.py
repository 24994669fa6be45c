"""Demo part of the programme app: the real ThINKA seed plus contact details for the demo sites."""

from inka.core.demo import DemoContext
from inka.programme.models import Site
from inka.programme.seed import load_thinka_seed

# The sites whose teams the demo shows; their public details are made up for the demo.
DEMO_SITES = {
    "ALT": {"street": "Bertolt-Brecht-Straße 12", "postcode": "04600", "town": "Altenburg"},
    "GLU": {"street": "Salvador-Allende-Straße 5", "postcode": "07549", "town": "Gera"},
    "JEN": {"street": "Oßmaritzer Straße 3", "postcode": "07745", "town": "Jena"},
}
OPENING_HOURS = "Mo 9–12 Uhr\nDi 13–18 Uhr\nDo 9–12 und 13–16 Uhr\nund nach Vereinbarung"


def generate(ctx: DemoContext) -> None:
    load_thinka_seed()
    for code, address in DEMO_SITES.items():
        site = Site.objects.get(code=code)
        for name, value in address.items():
            if not getattr(site, name):
                setattr(site, name, value)
        site.opening_hours = site.opening_hours or OPENING_HOURS
        # Draw the number even when a phone is set, so the rest of the data stays the same.
        phone = f"0{ctx.rng.randint(3000, 3699)} {ctx.rng.randint(100000, 999999)}"
        site.phone = site.phone or phone
        site.email = site.email or f"{code.lower()}@inka.example"
        site.save()
        ctx.sites[code] = site
    ctx.sites.update({site.code: site for site in Site.objects.exclude(code__in=DEMO_SITES)})
