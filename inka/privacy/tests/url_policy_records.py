"""Permission matrix rows of the record of processing activities (Art. 30 GDPR).

The data protection officer keeps the record; the technical administration may read it too (it
describes what INKA processes, never a person's data). Everyone else gets 403.
"""

from inka.core.tests.policy_tables import LOGIN, Policy

RECORD = {"anonymous": LOGIN, "dpo": 200, "admin": 200, "default": 403}

POLICY: dict[str, Policy] = {
    # Read-only: a POST is refused before anything else.
    "privacy:records_of_processing": Policy(get=RECORD, post={"anonymous": LOGIN, "default": 405}),
    "privacy:records_of_processing_pdf": Policy(get=RECORD),
    "privacy:records_of_processing_json": Policy(get=RECORD),
}
