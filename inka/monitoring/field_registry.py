from inka.core.registry import Category

FIELDS = {
    # A site's report: its narrative (about the work, not about persons) and aggregate numbers.
    "monitoring.PeriodReport": {
        "id": Category.METADATA,
        "created_at": Category.METADATA,
        "updated_at": Category.METADATA,
        "site": Category.METADATA,
        "year": Category.ORGANISATION,
        "quarter": Category.ORGANISATION,
        "version": Category.METADATA,
        "status": Category.METADATA,
        "achievements": Category.ORGANISATION,
        "difficulties": Category.ORGANISATION,
        "plans": Category.ORGANISATION,
        "figures": Category.ORGANISATION,
        "submitted_at": Category.METADATA,
        "submitted_by": Category.STAFF,
        "reviewed_at": Category.METADATA,
        "reviewed_by": Category.STAFF,
        "review_comment": Category.ORGANISATION,
    },
}

ACTIVITIES = {"monitoring.PeriodReport": "monitoring"}
