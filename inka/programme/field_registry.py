from inka.core.registry import Category

_STAMPS = {"id": Category.METADATA, "created_at": Category.METADATA, "updated_at": Category.METADATA}

FIELDS = {
    "programme.Programme": {
        **_STAMPS,
        "name": Category.ORGANISATION,
        "short_name": Category.ORGANISATION,
        "coordinating_body": Category.ORGANISATION,
        "description": Category.ORGANISATION,
    },
    "programme.FundingRound": {
        **_STAMPS,
        "programme": Category.METADATA,
        "name": Category.ORGANISATION,
        "starts_on": Category.ORGANISATION,
        "ends_on": Category.ORGANISATION,
        "budget": Category.ORGANISATION,
        "esf_share": Category.ORGANISATION,
        "land_share": Category.ORGANISATION,
        "local_share": Category.ORGANISATION,
        "indicator_set": Category.ORGANISATION,
        "final_payment_on": Category.ORGANISATION,
        "retention_years": Category.ORGANISATION,
    },
    "programme.District": {
        "id": Category.METADATA,
        "key": Category.ORGANISATION,
        "name": Category.ORGANISATION,
        "kind": Category.ORGANISATION,
    },
    "programme.Carrier": {**_STAMPS, "name": Category.ORGANISATION, "website": Category.ORGANISATION},
    "programme.Site": {
        **_STAMPS,
        "code": Category.ORGANISATION,
        "name": Category.ORGANISATION,
        "district": Category.METADATA,
        "neighbourhood": Category.ORGANISATION,
        "street": Category.ORGANISATION,
        "postcode": Category.ORGANISATION,
        "town": Category.ORGANISATION,
        "latitude": Category.ORGANISATION,
        "longitude": Category.ORGANISATION,
        "opening_hours": Category.ORGANISATION,
        "description": Category.ORGANISATION,
        "starts_on": Category.ORGANISATION,
        "starts_on_precision": Category.METADATA,
        "ends_on": Category.ORGANISATION,
        "status": Category.METADATA,
        "is_public": Category.METADATA,
        "notes": Category.ORGANISATION,
        # A named contact person with phone and e-mail is personal data of staff, published with consent.
        "contact_person": Category.STAFF,
        "phone": Category.STAFF,
        "email": Category.STAFF,
    },
    "programme.SitePeriod": {
        **_STAMPS,
        "site": Category.METADATA,
        "carrier": Category.METADATA,
        "neighbourhood": Category.ORGANISATION,
        "starts_on": Category.ORGANISATION,
        "starts_on_precision": Category.METADATA,
        "ends_on": Category.ORGANISATION,
        "note": Category.ORGANISATION,
    },
}

ACTIVITIES = dict.fromkeys(FIELDS, "programme")
