from inka.core.registry import Category

_STAMPS = {"id": Category.METADATA, "created_at": Category.METADATA, "updated_at": Category.METADATA}

FIELDS = {
    # Institutions with their office address, published by the partners themselves.
    "network.Partner": {
        **_STAMPS,
        "name": Category.ORGANISATION,
        "kind": Category.ORGANISATION,
        "street": Category.ORGANISATION,
        "postcode": Category.ORGANISATION,
        "town": Category.ORGANISATION,
        "phone": Category.ORGANISATION,
        "email": Category.ORGANISATION,
        "website": Category.ORGANISATION,
        "is_active": Category.METADATA,
        # Free text may name people working at the partner.
        "notes": Category.STAFF,
        # The other side of the projects' and network activities' partner lists.
        "community_projects": Category.METADATA,
        "network_activities": Category.METADATA,
    },
    "network.SitePartner": {
        **_STAMPS,
        "site": Category.METADATA,
        "partner": Category.METADATA,
        "since": Category.ORGANISATION,
        # A named person at the partner with direct phone and e-mail is personal data of partner staff.
        "contact_person": Category.STAFF,
        "contact_phone": Category.STAFF,
        "contact_email": Category.STAFF,
        "notes": Category.STAFF,
    },
    "network.PartnerContact": {
        **_STAMPS,
        "link": Category.METADATA,
        "name": Category.STAFF,
        "function": Category.STAFF,
        "phone": Category.STAFF,
        "email": Category.STAFF,
        "note": Category.STAFF,
    },
    # The services directory: what partners publish about their offers.
    "network.Service": {
        **_STAMPS,
        "partner": Category.METADATA,
        "name": Category.ORGANISATION,
        "description": Category.ORGANISATION,
        "place": Category.ORGANISATION,
        "hours": Category.ORGANISATION,
        "access": Category.ORGANISATION,
        "cost": Category.ORGANISATION,
        "cost_note": Category.ORGANISATION,
        "phone": Category.ORGANISATION,
        "email": Category.ORGANISATION,
        "is_active": Category.METADATA,
    },
    "network.ServiceAudience": {
        "id": Category.METADATA,
        "service": Category.METADATA,
        "audience": Category.ORGANISATION,
    },
    "network.ServiceLanguage": {
        "id": Category.METADATA,
        "service": Category.METADATA,
        "language": Category.ORGANISATION,
    },
    "network.Agreement": {
        **_STAMPS,
        "site": Category.METADATA,
        "partner": Category.METADATA,
        "kind": Category.ORGANISATION,
        "title": Category.ORGANISATION,
        "signed_on": Category.ORGANISATION,
        "starts_on": Category.ORGANISATION,
        "ends_on": Category.ORGANISATION,
        "remind_on": Category.ORGANISATION,
        "renewed_by": Category.METADATA,
        # Free text may name people working at the partner.
        "note": Category.STAFF,
    },
    "network.NetworkActivity": {
        **_STAMPS,
        "site": Category.METADATA,
        "kind": Category.ORGANISATION,
        "title": Category.ORGANISATION,
        "held_on": Category.ORGANISATION,
        "place": Category.ORGANISATION,
        "partners": Category.ORGANISATION,
        "note": Category.STAFF,
    },
    # The survey questionnaire is configuration.
    "network.SurveyInstrument": {
        **_STAMPS,
        "name": Category.ORGANISATION,
        "introduction": Category.ORGANISATION,
        "scale_min": Category.ORGANISATION,
        "scale_max": Category.ORGANISATION,
        "scale_labels": Category.ORGANISATION,
        "no_answer_label": Category.ORGANISATION,
        "min_responses": Category.ORGANISATION,
        "open_question": Category.ORGANISATION,
        "is_active": Category.METADATA,
    },
    "network.SurveyDimension": {
        "id": Category.METADATA,
        "instrument": Category.METADATA,
        "position": Category.ORGANISATION,
        "title": Category.ORGANISATION,
        "weight": Category.ORGANISATION,
    },
    "network.SurveyItem": {
        "id": Category.METADATA,
        "dimension": Category.METADATA,
        "position": Category.ORGANISATION,
        "text": Category.ORGANISATION,
        "weight": Category.ORGANISATION,
    },
    "network.SurveyWave": {
        **_STAMPS,
        "site": Category.METADATA,
        "instrument": Category.METADATA,
        "year": Category.ORGANISATION,
        "opens_on": Category.ORGANISATION,
        "closes_on": Category.ORGANISATION,
    },
    "network.SurveyInvitation": {
        "id": Category.METADATA,
        "wave": Category.METADATA,
        "partner": Category.METADATA,
        "token_hash": Category.METADATA,
        "invited_on": Category.METADATA,
        "answered_on": Category.METADATA,
    },
    # Anonymous answers of partner staff; the free-text suggestions may still identify the writer.
    "network.SurveyResponse": {"id": Category.METADATA, "wave": Category.METADATA, "comment": Category.STAFF},
    "network.SurveyAnswer": {
        "id": Category.METADATA,
        "response": Category.METADATA,
        "item": Category.METADATA,
        "value": Category.ORGANISATION,
    },
}

ACTIVITIES = dict.fromkeys(FIELDS, "network")
