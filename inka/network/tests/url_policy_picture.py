"""URL policy of the network picture (collected by inka/core/tests/test_url_matrix.py)."""

from inka.core.tests.policy_tables import LOGIN, Policy

POLICY = {
    # The current site for its team and steering group (site B's caseworker gets site B); the
    # programme roles choose a site, with small referral numbers hidden; the DPO and the
    # technical administration have no business here.
    "network:network_picture": Policy(get={"anonymous": LOGIN, "dpo": 403, "admin": 403, "default": 200}),
}
