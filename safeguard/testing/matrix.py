"""The columns of the permission matrix and shared rows of expected outcomes.

Each app lists its URLs in ``<app>/tests/matrix.py`` as ``MATRIX = {url name: (method,
target, query, expected)}``, with ``expected`` one status per column of ``WHO``, and may add
``TARGETS = {name: function(world) -> reverse() kwargs}`` for the records its URLs need.
``safeguard/tests/test_permission_matrix.py`` gathers them and fails for any URL left out.
"""

# Who asks. "other_la" is a social worker of another authority; "disabled" a social worker
# whose account was disabled while signed in; "conference_chair" an independent reviewing
# officer; "inspector" an inspector with no inspection under way; "board_member" a member of
# the safeguarding partnership's board (decision 0084).
WHO = [
    "anonymous", "social_worker", "team_manager", "service_manager", "performance_analyst",
    "partner_police", "partner_health", "partner_education", "partner_voluntary",
    "unscheduled_care_clinician", "system_administrator", "disabled", "other_la",
    "conference_chair", "inspector", "board_member",
]  # fmt: skip


def board_member_like_inspector(inspector):
    """A board member's outcome where a row does not give one: the inspector's, both being
    read-only users outside children's social care, unless the inspector sees the page (200),
    which a row must decide for the board member itself (issue 20 item 6)."""
    if inspector == 200:
        raise ValueError("The inspector sees this page: give the board member's outcome")
    return inspector


def row(
    anonymous,
    sw,
    tm,
    sm,
    analyst,
    police,
    health,
    education,
    voluntary,
    clinician,
    admin,
    disabled,
    other_la,
    chair,
    inspector,
    *,
    board_member=None,
):
    if board_member is None:
        board_member = board_member_like_inspector(inspector)
    return [
        anonymous,
        sw,
        tm,
        sm,
        analyst,
        police,
        health,
        education,
        voluntary,
        clinician,
        admin,
        disabled,
        other_la,
        chair,
        inspector,
        board_member,
    ]


def complete(expected: list) -> list:
    """A row written as a plain list before the board member's column: the column added by
    ``row``'s rule; a full row as it is."""
    if len(expected) == len(WHO) - 1:
        return row(*expected)
    return list(expected)


# A page on Sam Smith's case file (child_sam: his team is the social worker's; the police
# team is involved with him): social care sees it; partners see the child, not the case file.
CASE_PAGE = row(302, 200, 200, 200, 200, 404, 404, 404, 404, 404, 404, 302, 404, 200, 404)
# A page of his case file's narrative (the chronology and its PDF): social workers and
# managers; not performance analysts, who see the dates and codes (issue 11, item 12).
CASE_NARRATIVE = row(302, 200, 200, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 403, 404)
# A form that records on his case file: social workers and managers only.
CASE_RECORD = row(302, 200, 200, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 403, 404)
# A form only a team or service manager may use (authorisation, management decisions).
CASE_AUTHORISE = row(302, 403, 200, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 403, 404)
# A page any signed-in social care member of the authority may use.
SOCIAL_CARE_PAGE = row(302, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 200, 200, 403)


def person_target(world):
    return {"person_id": world.child_sam.pk}


TARGETS = {"child_sam": person_target}
