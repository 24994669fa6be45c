"""URL policies of the log pages: the site lead (own sites) and the data protection officer only."""

from inka.core.tests.policy_tables import LOGS, Policy

POLICY = {
    "core:access_log": Policy(get=LOGS),
    "core:audit_log": Policy(get=LOGS),
    "core:breach_question": Policy(get=LOGS),
}
