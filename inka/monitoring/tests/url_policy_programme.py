"""Permission matrix rows of the programme dashboard: the programme coordination only.

Every other persona gets 403, including the sites' own staff, the steering group, data protection
and administration; anonymous users are sent to the login.
"""

from inka.core.tests.policy_tables import LOGIN, Policy

COORDINATION = {"anonymous": LOGIN, "coordinator": 200, "default": 403}

POLICY: dict[str, Policy] = {
    "monitoring:programme_dashboard": Policy(get=COORDINATION),
    "monitoring:programme_dashboard_export": Policy(get=COORDINATION, kwargs=lambda w: {"fmt": "csv"}),
}
