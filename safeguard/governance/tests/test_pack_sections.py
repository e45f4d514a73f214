"""A board pack holds the plans' RAG summary and their highlight reports (decisions 0083,
0084): governance registers both sections with the boards app, and a pack drafted for a body
of the authority shows the late and red actions and the risks of the plans in progress, with
the incorporated agency plan's actions counted in the partnership plan."""

from datetime import date

import pytest

from safeguard.boards import packs, services
from safeguard.boards.selectors import build_pack, render_pack
from safeguard.governance import services as plans
from safeguard.governance.models import Rag

pytestmark = pytest.mark.django_db

MAY_END = date(2026, 5, 31)


def test_the_pack_holds_the_plans_rag_summary_and_highlight_reports(world):
    assert {"plans", "highlights"} <= {s.key for s in packs.sections()}
    sm = world.sm_dan
    partnership = plans.plan_create(
        by=sm, title="Partnership improvement plan", owner_body="Safeguarding partnership",
        lead=sm, start_date=date(2026, 1, 1), end_date=date(2028, 12, 31), status="active",
    )  # fmt: skip
    police = plans.plan_create(
        by=sm, title="Borough police plan", owner_body="Borough police", lead=sm,
        agency=world.police, start_date=date(2026, 1, 1), end_date=date(2027, 12, 31),
        status="active", incorporated_into=partnership,
    )  # fmt: skip
    ours = plans.objective_add(by=sm, plan=partnership, title="No case waits unseen")
    theirs = plans.objective_add(by=sm, plan=police, title="Desk checks within a day")
    plans.action_add(
        by=sm, objective=ours, title="Daily unallocated huddle", owner=world.tm_carol,
        agency=world.csc, due_date=date(2026, 12, 1),
    )  # fmt: skip
    plans.action_add(
        by=sm, objective=theirs, title="Audit a month of police desk checks",
        owner=world.police_pat, agency=world.police, due_date=date(2026, 4, 30),
        rag=Rag.RED, rag_reason="No analyst free until July",
    )  # fmt: skip
    plans.risk_add(
        by=sm, kind="risk", title="Police analyst vacancy", likelihood=4, impact=4,
        owner=world.police_pat, mitigation="Borrow an analyst from the next borough",
        review_date=date(2026, 6, 15), plans=[partnership],
    )  # fmt: skip
    body = services.body_create(
        by=world.analyst_eve, name="Testshire Safeguarding Partnership",
        sections=["plans", "highlights"], members=[world.board_bea],
    )  # fmt: skip
    pack = services.pack_draft(
        by=world.analyst_eve, body=body, period_start=date(2026, 5, 1), period_end=MAY_END,
        notify_officers=False,
    )  # fmt: skip
    built = {b.section.key: b.context for b in build_pack(pack)}

    summary = built["plans"]["tables"][0]["rows"]
    # Only the partnership plan is reported; the police plan's action is counted in it.
    assert summary == [
        ["Partnership improvement plan (with Borough police plan)", "1", "0", "1", "0", "1", "2"]
    ]
    late, risks = built["highlights"]["tables"]
    assert [row[0] for row in late["rows"]] == ["Audit a month of police desk checks"]
    assert "31 days late" in late["rows"][0][2] and late["rows"][0][4] == "No analyst free until July"
    assert [row[0] for row in risks["rows"]] == ["Police analyst vacancy"]
    html = render_pack(pack, build_pack(pack))
    assert "Audit a month of police desk checks" in html and "Police analyst vacancy" in html
