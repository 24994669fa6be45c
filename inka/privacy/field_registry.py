from inka.core.registry import Category

_STAMPS = {"id": Category.METADATA, "created_at": Category.METADATA, "updated_at": Category.METADATA}

FIELDS = {
    "privacy.DataSubjectRequest": {
        **_STAMPS,
        "site": Category.METADATA,
        "person": Category.IDENTIFIER,
        "kind": Category.CASE_CONTENT,
        "received_on": Category.METADATA,
        "channel": Category.CASE_CONTENT,
        "identity_checked_on": Category.METADATA,
        "identity_check": Category.CASE_CONTENT,
        "due_on": Category.METADATA,
        "extended_until": Category.METADATA,
        "extension_reason": Category.CASE_CONTENT,
        "status": Category.METADATA,
        "answered_on": Category.METADATA,
        "answer": Category.CASE_CONTENT,
        "notes": Category.CASE_CONTENT,
        "registered_by": Category.STAFF,
        "handled_by": Category.STAFF,
    },
    "privacy.ContestedValue": {
        **_STAMPS,
        "site": Category.METADATA,
        "person": Category.IDENTIFIER,
        "content_type": Category.METADATA,
        "object_id": Category.METADATA,
        "field_name": Category.METADATA,
        "statement": Category.CASE_CONTENT,
        "request": Category.METADATA,
        "contested_on": Category.METADATA,
        "resolved_on": Category.METADATA,
        "resolution": Category.CASE_CONTENT,
        "recorded_by": Category.STAFF,
    },
    # Persons appear by id only; the note is the data protection officer's remark on the run.
    "privacy.RetentionApproval": {
        **_STAMPS,
        "approved_by": Category.STAFF,
        "as_of": Category.METADATA,
        "person_ids": Category.METADATA,
        "note": Category.METADATA,
        "used_at": Category.METADATA,
    },
    "privacy.DeletionJournalEntry": {
        "id": Category.METADATA,
        "at": Category.LOG,
        "run_id": Category.LOG,
        "model": Category.LOG,
        "object_id": Category.LOG,
        "rule": Category.LOG,
    },
}

ACTIVITIES = dict.fromkeys(FIELDS, "privacy")
