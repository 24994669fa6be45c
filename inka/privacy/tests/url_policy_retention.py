"""Permission matrix rows of retention and erasure.

The data protection officer sees the dry run and approves (matrix row "retention / anonymisation
run": dpo approve, admin trigger – the run itself is the command `inka retention run`). The
funding rounds' final payment and retention period are programme settings: the coordination and
the technical administration edit them, the data protection officer reads them. Everyone else 403.
"""

from datetime import date
from typing import Any

from inka.core.tests.policy_tables import LOGIN, POST_ONLY, Policy
from inka.programme.models import FundingRound, Programme

DPO = {"anonymous": LOGIN, "dpo": 200, "default": 403}
ROUNDS = {"anonymous": LOGIN, "coordinator": 200, "admin": 200, "dpo": 200, "default": 403}
EDIT = {"anonymous": LOGIN, "coordinator": 200, "admin": 200, "default": 403}


def funding_round(w: Any) -> dict[str, int]:
    programme = Programme.objects.create(name="ThINKA", short_name="ThINKA", coordinating_body="ThASG")
    found = FundingRound.objects.create(
        programme=programme, name="2022–2025", starts_on=date(2022, 7, 1), ends_on=date(2025, 6, 30)
    )
    return {"pk": found.pk}


POLICY: dict[str, Policy] = {
    "privacy:retention": Policy(get=DPO, post={"anonymous": LOGIN, "default": 405}),
    # An approval with nothing due is harmless: it lets the run delete old access-log entries.
    "privacy:retention_approve": Policy(get=POST_ONLY, post={"anonymous": LOGIN, "dpo": 302, "default": 403}),
    "privacy:funding_rounds": Policy(get=ROUNDS),
    # The empty form lacks the retention years: refused at the field.
    "privacy:funding_round_edit": Policy(
        get=EDIT, post={**EDIT, "coordinator": 400, "admin": 400}, kwargs=funding_round
    ),
}
