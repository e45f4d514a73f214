"""Changes to people's records. Each service takes ``by=``, runs in one transaction, checks
the data, and writes its change event (``audit.services.save_new`` / ``save_change``);
nothing is stored when a check fails.

One module per feature; every public name is here, so ``from safeguard.people import
services`` and ``services.person_update(...)`` work wherever they are used:

- ``identity``: a person's identity, identifiers and other names;
- ``households``: addresses and residences;
- ``relationships``: relationships between people;
- ``involvements``: agencies' and workers' involvement;
- ``sealing``: sealed records, who is named on them, the record's owners;
- ``break_glass``: break-glass and its review.
"""

from safeguard.people.services.alerts import alert_end, alert_raise
from safeguard.people.services.break_glass import (
    BreakGlassRefused,
    break_glass,
    break_glass_review,
)
from safeguard.people.services.households import residence_add
from safeguard.people.services.identity import (
    PERSON_FIELDS,
    person_create,
    person_create_involved,
    person_name_add,
    person_update,
)
from safeguard.people.services.involvements import (
    EARLY_HELP_LEAD_ROLE,
    involvement_add,
    involvement_end,
    lead_involvement_add,
)
from safeguard.people.services.relationships import SYMMETRIC_RELATIONSHIPS, relationship_add
from safeguard.people.services.sealing import (
    SEAL_REASON_MIN,
    person_seal,
    person_unseal,
    record_owners,
    seal_member_add,
    seal_member_candidates,
    seal_member_remove,
)

__all__ = [
    "PERSON_FIELDS",
    "SEAL_REASON_MIN",
    "SYMMETRIC_RELATIONSHIPS",
    "BreakGlassRefused",
    "alert_end",
    "alert_raise",
    "break_glass",
    "break_glass_review",
    "EARLY_HELP_LEAD_ROLE",
    "involvement_add",
    "involvement_end",
    "person_create",
    "person_create_involved",
    "lead_involvement_add",
    "person_name_add",
    "person_seal",
    "person_unseal",
    "person_update",
    "record_owners",
    "relationship_add",
    "residence_add",
    "seal_member_add",
    "seal_member_candidates",
    "seal_member_remove",
]
