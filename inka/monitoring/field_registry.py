from inka.core.registry import DataClass as D

FIELDS = {
    # A site's report: its narrative (about the work, not about persons) and aggregate numbers.
    "monitoring.PeriodReport": {
        "id": D.TECHNICAL,
        "created_at": D.TECHNICAL,
        "updated_at": D.TECHNICAL,
        "site": D.INTERNAL,
        "year": D.INTERNAL,
        "quarter": D.INTERNAL,
        "version": D.INTERNAL,
        "status": D.INTERNAL,
        "achievements": D.INTERNAL,
        "difficulties": D.INTERNAL,
        "plans": D.INTERNAL,
        "figures": D.INTERNAL,
        "submitted_at": D.LOG,
        "submitted_by": D.STAFF,
        "reviewed_at": D.LOG,
        "reviewed_by": D.STAFF,
        "review_comment": D.INTERNAL,
    },
}
