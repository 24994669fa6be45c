from inka.core.registry import Category

_STAMPS = {"id": Category.METADATA, "created_at": Category.METADATA, "updated_at": Category.METADATA}

FIELDS = {
    "community.Project": {
        **_STAMPS,
        "site": Category.METADATA,
        "title": Category.ORGANISATION,
        "kind": Category.ORGANISATION,
        "status": Category.METADATA,
        "goals": Category.ORGANISATION,
        "starts_on": Category.ORGANISATION,
        "ends_on": Category.ORGANISATION,
        "partners": Category.ORGANISATION,
        "budget": Category.ORGANISATION,
        "spent": Category.ORGANISATION,
        "public_description": Category.ORGANISATION,
        "created_by": Category.STAFF,
    },
    "community.Session": {
        **_STAMPS,
        "project": Category.METADATA,
        "held_on": Category.ORGANISATION,
        "title": Category.ORGANISATION,
        "place": Category.ORGANISATION,
        "duration_minutes": Category.ORGANISATION,
        "attendance_mode": Category.METADATA,
        # Staff are asked not to name residents; a note may still do so.
        "note": Category.CASE_CONTENT,
    },
    # Counts by age band and gender, no person behind them.
    "community.Headcount": {
        "id": Category.METADATA,
        "session": Category.METADATA,
        "age_band": Category.ORGANISATION,
        "gender": Category.ORGANISATION,
        "count": Category.ORGANISATION,
    },
    "community.Attendance": {
        "id": Category.METADATA,
        "session": Category.METADATA,
        "person": Category.IDENTIFIER,
    },
    # Volunteers are data subjects in their own right (and sometimes clients too).
    "community.Volunteer": {
        **_STAMPS,
        "site": Category.METADATA,
        "person": Category.IDENTIFIER,
        "first_name": Category.IDENTIFIER,
        "last_name": Category.IDENTIFIER,
        "phone": Category.CONTACT,
        "email": Category.CONTACT,
        "skills": Category.CASE_CONTENT,
        "availability": Category.CASE_CONTENT,
        "since": Category.CASE_CONTENT,
        "until": Category.CASE_CONTENT,
    },
    "community.VolunteerHours": {
        **_STAMPS,
        "volunteer": Category.METADATA,
        "project": Category.METADATA,
        "session": Category.METADATA,
        "month": Category.CASE_CONTENT,
        "hours": Category.CASE_CONTENT,
        "activity": Category.CASE_CONTENT,
        "recorded_by": Category.STAFF,
    },
    "community.Activation": {
        **_STAMPS,
        "site": Category.METADATA,
        "occurred_on": Category.ORGANISATION,
        "kind": Category.ORGANISATION,
        "residents": Category.ORGANISATION,
        # Written without names, but about what residents did.
        "description": Category.CASE_CONTENT,
        "project": Category.METADATA,
        "recorded_by": Category.STAFF,
    },
    "community.OutreachRound": {
        **_STAMPS,
        "site": Category.METADATA,
        "held_on": Category.ORGANISATION,
        "area": Category.ORGANISATION,
        "duration_minutes": Category.ORGANISATION,
        "staff": Category.STAFF,
        "conversations": Category.ORGANISATION,
        "note": Category.CASE_CONTENT,
        "contacts": Category.METADATA,
        "recorded_by": Category.STAFF,
    },
    "community.OutreachTopic": {
        "id": Category.METADATA,
        "round": Category.METADATA,
        "topic": Category.ORGANISATION,
        "conversations": Category.ORGANISATION,
    },
}

ACTIVITIES = dict.fromkeys(FIELDS, "community")
