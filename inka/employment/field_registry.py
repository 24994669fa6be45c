from inka.core.registry import DataClass as D

_STAMPS = {"id": D.TECHNICAL, "created_at": D.TECHNICAL, "updated_at": D.TECHNICAL}

FIELDS = {
    "employment.BarrierAssessment": {
        **_STAMPS,
        "case": D.PERSONAL,
        "assessed_on": D.PERSONAL,
        "kind": D.PERSONAL,
        "assessed_by": D.STAFF,
        "note": D.PERSONAL,
    },
    # The columns are generic, but a rating of health, addiction or a criminal record is a special
    # category (Art. 9 and 10 GDPR): that a barrier was rated at all already reveals it.
    "employment.BarrierRating": {
        "id": D.TECHNICAL,
        "assessment": D.PERSONAL,
        "barrier": D.SPECIAL,
        "severity": D.SPECIAL,
    },
    "employment.CareerPlan": {
        **_STAMPS,
        "case": D.PERSONAL,
        "perspective": D.PERSONAL,
        "target_occupation": D.PERSONAL,
        "action_plan": D.PERSONAL,
    },
    "employment.Application": {
        **_STAMPS,
        "case": D.PERSONAL,
        "employer": D.PERSONAL,
        "position": D.PERSONAL,
        "applied_on": D.PERSONAL,
        "outcome": D.PERSONAL,
        "note": D.PERSONAL,
    },
    "employment.JobOutcome": {
        **_STAMPS,
        "case": D.PERSONAL,
        "kind": D.PERSONAL,
        "starts_on": D.PERSONAL,
        "ends_on": D.PERSONAL,
        "employer_or_provider": D.PERSONAL,
        "qualification": D.PERSONAL,
        "note": D.PERSONAL,
    },
}
