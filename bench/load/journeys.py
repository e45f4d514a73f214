"""The load test's mix of work: what 200 members of staff do at once, and how often.

Plain data, with no locust import, so that the normal test suite can check the mix
(``safeguard/tests/test_load_mix.py``) without starting gevent. ``locustfile.py`` turns each
journey into a locust task of the same weight; a journey's name is the name its requests are
reported under (several requests of one journey share the prefix, e.g. ``visit: form`` and
``visit: save``).

Two kinds of staff: practitioners (social workers), who search, read and record, and managers
(team managers), who also watch their team's queue and the dashboard. Mostly reads; the writes
are a visit and a case note, through the real forms with their CSRF token.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Journey:
    name: str
    weight: int
    writes: bool = False


# Social workers: 4 in every 5 simulated staff.
PRACTITIONER = (
    Journey("home", 3),  # "my work"
    Journey("search", 4),  # find a child by family name
    Journey("person", 4),  # a child's page
    Journey("case", 4),  # a case page
    Journey("my queue", 2),  # what is due for me (/due/)
    Journey("visit", 1, writes=True),  # record a visit
    Journey("case note", 1, writes=True),  # add a case note
)
# Team managers: 1 in 5.
MANAGER = (
    Journey("home", 2),
    Journey("search", 2),
    Journey("person", 2),
    Journey("case", 3),
    Journey("team queue", 3),  # what is due for the team (/due/teams/<id>/)
    Journey("dashboard", 2),  # /performance/
    Journey("case note", 1, writes=True),
)
PRACTITIONER_SHARE, MANAGER_SHARE = 4, 1

# Sign-in is reported apart: it happens once per simulated user while users start.
SIGN_IN = ("sign in: password", "sign in: code")
# What the issue names and the mix must cover (checked by the test).
REQUIRED = {"search", "person", "case", "my queue", "team queue", "visit", "case note", "dashboard"}


def all_journeys() -> set[str]:
    return {j.name for j in PRACTITIONER + MANAGER}
