"""Permission-matrix rows for the backlog review pages (see safeguard/testing/matrix.py)."""

from safeguard.backlog.tests.steps import exercise_of_sam, item_of
from safeguard.testing.matrix import row

# The list: social workers and managers (each sees the exercises they may); a social worker of
# another authority sees an empty list.
RECORDERS = row(302, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 200, 403, 403)
# Opening an exercise: team and service managers.
MANAGERS = row(302, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
# The exercise Carol opened with Amy reviewing: the authority's managers and its reviewers.
EXERCISE = row(302, 200, 200, 200, 404, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)
# Assigning one of its cases: Carol, who opened it; the others who see it are refused.
ASSIGN = row(302, 403, 200, 403, 404, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)
# Reviewing Sam's case: Amy, its reviewer; the managers who see the exercise are refused.
REVIEW = row(302, 200, 403, 403, 404, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)

MATRIX = {
    "backlog:exercises": ("get", None, "", RECORDERS),
    "backlog:open": ("get", None, "", MANAGERS),
    "backlog:exercise": ("get", "backlog.exercise", "", EXERCISE),
    "backlog:summary": ("get", "backlog.exercise", "", EXERCISE),
    "backlog:assign": ("get", "backlog.item", "", ASSIGN),
    "backlog:review": ("get", "backlog.item", "", REVIEW),
}

TARGETS = {
    "backlog.exercise": lambda world: {"exercise_id": exercise_of_sam(world).pk},
    "backlog.item": lambda world: {
        "exercise_id": exercise_of_sam(world).pk,
        "item_id": item_of(world, world.child_sam).pk,
    },
}
