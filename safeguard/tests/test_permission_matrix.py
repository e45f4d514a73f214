"""Every URL, for every role and for anonymous visitors, against a table of expected outcomes.

A URL that is added without a row here fails ``test_every_url_is_in_the_matrix``: deciding
who may reach a new page is part of adding it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Columns: who asks. "other_la" is a social worker of a different authority; "disabled" is a
# social worker whose account has been disabled while signed in.
WHO = [
    "anonymous", "social_worker", "team_manager", "service_manager", "performance_analyst",
    "partner_police", "partner_health", "partner_education", "partner_voluntary",
    "unscheduled_care_clinician", "system_administrator", "disabled", "other_la",
]

# Expected status codes, one per column above, in order. The target record is John Smith
# (child_sam): allocated to the social worker's team and involving the police team only.
EDIT_PAGE = [302, 200, 200, 200, 403, 403, 404, 404, 404, 404, 404, 302, 404]
MATRIX = {
    # name: (method, target, query, expected per WHO)
    "accounts:sign-in": ("get", None, "", [200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 200, 302]),
    "accounts:sign-out": ("get", None, "", [405] * 13),
    "work:home": ("get", None, "", [302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 302, 200]),
    "people:search": ("get", None, "?name=smith", [302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 302, 200]),
    "people:create": ("get", None, "", [302, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 200]),
    "people:detail": ("get", "child_sam", "", [302, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404, 302, 404]),
    "people:edit": ("get", "child_sam", "", EDIT_PAGE),
    "people:address-add": ("get", "child_sam", "", EDIT_PAGE),
    "people:name-add": ("get", "child_sam", "", EDIT_PAGE),
    "people:relationship-add": ("get", "child_sam", "", EDIT_PAGE),
    "people:involvement-add": ("get", "child_sam", "", EDIT_PAGE),
    "api:api-root": ("get", None, "", [404] * 13),
    "api:openapi-json": ("get", None, "", [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401, 200]),
    "api:person-search": ("get", None, "?name=smith", [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401, 200]),
    "api:person-detail": ("get", "child_sam", "", [401, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404, 401, 404]),
}

# Same-path variants that need no separate row: the schema of a target is the path itself.
TARGET_KWARG = {"child_sam": "person_id"}


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


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name, world, client):
    """Every role and anonymous visitors get exactly the expected status for the URL."""
    method, target, query, expected = MATRIX[name]
    assert len(expected) == len(WHO)
    kwargs = {TARGET_KWARG[target]: getattr(world, target).pk} if target else {}
    url = reverse(name, kwargs=kwargs) + query
    got = {}
    for who in WHO:
        client.logout()
        response = getattr(_client_for(who, world, client), method)(url)
        got[who] = response.status_code
    assert got == dict(zip(WHO, expected, strict=True))
