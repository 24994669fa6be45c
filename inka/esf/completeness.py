"""When a participation counts (ESF.md "complete"): the one definition the engine and the UI share."""

from inka.esf.records import ParticipationRecord


def required_fields(record: ParticipationRecord) -> tuple[str, ...]:
    """The fields a record needs, in questionnaire order; two depend on the labour status."""
    status = record.labour_status_at_entry
    conditional = {"UNEMPLOYED": ("unemployed_since",), "INACTIVE": ("in_education_or_training_at_entry",)}
    return (
        "gender",
        "date_of_birth",
        "entry_date",
        "labour_status_at_entry",
        *conditional.get(status or "", ()),
        "isced_level",
    )


def missing_fields(record: ParticipationRecord) -> list[str]:
    """The fields still missing for the record to count; empty when complete.

    Refused or unasked sensitive items never make a record incomplete.
    """
    return [name for name in required_fields(record) if getattr(record, name) is None]


def is_complete(record: ParticipationRecord) -> bool:
    return not missing_fields(record)
