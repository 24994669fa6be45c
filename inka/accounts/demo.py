"""Demo part of the accounts app: one login per role, and teams of made-up staff at active sites."""

from django.utils.translation import gettext as _

from inka.accounts.models import Membership, User
from inka.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DemoContext, DemoLogin
from inka.core.permissions import Role

# (local part, first name, last name, role, site codes); site codes empty = programme-wide.
PERSONAS = [
    ("lotse.alt", "Anna", "Berger", Role.CASEWORKER, ["ALT"]),
    ("leitung.alt", "Thomas", "Wagner", Role.SITE_LEAD, ["ALT"]),
    ("lesend.alt", "Lena", "Krause", Role.READER, ["ALT"]),
    ("steuerung.alt", "Petra", "Schubert", Role.STEERING, ["ALT"]),
    ("lotse.gera", "Mehmet", "Yilmaz", Role.CASEWORKER, ["GLU"]),
    ("leitung.gera", "Sabine", "Hoffmann", Role.SITE_LEAD, ["GLU"]),
    ("lotse.zwei", "Jana", "Richter", Role.CASEWORKER, ["ALT", "JEN"]),
    ("koordination", "Martin", "Lange", Role.COORDINATOR, []),
    ("datenschutz", "Ulrike", "Franke", Role.DPO, []),
    ("technik", "Stefan", "Neumann", Role.ADMIN, []),
]


def generate(ctx: DemoContext) -> None:
    for local, first, last, role, codes in PERSONAS:
        user = _user(f"{local}@{DEMO_EMAIL_DOMAIN}", first, last, password=DEMO_PASSWORD)
        for site in [ctx.sites[code] for code in codes] or [None]:
            Membership.objects.get_or_create(user=user, site=site, defaults={"role": role})
        ctx.users[local] = user
    # Colleagues without a demo login, so that every active site has a team of two or three.
    for code, site in sorted(ctx.sites.items()):
        if site.status != site.Status.ACTIVE or site.memberships.exists():
            continue
        for index in range(ctx.rng.randint(2, 3)):
            first, last = ctx.faker.first_name(), ctx.faker.last_name()
            email = f"{_ascii(first)}.{_ascii(last)}.{code.lower()}@{DEMO_EMAIL_DOMAIN}"
            role = Role.SITE_LEAD if index == 0 else Role.CASEWORKER
            Membership.objects.get_or_create(
                user=_user(email, first, last), site=site, defaults={"role": role}
            )


def _user(email: str, first: str, last: str, *, password: str | None = None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        # Without a password Django stores an unusable one: such colleagues cannot log in.
        user = User.objects.create_user(email, password, first_name=first, last_name=last)
    return user


def _ascii(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-"})
    return name.lower().translate(table)


def login_rows() -> list[DemoLogin]:
    """The demo logins, one per persona, described by role and sites."""
    rows = []
    by_email = {
        user.email: user
        for user in User.objects.filter(email__in=[f"{p[0]}@{DEMO_EMAIL_DOMAIN}" for p in PERSONAS])
    }
    for local, first, last, role, codes in PERSONAS:
        email = f"{local}@{DEMO_EMAIL_DOMAIN}"
        if email not in by_email:
            continue
        where = ", ".join(codes) if codes else _("all sites")
        rows.append(DemoLogin(str(Role(role).label), email, f"{first} {last} ({where})"))
    return rows
