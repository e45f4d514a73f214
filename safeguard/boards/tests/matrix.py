"""Permission-matrix rows for the boards pages (decision 0084; see safeguard/testing/matrix.py).

Bodies, published packs and challenge logs are read by oversight staff (team and service
managers, analysts) and by the body's members (the board member sits on the matrix's body);
a draft is for staff only (404 to the member); commentary is written by the body's named
officers (the service and team managers); a service manager publishes and corrects; questions are
recorded by service managers and analysts, answered by their officer (the team manager) and
closed by a service manager or analyst. Bodies are set up, changed and stood down by service
managers and analysts (decision 0085): 403 to the team manager and the member, who see the
body, 404 to those who do not. POSTs by the board member are refused before any
view (403: read-only role).
"""

from datetime import date

from safeguard.testing.matrix import row

READ = row(
    302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403, board_member=200
)
# The list of bodies: everyone signed in may ask; it lists only their own.
LIST = row(
    302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 302, 200, 200, 200, board_member=200
)
DRAFT = row(
    302, 404, 200, 200, 200, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, board_member=404
)
MISSING = row(
    302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, board_member=404
)

MATRIX = {
    "boards:bodies": ("get", None, "", LIST),
    # Setting up, changing and standing down a body: service managers and analysts (decision 0085).
    "boards:body-new": ("get", None, "", row(302, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403, board_member=403)),
    "boards:body-change": ("get", "board", "", row(302, 404, 403, 200, 200, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, board_member=403)),
    "boards:body-end": ("get", "board", "", row(302, 404, 403, 200, 200, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, board_member=403)),
    "boards:body": ("get", "board", "", row(302, 404, 200, 200, 200, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, board_member=200)),
    "boards:challenges": ("get", "board", "", row(302, 404, 200, 200, 200, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, board_member=200)),
    "boards:pack": ("get", "published_pack", "", row(302, 404, 200, 200, 200, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, board_member=200)),
    "boards:pack-pdf": ("get", "published_pack", "", row(302, 404, 200, 200, 200, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, board_member=200)),
    "boards:commentary": ("get", "draft_pack", "", row(302, 404, 200, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, board_member=404)),
    "boards:publish": ("post", "draft_pack", "", row(302, 404, 403, 302, 403, 404, 404, 404, 404, 404, 404, 302, 404, 404, 403, board_member=403)),
    "boards:correct": ("get", "published_pack", "", row(302, 404, 403, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, board_member=403)),
    "boards:challenge-answer": ("get", "open_question", "", row(302, 404, 200, 403, 403, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, board_member=403)),
    "boards:challenge-close": ("get", "answered_question", "", row(302, 404, 403, 200, 200, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404, board_member=403)),
}  # fmt: skip


def _body(world):
    from safeguard.boards.services import body_create

    return body_create(
        by=world.analyst_eve, name="Testshire Safeguarding Partnership",
        indicators=["referrals", "icpc_within_15wd"], members=[world.board_bea],
        officers=[world.sm_dan, world.tm_carol],
    )  # fmt: skip


def _draft(world, body=None):
    from safeguard.boards.services import pack_draft

    body = body or _body(world)
    return pack_draft(
        by=world.analyst_eve, body=body, period_start=date(2026, 4, 1), period_end=date(2026, 4, 30)
    )


def _published(world):
    from safeguard.boards.services import pack_publish

    return pack_publish(by=world.sm_dan, pack=_draft(world))


def _question(world):
    from safeguard.boards.services import challenge_raise

    return challenge_raise(
        by=world.analyst_eve, body=_body(world), raised_on=date(2026, 5, 12),
        question="Why did initial conferences within 15 working days fall in April?",
        officer=world.tm_carol, due_date=date(2026, 6, 9),
    )  # fmt: skip


def _answered(world):
    from safeguard.boards.services import challenge_answer

    return challenge_answer(
        by=world.tm_carol, challenge=_question(world), answer="Two chairs were off sick."
    )


TARGETS = {
    "board": lambda world: {"body_id": _body(world).pk},
    "draft_pack": lambda world: {"pack_id": _draft(world).pk},
    "published_pack": lambda world: {"pack_id": _published(world).pk},
    "open_question": lambda world: {"challenge_id": _question(world).pk},
    "answered_question": lambda world: {"challenge_id": _answered(world).pk},
}
