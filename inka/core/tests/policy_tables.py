"""The tables of the permission matrix, shared by the URL policies of every app.

An app declares the policies of its URLs as `POLICY` in `inka/<app>/tests/url_policy*.py`;
`inka/core/tests/test_url_matrix.py` collects them and fails for any named URL without one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Kwargs = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Policy:
    get: dict[str, int]
    post: dict[str, int] = field(default_factory=dict)
    kwargs: Kwargs = lambda world: {}


LOGIN = 302  # anonymous users are redirected to the login page


EVERYONE = {"anonymous": LOGIN, "default": 200}
PUBLIC = {"default": 200}
POST_ONLY = {"anonymous": LOGIN, "default": 405}
# Objects of site A: members of A and the programme roles see them; site B gets 404.
SITE_A_VISIBLE = {"anonymous": LOGIN, "other_caseworker": 404, "default": 200}
REGISTRY = {"anonymous": LOGIN, "other_caseworker": 404, "coordinator": 200, "admin": 200, "default": 403}
TEAM_A = {"anonymous": LOGIN, "other_caseworker": 404, "site_lead": 200, "admin": 200, "default": 403}
LOGS = {"anonymous": LOGIN, "site_lead": 200, "dpo": 200, "default": 403}
# Case work of site A: person-level data, so programme roles without a membership get 404 (outside
# their scope); the data protection officer and the steering group reach the object but not the page.
CASE_READ = {
    "anonymous": LOGIN, "other_caseworker": 404, "coordinator": 404, "admin": 404,
    "caseworker": 200, "site_lead": 200, "reader": 200, "default": 403,
}  # fmt: skip
CASE_WRITE = {**CASE_READ, "reader": 403}
CASE_WRITE_POST = {**CASE_WRITE, "caseworker": 400, "site_lead": 400}
# Pages of the site one works at now: site B's caseworker gets those of site B.
HERE_READ = {
    "anonymous": LOGIN,
    "caseworker": 200,
    "site_lead": 200,
    "reader": 200,
    "other_caseworker": 200,
    "default": 403,
}
HERE_WRITE = {**HERE_READ, "reader": 403}
HERE_WRITE_POST = {**HERE_WRITE, "caseworker": 400, "site_lead": 400, "other_caseworker": 400}
# Contacts are changed by their author only (the caseworker persona recorded them).
AUTHOR = {**CASE_WRITE, "site_lead": 403}
AUTHOR_POST = {**AUTHOR, "caseworker": 400}
