"""What the retention run does with a person's ESF participation (docs/retention.md).

Every answer the indicators count stays. The participation ID and the person key become random
pseudonyms (the reports never show them), the date of birth moves to another day of the same year
on which the person's age at every ESF date is the same (inka.privacy.retention.replacement_birth_date).
"""

from inka.privacy.retention import BIRTH_DATE, CLEAR, NEUTRAL, PSEUDONYM, Rule, Run, keep

STAMPS = ("id", "created_at", "updated_at")
RESULT = ("id", "job_outcome", "participation")

FIELDS: dict[str, dict[str, Rule]] = {
    "esf.Participation": {
        **keep(*STAMPS, "site", "person", "case", "entry_date", "exit_date", "gender"),
        **keep(
            "labour_status_at_entry", "self_employed", "unemployed_since", "in_education_or_training_at_entry"
        ),
        **keep("school_certificate", "vocational_qualification", "isced_level", "disability"),
        **keep("third_country_national", "foreign_background", "minority", "other_disadvantaged"),
        **keep("homeless_or_housing_exclusion", "rural", "household_jobless", "household_dependent_children"),
        **keep("household_single_adult", "leaflet_acknowledged_on", "sensitive_asked_on"),
        **keep(
            "followup_6m_status", "followup_6m_improved", "followup_6m_improvement", "followup_6m_recorded_on"
        ),
        "participation_id": PSEUDONYM,
        "person_key": PSEUDONYM,
        "date_of_birth": BIRTH_DATE,
        "exit_no_answer_reason": NEUTRAL,  # "no answer possible" stays documented
    },
    "esf.Stay": keep("id", "participation", "entry_date", "exit_date"),
    "esf.ExitEvent": keep(*RESULT, "occurred_on", "type"),
    "esf.EducationStart": {**keep(*RESULT, "started_on"), "title": CLEAR},
    "esf.Qualification": {**keep(*RESULT, "awarded_on", "recognised"), "title": NEUTRAL},
}


def anonymise(person_ids: list[int], *, run: Run) -> None:
    run.apply(FIELDS, person_ids)
