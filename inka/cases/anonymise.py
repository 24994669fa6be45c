"""What the retention run does with a person's case work (docs/retention.md).

Names, contact data and free text go; the facts the figures count stay: gender, household,
residence status, disability, dates, modes, topics, states and outcomes as choices. Documents
are deleted, files and rows.
"""

from inka.cases.models import Document
from inka.cases.names import name_key, name_sound
from inka.cases.uploads import path_of
from inka.privacy.graph import person_filter
from inka.privacy.retention import (
    BIRTH_DATE,
    BUMP,
    CLEAR,
    NEUTRAL,
    NOW,
    PSEUDONYM,
    ROW_NUMBER,
    Rule,
    Run,
    keep,
    value,
)

FIRST_NAME = "Anonymisiert"
STAMPS = ("id", "created_at", "updated_at")

FIELDS: dict[str, dict[str, Rule]] = {
    "cases.Person": {
        **keep(*STAMPS, "site", "gender", "in_neighbourhood", "household_size", "children"),
        **keep("residence_status", "disability", "restricted_at"),
        "first_name": value(FIRST_NAME),
        "last_name": ROW_NUMBER,
        "birth_date": BIRTH_DATE,
        "street": CLEAR,
        "postcode": CLEAR,
        "town": CLEAR,
        "phone": CLEAR,
        "email": CLEAR,
        "languages": CLEAR,
        # The duplicate search keys of the new name: the number is no letter, so it adds nothing.
        "name_key": value(name_key("#", FIRST_NAME)),
        "last_name_sound": value(name_sound("#")),
        "anonymised_at": NOW,
    },
    "cases.Consent": {
        **keep(*STAMPS, "person", "purpose", "partner", "partner_kind", "text_version", "form"),
        **keep("given_on", "taken_by", "expires_on", "withdrawn_on"),
        "withdrawal_note": CLEAR,
    },
    "cases.Case": {
        **keep(*STAMPS, "site", "person", "caseworker", "status", "opened_on", "closed_on", "close_reason"),
        "reference": PSEUDONYM,  # the file number on letters and paper files
        "outcome": CLEAR,
        "life_situation": CLEAR,
        "notes": CLEAR,
        "health_note": CLEAR,
        "addiction_note": CLEAR,
        "criminal_record_note": CLEAR,
        "version": BUMP,
    },
    "cases.CaseNeed": keep("id", "case", "topic"),
    "cases.Contact": {
        **keep(*STAMPS, "site", "case", "occurred_on", "mode", "duration_minutes", "age_band", "gender"),
        **keep("author"),
        "note": CLEAR,
        "next_step": CLEAR,
    },
    "cases.ContactTopic": keep("id", "contact", "topic"),
    "cases.Goal": {
        **keep(*STAMPS, "case", "topic", "who_acts", "due_on", "status", "done_on"),
        "title": NEUTRAL,
    },
    "cases.GoalStep": {
        **keep(*STAMPS, "goal", "who_acts", "due_on", "status", "done_on"),
        "title": NEUTRAL,
    },
    "cases.FollowUp": {
        **keep(*STAMPS, "case", "due_on", "assigned_to", "created_by", "done_on"),
        "subject": NEUTRAL,
    },
    "cases.Referral": {
        **keep(*STAMPS, "case", "partner", "service", "consent", "status", "sent_on", "answered_on"),
        **keep("created_by", "link_expires_at", "link_used_at"),
        "purpose": NEUTRAL,
        "message": CLEAR,
        "consent_override_reason": NEUTRAL,  # a referral without consent must keep saying so
        "answered_by": CLEAR,
        "decline_reason": CLEAR,
        "outcome": CLEAR,
        "token_hash": CLEAR,  # the partner's answer link stops working
    },
}
# Deleted with their files: a title, a file name and the content say too much to keep any of it.
DELETE = frozenset({"cases.Document"})


def anonymise(person_ids: list[int], *, run: Run) -> None:
    documents = Document._base_manager.filter(person_filter("cases.Document", person_ids))
    run.delete_files(path_of(name) for name in documents.values_list("stored_name", flat=True))
    run.apply(FIELDS, person_ids, delete=DELETE)
