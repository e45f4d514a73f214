"""Reads of people. Every read that returns a person goes through ``access_person`` or
``access_people`` (``show_rows`` for rows about children), which check the policy and log
the access in the same transaction.

One module per feature; every public name is here, so ``from safeguard.people import
selectors`` and ``selectors.access_person(...)`` work wherever they are used:

- ``access``: the access function, ``show_rows``, the record for an edit;
- ``search``: the search, restricted matches, possible duplicates;
- ``person_page``: what the person page shows (relatives, addresses, timeline, history);
- ``sealing``: the seal and break-glass pages and the review queue.
"""

from safeguard.people.selectors.access import (
    RESTRICTED_ROW_REASON,
    RecordRestricted,
    ShownRows,
    access_people,
    access_person,
    person_for_edit,
    person_queryset,
    request_route,
    seen_in_rows,
    show_rows,
    visible_ids,
)
from safeguard.people.selectors.family import (
    AdultWithAlerts,
    Genogram,
    Relative,
    alert_for_edit,
    alerts_around,
    alerts_for_page,
    alerts_of,
    current_alerts,
    family_children,
    genogram,
)
from safeguard.people.selectors.person_page import (
    Relatives,
    household_on,
    load_person_page,
    people_involved_with,
    person_history,
    person_involvements,
    person_recent_access,
    person_relationships,
    person_residences,
    person_timeline,
    register_person_page_read,
    relatives_shown,
    residences_around,
)
from safeguard.people.selectors.sealing import (
    break_glass_awaiting_review,
    break_glass_for_review,
    break_glass_refusals,
    break_glass_reviewed,
    named_on_seal,
    person_for_break_glass,
    person_for_seal,
    running_grant,
)
from safeguard.people.selectors.search import (
    CANDIDATE_LIMIT,
    NAME_MATCH_THRESHOLD,
    SEARCH_LIMIT,
    SINGLE_WORD_THRESHOLD,
    duplicate_groups,
    known_elsewhere,
    person_search,
    possible_duplicates_of,
    restricted_duplicates_of,
    restricted_matches,
)

__all__ = [
    "AdultWithAlerts",
    "Genogram",
    "Relative",
    "alert_for_edit",
    "alerts_around",
    "alerts_for_page",
    "alerts_of",
    "current_alerts",
    "family_children",
    "genogram",
    "CANDIDATE_LIMIT",
    "NAME_MATCH_THRESHOLD",
    "RESTRICTED_ROW_REASON",
    "SEARCH_LIMIT",
    "SINGLE_WORD_THRESHOLD",
    "RecordRestricted",
    "Relatives",
    "ShownRows",
    "access_people",
    "access_person",
    "break_glass_awaiting_review",
    "break_glass_for_review",
    "break_glass_refusals",
    "break_glass_reviewed",
    "duplicate_groups",
    "known_elsewhere",
    "household_on",
    "load_person_page",
    "register_person_page_read",
    "named_on_seal",
    "people_involved_with",
    "person_for_break_glass",
    "person_for_edit",
    "person_for_seal",
    "person_history",
    "person_involvements",
    "person_queryset",
    "person_recent_access",
    "person_relationships",
    "person_residences",
    "residences_around",
    "person_search",
    "person_timeline",
    "possible_duplicates_of",
    "relatives_shown",
    "request_route",
    "restricted_duplicates_of",
    "restricted_matches",
    "running_grant",
    "seen_in_rows",
    "show_rows",
    "visible_ids",
]
