from inka.core.registry import Category

_STAMPS = {"id": Category.METADATA, "created_at": Category.METADATA, "updated_at": Category.METADATA}

FIELDS = {
    "employment.BarrierAssessment": {
        **_STAMPS,
        "case": Category.METADATA,
        "assessed_on": Category.CASE_CONTENT,
        "kind": Category.CASE_CONTENT,
        "assessed_by": Category.STAFF,
        "note": Category.CASE_CONTENT,
    },
    # The columns are generic, but a rating of health, addiction or a criminal record is a special
    # category (Art. 9 and 10 GDPR): that a barrier was rated at all already reveals it.
    "employment.BarrierRating": {
        "id": Category.METADATA,
        "assessment": Category.METADATA,
        "barrier": Category.SPECIAL,
        "severity": Category.SPECIAL,
    },
    "employment.CareerPlan": {
        **_STAMPS,
        "case": Category.METADATA,
        "perspective": Category.CASE_CONTENT,
        "target_occupation": Category.CASE_CONTENT,
        "action_plan": Category.CASE_CONTENT,
    },
    "employment.Application": {
        **_STAMPS,
        "case": Category.METADATA,
        "employer": Category.CASE_CONTENT,
        "position": Category.CASE_CONTENT,
        "applied_on": Category.CASE_CONTENT,
        "outcome": Category.CASE_CONTENT,
        "note": Category.CASE_CONTENT,
    },
    "employment.JobOutcome": {
        **_STAMPS,
        "case": Category.METADATA,
        "kind": Category.CASE_CONTENT,
        "starts_on": Category.CASE_CONTENT,
        "ends_on": Category.CASE_CONTENT,
        "employer_or_provider": Category.CASE_CONTENT,
        "qualification": Category.CASE_CONTENT,
        "note": Category.CASE_CONTENT,
    },
}

ACTIVITIES = dict.fromkeys(FIELDS, "employment")
