"""What the retention run does with the data protection records of a person (docs/retention.md):
the register of requests keeps kinds, dates and states as evidence of how requests were handled;
what the person said and how the identity was checked goes."""

from inka.privacy.retention import CLEAR, NEUTRAL, Rule, Run, keep

STAMPS = ("id", "created_at", "updated_at")

FIELDS: dict[str, dict[str, Rule]] = {
    "privacy.DataSubjectRequest": {
        **keep(*STAMPS, "site", "person", "kind", "received_on", "identity_checked_on", "due_on"),
        **keep("extended_until", "status", "answered_on", "registered_by", "handled_by"),
        "channel": CLEAR,
        "identity_check": CLEAR,
        "extension_reason": CLEAR,
        "answer": CLEAR,
        "notes": CLEAR,
    },
    "privacy.ContestedValue": {
        **keep(*STAMPS, "site", "person", "content_type", "object_id", "field_name", "request"),
        **keep("contested_on", "resolved_on", "recorded_by"),
        "statement": NEUTRAL,
        "resolution": CLEAR,
    },
}


def anonymise(person_ids: list[int], *, run: Run) -> None:
    run.apply(FIELDS, person_ids)
