from inka.core.registry import Category

_RESULT = {"id": Category.METADATA, "participation": Category.METADATA, "job_outcome": Category.METADATA}

FIELDS = {
    "esf.Participation": {
        "id": Category.METADATA,
        "created_at": Category.METADATA,
        "updated_at": Category.METADATA,
        "site": Category.METADATA,
        "person": Category.IDENTIFIER,
        "case": Category.METADATA,
        "participation_id": Category.IDENTIFIER,
        # The pseudonym that stands for the person in the records given to the managing authority.
        "person_key": Category.IDENTIFIER,
        "entry_date": Category.CASE_CONTENT,
        "exit_date": Category.CASE_CONTENT,
        "gender": Category.CASE_CONTENT,
        "date_of_birth": Category.IDENTIFIER,
        "labour_status_at_entry": Category.CASE_CONTENT,
        "self_employed": Category.CASE_CONTENT,
        "unemployed_since": Category.CASE_CONTENT,
        "in_education_or_training_at_entry": Category.CASE_CONTENT,
        "school_certificate": Category.CASE_CONTENT,
        "vocational_qualification": Category.CASE_CONTENT,
        "isced_level": Category.CASE_CONTENT,
        # Marked (**) in Annex I of Regulation (EU) 2021/1057: special categories under Art. 9 GDPR.
        "disability": Category.SPECIAL,
        "minority": Category.SPECIAL,
        # The 2014–2020 set marks "other disadvantaged" and "migrants, foreign background" (**) as well;
        # the indicator set is chosen per funding round, so both stay special.
        "other_disadvantaged": Category.SPECIAL,
        "foreign_background": Category.SPECIAL,
        # Marked (*) only: personal data, not a special category.
        "third_country_national": Category.CASE_CONTENT,
        "homeless_or_housing_exclusion": Category.CASE_CONTENT,
        "rural": Category.CASE_CONTENT,
        "household_jobless": Category.CASE_CONTENT,
        "household_dependent_children": Category.CASE_CONTENT,
        "household_single_adult": Category.CASE_CONTENT,
        "leaflet_acknowledged_on": Category.CASE_CONTENT,
        "sensitive_asked_on": Category.CASE_CONTENT,
        "exit_no_answer_reason": Category.CASE_CONTENT,
        "followup_6m_status": Category.CASE_CONTENT,
        "followup_6m_improved": Category.CASE_CONTENT,
        "followup_6m_improvement": Category.CASE_CONTENT,
        "followup_6m_recorded_on": Category.CASE_CONTENT,
    },
    "esf.Stay": {
        "id": Category.METADATA,
        "participation": Category.METADATA,
        "entry_date": Category.CASE_CONTENT,
        "exit_date": Category.CASE_CONTENT,
    },
    "esf.ExitEvent": {**_RESULT, "occurred_on": Category.CASE_CONTENT, "type": Category.CASE_CONTENT},
    "esf.EducationStart": {**_RESULT, "started_on": Category.CASE_CONTENT, "title": Category.CASE_CONTENT},
    "esf.Qualification": {
        **_RESULT,
        "awarded_on": Category.CASE_CONTENT,
        "title": Category.CASE_CONTENT,
        "recognised": Category.CASE_CONTENT,
    },
}

ACTIVITIES = dict.fromkeys(FIELDS, "esf")
