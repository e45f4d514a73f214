"""The demo's directory of services (decision 0079): at least 60 services, five of every kind,
a few out of date and two ended, kept by two appointed editors; sw1 finds them on the directory's pages."""

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.directory.codes import ServiceKind
from safeguard.directory.models import DirectoryEditor, Service


@pytest.mark.django_db
def test_the_demo_directory(settings, tmp_path, client):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    as_at = timezone.localdate()
    call_command("demo", children=100, seed=7, as_at=as_at.isoformat(), stdout=None)
    services = Service.objects.all()
    assert services.count() >= 60
    by_kind = dict(services.values_list("kind").annotate(n=Count("id")))
    assert set(by_kind) == set(ServiceKind.values)
    assert set(by_kind.values()) == {5}
    lapsed = services.exclude(pk__in=Service.objects.current(as_at).values("pk"))
    assert 2 <= lapsed.count() < services.count() // 3
    assert services.filter(ended_on__isnull=False).count() == 2
    assert all(s.areas == [] or all(a.startswith("KM") for a in s.areas) for s in services)
    editors = DirectoryEditor.objects.filter(ended_on__isnull=True).select_related("user__agency")
    assert editors.count() == 2
    assert {e.user.agency.kind for e in editors} == {"voluntary", "csc"}

    client.force_login(User.objects.get(username="sw1"))
    page = client.get(reverse("directory:search"), {"currency": "lapsed"}).content.decode()
    assert "Out of date: not checked since" in page
    one = services.filter(levels__isnull=False).exclude(levels=[]).first()
    assert "Level " in client.get(reverse("directory:service", args=[one.pk])).content.decode()


def _directory(seed: int, as_at, tmp_path) -> list:
    """Build the demo inside a transaction that is then rolled back; return its directory."""
    from django.db import transaction

    with transaction.atomic():
        call_command("demo", children=20, seed=seed, as_at=as_at.isoformat(), stdout=None)
        rows = sorted(
            Service.objects.values_list(
                "id", "oruk_id", "name", "organisation", "kind", "min_age", "max_age", "areas",
                "levels", "needs", "last_checked", "ended_on", "phone", "postcode",
            )
        )  # fmt: skip
        transaction.set_rollback(True)
    return rows


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_directory(settings, tmp_path):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    as_at = timezone.localdate()
    first = _directory(7, as_at, tmp_path)
    assert len(first) >= 60
    assert _directory(7, as_at, tmp_path) == first
    assert _directory(8, as_at, tmp_path) != first
