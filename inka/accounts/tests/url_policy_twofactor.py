"""Permission matrix rows of the second factor, the security page and the account actions.

The personas' sessions have passed the second factor (conftest `login`), so both steps send them
on (302); the security page and its actions are every signed-in user's own. Ending sessions and
resetting the second factor of an account are the technical administration's.
"""

from inka.core.tests.policy_tables import EVERYONE, LOGIN, POST_ONLY, Policy

ADMIN_ONLY_POST = {"anonymous": LOGIN, "admin": 302, "default": 403}

POLICY: dict[str, Policy] = {
    "accounts:second_factor": Policy(get={"default": 302}, post={"default": 302}),
    "accounts:second_factor_enrol": Policy(get={"default": 302}, post={"default": 302}),
    "accounts:security": Policy(get=EVERYONE),
    # An empty form: no code, refused at the field.
    "accounts:recovery_codes_renew": Policy(get=POST_ONLY, post={"anonymous": LOGIN, "default": 400}),
    "accounts:logout_everywhere": Policy(get=POST_ONLY, post={"default": 302}),
    "accounts:user_end_sessions": Policy(
        get=POST_ONLY, post=ADMIN_ONLY_POST, kwargs=lambda w: {"pk": w.user("reader").pk}
    ),
    "accounts:user_reset_second_factor": Policy(
        get=POST_ONLY, post=ADMIN_ONLY_POST, kwargs=lambda w: {"pk": w.user("reader").pk}
    ),
}
