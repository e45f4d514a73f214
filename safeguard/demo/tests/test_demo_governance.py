"""The demo's improvement plans (decision 0083): a three-year partnership plan with the borough
police plan incorporated into it, actions across the agencies with a year of RAG history,
some late and some red, a police action in both plans, and a register of twelve risks."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.governance import selectors
from safeguard.governance.models import Action, ActionRating, Plan, Risk


@pytest.mark.django_db
def test_the_demo_has_a_plan_with_an_incorporated_police_plan(settings, tmp_path, client):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    as_at = timezone.localdate()
    call_command("demo", children=60, seed=7, as_at=as_at.isoformat(), stdout=None)
    partnership = Plan.objects.get(incorporated_into=None)
    police = Plan.objects.get(incorporated_into=partnership)
    assert (partnership.end_date - partnership.start_date).days >= 3 * 365
    assert police.agency.kind == "police"
    assert (
        Action.objects.filter(objectives__plan=police).filter(objectives__plan=partnership).exists()
    )
    assert set(Action.objects.values_list("agency__kind", flat=True)) >= {
        "csc",
        "police",
        "health",
        "education",
        "voluntary",
    }
    oldest = ActionRating.objects.order_by("rated_at").first().rated_at.date()
    assert oldest <= as_at - timedelta(days=365)
    assert Risk.objects.count() == 12

    report = selectors.highlight_report(partnership, as_at)
    assert any(a.late for a in report.actions) and any(a.rag == "red" for a in report.actions)
    assert any(police.title in a.plans for a in report.actions)
    summary = selectors.rag_summary([partnership], as_at).rows[0]
    assert summary.total == Action.objects.count() and summary.done >= 1 and summary.red >= 1

    client.force_login(User.objects.get(username="police1"))
    for url in (
        reverse("governance:plans"),
        reverse("governance:plan", args=[partnership.pk]),
        reverse("governance:highlights", args=[partnership.pk]),
        reverse("governance:risks"),
        reverse("governance:action", args=[Action.objects.order_by("title").first().pk]),
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("governance:plan", args=[partnership.pk])).content.decode()
    assert "Borough police child protection plan" in page and "RAG rating: from" in page
