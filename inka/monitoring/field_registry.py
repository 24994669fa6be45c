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
    # The programme's figures as last counted: aggregate numbers only.
    "monitoring.FiguresSnapshot": {
        "id": Category.METADATA,
        "day": Category.METADATA,
        "sites_key": Category.METADATA,
        "figures": Category.ORGANISATION,
        "counted_at": Category.METADATA,
        "seconds": Category.METADATA,
    },
}

ACTIVITIES = {"monitoring.PeriodReport": "monitoring", "monitoring.FiguresSnapshot": "monitoring"}
