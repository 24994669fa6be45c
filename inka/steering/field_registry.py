from inka.core.registry import Category

_STAMPS = {"id": Category.METADATA, "created_at": Category.METADATA, "updated_at": Category.METADATA}

FIELDS = {
    "steering.SteeringGroup": {
        **_STAMPS,
        "site": Category.METADATA,
        "name": Category.ORGANISATION,
        "founded_on": Category.ORGANISATION,
        "rhythm": Category.ORGANISATION,
        "remit": Category.ORGANISATION,
    },
    # Members are representatives of institutions: personal data of partner staff.
    "steering.Member": {
        **_STAMPS,
        "group": Category.METADATA,
        "name": Category.STAFF,
        "organisation": Category.ORGANISATION,
        "partner": Category.METADATA,
        "role": Category.STAFF,
        "function": Category.STAFF,
        "email": Category.STAFF,
        "phone": Category.STAFF,
        "user": Category.STAFF,
        "since": Category.STAFF,
        "until": Category.STAFF,
        "meetings_attended": Category.STAFF,
    },
    "steering.Meeting": {
        **_STAMPS,
        "group": Category.METADATA,
        "held_on": Category.ORGANISATION,
        "starts_at": Category.ORGANISATION,
        "place": Category.ORGANISATION,
        "status": Category.METADATA,
        "guests": Category.STAFF,
        # Minutes name the members who spoke.
        "minutes": Category.STAFF,
        "minutes_by": Category.STAFF,
        "present": Category.STAFF,
    },
    "steering.AgendaItem": {
        "id": Category.METADATA,
        "meeting": Category.METADATA,
        "position": Category.ORGANISATION,
        "title": Category.ORGANISATION,
        "presenter": Category.STAFF,
    },
    "steering.Decision": {
        "id": Category.METADATA,
        "meeting": Category.METADATA,
        "text": Category.ORGANISATION,
    },
    "steering.ActionItem": {
        **_STAMPS,
        "meeting": Category.METADATA,
        "title": Category.ORGANISATION,
        "owner": Category.STAFF,
        "due_on": Category.ORGANISATION,
        "status": Category.METADATA,
        "done_on": Category.ORGANISATION,
        "note": Category.STAFF,
    },
}

ACTIVITIES = dict.fromkeys(FIELDS, "steering")
