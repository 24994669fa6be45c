from inka.core.registry import DataClass as D

_STAMPS = {"id": D.TECHNICAL, "created_at": D.TECHNICAL, "updated_at": D.TECHNICAL}

FIELDS = {
    "steering.SteeringGroup": {
        **_STAMPS,
        "site": D.INTERNAL,
        "name": D.INTERNAL,
        "founded_on": D.INTERNAL,
        "rhythm": D.INTERNAL,
        "remit": D.INTERNAL,
    },
    # Members are representatives of institutions: personal data of partner staff.
    "steering.Member": {
        **_STAMPS,
        "group": D.INTERNAL,
        "name": D.STAFF,
        "organisation": D.INTERNAL,
        "partner": D.INTERNAL,
        "role": D.INTERNAL,
        "function": D.STAFF,
        "email": D.STAFF,
        "phone": D.STAFF,
        "user": D.STAFF,
        "since": D.STAFF,
        "until": D.STAFF,
        "meetings_attended": D.STAFF,
    },
    "steering.Meeting": {
        **_STAMPS,
        "group": D.INTERNAL,
        "held_on": D.INTERNAL,
        "starts_at": D.INTERNAL,
        "place": D.INTERNAL,
        "status": D.INTERNAL,
        "guests": D.STAFF,
        "minutes": D.STAFF,
        "minutes_by": D.STAFF,
        "present": D.STAFF,
    },
    "steering.AgendaItem": {
        "id": D.TECHNICAL,
        "meeting": D.INTERNAL,
        "position": D.INTERNAL,
        "title": D.INTERNAL,
        "presenter": D.STAFF,
    },
    "steering.Decision": {"id": D.TECHNICAL, "meeting": D.INTERNAL, "text": D.INTERNAL},
    "steering.ActionItem": {
        **_STAMPS,
        "meeting": D.INTERNAL,
        "title": D.INTERNAL,
        "owner": D.STAFF,
        "due_on": D.INTERNAL,
        "status": D.INTERNAL,
        "done_on": D.INTERNAL,
        "note": D.STAFF,
    },
}
