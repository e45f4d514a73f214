"""A deterministic synthetic borough: the London Borough of Kingsmere, for demos and load tests.

``build_demo_borough`` fills an empty database with one fictional local authority, its
threshold of need, its social care teams and partner agencies, staff in every role, and
families: children (some unborn) in households with parents, carers and other adults, their
addresses, relationships and identifiers, partner agencies' involvements, and the children's
journeys through social care (contacts, referrals, assessments, child protection, child in
need plans, visits, notes, decisions and chronologies).

Contract: the same ``children``, ``seed`` and ``as_at`` always give the same data, down to
the primary keys, because every choice comes from one ``random.Random(seed)``. The password
is the one thing not derived from the seed: the caller makes it and passes in its hash, which
every demo account shares (hashing once keeps a 50,000-child run fast under Argon2).

The parts, in the order a build uses them:

- ``people``: households, people, addresses, identifiers, partner involvements;
- ``journeys``: one family's episode as dated steps (no database);
- ``histories``: which families are known and when, episodes placed on the calendar;
- ``staff``: agencies, teams and staff, sized by the open work;
- ``caseloads``: the worker holding each allocation, and ``sw1``'s caseload;
- ``contacts`` and ``records``: the episodes as database records;
- ``thresholds``: the default continuum of need, loaded through its service;
- ``build``: ``build_demo_borough``, in one transaction;
- ``accounts``: the accounts file.

Every name, address and number is invented. NHS numbers come from the 999 range, which is
documented as reserved for testing; UPNs carry the pseudo-LA number 001, which no authority issues.
"""

from safeguard.demo.generator.accounts import (
    PASSWORD_LINE,
    DemoResult,
    read_demo_password,
    render_accounts,
    write_accounts_file,
)
from safeguard.demo.generator.build import DemoConflict, build_demo_borough, check_no_conflict
from safeguard.demo.generator.common import (
    ALLOCATED_SOCIAL_WORKER,
    AUTHORITY_NAME,
    BATCH_SIZE,
    DEFAULT_CHILDREN,
    DEFAULT_SEED,
    DFE_LA_CODE,
    MAX_CHILDREN,
    MIN_CHILDREN,
)
from safeguard.demo.generator.staff import (
    WELL_KNOWN_ACCOUNTS,
    WELL_KNOWN_USERNAMES,
    AccountRow,
    StaffNumbers,
    WellKnownAccount,
    staff_numbers,
)

__all__ = [
    "ALLOCATED_SOCIAL_WORKER",
    "AUTHORITY_NAME",
    "BATCH_SIZE",
    "DEFAULT_CHILDREN",
    "DEFAULT_SEED",
    "DFE_LA_CODE",
    "MAX_CHILDREN",
    "MIN_CHILDREN",
    "PASSWORD_LINE",
    "WELL_KNOWN_ACCOUNTS",
    "WELL_KNOWN_USERNAMES",
    "AccountRow",
    "DemoConflict",
    "DemoResult",
    "StaffNumbers",
    "WellKnownAccount",
    "build_demo_borough",
    "check_no_conflict",
    "read_demo_password",
    "render_accounts",
    "staff_numbers",
    "write_accounts_file",
]
