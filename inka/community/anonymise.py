"""What the retention run does with a person's community records (docs/retention.md): attendances
stay as they are (ids and the session), a volunteer's name, contact data and descriptions go, the
periods and hours stay."""

from inka.cases.anonymise import FIRST_NAME
from inka.privacy.retention import CLEAR, ROW_NUMBER, Rule, Run, keep, value

FIELDS: dict[str, dict[str, Rule]] = {
    "community.Attendance": keep("id", "session", "person"),
    "community.Volunteer": {
        **keep("id", "created_at", "updated_at", "site", "person", "since", "until"),
        "first_name": value(FIRST_NAME),
        "last_name": ROW_NUMBER,
        "phone": CLEAR,
        "email": CLEAR,
        "skills": CLEAR,
        "availability": CLEAR,
    },
    "community.VolunteerHours": {
        **keep("id", "created_at", "updated_at", "volunteer", "project", "session", "month", "hours"),
        **keep("recorded_by"),
        "activity": CLEAR,
    },
}


def anonymise(person_ids: list[int], *, run: Run) -> None:
    run.apply(FIELDS, person_ids)
