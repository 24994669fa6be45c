"""When a participation counts (ESF.md "complete"): the one definition the engine and the UI share."""

from inka.esf.records import ParticipationRecord

CORE_FIELDS = ("gender", "date_of_birth", "entry_date", "labour_status_at_entry", "isced_level")


def missing_fields(record: ParticipationRecord) -> list[str]:
    """The fields still missing for the record to count, in questionnaire order; empty when complete.

    Refused or unasked sensitive items never make a record incomplete.
    """
    missing = [name for name in CORE_FIELDS if getattr(record, name) is None]
    if record.labour_status_at_entry == "UNEMPLOYED" and record.unemployed_since is None:
        missing.insert(
            missing.index("isced_level") if "isced_level" in missing else len(missing), "unemployed_since"
        )
    if record.labour_status_at_entry == "INACTIVE" and record.in_education_or_training_at_entry is None:
        missing.insert(
            missing.index("isced_level") if "isced_level" in missing else len(missing),
            "in_education_or_training_at_entry",
        )
    return missing


def is_complete(record: ParticipationRecord) -> bool:
    return not missing_fields(record)
