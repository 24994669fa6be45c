from inka.core.registry import DataClass as D

_STAMPS = {"id": D.TECHNICAL, "created_at": D.TECHNICAL, "updated_at": D.TECHNICAL}

FIELDS = {
    # Institutions with their office address: published by the partners themselves, kept internal here.
    "network.Partner": {
        **_STAMPS,
        "name": D.PUBLIC,
        "kind": D.PUBLIC,
        "street": D.PUBLIC,
        "postcode": D.PUBLIC,
        "town": D.PUBLIC,
        "phone": D.INTERNAL,
        "email": D.INTERNAL,
        "website": D.PUBLIC,
        "is_active": D.INTERNAL,
        # Free text may name people working at the partner.
        "notes": D.STAFF,
    },
    "network.SitePartner": {
        **_STAMPS,
        "site": D.INTERNAL,
        "partner": D.INTERNAL,
        "since": D.INTERNAL,
        # A named person at the partner with direct phone and e-mail is personal data of partner staff.
        "contact_person": D.STAFF,
        "contact_phone": D.STAFF,
        "contact_email": D.STAFF,
        "notes": D.STAFF,
    },
}
