"""Permission matrix rows of the site dashboard, the indicator catalogue and the data-quality page.

Site A's dashboard: its team (exactly), its steering group and the programme coordination (suppressed);
site B's caseworker does not see site A (404); data protection and administration see no figures (403).
"""

from inka.core.tests.policy_tables import LOGIN, SITE_A_VISIBLE, Policy

DASHBOARD_A = {**SITE_A_VISIBLE, "dpo": 403, "admin": 403}


POLICY: dict[str, Policy] = {
    # Redirects to the current site's dashboard (the coordinator: to the programme dashboard).
    "monitoring:home": Policy(get={"anonymous": LOGIN, "dpo": 403, "admin": 403, "default": 302}),
    "monitoring:site_dashboard": Policy(get=DASHBOARD_A, kwargs=lambda w: {"site_id": w.site_a.pk}),
    "monitoring:site_dashboard_export": Policy(
        get=DASHBOARD_A, kwargs=lambda w: {"site_id": w.site_a.pk, "fmt": "csv"}
    ),
    "monitoring:catalogue": Policy(get={"anonymous": LOGIN, "dpo": 403, "admin": 403, "default": 200}),
    # The team sees its current site (site B's caseworker: site B), the coordinator every site.
    "monitoring:quality": Policy(
        get={"anonymous": LOGIN, "steering": 403, "dpo": 403, "admin": 403, "default": 200}
    ),
}
