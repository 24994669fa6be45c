from inka.core.registry import DataClass as D

_LOG = {
    "id": D.TECHNICAL,
    "at": D.LOG,
    "actor_id": D.LOG,
    "actor_label": D.LOG,
    "role": D.LOG,
    "site_id": D.LOG,
    "action": D.LOG,
    "content_type": D.LOG,
    "object_id": D.LOG,
    "object_label": D.LOG,
}

FIELDS = {
    # The diff may repeat any changed value, so it is as sensitive as the most sensitive field.
    "core.AuditEntry": {**_LOG, "changes": D.SPECIAL, "data": D.LOG},
    "core.AccessLogEntry": {
        **_LOG,
        "outcome": D.LOG,
        "record_ids": D.LOG,
        "request_id": D.LOG,
        "reason": D.LOG,
    },
}
