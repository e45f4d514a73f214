"""Every URL, for every role and for anonymous visitors, against a table of expected outcomes.

The rows live beside each app (``<app>/tests/matrix.py``). A URL added without a row fails
``test_every_url_is_in_the_matrix``: deciding who may reach a new page is part of adding it.
"""

import importlib

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguard.testing.matrix import TARGETS, WHO, complete

APPS = ["core", "accounts", "notices", "procedures", "work", "people", "casework", "documents", "referrals", "directory", "earlyhelp", "assessments", "protection", "partners", "timescales", "transfers", "workforce", "backlog", "privacy", "performance", "governance", "returns", "quality", "supervision", "assurance", "operations", "boards"]

# The API's own pages.
PROJECT_MATRIX = {
    "api:api-root": ("get", None, "", [404] * 16),
    "api:openapi-json": ("get", None, "", [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401, 200, 200, 200, 200]),
}


def _gather():
    matrix, targets = dict(PROJECT_MATRIX), dict(TARGETS)
    for app in APPS:
        module = importlib.import_module(f"safeguard.{app}.tests.matrix")
        overlap = set(matrix) & set(module.MATRIX)
        assert not overlap, f"{app} repeats rows: {overlap}"
        matrix.update(
            {name: (*spec[:3], complete(spec[3])) for name, spec in module.MATRIX.items()}
        )
        targets.update(getattr(module, "TARGETS", {}))
    return matrix, targets


MATRIX, ALL_TARGETS = _gather()


def _url_names(resolver=None, namespace=None) -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            names |= _url_names(pattern, full)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                names.add(f"<unnamed {pattern.pattern}>")
            else:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_is_in_the_matrix():
    """Each named URL in the project has a row, and each row names a real URL."""
    assert _url_names() == set(MATRIX)


def _client_for(who, world, client):
    if who == "anonymous":
        return client
    if who == "disabled":
        user = world.disabled_dee
    elif who == "other_la":
        user = world.other_sw
    else:
        user = world.users_by_role[who]
    client.force_login(user)
    return client


def _app_of(name: str) -> str:
    return name.split(":", 1)[0] if ":" in name else "project"


# The rows of each app are checked in one test on one world, each row inside a savepoint that
# is rolled back: whatever a row's requests or its target make is gone before the next row,
# as if each had a world of its own (a world per row made this the slowest test of the suite).
GROUPS: dict[str, list[str]] = {}
for _name in sorted(MATRIX):
    GROUPS.setdefault(_app_of(_name), []).append(_name)


def _outcomes(name, world, client) -> dict:
    method, target, query, expected = MATRIX[name]
    assert len(expected) == len(WHO)
    kwargs = ALL_TARGETS[target](world) if target else {}
    url = reverse(name, kwargs=kwargs) + query
    got = {}
    for who in WHO:
        client.logout()
        response = getattr(_client_for(who, world, client), method)(url)
        got[who] = response.status_code
    return got


@pytest.mark.django_db
@pytest.mark.parametrize("app", sorted(GROUPS))
def test_matrix(app, world, client):
    """Every role and anonymous visitors get exactly the expected status for each URL of the
    app; every row that differs is reported."""
    wrong = []
    for name in GROUPS[app]:
        with transaction.atomic():
            got = _outcomes(name, world, client)
            transaction.set_rollback(True)
        expected = dict(zip(WHO, MATRIX[name][3], strict=True))
        if got != expected:
            diff = {who: (expected[who], got[who]) for who in WHO if got[who] != expected[who]}
            wrong.append(f"{name}: (expected, got) {diff}")
    assert not wrong, "\n".join(wrong)


def test_every_row_is_checked_in_a_group():
    assert sorted(n for names in GROUPS.values() for n in names) == sorted(MATRIX)
