"""What the retention run does with a person's employment records (docs/retention.md): ratings,
kinds, dates and outcomes stay for the figures; notes, employers and plans in words go."""

from inka.privacy.retention import CLEAR, NEUTRAL, Rule, Run, keep

STAMPS = ("id", "created_at", "updated_at")

FIELDS: dict[str, dict[str, Rule]] = {
    "employment.BarrierAssessment": {
        **keep(*STAMPS, "case", "assessed_on", "kind", "assessed_by"),
        "note": CLEAR,
    },
    "employment.BarrierRating": keep("id", "assessment", "barrier", "severity"),
    "employment.CareerPlan": {
        **keep(*STAMPS, "case"),
        "perspective": NEUTRAL,
        "target_occupation": CLEAR,
        "action_plan": CLEAR,
    },
    "employment.Application": {
        **keep(*STAMPS, "case", "applied_on", "outcome"),
        "employer": NEUTRAL,
        "position": NEUTRAL,
        "note": CLEAR,
    },
    "employment.JobOutcome": {
        **keep(*STAMPS, "case", "kind", "starts_on", "ends_on"),
        "employer_or_provider": CLEAR,
        "qualification": CLEAR,
        "note": CLEAR,
    },
}


def anonymise(person_ids: list[int], *, run: Run) -> None:
    run.apply(FIELDS, person_ids)
