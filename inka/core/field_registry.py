from inka.core.registry import Category

_LOG = {
    "id": Category.METADATA,
    "at": Category.LOG,
    "actor_id": Category.LOG,
    "actor_label": Category.LOG,
    "role": Category.LOG,
    "site_id": Category.LOG,
    "action": Category.LOG,
    "content_type": Category.LOG,
    "object_id": Category.LOG,
    "object_label": Category.LOG,
}

FIELDS = {
    # The diff may repeat any changed value, special categories included (said in the activity).
    "core.AuditEntry": {**_LOG, "changes": Category.LOG, "data": Category.LOG},
    "core.AccessLogEntry": {
        **_LOG,
        "outcome": Category.LOG,
        "record_ids": Category.LOG,
        "request_id": Category.LOG,
        "reason": Category.LOG,
    },
}

ACTIVITIES = {"core.AuditEntry": "change_history", "core.AccessLogEntry": "access_log"}
